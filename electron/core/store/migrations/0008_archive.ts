import type { Migration } from '../migrate';

/**
 * The electronic archive: material pages (材料影像), each stored file once by its SHA-256 (the bytes live under
 * <dataDir>/pages), the pages of a case per material and in order (a removed page keeps its row, marked, for the audit
 * trail), and the archive volume of each filed case.
 */
export const m0008Archive: Migration = {
  version: 8,
  name: 'archive',
  sql: `
    CREATE TABLE page_blob (
      sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
      mime       TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'application/pdf')),
      size       INTEGER NOT NULL CHECK (size > 0),
      width      INTEGER,
      height     INTEGER,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE case_page (
      id            TEXT PRIMARY KEY,
      case_id       TEXT NOT NULL REFERENCES case_file (id),
      material_code TEXT NOT NULL,
      seq           INTEGER NOT NULL,
      sha256        TEXT NOT NULL REFERENCES page_blob (sha256),
      name          TEXT NOT NULL,
      attached_by   TEXT NOT NULL,
      attached_at   TEXT NOT NULL,
      -- 1 for a page added after its archive was sealed: an audited supplement, outside the sealed catalogue
      supplement    INTEGER NOT NULL DEFAULT 0 CHECK (supplement IN (0, 1)),
      removed_by    TEXT,
      removed_at    TEXT
    ) STRICT;
    CREATE INDEX case_page_case ON case_page (case_id, material_code, seq);
    -- 归档: one volume per delivered case, with its catalogue (卷内目录) document; sealed (封存) once, for good.
    CREATE TABLE archive_volume (
      case_id     TEXT PRIMARY KEY REFERENCES case_file (id),
      document_id TEXT NOT NULL REFERENCES document (id),
      filed_by    TEXT NOT NULL,
      filed_at    TEXT NOT NULL,
      sealed_by   TEXT,
      sealed_at   TEXT
    ) STRICT;
    CREATE INDEX archive_volume_filed ON archive_volume (filed_at);
  `,
};
