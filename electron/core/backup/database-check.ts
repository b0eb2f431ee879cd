import BetterSqlite3, { type Database } from 'better-sqlite3';
import { BackupFileError } from './backup-file';

/** Rows per table: what a backup promises to contain, checked on verification and restore. */
export function countRows(db: Database): Record<string, number> {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all();
  return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/** Opens a plain database file read-only and proves it whole: integrity check and the promised row counts. */
export function checkDatabaseFile(file: string, expected?: Record<string, number>): Record<string, number> {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new BackupFileError(`数据库完整性检查未通过：${String(integrity)}`, 'tampered');
    const counts = countRows(db);
    if (expected && JSON.stringify(counts) !== JSON.stringify(expected))
      throw new BackupFileError('备份中的记录数与备份时不一致', 'tampered');
    return counts;
  } finally {
    db.close();
  }
}
