import type { Migration } from '../migrate';

/**
 * 日结: each business day the supervisor has frozen, closed or carried over. A day without a row is open.
 */
export const m0007DayClose: Migration = {
  version: 7,
  name: 'day_close',
  sql: `
    CREATE TABLE business_day (
      business_date    TEXT PRIMARY KEY,
      state            TEXT NOT NULL CHECK (state IN ('frozen', 'closed', 'carried_over')),
      reconciliation   TEXT CHECK (reconciliation IN ('matched', 'mismatched', 'pending', 'offline', 'local')),
      message          TEXT,
      differences_json TEXT NOT NULL DEFAULT '[]',
      -- the last outbox sequence of the frozen day: the central office must have applied up to it
      last_seq         INTEGER,
      totals_json      TEXT,
      closed_by        TEXT,
      closed_at        TEXT,
      reconciled_at    TEXT,
      reason           TEXT,
      document_id      TEXT
    ) STRICT;
    -- The day close counts cases by business date, and every day-bound call asks for the last business day.
    CREATE INDEX case_business_date ON case_file (business_date);
  `,
};
