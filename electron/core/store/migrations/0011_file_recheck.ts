import type { Migration } from '../migrate';

/**
 * The slow re-check of files the central office holds (docs/sync-engine.md, "File sync"): when it last confirmed
 * holding each stored file. The central office forgets a stored file that fails its hash and answers `missing` for
 * it from then on, so a file confirmed more than a day ago is asked about again, a few at a time, and sent again
 * when it is gone. Files stored before this version count as confirmed when they were stored.
 */
export const m0011FileRecheck: Migration = {
  version: 11,
  name: 'file_recheck',
  sql: `
    -- set with stored_at, moved on by each re-check that finds the file still held; NULL while not stored
    ALTER TABLE page_upload ADD COLUMN checked_at TEXT;
    UPDATE page_upload SET checked_at = stored_at WHERE stored_at IS NOT NULL;
    CREATE INDEX page_upload_recheck ON page_upload (checked_at) WHERE stored_at IS NOT NULL AND damaged_at IS NULL;
  `,
};
