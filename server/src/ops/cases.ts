import { parseBusinessDate } from '#shared/domain/calendar/dates';
import {
  applyCaseAction,
  newCase,
  type CaseAction,
  type CaseActor,
  type CaseRejection,
  type CaseSnapshot,
  type CaseStatus,
} from '#shared/domain/cases/state-machine';
import type { ReviewLevel } from '#shared/domain/catalogue/schema';
import { regionCovers } from '#shared/domain/region';
import { fail, ok, type Result } from '#shared/domain/result';
import type { Role } from '#shared/domain/roles';
import type { OperationPayload } from '#shared/sync/operations';
import type { CaseRow, OperatorRow } from '../db/schema';
import { actingOperator, applied, refuse, refusalOf, type OpContext, type OpHandler } from './handler';
import type { WorkingSet } from './working-set';

/**
 * Cases on the central office: acceptance and every later decision are intents replayed on the shared state machine
 * (shared/domain/cases), with the central office's own record of who accepted and reviewed, so separation of
 * duties is checked again here whatever the station believed.
 */

const BACK_OFFICE: ReadonlySet<CaseStatus> = new Set(['pending_review', 'pending_approval']);

export const snapshotOf = (row: CaseRow): CaseSnapshot => ({
  status: row.status as CaseStatus,
  reviewLevel: row.review_level as ReviewLevel,
  acceptedBy: JSON.parse(row.accepted_by) as string[],
  reviewedBy: JSON.parse(row.reviewed_by) as string[],
});

export const actorOf = (operator: OperatorRow): CaseActor => ({ operatorId: operator.id, roles: [operator.role as Role] });

type Step = { action: CaseAction; from: CaseStatus; to: CaseSnapshot };

function replay(start: CaseSnapshot, actions: readonly CaseAction[], actor: CaseActor): Result<Step[], CaseRejection> {
  const steps: Step[] = [];
  let at = start;
  for (const action of actions) {
    const next = applyCaseAction(at, action, actor);
    if (!next.ok) return fail(next.reason, next.message);
    steps.push({ action, from: at.status, to: next.value });
    at = next.value;
  }
  return ok(steps);
}

/**
 * What one operation did to a case: its steps (event numbers `firstSeq`, `firstSeq + 1`, …), by whom, when. The
 * case's history is these records in the change log (and the operations in the op log).
 */
interface Transition {
  firstSeq: number;
  fromStatus: CaseStatus;
  steps: { action: CaseAction; toStatus: CaseStatus }[];
  operatorId: string | null;
  windowNo: number | null;
  reason: string | null;
  at: string;
  deviceAt: string;
}

function transitionOf(row: CaseRow, steps: Step[], ctx: OpContext, reason: string | null, deviceAt: string): Transition {
  return {
    firstSeq: row.event_count + 1,
    fromStatus: steps[0]!.from,
    steps: steps.map((s) => ({ action: s.action, toStatus: s.to.status })),
    operatorId: ctx.op.actor.operatorId,
    windowNo: ctx.op.actor.windowNo,
    reason,
    at: ctx.now,
    deviceAt,
  };
}

/**
 * The case as a station (or a central workstation) receives it: its state, the transition that changed it (null when
 * only sent for information), and, the first time a scope receives the case, its content, which never changes after
 * acceptance.
 */
function caseJson(row: CaseRow, transition: Transition | null, withContent: boolean): string {
  const state = JSON.stringify({
    id: row.id,
    status: row.status,
    lastReason: row.last_reason,
    version: row.version,
    updatedAt: row.updated_at,
    transition,
  });
  // Stored JSON texts go in as they are: no parse and re-serialisation per change.
  const participants = `,"acceptedBy":${row.accepted_by},"reviewedBy":${row.reviewed_by}`;
  if (!withContent) return `${state.slice(0, -1)}${participants}}`;
  const content = JSON.stringify({
    stationCode: row.station_code,
    caseNo: row.case_no,
    businessDate: row.business_date,
    itemCode: row.item_code,
    subItemCode: row.sub_item_code,
    subItemName: row.sub_item_name,
    reviewLevel: row.review_level,
    personId: row.person_id,
    employerId: row.employer_id,
    amountFen: row.amount_fen,
    acceptedAt: row.accepted_at,
  });
  return `${state.slice(0, -1)}${participants},${content.slice(1, -1)},"form":${row.form},"materials":${row.materials}}`;
}

/**
 * Sends the case down its station's stream and, while it is (or just was) with the back office, to the central
 * workstations whose region covers the station: that is how a central decision reaches the window that hands out
 * the result, and how the central queue learns of new work.
 */
function emitCase(ws: WorkingSet, row: CaseRow, transition: Transition, before: CaseStatus | null): void {
  ws.emit({ stream: 'station', scope: row.station_code, entity: 'case', id: row.id, data: caseJson(row, transition, before === null) });
  const wasBackOffice = before !== null && BACK_OFFICE.has(before);
  if (!BACK_OFFICE.has(row.status as CaseStatus) && !wasBackOffice) return;
  const region = ws.stations.get(row.station_code)?.region_code;
  const centrals = ws.centralStations.filter((c) => region !== undefined && regionCovers(c.region_code, region));
  // A case entering the back office (at acceptance, or resubmitted) brings its content to the central queue.
  const data = centrals.length > 0 ? caseJson(row, transition, !wasBackOffice) : '';
  for (const central of centrals) ws.emit({ stream: 'station', scope: central.code, entity: 'case', id: row.id, data });
}

