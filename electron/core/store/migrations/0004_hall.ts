import type { Migration } from '../migrate';

/**
 * The hall: queue settings and categories, tickets numbered per category per day, the append-only queue event log
 * (statistics come from it), window states, visits' cases, ratings with their follow-ups, and hall device keys.
 */
export const m0004Hall: Migration = {
  version: 4,
  name: 'hall',
  sql: `
    -- The station's queue settings, categories included (shared/domain/queue/settings.ts).
    CREATE TABLE queue_settings (
      id            INTEGER PRIMARY KEY CHECK (id = 1),
      settings_json TEXT NOT NULL,
      version       INTEGER NOT NULL DEFAULT 1
    ) STRICT;

    -- The business date the queue last opened: the first action of a later date closes or carries over the rest.
    CREATE TABLE queue_day (
      id            INTEGER PRIMARY KEY CHECK (id = 1),
      business_date TEXT NOT NULL
    ) STRICT;

    CREATE TABLE ticket (
      id                TEXT PRIMARY KEY,
      business_date     TEXT NOT NULL,
      category_code     TEXT NOT NULL,
      -- the category that numbered it (a transfer changes category_code, never the number)
      issued_category   TEXT NOT NULL,
      number            INTEGER NOT NULL,
      ticket_no         TEXT NOT NULL,
      -- issue order, breaking ties of equal place
      seq               INTEGER NOT NULL UNIQUE,
      source            TEXT NOT NULL CHECK (source IN ('kiosk', 'counter', 'walk_in', 'carry_over')),
      status            TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'held', 'done', 'no_show', 'closed')),
      -- place in the queue, ms since epoch (see shared/domain/queue/calling.ts)
      place             INTEGER NOT NULL,
      issued_at         TEXT NOT NULL,
      window_no         INTEGER,
      operator_id       TEXT,
      call_count        INTEGER NOT NULL DEFAULT 0,
      last_called_at    INTEGER,
      directed_window   INTEGER,
      directed_operator TEXT,
      person_id         TEXT REFERENCES person (id),
      id_number         TEXT,
      outcome           TEXT,
      carried_from      TEXT REFERENCES ticket (id),
      version           INTEGER NOT NULL DEFAULT 1,
      UNIQUE (business_date, issued_category, number)
    ) STRICT;
    -- Covers what calling next reads, so a long queue is read from the index alone.
    CREATE INDEX ticket_waiting ON ticket (business_date, place, seq, category_code, directed_window, directed_operator, id)
      WHERE status = 'waiting';
    CREATE INDEX ticket_at_window ON ticket (window_no, status) WHERE status IN ('called', 'serving', 'held');
    CREATE INDEX ticket_day ON ticket (business_date, status);
    -- One open ticket per person and category.
    CREATE UNIQUE INDEX ticket_person_open ON ticket (category_code, id_number)
      WHERE id_number IS NOT NULL AND status IN ('waiting', 'called', 'serving', 'held');

    -- Append-only facts: every step of every ticket. Each is also an outbox operation.
    CREATE TABLE queue_event (
      seq           INTEGER PRIMARY KEY,
      id            TEXT NOT NULL UNIQUE,
      ticket_id     TEXT NOT NULL REFERENCES ticket (id),
      type          TEXT NOT NULL,
      category_code TEXT NOT NULL,
      window_no     INTEGER,
      operator_id   TEXT,
      detail_json   TEXT,
      at            TEXT NOT NULL
    ) STRICT;
    CREATE INDEX queue_event_at ON queue_event (at);
    CREATE INDEX queue_event_ticket ON queue_event (ticket_id, seq);
    CREATE TRIGGER queue_event_append_only_u BEFORE UPDATE ON queue_event BEGIN SELECT RAISE(ABORT, 'queue_event is append-only'); END;
    CREATE TRIGGER queue_event_append_only_d BEFORE DELETE ON queue_event BEGIN SELECT RAISE(ABORT, 'queue_event is append-only'); END;

    CREATE TABLE window_state (
      window_no    INTEGER PRIMARY KEY,
      paused       INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
      pause_reason TEXT,
      operator_id  TEXT,
      ratio_cursor INTEGER NOT NULL DEFAULT 0,
      updated_at   TEXT NOT NULL
    ) STRICT;

    -- A visit is a ticket plus the cases accepted during it ("at most one trip" is measured from it).
    CREATE TABLE visit_case (
      ticket_id TEXT NOT NULL REFERENCES ticket (id),
      case_id   TEXT NOT NULL REFERENCES case_file (id),
      linked_at TEXT NOT NULL,
      PRIMARY KEY (ticket_id, case_id)
    ) STRICT;

    -- Asked for when a service ends; the evaluator of that window shows it until rated or superseded.
    CREATE TABLE evaluation_request (
      ticket_id    TEXT PRIMARY KEY REFERENCES ticket (id),
      window_no    INTEGER NOT NULL,
      operator_id  TEXT NOT NULL,
      requested_at TEXT NOT NULL,
      open         INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1))
    ) STRICT;
    CREATE INDEX evaluation_open ON evaluation_request (window_no) WHERE open = 1;

    -- One rating per visit, append-only.
    CREATE TABLE rating (
      id              TEXT PRIMARY KEY,
      ticket_id       TEXT NOT NULL UNIQUE REFERENCES ticket (id),
      level           TEXT NOT NULL CHECK (level IN ('very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied')),
      dimensions_json TEXT NOT NULL,
      comment         TEXT,
      source          TEXT NOT NULL CHECK (source IN ('device', 'paper')),
      entered_by      TEXT,
      window_no       INTEGER,
      operator_id     TEXT,
      at              TEXT NOT NULL
    ) STRICT;
    CREATE INDEX rating_at ON rating (at);
    CREATE TRIGGER rating_append_only_u BEFORE UPDATE ON rating BEGIN SELECT RAISE(ABORT, 'rating is append-only'); END;
    CREATE TRIGGER rating_append_only_d BEFORE DELETE ON rating BEGIN SELECT RAISE(ABORT, 'rating is append-only'); END;

    -- A bad review's follow-up (整改回访), due within 15 working days.
    CREATE TABLE follow_up (
      id         TEXT PRIMARY KEY,
      rating_id  TEXT NOT NULL UNIQUE REFERENCES rating (id),
      due_date   TEXT NOT NULL,
      status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      note       TEXT,
      closed_by  TEXT,
      closed_at  TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX follow_up_status ON follow_up (status, due_date);

    -- The key a hall device (kiosk, display, evaluator) pairs with; shown to the admin.
    CREATE TABLE hall_device_key (
      kind       TEXT PRIMARY KEY CHECK (kind IN ('kiosk', 'display', 'evaluator')),
      key        TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    -- Generated here so every installation has its own from the start; the admin can rotate them.
    INSERT INTO hall_device_key (kind, key, created_at)
      SELECT kind, lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
      FROM (SELECT 'kiosk' AS kind UNION ALL SELECT 'display' UNION ALL SELECT 'evaluator');
  `,
};
