import type { Database } from 'better-sqlite3';

/** Far above any number an outbox reaches (and so is half of it): rows wait there while they move. */
const PARKED = 2 ** 50;

/** Stands for "every row" as the `from` of shiftOutbox: operations of a former identity sit at 0 and below. */
export const WHOLE_OUTBOX = Number.MIN_SAFE_INTEGER;

/**
 * Moves the outbox rows numbered `from` and above by `by` (up or down), keeping their ids, order and payloads. They
 * are parked far above every number first, so no two rows share a key at any moment, whatever order SQLite updates
 * them in. The caller makes sure the numbers they land on are free.
 */
export function shiftOutbox(db: Database, from: number, by: number): void {
  db.prepare(`UPDATE outbox SET seq = seq + ${PARKED} WHERE seq >= ?`).run(from);
  db.prepare(`UPDATE outbox SET seq = seq - ${PARKED} + ? WHERE seq >= ${PARKED / 2}`).run(by);
}