/** A station acts on its own cases; a central workstation on the cases of every station in its region. */
function mayActOn(ctx: OpContext, ws: WorkingSet, row: CaseRow): boolean {
  if (ctx.station.kind === 'station') return row.station_code === ctx.station.code;
  const region = ws.stations.get(row.station_code)?.region_code;
  return region !== undefined && regionCovers(ctx.station.region_code, region);
}

export const caseAccepted: OpHandler<OperationPayload<'case.accepted'>> = {
  needs(p, needs) {
    needs.cases.add(p.id);
    needs.catalogue = true;
  },
  apply(p, ctx, ws) {
    if (ctx.station.kind !== 'station') return refuse('OUT_OF_SCOPE', '中心工作站不受理案件');
    const [stationCode, day = ''] = p.caseNo.split('-');
    if (stationCode !== ctx.station.code) return refuse('OUT_OF_SCOPE', `受理编号${p.caseNo}不属于本站`);
    const businessDate = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
    if (!parseBusinessDate(businessDate)) return refuse('INVALID_PAYLOAD', `受理编号${p.caseNo}中的日期无效`);
    if (ws.cases.has(p.id)) return refuse('CASE_EXISTS', `案件${p.caseNo}已在中心登记`);
    const who = actingOperator(ctx, ws);
    if (!who.ok) return refusalOf(who);
    const found = ws.catalogue(businessDate).subItem(p.subItemCode);
    if (!found) return refuse('UNKNOWN_SUB_ITEM', `中心的事项目录中没有编码为${p.subItemCode}的事项`);
    if (!found.sub.opensCase) return refuse('UNKNOWN_SUB_ITEM', `“${found.sub.name}”是咨询类事项，不立案`);
    if (p.steps[0] !== 'accept') return refuse('CASE_REFUSED', '案件必须以“受理”开始', 'invalid_transition');
    const steps = replay(newCase(found.sub.reviewLevel), p.steps, actorOf(who.value));
    if (!steps.ok) return refuse('CASE_REFUSED', steps.message, steps.reason);
    const final = steps.value.at(-1)!.to;
    const row: CaseRow = {
      id: p.id,
      station_code: ctx.station.code,
      case_no: p.caseNo,
      business_date: businessDate,
      item_code: found.item.code,
      sub_item_code: found.sub.code,
      sub_item_name: found.sub.name,
      review_level: found.sub.reviewLevel,
      status: final.status,
      accepted_by: JSON.stringify(final.acceptedBy),
      reviewed_by: JSON.stringify(final.reviewedBy),
      accepted_operator: who.value.id,
      person_id: p.personId,
      employer_id: p.employerId,
      form: JSON.stringify(p.form),
      materials: JSON.stringify(p.materials),
      amount_fen: p.amounts?.totalFen ?? null,
      last_reason: null,
      version: 1,
      event_count: 0,
      accepted_at: ctx.now,
      updated_at: ctx.now,
    };
    const transition = transitionOf(row, steps.value, ctx, null, p.at);
    row.event_count = steps.value.length;
    ws.putCase(row, true);
    emitCase(ws, row, transition, null);
    return applied;
  },
};

export const caseIntent: OpHandler<OperationPayload<'case.intent'>> = {
  needs(p, needs) {
    needs.cases.add(p.caseId);
  },
  apply(p, ctx, ws) {
    const row = ws.cases.get(p.caseId);
    if (!row) return refuse('CASE_UNKNOWN', `中心没有案件${p.caseNo}的受理记录`);
    if (!mayActOn(ctx, ws, row)) return refuse('OUT_OF_SCOPE', `案件${row.case_no}不属于本站或本中心辖区`);
    const who = actingOperator(ctx, ws);
    if (!who.ok) return refusalOf(who);
    const steps = replay(snapshotOf(row), p.steps, actorOf(who.value));
    if (!steps.ok) {
      // The device acted on a state the central office no longer has: send it the case as it stands.
      ws.emit({ stream: 'station', scope: ctx.station.code, entity: 'case', id: row.id, data: caseJson(row, null, false) });
      return refuse('CASE_REFUSED', steps.message, steps.reason);
    }
    const before = row.status as CaseStatus;
    const final = steps.value.at(-1)!.to;
    const next: CaseRow = {
      ...row,
      status: final.status,
      accepted_by: JSON.stringify(final.acceptedBy),
      reviewed_by: JSON.stringify(final.reviewedBy),
      last_reason: p.reason ?? row.last_reason,
      version: row.version + 1,
      updated_at: ctx.now,
    };
    const transition = transitionOf(next, steps.value, ctx, p.reason, p.at);
    next.event_count += steps.value.length;
    ws.putCase(next, false);
    emitCase(ws, next, transition, before);
    return applied;
  },
};
