import type { Migration } from '../migrate';

/**
 * The counter: registry of insured persons and employers, cases with their event
 * history, per-day case numbering, and the documents (receipts, notices) they produce.
 */
export const m0002Counter: Migration = {
  version: 2,
  name: 'counter',
  sql: `
    CREATE TABLE employer (
      id             TEXT PRIMARY KEY,
      credit_code    TEXT NOT NULL UNIQUE,
      name           TEXT NOT NULL,
      name_initials  TEXT NOT NULL,
      legal_rep      TEXT,
      phone          TEXT,
      address        TEXT,
      risk_class     INTEGER CHECK (risk_class BETWEEN 1 AND 8),
      version        INTEGER NOT NULL DEFAULT 1,
      field_versions TEXT NOT NULL DEFAULT '{}',
      created_at     TEXT NOT NULL,
      updated_at     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX employer_name ON employer (name);
    CREATE INDEX employer_initials ON employer (name_initials);

    CREATE TABLE person (
      id             TEXT PRIMARY KEY,
      id_number      TEXT NOT NULL UNIQUE,
      id_kind        TEXT NOT NULL,
      name           TEXT NOT NULL,
      name_initials  TEXT NOT NULL,
      sex            TEXT CHECK (sex IN ('male', 'female')),
      birth_date     TEXT,
      phone          TEXT,
      address        TEXT,
      card_number    TEXT,
      employer_id    TEXT REFERENCES employer (id),
      version        INTEGER NOT NULL DEFAULT 1,
      -- version at which each field last changed: a patch based on an older version conflicts only on those fields
      field_versions TEXT NOT NULL DEFAULT '{}',
      created_at     TEXT NOT NULL,
      updated_at     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX person_name ON person (name);
    CREATE INDEX person_initials ON person (name_initials);
    CREATE INDEX person_phone ON person (phone) WHERE phone IS NOT NULL;
    CREATE UNIQUE INDEX person_card ON person (card_number) WHERE card_number IS NOT NULL;
    CREATE INDEX person_employer ON person (employer_id) WHERE employer_id IS NOT NULL;

    -- Station-scoped human case numbers: one counter per business date.
    CREATE TABLE case_counter (
      business_date TEXT PRIMARY KEY,
      last_seq      INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE case_file (
      id             TEXT PRIMARY KEY,
      case_no        TEXT NOT NULL UNIQUE,
      business_date  TEXT NOT NULL,
      item_code      TEXT NOT NULL,
      sub_item_code  TEXT NOT NULL,
      sub_item_name  TEXT NOT NULL,
      person_id      TEXT REFERENCES person (id),
      employer_id    TEXT REFERENCES employer (id),
      status         TEXT NOT NULL,
      review_level   INTEGER NOT NULL CHECK (review_level IN (1, 2, 3)),
      accepted_by    TEXT NOT NULL,
      reviewed_by    TEXT NOT NULL,
      accepted_at    TEXT NOT NULL,
      accepted_window INTEGER,
      promised_date  TEXT,
      form_json      TEXT NOT NULL,
      materials_json TEXT NOT NULL,
      amounts_json   TEXT,
      last_reason    TEXT,
      version        INTEGER NOT NULL DEFAULT 1,
      updated_at     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX case_status ON case_file (status, accepted_at);
    CREATE INDEX case_person ON case_file (person_id, accepted_at) WHERE person_id IS NOT NULL;
    CREATE INDEX case_employer ON case_file (employer_id, accepted_at) WHERE employer_id IS NOT NULL;

    -- Append-only history of every transition.
    CREATE TABLE case_event (
      id          TEXT PRIMARY KEY,
      case_id     TEXT NOT NULL REFERENCES case_file (id),
      seq         INTEGER NOT NULL,
      action      TEXT NOT NULL,
      from_status TEXT NOT NULL,
      to_status   TEXT NOT NULL,
      operator_id TEXT NOT NULL,
      window_no   INTEGER,
      reason      TEXT,
      at          TEXT NOT NULL,
      UNIQUE (case_id, seq)
    ) STRICT;

    -- Documents handed to printing: the model the UI previews and the printer renders.
    CREATE TABLE document (
      id          TEXT PRIMARY KEY,
      kind        TEXT NOT NULL,
      title       TEXT NOT NULL,
      case_id     TEXT REFERENCES case_file (id),
      person_id   TEXT REFERENCES person (id),
      model_json  TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      operator_id TEXT
    ) STRICT;
    CREATE INDEX document_case ON document (case_id) WHERE case_id IS NOT NULL;
    CREATE INDEX document_person ON document (person_id, created_at) WHERE person_id IS NOT NULL;
  `,
};
