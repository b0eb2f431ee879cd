import type { Kysely } from 'kysely';
import { isOperationType, OPERATION_SCHEMAS } from '#shared/sync/operations';
import { printable, type OpEnvelope } from '#shared/sync/protocol';
import { appendChanges, change } from '../changes/append';
import { insertRows } from '../db/bulk';
import type { DB, OpLogTable, StationRow } from '../db/schema';
import { violatesUnique, type Store } from '../db/store';
import { refuse, type OpContext, type OpHandler, type Outcome } from './handler';
import { HANDLERS } from './index';
import { Needs, WorkingSet } from './working-set';

/**
 * Applying operations, whoever made them: a device's push (push/apply.ts) and a decision taken on the review page
 * (review/decide.ts) go through here, so the state machine, separation of duties and scope are checked in one place.
 */

/** Who the operations come from: the op log records them under this device of this station. */
export interface Origin {
  deviceId: string;
  station: StationRow;
}

/** An operation with its payload checked against its type's schema (done before the transaction). */
export type Prepared =
  | { op: OpEnvelope; known: false }
  | { op: OpEnvelope; known: true; handler: OpHandler<unknown>; payload: { ok: true; value: unknown } | { ok: false; outcome: Outcome } };
export type Known = Extract<Prepared, { known: true }>;

export function prepare(op: OpEnvelope): Prepared {
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

/**
 * Applies `ops` in order inside the caller's transaction: loads (and on PostgreSQL locks) the rows they need, runs
 * each handler on them, makes every refusal a visible record in the origin station's stream, then writes the rows,
 * the change log and the op log. Returns each operation's outcome.
 */
export async function applyOperations(
  store: Store,
  db: Kysely<DB>,
  origin: Origin,
  ops: readonly Known[],
  now: string,
  newId: () => string,
): Promise<Outcome[]> {
  const needs = new Needs();
  for (const p of ops) {
    if (p.op.actor.operatorId) needs.operators.add(p.op.actor.operatorId);
    if (p.payload.ok) p.handler.needs?.(p.payload.value, needs);
  }
  const ws = await WorkingSet.load(store, db, needs, origin.station);
  const outcomes = ops.map((p) => {
    const ctx: OpContext = { op: p.op, deviceId: origin.deviceId, station: origin.station, now, newId };
    const outcome = p.payload.ok ? p.handler.apply(p.payload.value, ctx, ws) : p.payload.outcome;
    // A refusal is a visible record for the station's operators, never a silent drop.
    if (outcome.outcome === 'refused') {
      const { opId, seq, type } = p.op;
      ws.emit(
        change('station', origin.station.code, 'refusal', opId, {
          opId,
          deviceId: origin.deviceId,
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
  await insertOpLog(store, db, origin, ops, outcomes, now);
  return outcomes;
}

const OP_LOG_COLUMNS = {
  op_id: 'text',
  device_id: 'text',
  seq: 'bigint',
  station_code: 'text',
  type: 'text',
  payload: 'json',
  operator_id: 'text',
  window_no: 'integer',
  device_at: 'text',
  received_at: 'text',
  outcome: 'text',
  code: 'text',
  reason: 'text',
  message: 'text',
  conflicts: 'json',
} as const;

async function insertOpLog(
  store: Store,
  db: Kysely<DB>,
  origin: Origin,
  ops: readonly { op: OpEnvelope }[],
  outcomes: readonly Outcome[],
  now: string,
) {
  const rows: OpLogTable[] = ops.map(({ op }, i) => {
    const o = outcomes[i]!;
    return {
      op_id: op.opId,
      device_id: origin.deviceId,
      seq: op.seq,
      station_code: origin.station.code,
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
  try {
    await insertRows(db, store.backend, 'op_log', OP_LOG_COLUMNS, rows);
  } catch (err) {
    // An op_id the server already holds under another sequence: the batch is refused whole, rather than stored twice.
    if (violatesUnique(err, 'op_log', 'op_id')) throw new OpIdClash();
    throw err;
  }
}

/**
 * Thrown inside the transaction when an operation id of the batch is already in the op log: the transaction is undone
 * (on PostgreSQL it cannot go on after the failed insert), then the caller looks up which one (push/apply.ts).
 */
export class OpIdClash extends Error {
  constructor() {
    super('an operation id of the batch is already held');
    this.name = 'OpIdClash';
  }
}
