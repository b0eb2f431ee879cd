import type { Migration } from '../migrate';

/**
 * Hall devices enrolled one by one (each with its own key, revocable) instead of one key per kind, counters of the
 * hall among them; and the counter side of the hall link: where this PC's hall host is, and which visits served here
 * while the host was unreachable have been handed to it.
 */
export const m0005HallLink: Migration = {
  version: 5,
  name: 'hall_link',
  sql: `
    -- One row per physical device of the hall. Only a hash of its key is kept: the key is shown once to the admin.
    CREATE TABLE hall_device (
      id         TEXT PRIMARY KEY,
      kind       TEXT NOT NULL CHECK (kind IN ('kiosk', 'display', 'evaluator', 'counter')),
      name       TEXT NOT NULL,
      -- the window an evaluator or a counter PC belongs to
      window_no  INTEGER,
      key_hash   TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      revoked_at TEXT,
      CHECK ((kind IN ('evaluator', 'counter')) = (window_no IS NOT NULL))
    ) STRICT;
    -- Per-kind keys are gone: their addresses stop working, the admin enrols each screen once.
    DROP TABLE hall_device_key;

    -- A case linked to a visit may live in another counter's store (linked over the hall link), so no FK to case_file.
    CREATE TABLE visit_case_new (
      ticket_id TEXT NOT NULL REFERENCES ticket (id),
      case_id   TEXT NOT NULL,
      linked_at TEXT NOT NULL,
      PRIMARY KEY (ticket_id, case_id)
    ) STRICT;
    INSERT INTO visit_case_new SELECT ticket_id, case_id, linked_at FROM visit_case;
    DROP TABLE visit_case;
    ALTER TABLE visit_case_new RENAME TO visit_case;

    -- One row on a counter PC whose queue lives on a hall host elsewhere in the hall; absent on a host.
    CREATE TABLE hall_link (
      id         INTEGER PRIMARY KEY CHECK (id = 1),
      url        TEXT NOT NULL,
      -- this counter's device key at the host (a local secret, like the printer settings it is never synced)
      device_key TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    -- Visits served here while the host was unreachable, once the host has taken them.
    CREATE TABLE hall_handed_over (
      ticket_id     TEXT PRIMARY KEY REFERENCES ticket (id),
      handed_at     TEXT NOT NULL
    ) STRICT;
  `,
};
