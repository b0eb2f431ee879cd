import { fail, ok, type Result } from '#shared/domain/result';
import type { Role } from '#shared/domain/roles';
import { ROLE_LABELS } from '#shared/api/roles';
import type { OpEnvelope, RefusalCode } from '#shared/sync/protocol';
import type { OperatorRow, StationRow } from '../db/schema';
import type { Needs, WorkingSet } from './working-set';

export type Outcome =
  | { outcome: 'applied' }
  | { outcome: 'refused'; code: RefusalCode; reason?: string; message: string }
  | { outcome: 'conflicted'; conflicts: { id: string; field: string }[] };

export const applied: Outcome = { outcome: 'applied' };

export const refuse = (code: RefusalCode, message: string, reason?: string): Outcome => ({
  outcome: 'refused',
  code,
  message,
  ...(reason !== undefined ? { reason } : {}),
});

/** What a handler knows about the operation it applies. */
export interface OpContext {
  op: OpEnvelope;
  /** The device that sent the operation (or the review page that made it: see review/decide.ts). */
  deviceId: string;
  /** The device's station: everything the device may read and write derives from it. */
  station: StationRow;
  now: string;
  newId(): string;
}

/**
 * One operation type. `needs` names the rows to load (and lock) before the batch; `apply` works on those rows in
 * memory, synchronously, and either changes them and says `applied`/`conflicted` or changes nothing and refuses.
 */
export interface OpHandler<P> {
  needs?(payload: P, needs: Needs): void;
  apply(payload: P, ctx: OpContext, ws: WorkingSet): Outcome;
}

/** The operator who ran the command, as the central office knows them: of this station, enabled, in a fitting role. */
export function actingOperator(ctx: OpContext, ws: WorkingSet, roles?: readonly Role[]): Result<OperatorRow, RefusalCode> {
  const id = ctx.op.actor.operatorId;
  const row = id ? ws.operators.get(id) : undefined;
  if (!row || row.station_code !== ctx.station.code) {
    return fail('UNKNOWN_OPERATOR', '经办人账号未在中心登记，请由中心管理员下发该账号后再同步');
  }
  if (row.disabled) return fail('UNKNOWN_OPERATOR', '经办人账号已被中心停用');
  if (roles && !roles.includes(row.role as Role)) {
    return fail('OPERATOR_ROLE', `该操作需要${roles.map((r) => ROLE_LABELS[r]).join('或')}权限`);
  }
  return ok(row);
}

export const refusalOf = (r: { reason: RefusalCode; message: string }): Outcome => refuse(r.reason, r.message);
