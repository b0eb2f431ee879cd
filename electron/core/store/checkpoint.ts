import type { Database } from 'better-sqlite3';

/**
 * Moves WAL checkpoints off the command path. SQLite's automatic checkpoint runs inside
 * whichever commit crosses 1,000 WAL pages, adding a copy and an fsync of the database
 * file to that command (2–6 ms, about one acceptance in forty). Here it runs on a timer
 * between commands instead. Durability is unchanged: with synchronous=FULL a commit is
 * safe once its WAL frames are synced; the checkpoint only folds them into the main file.
 */
export function startCheckpointer(db: Database, intervalMs = 1000): { stop(): void } {
  db.pragma('wal_autocheckpoint = 0');
  const timer = setInterval(() => {
    if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
