import type { Database } from 'better-sqlite3';

/**
 * Operations of this device the central office has not acknowledged yet that touch one record. A pulled change to
 * such a record must not simply overwrite it: the local change would vanish from the screen until the central office
 * applies (or refuses) it.
 */
export function pendingOps(db: Database) {
  const stmt = db.prepare<[string, string, string, string, string], { type: string; payload: string }>(
    `SELECT type, payload FROM outbox
      WHERE pushed_at IS NULL AND ((type = ? AND json_extract(payload, '$.id') = ?) OR (type = ? AND json_extract(payload, ?) = ?))
      ORDER BY seq`,
  );
  /** `created`/`changed`: the operation types that create and change the record; `key`: the payload field naming it. */
  return (created: string, changed: string, key: string, id: string) =>
    stmt
      .all(created, id, changed, `$.${key}`, id)
      .map((r) => ({ type: r.type, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}
export type PendingOps = ReturnType<typeof pendingOps>;
