import { applyCaseAction, type CaseAction } from '#shared/domain/cases/state-machine';
import type { OpEnvelope } from '#shared/sync/protocol';
import type { CaseRow, StationRow } from '../db/schema';
import type { Store } from '../db/store';
import { applyOperations, OpIdClash, prepare, type Origin } from '../ops/apply-ops';
import { actorOf, snapshotOf } from '../ops/cases';
import type { Outcome } from '../ops/handler';
import type { ReviewSession } from './session';

/**
 * A decision taken on the review page is a `case.intent` operation applied exactly as a pushed one (ops/apply-ops.ts):
 * the same state machine, separation of duties and scope checks, the same change to the case's station stream, and a
 * row in the op log. The page is recorded there as a device of the operator's central station, `review:<code>`, with
 * its own gap-free sequence.
 */

export const BACK_OFFICE_ACTIONS = ['pass_review', 'approve', 'return_for_materials', 'reject'] as const;
export type BackOfficeAction = (typeof BACK_OFFICE_ACTIONS)[number];
/** Actions that send the case back to the station or end it: the reason is printed for the applicant. */
export const NEEDS_REASON: ReadonlySet<BackOfficeAction> = new Set(['reject', 'return_for_materials']);

export const reviewPageOrigin = (station: StationRow): Origin => ({ deviceId: `review:${station.code}`, station });

export type DecisionResult =
  | { kind: 'decided'; outcome: Outcome }
  /** The form was submitted before (same operation id): nothing applied again. */
  | { kind: 'repeated'; outcome: Outcome['outcome'] };

/**
 * Applies `action` by the session's operator to `row` (as the page showed it). An approval is followed by
 * `mark_ready`, as at the station, so the case reaches the window that hands out the result.
 */
export async function decide(
  store: Store,
  session: ReviewSession,
  row: CaseRow,
  input: { action: BackOfficeAction; reason: string | null; opId: string },
  now: Date,
  newId: () => string,
): Promise<DecisionResult> {
  const next = applyCaseAction(snapshotOf(row), input.action, actorOf(session.operator));
  const steps: CaseAction[] = next.ok && next.value.status === 'approved' ? [input.action, 'mark_ready'] : [input.action];
  const at = now.toISOString();
  const origin = reviewPageOrigin(session.station);
  try {
    const outcome = await store.transaction(async (db) => {
      const { last } = await db
        .selectFrom('op_log')
        .select((eb) => eb.fn.max('seq').as('last'))
        .where('device_id', '=', origin.deviceId)
        .executeTakeFirstOrThrow();
      // Two decisions racing for the same number on PostgreSQL: the loser fails on the key and runs again.
      const op: OpEnvelope = {
        seq: Number(last ?? 0) + 1,
        opId: input.opId,
        type: 'case.intent',
        payload: {
          caseId: row.id,
          caseNo: row.case_no,
          action: input.action,
          reason: input.reason,
          fromStatus: row.status,
          steps,
          at,
        },
        createdAt: at,
        actor: { operatorId: session.operator.id, windowNo: null },
      };
      const prepared = prepare(op);
      if (!prepared.known) throw new Error('case.intent must be a known operation type');
      const [result] = await applyOperations(store, db, origin, [prepared], at, newId);
      return result!;
    });
    return { kind: 'decided', outcome };
  } catch (err) {
    if (!(err instanceof OpIdClash)) throw err;
    const held = await store.reader
      .selectFrom('op_log')
      .select('outcome')
      .where('op_id', '=', input.opId)
      .where('device_id', '=', origin.deviceId)
      .executeTakeFirst();
    if (!held) throw err;
    return { kind: 'repeated', outcome: held.outcome };
  }
}
