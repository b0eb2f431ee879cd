import type { Migration } from '../migrate';

/**
 * Sync with the central office: who ran each outbox operation (the central office checks the actor's account and
 * role), this device's enrolment, one cursor per download stream, the inbox of refusals and conflicts the operators
 * must see, and the reference data and day closes the central office sends down.
 */
export const m0006Sync: Migration = {
  version: 6,
  name: 'sync',
  sql: `
    ALTER TABLE outbox ADD COLUMN operator_id TEXT;
    ALTER TABLE outbox ADD COLUMN window_no INTEGER;
    -- Until now every command wrote exactly one audit entry and one outbox row, numbered in step: the audit entry
    -- of the same command (same sequence, same instant) names who ran it.
    UPDATE outbox SET
      operator_id = (SELECT a.operator_id FROM audit_log a WHERE a.seq = outbox.seq AND a.at = outbox.created_at),
      window_no = (SELECT a.window_no FROM audit_log a WHERE a.seq = outbox.seq AND a.at = outbox.created_at);

    -- One row once enrolled. The private key is not here: it lives in a file of its own (mode 0600).
    CREATE TABLE sync_device (
      id              INTEGER PRIMARY KEY CHECK (id = 1),
      device_id       TEXT NOT NULL,
      central_url     TEXT NOT NULL,
      public_key      TEXT NOT NULL,
      station_code    TEXT NOT NULL,
      station_name    TEXT NOT NULL,
      region_code     TEXT NOT NULL,
      station_kind    TEXT NOT NULL CHECK (station_kind IN ('station', 'central')),
      -- server clock minus device clock, as last measured
      clock_offset_ms INTEGER NOT NULL,
      enrolled_at     TEXT NOT NULL,
      last_sync_at    TEXT
    ) STRICT;

    -- Per download stream: the cursor to send next, and the count and checksum of every change applied up to it.
    CREATE TABLE sync_cursor (
      stream   TEXT PRIMARY KEY CHECK (stream IN ('station', 'reference')),
      cursor   INTEGER NOT NULL,
      count    INTEGER NOT NULL,
      checksum INTEGER NOT NULL
    ) STRICT;

    -- Refusals of this device's operations and registry conflicts they caused, until a reviewer resolves them.
    -- source_id: the operation id of a refusal, the central conflict id of a conflict.
    CREATE TABLE sync_inbox (
      id           TEXT PRIMARY KEY,
      kind         TEXT NOT NULL CHECK (kind IN ('refusal', 'conflict')),
      source_id    TEXT NOT NULL,
      op_id        TEXT NOT NULL,
      op_seq       INTEGER,
      op_type      TEXT,
      code         TEXT,
      reason       TEXT,
      message      TEXT NOT NULL,
      entity       TEXT,
      entity_id    TEXT,
      field        TEXT,
      base_version INTEGER,
      server_value TEXT,
      device_value TEXT,
      created_at   TEXT NOT NULL,
      resolved_at  TEXT,
      resolved_by  TEXT,
      resolution   TEXT,
      UNIQUE (kind, source_id)
    ) STRICT;
    CREATE INDEX sync_inbox_open ON sync_inbox (created_at) WHERE resolved_at IS NULL;

    -- Every version of reference data received: for a business date the most specific region in force wins.
    CREATE TABLE sync_reference (
      kind           TEXT NOT NULL,
      region         TEXT NOT NULL,
      version        INTEGER NOT NULL,
      effective_from TEXT NOT NULL,
      published_at   TEXT NOT NULL,
      data           TEXT NOT NULL,
      PRIMARY KEY (kind, region, version)
    ) STRICT;

    -- Day closes the central office matched, for the station's day-close page.
    CREATE TABLE sync_day_close (
      id            TEXT PRIMARY KEY,
      business_date TEXT NOT NULL,
      status        TEXT NOT NULL,
      device_id     TEXT NOT NULL,
      at            TEXT NOT NULL
    ) STRICT;
  `,
};
