import type { Role } from '#shared/domain/roles';
import type { OperationPayload } from '#shared/sync/operations';
import type { CaseRow } from '../db/schema';
import { actingOperator, applied, refuse, refusalOf, type OpContext, type OpHandler, type Outcome } from './handler';
import type { Needs, WorkingSet } from './working-set';

/**
 * The electronic archive as stations report it: the pages of a case's materials (their bytes follow by hash with file
 * sync, server/src/files) and the case's volume as filed and sealed. These are the station's records: the central
 * office checks that each concerns a case of the device's own station and that the operator may act, and keeps them.
 */

/** The station's own case the operation is about, or the refusal. */
function ownCase(ctx: OpContext, ws: WorkingSet, caseId: string): { ok: true; row: CaseRow } | { ok: false; outcome: Outcome } {
  if (ctx.station.kind !== 'station') return { ok: false, outcome: refuse('OUT_OF_SCOPE', '中心工作站不采集材料影像，也不归档') };
  const row = ws.cases.get(caseId);
  if (!row) return { ok: false, outcome: refuse('CASE_UNKNOWN', `中心没有案件（${caseId}）的受理记录`) };
  if (row.station_code !== ctx.station.code) return { ok: false, outcome: refuse('OUT_OF_SCOPE', `案件${row.case_no}不属于本站`) };
  return { ok: true, row };
}

/** The operator, who must hold one of `roles`; a system action (no operator) only where `system` allows it. */
function mayAct(ctx: OpContext, ws: WorkingSet, roles: readonly Role[], system = false): Outcome | null {
  if (system && ctx.op.actor.operatorId === null) return null;
  const who = actingOperator(ctx, ws, roles);
  return who.ok ? null : refusalOf(who);
}

/**
 * A handler of an operation on one of the station's own cases, by an operator in one of `roles` (or, where `system`,
 * by the station itself): `apply` runs with the case's row once both hold. The case is always loaded; `needs` adds
 * the other rows the operation touches.
 */
function onOwnCase<P extends { caseId: string }>(spec: {
  roles: readonly Role[];
  system?: boolean;
  needs(p: P, needs: Needs): void;
  apply(p: P, ctx: OpContext, ws: WorkingSet, kase: CaseRow): Outcome;
}): OpHandler<P> {
  return {
    needs(p, needs) {
      needs.cases.add(p.caseId);
      spec.needs(p, needs);
    },
    apply(p, ctx, ws) {
      const found = ownCase(ctx, ws, p.caseId);
      if (!found.ok) return found.outcome;
      return mayAct(ctx, ws, spec.roles, spec.system) ?? spec.apply(p, ctx, ws, found.row);
    },
  };
}

export const pageAttached = onOwnCase<OperationPayload<'case.page_attached'>>({
  roles: ['teller'],
  needs: (p, needs) => needs.pages.add(p.pageId),
  apply(p, ctx, ws, kase) {
    const materials = JSON.parse(kase.materials) as { code: string }[];
    if (!materials.some((m) => m.code === p.materialCode)) {
      return refuse('INVALID_PAYLOAD', `材料编码${p.materialCode}不属于案件${kase.case_no}`);
    }
    if (ws.pages.has(p.pageId)) return refuse('RECORD_EXISTS', `材料影像（${p.pageId}）已在中心登记`);
    ws.putPage(
      {
        id: p.pageId,
        case_id: p.caseId,
        station_code: ctx.station.code,
        material_code: p.materialCode,
        sha256: p.sha256,
        size: p.size,
        mime: p.mime,
        seq: p.seq,
        attached_at: p.at,
        removed_at: null,
      },
      true,
    );
    return applied;
  },
});

export const pageRemoved = onOwnCase<OperationPayload<'case.page_removed'>>({
  roles: ['teller'],
  needs: (p, needs) => needs.pages.add(p.pageId),
  apply(p, _ctx, ws, kase) {
    const page = ws.pages.get(p.pageId);
    if (!page || page.case_id !== p.caseId) return refuse('RECORD_UNKNOWN', `中心没有案件${kase.case_no}的该页材料影像`);
    // Removed once is removed: the first removal's time stays.
    if (page.removed_at === null) ws.putPage({ ...page, removed_at: p.at }, false);
    return applied;
  },
});

export const archiveFiled = onOwnCase<OperationPayload<'archive.filed'>>({
  roles: ['teller', 'admin'],
  needs: (p, needs) => needs.volumes.add(p.caseId),
  apply(p, ctx, ws, kase) {
    const volume = ws.volumes.get(p.caseId);
    if (volume?.sealed_at != null) return refuse('CASE_REFUSED', `案件${kase.case_no}的档案已封存，不能重新立卷`);
    // Filing again before sealing refreshes the catalogue: the latest filing is the volume.
    ws.putVolume(
      {
        case_id: p.caseId,
        station_code: ctx.station.code,
        document_id: p.documentId,
        page_count: p.pageCount,
        filed_at: p.at,
        filed_by: ctx.op.actor.operatorId,
        sealed_at: null,
        sealed_by: null,
      },
      volume === undefined,
    );
    return applied;
  },
});

export const archiveSealed = onOwnCase<OperationPayload<'archive.sealed'>>({
  roles: ['admin'],
  // The station's scheduler seals on its own, as the system.
  system: true,
  needs: (p, needs) => needs.volumes.add(p.caseId),
  apply(p, ctx, ws, kase) {
    const volume = ws.volumes.get(p.caseId);
    if (!volume) return refuse('CASE_REFUSED', `案件${kase.case_no}尚未归档，不能封存`);
    if (volume.sealed_at !== null) return refuse('CASE_REFUSED', `案件${kase.case_no}的档案已封存`);
    ws.putVolume({ ...volume, sealed_at: p.at, sealed_by: ctx.op.actor.operatorId }, false);
    return applied;
  },
});
