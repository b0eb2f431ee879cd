import type { Migration } from '../migrate';

/**
 * File sync of material pages (docs/sync-engine.md, "File sync"): one row per stored file (page_blob), written with
 * it: whether the central office holds it, how many bytes of an interrupted upload it confirmed, the last problem, and
 * whether the local copy failed its hash (then it is never uploaded, and is fetched back from the central office when
 * that has it). The last indexes find the `case.page_attached` operations and the pages still in place that name a
 * file: a file travels only once one of those operations has been acknowledged, and only while a page holds it.
 */
export const m0009FileSync: Migration = {
  version: 9,
  name: 'file_sync',
  sql: `
    CREATE TABLE page_upload (
      sha256          TEXT PRIMARY KEY REFERENCES page_blob (sha256),
      -- bytes of the file the central office last confirmed holding (it says where to resume; this is for the counts)
      confirmed_bytes INTEGER NOT NULL DEFAULT 0 CHECK (confirmed_bytes >= 0),
      last_error      TEXT,
      -- the central office holds the whole file, verified: it is never sent again
      stored_at       TEXT,
      -- the local file was missing or failed its hash: never uploaded, fetched from the central office if it can be
      damaged_at      TEXT,
      repaired_at     TEXT,
      updated_at      TEXT NOT NULL
    ) STRICT;
    INSERT INTO page_upload (sha256, updated_at) SELECT sha256, created_at FROM page_blob;
    CREATE INDEX page_upload_pending ON page_upload (sha256) WHERE stored_at IS NULL;
    CREATE INDEX page_upload_damaged ON page_upload (sha256) WHERE damaged_at IS NOT NULL;
    CREATE INDEX outbox_page_file ON outbox (json_extract(payload, '$.sha256')) WHERE type = 'case.page_attached';
    CREATE INDEX case_page_file ON case_page (sha256) WHERE removed_at IS NULL;
  `,
};
