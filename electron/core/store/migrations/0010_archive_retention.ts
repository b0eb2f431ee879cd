import type { Migration } from '../migrate';

/**
 * Archive retention (保管期限): the station's own table per catalogue sub-item, holding only what the administrator
 * changed from the shipped defaults (archive/retention.ts), and on each volume the retention in force when it was filed.
 * Volumes filed before this version have none recorded and count as 永久: nothing becomes due for appraisal unasked.
 */
export const m0010ArchiveRetention: Migration = {
  version: 10,
  name: 'archive_retention',
  sql: `
    CREATE TABLE archive_retention (
      sub_item_code TEXT PRIMARY KEY,
      -- NULL: 永久
      years         INTEGER CHECK (years IS NULL OR years BETWEEN 1 AND 100),
      updated_by    TEXT NOT NULL,
      updated_at    TEXT NOT NULL
    ) STRICT;
    ALTER TABLE archive_volume ADD COLUMN retention_years INTEGER CHECK (retention_years IS NULL OR retention_years BETWEEN 1 AND 100);
    -- the last year of retention (the filing year in the station's zone plus the years); NULL for 永久
    ALTER TABLE archive_volume ADD COLUMN retention_until INTEGER;
    -- the hourly auto-seal check reads the unsealed volumes by filing time
    CREATE INDEX archive_volume_unsealed ON archive_volume (filed_at) WHERE sealed_at IS NULL;
  `,
};
