import type { Kysely } from 'kysely';
import type { OpEnvelope, OpResult, PushRequest, PushResponse } from '#shared/sync/protocol';
import { consumeNonce, type AuthenticatedDevice } from '../auth/device-auth';
import { sha256Hex } from '../crypto';
import type { DB, OpLogTable } from '../db/schema';
import type { Store } from '../db/store';
import { SyncError } from '../http/errors';
import type { Metrics } from '../metrics';
import { applyOperations, OpIdClash, prepare, type Known } from '../ops/apply-ops';
import type { Outcome } from '../ops/handler';

export interface PushDeps {
  store: Store;
  now: () => Date;
  newId: () => string;
  metrics: Metrics;
}

const toResult = (op: OpEnvelope, o: Outcome): OpResult =>
  o.outcome === 'applied'
    ? { seq: op.seq, opId: op.opId, outcome: 'applied' }
    : o.outcome === 'refused'
      ? { seq: op.seq, opId: op.opId, outcome: 'refused', code: o.code, message: o.message, ...(o.reason ? { reason: o.reason } : {}) }
      : { seq: op.seq, opId: op.opId, outcome: 'conflicted', conflicts: o.conflicts };

/** An op log row as far as a push needs it: to repeat its result, or to recognise it when another device sends it. */
type Held = Pick<
  OpLogTable,
  'op_id' | 'device_id' | 'seq' | 'station_code' | 'type' | 'payload' | 'outcome' | 'code' | 'reason' | 'message' | 'conflicts'
>;
const HELD_COLUMNS = [
  'op_id',
  'device_id',
  'seq',
  'station_code',
  'type',
  'payload',
  'outcome',
  'code',
  'reason',
  'message',
  'conflicts',
] as const;

/** The result recorded in `row`, answered for `op`; `alreadyHeld` when the row is another device's. */
const recorded = (op: OpEnvelope, row: Held, alreadyHeld: boolean): OpResult => ({
  seq: op.seq,
  opId: op.opId,
  outcome: row.outcome,
  ...(row.code ? { code: row.code as OpResult['code'] } : {}),
  ...(row.reason ? { reason: row.reason } : {}),
  ...(row.message ? { message: row.message } : {}),
  ...(row.conflicts ? { conflicts: JSON.parse(row.conflicts) as OpResult['conflicts'] } : {}),
  ...(alreadyHeld ? { alreadyHeld: true as const } : {}),
});

/**
 * JSON text with every object's keys in sorted order, so equal values give equal texts whatever order their keys
 * came in. Built as text, never as an object: a key such as `__proto__` stays a key.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const payloadHash = (payload: unknown): string => sha256Hex(canonicalJson(payload));

/**
 * Whether `row` records `op` as another device of the same station sent it before: a PC enrolled anew (its key was
 * lost with its disk) pushing its restored outbox. The op log keeps the payload as the JSON text of what arrived, so
 * it is parsed and hashed in canonical form, like the payload sent now.
 */
function sentByAnotherDevice(row: Held, op: OpEnvelope, auth: AuthenticatedDevice): boolean {
  return (
    row.device_id !== auth.device.id &&
    row.station_code === auth.station.code &&
    row.type === op.type &&
    payloadHash(JSON.parse(row.payload)) === payloadHash(op.payload)
  );
}

async function heldByOpId(db: Kysely<DB>, ops: readonly OpEnvelope[]): Promise<Map<string, Held>> {
  const rows = await db
    .selectFrom('op_log')
    .select(HELD_COLUMNS)
    .where(
      'op_id',
      'in',
      ops.map((op) => op.opId),
    )
    .execute();
  return new Map(rows.map((r) => [r.op_id, r]));
}

/**
 * The recorded results of operations applied by an earlier request: a resend gets the answer it lost. A number this
 * device passed over (an operation another device of the station had sent) holds no row of its own.
 */
async function recordedResults(db: Kysely<DB>, auth: AuthenticatedDevice, ops: readonly OpEnvelope[], last: number): Promise<OpResult[]> {
  const rows = await db
    .selectFrom('op_log')
    .select(HELD_COLUMNS)
    .where('device_id', '=', auth.device.id)
    .where('seq', '>=', ops[0]!.seq)
    .where('seq', '<=', ops.at(-1)!.seq)
    .orderBy('seq')
    .execute();
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  const passedOver = ops.filter((op) => !bySeq.has(op.seq));
  const elsewhere = passedOver.length > 0 ? await heldByOpId(db, passedOver) : new Map<string, Held>();
  return ops.map((op) => {
    const own = bySeq.get(op.seq);
    if (own?.op_id === op.opId) return recorded(op, own, false);
    const other = own ? undefined : elsewhere.get(op.opId);
    if (other && sentByAnotherDevice(other, op, auth)) return recorded(op, other, true);
    // lastAppliedSeq lets a restored device that wrote new operations under used numbers continue after them.
    throw new SyncError('SEQUENCE_MISMATCH', { seq: op.seq, lastAppliedSeq: last });
  });
}

