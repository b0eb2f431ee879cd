import type { Database } from 'better-sqlite3';
import type { StationKind, OpEnvelope, StreamName } from '#shared/sync/protocol';
import { shiftOutbox } from './outbox-shift';

/** Reads and writes of the sync tables (migration 0006) and of the outbox as the engine sees it. */

export interface SyncDeviceRow {
  device_id: string;
  central_url: string;
  public_key: string;
  station_code: string;
  station_name: string;
  region_code: string;
  station_kind: StationKind;
  clock_offset_ms: number;
  enrolled_at: string;
  last_sync_at: string | null;
}

export interface CursorRow {
  stream: StreamName;
  cursor: number;
  count: number;
  checksum: number;
}

interface OutboxRow {
  seq: number;
  op_id: string;
  type: string;
  payload: string;
  created_at: string;
  operator_id: string | null;
  window_no: number | null;
}

const START: Omit<CursorRow, 'stream'> = { cursor: 0, count: 0, checksum: 0 };

/** Per store, whoever must know that a pulled page stored reference versions (see onReferenceApplied). */
const referenceListeners = new WeakMap<Database, Set<() => void>>();

/**
 * Calls `listener` inside the transaction of every pulled page that stored reference versions, after its changes: a
 * cache of versions is dropped before anything reads it again, and whatever takes a version into use (the hall's
 * ticket categories) does so atomically with the page.
 */
export function onReferenceApplied(db: Database, listener: () => void): () => void {
  const listeners = referenceListeners.get(db) ?? new Set();
  referenceListeners.set(db, listeners);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function syncStore(db: Database) {
  const device = db.prepare<[], SyncDeviceRow>('SELECT * FROM sync_device WHERE id = 1');
  const insertDevice = db.prepare(
    `INSERT INTO sync_device (id, device_id, central_url, public_key, station_code, station_name, region_code, station_kind, clock_offset_ms, enrolled_at)
     VALUES (1, @device_id, @central_url, @public_key, @station_code, @station_name, @region_code, @station_kind, @clock_offset_ms, @enrolled_at)`,
  );
  const setOffset = db.prepare<[number]>('UPDATE sync_device SET clock_offset_ms = ? WHERE id = 1');
  const setSynced = db.prepare<[string, number]>('UPDATE sync_device SET last_sync_at = ?, clock_offset_ms = ? WHERE id = 1');
  const cursor = db.prepare<[StreamName], CursorRow>('SELECT * FROM sync_cursor WHERE stream = ?');
  const putCursor = db.prepare(
    `INSERT INTO sync_cursor (stream, cursor, count, checksum) VALUES (@stream, @cursor, @count, @checksum)
     ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor, count = excluded.count, checksum = excluded.checksum`,
  );
  const pendingCount = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE pushed_at IS NULL');
  const firstPending = db.prepare<[], { seq: number }>('SELECT MIN(seq) AS seq FROM outbox WHERE pushed_at IS NULL');
  const outboxFrom = db.prepare<[number, number], OutboxRow>(
    'SELECT seq, op_id, type, payload, created_at, operator_id, window_no FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?',
  );
  const markPushed = db.prepare<[string, number]>('UPDATE outbox SET pushed_at = ? WHERE seq <= ? AND pushed_at IS NULL');
  const outboxOp = db.prepare<
    [string],
    { seq: number; type: string; payload: string; operator_id: string | null; window_no: number | null }
  >('SELECT seq, type, payload, operator_id, window_no FROM outbox WHERE op_id = ?');

  return {
    device: (): SyncDeviceRow | undefined => device.get(),
    enrol: (row: Omit<SyncDeviceRow, 'last_sync_at'>) => {
      insertDevice.run(row);
      // A new identity reads both streams from the start.
      (['station', 'reference'] as const).forEach((stream) => putCursor.run({ stream, ...START }));
    },
    /** Drops the enrolment and the cursors; what was received stays (it is the central office's data all the same). */
    forget: () => {
      db.prepare('DELETE FROM sync_device').run();
      db.prepare('DELETE FROM sync_cursor').run();
    },
    setClockOffset: (ms: number) => setOffset.run(Math.round(ms)),
    recordSuccess: (at: string, offsetMs: number) => setSynced.run(at, Math.round(offsetMs)),

    cursor: (stream: StreamName): CursorRow => cursor.get(stream) ?? { stream, ...START },
    putCursor: (row: CursorRow) => putCursor.run(row),
    resetCursor: (stream: StreamName) => putCursor.run({ stream, ...START }),

    pendingCount: () => pendingCount.get()!.n,
    /**
     * After a restore from backup this PC may have written new operations under sequence numbers the central office
     * already holds (from operations written after the backup, lost with the disk): moves the unacknowledged tail of
     * the outbox from `from` on to start at `to`, keeping each operation's id, order and payload. False when an
     * operation in that tail was acknowledged already (then the disagreement is real, and not ours to fix).
     */
    resequence: db.transaction((from: number, to: number): boolean => {
      const acknowledged = db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE seq >= ? AND pushed_at IS NOT NULL');
      if (acknowledged.get(from)!.n > 0 || to <= from) return false;
      shiftOutbox(db, from, to - from);
      return true;
    }),
    /** Where the next push starts: the first operation not yet acknowledged by the central office. */
    firstPendingSeq: (): number | null => firstPending.get()?.seq ?? null,
    /** Outbox operations from `seq` on, as pushed (rows are kept after pushing, so any of them can be resent). */
    envelopesFrom: (seq: number, limit: number): OpEnvelope[] =>
      outboxFrom.all(seq, limit).map((r) => ({
        seq: r.seq,
        opId: r.op_id,
        type: r.type,
        payload: JSON.parse(r.payload) as unknown,
        createdAt: r.created_at,
        actor: { operatorId: r.operator_id, windowNo: r.window_no },
      })),
    markPushedThrough: (seq: number, at: string) => markPushed.run(at, seq),
    /** One of this device's own operations, by id (null when the operation is another device's). */
    ownOperation: (opId: string) => outboxOp.get(opId) ?? null,
    /** Tells the onReferenceApplied listeners, from inside the page's transaction. */
    referenceApplied: () => referenceListeners.get(db)?.forEach((listener) => listener()),
  };
}
export type SyncStore = ReturnType<typeof syncStore>;
