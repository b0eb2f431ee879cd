import type { Kysely } from 'kysely';
import type { OpEnvelope, OpResult, PushRequest, PushResponse } from '#shared/sync/protocol';
import { consumeNonce, type AuthenticatedDevice } from '../auth/device-auth';
import type { DB } from '../db/schema';
import type { Store } from '../db/store';
import { SyncError } from '../http/errors';
import type { Metrics } from '../metrics';
import { applyOperations, heldElsewhere, OpIdClash, prepare, type Known } from '../ops/apply-ops';
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

/** The recorded results of operations applied by an earlier request: a resend gets the answer it lost. */
async function recordedResults(db: Kysely<DB>, deviceId: string, ops: readonly OpEnvelope[], last: number): Promise<OpResult[]> {
  const rows = await db
    .selectFrom('op_log')
    .select(['seq', 'op_id', 'outcome', 'code', 'reason', 'message', 'conflicts'])
    .where('device_id', '=', deviceId)
    .where('seq', '>=', ops[0]!.seq)
    .where('seq', '<=', ops.at(-1)!.seq)
    .orderBy('seq')
    .execute();
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  return ops.map((op) => {
    const row = bySeq.get(op.seq);
    // lastAppliedSeq lets a restored device that wrote new operations under used numbers continue after them.
    if (!row || row.op_id !== op.opId) throw new SyncError('SEQUENCE_MISMATCH', { seq: op.seq, lastAppliedSeq: last });
    return {
      seq: op.seq,
      opId: op.opId,
      outcome: row.outcome,
      ...(row.code ? { code: row.code as OpResult['code'] } : {}),
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.message ? { message: row.message } : {}),
      ...(row.conflicts ? { conflicts: JSON.parse(row.conflicts) as OpResult['conflicts'] } : {}),
    };
  });
}

/**
 * Applies one push in one transaction: the nonce, the device's sequence, every operation's effect, the change log,
 * the op log and the device's new last sequence commit together or not at all. Operations the device has already
 * had applied are skipped (their recorded results are repeated); a batch that does not start right after the last
 * applied sequence is refused with the sequence expected.
 */
export async function applyPush(deps: PushDeps, auth: AuthenticatedDevice, request: PushRequest): Promise<PushResponse> {
  const prepared = request.ops.map(prepare);
  const { store } = deps;
  const deviceId = auth.device.id;

  const answer = await store
    .transaction(async (db) => {
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
      const earlier = done.length > 0 ? await recordedResults(db, deviceId, done, last) : [];
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
      const outcomes = await applyOperations(store, db, { deviceId, station: auth.station }, known, now, deps.newId);
      const lastAppliedSeq = pending.at(-1)!.op.seq;
      await db.updateTable('device').set({ last_seq: lastAppliedSeq, last_seen_at: now }).where('id', '=', deviceId).execute();
      return { lastAppliedSeq, results: [...earlier, ...pending.map((p, i) => toResult(p.op, outcomes[i]!))], outcomes };
    })
    .catch(async (err: unknown) => {
      if (!(err instanceof OpIdClash)) throw err;
      const seq = await heldElsewhere(store.reader, deviceId, err);
      throw new SyncError('DUPLICATE_OP_ID', seq === undefined ? {} : { seq });
    });

  deps.metrics.opsSkipped += answer.results.length - answer.outcomes.length;
  deps.metrics.countOutcomes(answer.outcomes.map((o) => o.outcome));
  return { lastAppliedSeq: answer.lastAppliedSeq, results: answer.results, serverTime: deps.now().toISOString() };
}