/** Attempts at a push whose operation ids clash with held ones: each learns which the station had sent already. */
const MAX_ATTEMPTS = 3;

/**
 * Applies one push in one transaction: the nonce, the device's sequence, every operation's effect, the change log,
 * the op log and the device's new last sequence commit together or not at all. Operations the device has already
 * had applied are skipped (their recorded results are repeated); a batch that does not start right after the last
 * applied sequence is refused with the sequence expected. An operation another device of the same station sent
 * before, same type and payload, is not applied again: its recorded result is repeated (`alreadyHeld`) and the
 * device's sequence moves past it. Any other operation id the server holds refuses the batch (DUPLICATE_OP_ID).
 */
export async function applyPush(deps: PushDeps, auth: AuthenticatedDevice, request: PushRequest): Promise<PushResponse> {
  const prepared = request.ops.map(prepare);
  const { store } = deps;
  const deviceId = auth.device.id;
  // Learnt only after a clash, so the usual push pays no lookup for what is rare.
  const sentBefore = new Map<string, Held>();

  const attempt = () =>
    store.transaction(async (db) => {
      await consumeNonce(db, auth);
      const { last_seq: last } = await store
        .forUpdate(db.selectFrom('device').select('last_seq').where('id', '=', deviceId))
        .executeTakeFirstOrThrow();
      const pending = prepared.filter((p) => p.op.seq > last);
      if (pending.length > 0 && pending[0]!.op.seq !== last + 1) {
        throw new SyncError(
          'SEQUENCE_GAP',
          { expectedSeq: last + 1, lastAppliedSeq: last },
          `上传序号不连续：中心已收到第${last}号，期望从第${last + 1}号开始`,
        );
      }
      const done = request.ops.filter((op) => op.seq <= last);
      const earlier = done.length > 0 ? await recordedResults(db, auth, done, last) : [];
      if (pending.length === 0) return { lastAppliedSeq: last, results: earlier, outcomes: [] as Outcome[] };

      const known: Known[] = [];
      for (const p of pending) {
        if (!p.known) {
          const { seq, type } = p.op;
          throw new SyncError(
            'UNKNOWN_OPERATION_TYPE',
            { seq, type, expectedSeq: last + 1, lastAppliedSeq: last },
            `中心无法识别操作类型“${type}”（第${seq}号），请升级中心服务后再同步；本批未作任何处理`,
          );
        }
        known.push(p);
      }

      const now = deps.now().toISOString();
      const fresh = known.filter((p) => !sentBefore.has(p.op.opId));
      const outcomes =
        fresh.length > 0 ? await applyOperations(store, db, { deviceId, station: auth.station }, fresh, now, deps.newId) : [];
      const lastAppliedSeq = pending.at(-1)!.op.seq;
      await db.updateTable('device').set({ last_seq: lastAppliedSeq, last_seen_at: now }).where('id', '=', deviceId).execute();
      let next = 0;
      const results = known.map((p) => {
        const held = sentBefore.get(p.op.opId);
        return held ? recorded(p.op, held, true) : toResult(p.op, outcomes[next++]!);
      });
      return { lastAppliedSeq, results: [...earlier, ...results], outcomes };
    });

  // A clash on the op log's unique op id undoes the attempt; the next one passes over what the station had sent.
  const settle = async (round: number): ReturnType<typeof attempt> => {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof OpIdClash)) throw err;
      const held = await heldByOpId(store.reader, request.ops);
      for (const op of request.ops) {
        const row = held.get(op.opId);
        // Not held, or this device's own at this very number (applied before: repeated, not clashing).
        if (!row || (row.device_id === deviceId && row.seq === op.seq)) continue;
        if (!sentByAnotherDevice(row, op, auth)) throw new SyncError('DUPLICATE_OP_ID', { seq: op.seq });
        sentBefore.set(op.opId, row);
      }
      if (round >= MAX_ATTEMPTS) throw new SyncError('DUPLICATE_OP_ID', {});
      return settle(round + 1);
    }
  };
  const answer = await settle(1);

  deps.metrics.opsSkipped += answer.results.length - answer.outcomes.length;
  deps.metrics.countOutcomes(answer.outcomes.map((o) => o.outcome));
  return { lastAppliedSeq: answer.lastAppliedSeq, results: answer.results, serverTime: deps.now().toISOString() };
}
