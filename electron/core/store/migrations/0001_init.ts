import type { Migration } from '../migrate';

/**
 * The first schema: station settings, operators, the audit log and the outbox.
 * Audit and outbox exist from the start so that every command writes both from day one.
 */
export const m0001Init: Migration = {
  version: 1,
  name: 'init',
  sql: `
    CREATE TABLE meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    -- One row: this installation's station.
    CREATE TABLE station (
      id                INTEGER PRIMARY KEY CHECK (id = 1),
      code              TEXT NOT NULL,
      name              TEXT NOT NULL,
      region_code       TEXT NOT NULL,
      windows_json      TEXT NOT NULL,
      idle_lock_minutes INTEGER NOT NULL,
      version           INTEGER NOT NULL DEFAULT 1
    ) STRICT;

    CREATE TABLE operator (
      id            TEXT PRIMARY KEY,
      username      TEXT NOT NULL UNIQUE,
      display_name  TEXT NOT NULL,
      role          TEXT NOT NULL CHECK (role IN ('teller', 'reviewer', 'approver', 'admin')),
      password_hash TEXT NOT NULL,
      disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
      created_at    TEXT NOT NULL,
      version       INTEGER NOT NULL DEFAULT 1
    ) STRICT;

    -- Append-only; each entry's hash covers the previous entry's hash (see audit/chain.ts).
    CREATE TABLE audit_log (
      seq          INTEGER PRIMARY KEY,
      id           TEXT NOT NULL UNIQUE,
      at           TEXT NOT NULL,
      station_code TEXT NOT NULL,
      window_no    INTEGER,
      operator_id  TEXT,
      action       TEXT NOT NULL,
      class        TEXT NOT NULL CHECK (class IN ('key', 'general', 'in_process')),
      entity_type  TEXT,
      entity_id    TEXT,
      before_json  TEXT,
      after_json   TEXT,
      prev_hash    TEXT NOT NULL,
      hash         TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_log_operator ON audit_log (operator_id, seq);

    -- Operations waiting to be pushed to the central office. seq is gap-free per device.
    CREATE TABLE outbox (
      seq        INTEGER PRIMARY KEY,
      op_id      TEXT NOT NULL UNIQUE,
      type       TEXT NOT NULL,
      payload    TEXT NOT NULL,
      created_at TEXT NOT NULL,
      pushed_at  TEXT
    ) STRICT;
    CREATE INDEX outbox_pending ON outbox (seq) WHERE pushed_at IS NULL;
  `,
};
