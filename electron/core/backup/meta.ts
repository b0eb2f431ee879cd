import type { Database } from 'better-sqlite3';

/** Backup bookkeeping lives in the store's `meta` table as JSON, so it travels with the store (and its backups). */
export function readMeta<T>(db: Database, key: string, fallback: T): T {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
  return row ? (JSON.parse(row.value) as T) : fallback;
}

/** Written inside a command's transaction, together with its audit entry. */
export function writeMeta(db: Database, key: string, value: unknown): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(value),
  );
}

/** Where the store came from when it was last restored: shown on the backup page. */
export const LAST_RESTORE = 'backup.lastRestore';
