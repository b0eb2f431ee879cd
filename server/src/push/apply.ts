import type { Kysely } from 'kysely';
import { isOperationType, OPERATION_SCHEMAS } from '#shared/sync/operations';
import { printable, type OpEnvelope, type OpResult, type PushRequest, type PushResponse } from '#shared/sync/protocol';
import { consumeNonce, type AuthenticatedDevice } from '../auth/device-auth';
import { appendChanges, change } from '../changes/append';
import type { DB, OpLogTable } from '../db/schema';
import { insertRows } from '../db/bulk';
import type { Store } from '../db/store';
import { SyncError } from '../http/errors';
import type { Metrics } from '../metrics';
import { HANDLERS } from '../ops';
import { refuse, type OpContext, type OpHandler, type Outcome } from '../ops/handler';
import { Needs, WorkingSet } from '../ops/working-set';

export interface PushDeps {
  store: Store;
  now: () => Date;
  newId: () => string;
  metrics: Metrics;
}

/** An operation of the batch with its payload checked against its type's schema (done before the transaction). */
type Prepared =
  | { op: OpEnvelope; known: false }
  | { op: OpEnvelope; known: true; handler: OpHandler<unknown>; payload: { ok: true; value: unknown } | { ok: false; outcome: Outcome } };

function prepare(op: OpEnvelope): Prepared {
  if (!isOperationType(op.type)) return { op, known: false };
  const handler = HANDLERS[op.type] as OpHandler<unknown>;
  const parsed = OPERATION_SCHEMAS[op.type].safeParse(op.payload);
  if (parsed.success) return { op, known: true, handler, payload: { ok: true, value: parsed.data } };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}：` : '';
  // Paths and messages can quote keys the device sent; they reach the op log and the station's screen.
  const detail = printable(`${where}${issue?.message ?? ''}`);
  const outcome = refuse('INVALID_PAYLOAD', `操作内容不符合“${op.type}”的格式：${detail}`);
  return { op, known: true, handler, payload: { ok: false, outcome } };
}

const toResult = (op: OpEnvelope, o: Outcome): OpResult =>
  o.outcome === 'applied'
    ? { seq: op.seq, opId: op.opId, outcome: 'applied' }
    : o.outcome === 'refused'
      ? { seq: op.seq, opId: op.opId, outcome: 'refused', code: o.code, message: o.message, ...(o.reason ? { reason: o.reason } : {}) }
      : { seq: op.seq, opId: op.opId, outcome: 'conflicted', conflicts: o.conflicts };

/** The recorded results of operations applied by an earlier request: a resend gets the answer it lost. */
async function recordedResults(db: Kysely<DB>, deviceId: string, ops: readonly OpEnvelope[]): Promise<OpResult[]> {
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
    if (!row || row.op_id !== op.opId) throw new SyncError('SEQUENCE_MISMATCH', { seq: op.seq });
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

  const answer = await store.transaction(async (db) => {
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
    const earlier = done.length > 0 ? await recordedResults(db, deviceId, done) : [];
    if (pending.length === 0) return { lastAppliedSeq: last, results: earlier, outcomes: [] as Outcome[] };

    const known: Extract<Prepared, { known: true }>[] = [];
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
    const needs = new Needs();
    for (const p of known) {
      if (p.op.actor.operatorId) needs.operators.add(p.op.actor.operatorId);
      if (p.payload.ok) p.handler.needs?.(p.payload.value, needs);
    }
    const ws = await WorkingSet.load(store, db, needs, auth.station);
    const outcomes = known.map((p) => {
      const ctx: OpContext = { op: p.op, device: auth.device, station: auth.station, now, newId: deps.newId };
      const outcome = p.payload.ok ? p.handler.apply(p.payload.value, ctx, ws) : p.payload.outcome;
      // A refusal is a visible record for the station's operators, never a silent drop.
      if (outcome.outcome === 'refused') {
        const { opId, seq, type } = p.op;
        ws.emit(
          change('station', auth.station.code, 'refusal', opId, {
            opId,
            deviceId,
            seq,
            type,
            code: outcome.code,
            reason: outcome.reason ?? null,
            message: outcome.message,
            at: now,
          }),
        );
      }
      return outcome;
    });
    await ws.flush(db, store.backend);
    await appendChanges(db, store.backend, ws.changes, now);
    await insertOpLog(store, db, auth, pending, outcomes, now);
    const lastAppliedSeq = pending.at(-1)!.op.seq;
    await db.updateTable('device').set({ last_seq: lastAppliedSeq, last_seen_at: now }).where('id', '=', deviceId).execute();
    return { lastAppliedSeq, results: [...earlier, ...pending.map((p, i) => toResult(p.op, outcomes[i]!))], outcomes };
  });

  deps.metrics.opsSkipped += answer.results.length - answer.outcomes.length;
  deps.metrics.countOutcomes(answer.outcomes.map((o) => o.outcome));
  return { lastAppliedSeq: answer.lastAppliedSeq, results: answer.results, serverTime: deps.now().toISOString() };
}

const OP_LOG_COLUMNS = {
  op_id: 'text',
  device_id: 'text',
  seq: 'bigint',
  station_code: 'text',
  type: 'text',
  payload: 'text',
  operator_id: 'text',
  window_no: 'integer',
  device_at: 'text',
  received_at: 'text',
  outcome: 'text',
  code: 'text',
  reason: 'text',
  message: 'text',
  conflicts: 'text',
} as const;

async function insertOpLog(
  store: Store,
  db: Kysely<DB>,
  auth: AuthenticatedDevice,
  pending: readonly { op: OpEnvelope }[],
  outcomes: readonly Outcome[],
  now: string,
) {
  const rows: OpLogTable[] = pending.map(({ op }, i) => {
    const o = outcomes[i]!;
    return {
      op_id: op.opId,
      device_id: auth.device.id,
      seq: op.seq,
      station_code: auth.station.code,
      type: op.type,
      payload: JSON.stringify(op.payload),
      operator_id: op.actor.operatorId,
      window_no: op.actor.windowNo,
      device_at: op.createdAt,
      received_at: now,
      outcome: o.outcome,
      code: o.outcome === 'refused' ? o.code : null,
      reason: o.outcome === 'refused' ? (o.reason ?? null) : null,
      message: o.outcome === 'refused' ? o.message : null,
      conflicts: o.outcome === 'conflicted' ? JSON.stringify(o.conflicts) : null,
    };
  });
  // An op_id the server already holds under another sequence: the batch is refused whole, rather than stored twice.
  const inserted = await insertRows(db, store.backend, 'op_log', OP_LOG_COLUMNS, rows, { columns: ['op_id'], update: [] });
  if (inserted !== rows.length) {
    const held = await db
      .selectFrom('op_log')
      .select(['op_id', 'device_id', 'seq'])
      .where(
        'op_id',
        'in',
        rows.map((r) => r.op_id),
      )
      .execute();
    const clash = rows.find((r) => held.some((h) => h.op_id === r.op_id && (h.device_id !== r.device_id || h.seq !== r.seq)));
    throw new SyncError('DUPLICATE_OP_ID', clash ? { seq: clash.seq } : {});
  }
}
