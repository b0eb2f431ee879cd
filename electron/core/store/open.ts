import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate, type Migration } from './migrate';
import { MIGRATIONS } from './migrations/index';

/**
 * Opens (creating if needed) the station store: WAL so readers never block the writer,
 * synchronous=FULL so an acknowledged command survives a power cut, foreign keys on.
 */
export function openStore(file: string, migrations: readonly Migration[] = MIGRATIONS): Database {
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
