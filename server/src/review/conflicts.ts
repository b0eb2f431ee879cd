import { appendChanges } from '../changes/append';
import type { Store } from '../db/store';
import { conflictChange, patchRecord } from '../ops/registry';
import { Needs, WorkingSet } from '../ops/working-set';
import { reviewPageOrigin } from './decide';
import { coveredPattern } from './queue';
import type { ReviewSession } from './session';

/**
 * A reviewer of the central office settles a registry field conflict of the region by choosing a value: the central
 * one stands (`server`), or the station's replaces it (`device`, merged as a patch on the record's current version
 * by the review page). Either way the conflict is marked resolved and goes down its station's stream again with the
 * choice, so the station's inbox can show that the back office has decided.
 */

export const RESOLUTIONS = ['server', 'device'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export type ResolveResult = { ok: true } | { ok: false; message: string };

export async function resolveConflict(
  store: Store,
  session: ReviewSession,
  input: { conflictId: string; resolution: Resolution },
  now: Date,
): Promise<ResolveResult> {
  const at = now.toISOString();
  const origin = reviewPageOrigin(session.station);
  return store.transaction(async (db) => {
    const conflict = await store
      .forUpdate(db.selectFrom('conflict').selectAll().where('id', '=', input.conflictId).where('kind', '=', 'field'))
      .executeTakeFirst();
    const inRegion =
      conflict &&
      (await db
        .selectFrom('station')
        .select('code')
        .where('code', '=', conflict.station_code)
        .where('kind', '=', 'station')
        .where('region_code', 'like', coveredPattern(session.station.region_code))
        .executeTakeFirst());
    if (!conflict || !inRegion) return { ok: false, message: '没有这条登记冲突，或它不在本中心辖区' };
    if (conflict.resolved_at) return { ok: false, message: '这条登记冲突已经处理过了' };

    const needs = new Needs();
    const entity = conflict.entity as 'person' | 'employer';
    needs.records[entity].add(conflict.entity_id);
    const ws = await WorkingSet.load(store, db, needs, session.station);
    if (input.resolution === 'device') {
      const row = ws.record(entity, conflict.entity_id);
      if (!row) return { ok: false, message: '中心已没有该记录，无法采用站点的值' };
      patchRecord(ws, row, { [conflict.field]: JSON.parse(conflict.device_value) as unknown }, row.version, origin.deviceId, at);
    }
    const resolved = { ...conflict, resolution: input.resolution, resolved_at: at, resolved_by: session.operator.id };
    await db
      .updateTable('conflict')
      .set({ resolution: resolved.resolution, resolved_at: at, resolved_by: resolved.resolved_by })
      .where('id', '=', conflict.id)
      .execute();
    ws.emit(conflictChange(resolved));
    await ws.flush(db, store.backend);
    await appendChanges(db, store.backend, ws.changes, at);
    return { ok: true };
  });
}
