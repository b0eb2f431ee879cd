import type { OperationPayload } from '#shared/sync/operations';
import { change } from '../changes/append';
import { DEFAULT_RIGHTS, operatorChange } from '../reference/operators';
import { actingOperator, applied, refuse, refusalOf, type OpHandler } from './handler';

/** An account created by the station's administrator: kept centrally and delivered to the station's other counters. */
export const operatorCreated: OpHandler<OperationPayload<'operator.created'>> = {
  needs(_p, needs) {
    needs.stationOperators = true;
  },
  apply(p, ctx, ws) {
    const who = actingOperator(ctx, ws, ['admin']);
    if (!who.ok) return refusalOf(who);
    if (ws.operators.has(p.id)) return refuse('RECORD_EXISTS', `账号${p.username}已在中心登记`);
    const taken = [...ws.operators.values()].some((o) => o.station_code === ctx.station.code && o.username === p.username);
    if (taken) return refuse('USERNAME_TAKEN', `本站已有用户名为${p.username}的账号`);
    const row = {
      id: p.id,
      station_code: ctx.station.code,
      username: p.username,
      display_name: p.displayName,
      role: p.role,
      rights: JSON.stringify(DEFAULT_RIGHTS[p.role]),
      password_verifier: p.passwordVerifier,
      disabled: p.disabled ? 1 : 0,
      version: 1,
      updated_at: ctx.now,
    };
    ws.putOperator(row);
    ws.emit(operatorChange(row));
    return applied;
  },
};

/**
 * The station's own settings (windows, idle lock). Its code and region are the central office's: they decide what
 * the station sees, so a device cannot change them.
 */
export const stationUpdated: OpHandler<OperationPayload<'station.updated'>> = {
  apply(p, ctx, ws) {
    if (p.code !== ctx.station.code || p.regionCode !== ctx.station.region_code) {
      return refuse('STATION_MISMATCH', `站点编码或行政区划与中心登记（${ctx.station.code}，${ctx.station.region_code}）不一致`);
    }
    // The demo seed writes the station as a system action, without an operator.
    if (ctx.op.actor.operatorId !== null) {
      const who = actingOperator(ctx, ws, ['admin']);
      if (!who.ok) return refusalOf(who);
    }
    const station = ws.stationUpdate ?? ctx.station;
    ws.stationUpdate = {
      ...station,
      settings: JSON.stringify({ name: p.name, windows: p.windows, idleLockMinutes: p.idleLockMinutes }),
      updated_at: ctx.now,
    };
    ws.emit(
      change('station', ctx.station.code, 'station', ctx.station.code, {
        code: station.code,
        name: station.name,
        regionCode: station.region_code,
        kind: station.kind,
        settings: JSON.parse(ws.stationUpdate.settings) as unknown,
      }),
    );
    return applied;
  },
};
