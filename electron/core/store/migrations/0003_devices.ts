import type { Migration } from '../migrate';

/**
 * Devices of this counter: its printer and card reader settings, and the durable print queue. A job is
 * written in the same transaction as the business command that produced its document, so an accepted
 * case always has its receipt queued, and the queue survives a restart.
 */
export const m0003Devices: Migration = {
  version: 3,
  name: 'devices',
  sql: `
    -- One row: this counter PC's devices. Absent until an admin saves settings; the defaults apply until then.
    CREATE TABLE device_settings (
      id          INTEGER PRIMARY KEY CHECK (id = 1),
      printer_uri TEXT NOT NULL,
      paper_mm    INTEGER NOT NULL CHECK (paper_mm IN (58, 80)),
      columns     INTEGER NOT NULL CHECK (columns IN (32, 42, 48)),
      cut         INTEGER NOT NULL CHECK (cut IN (0, 1)),
      -- 'simulated', 'none' or 'serial:PORT?baud=N'
      ss_reader   TEXT NOT NULL,
      id_reader   TEXT NOT NULL,
      version     INTEGER NOT NULL DEFAULT 1,
      updated_at  TEXT NOT NULL
    ) STRICT;

    -- Printed in seq order per printer. 'printing' found at start-up means the app stopped mid-job: the
    -- bytes may have left, so such a job becomes 'uncertain' for the teller, never silently printed again.
    CREATE TABLE print_job (
      seq             INTEGER PRIMARY KEY,
      id              TEXT NOT NULL UNIQUE,
      document_id     TEXT NOT NULL REFERENCES document (id),
      printer         TEXT NOT NULL,
      state           TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'printed', 'failed_waiting', 'blocked', 'uncertain', 'cancelled')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT,
      last_error      TEXT,
      -- a deliberate reprint (补打), printed with a 补打 line; reprint_of is the job it repeats, when there was one
      reprint         INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
      reprint_of      TEXT REFERENCES print_job (id),
      operator_id     TEXT,
      created_at      TEXT NOT NULL,
      printed_at      TEXT
    ) STRICT;
    CREATE INDEX print_job_pending ON print_job (printer, seq) WHERE state IN ('queued', 'failed_waiting', 'printing');
    CREATE INDEX print_job_document ON print_job (document_id, seq);
  `,
};
