import type { Insertable } from 'kysely';
import type { OperationPayload } from '#shared/sync/operations';
import { change, type ChangeDraft } from '../changes/append';
import type { ConflictTable, RegistryRow } from '../db/schema';
import { actingOperator, applied, refuse, refusalOf, type OpContext, type OpHandler, type Outcome } from './handler';
import type { RegistryEntity, WorkingSet } from './working-set';

/**
 * Persons and employers. The central office keeps each record's fields with the version at which every field last
 * changed and the device that changed it. A patch carries the version its edit started from: a field changed since
 * then by another device, to another value, is a conflict for the back office (never last-writer-wins); the other
 * fields of the patch merge.
 */

type Fields = Record<string, unknown>;
const FRONT = ['teller', 'admin'] as const;

interface FieldConflict {
  field: string;
  serverValue: unknown;
  deviceValue: unknown;
}

function mergePatch(
  record: { fields: Fields; version: number; fieldVersions: Record<string, number>; fieldWriters: Record<string, string> },
  patch: Fields,
  baseVersion: number,
  writer: string,
) {
  const changes: Fields = {};
  const conflicts: FieldConflict[] = [];
  for (const [field, value] of Object.entries(patch)) {
    const current = record.fields[field] ?? null;
    if (current === value) continue;
    const changedSince = (record.fieldVersions[field] ?? 1) > baseVersion && record.fieldWriters[field] !== writer;
    if (changedSince) conflicts.push({ field, serverValue: current, deviceValue: value });
    else changes[field] = value;
  }
  const touched = Object.keys(changes);
  const version = touched.length > 0 ? record.version + 1 : record.version;
  return {
    changes,
    conflicts,
    fields: { ...record.fields, ...changes },
    version,
    fieldVersions: { ...record.fieldVersions, ...Object.fromEntries(touched.map((f) => [f, version])) },
    fieldWriters: { ...record.fieldWriters, ...Object.fromEntries(touched.map((f) => [f, writer])) },
  };
}

/** A person or employer as stations receive it: its fields, version and the version each field last changed at. */
function recordJson(row: RegistryRow): string {
  const head = JSON.stringify({ id: row.id, stationCode: row.station_code, version: row.version });
  return `${head.slice(0, -1)},"fieldVersions":${row.field_versions},"fields":${row.fields}}`;
}

/** A conflict as stations receive it; once resolved on the review page, with the choice, when and by whom. */
export function conflictChange(row: Insertable<ConflictTable>): ChangeDraft {
  return change('station', row.station_code, 'conflict', row.id, {
    id: row.id,
    kind: row.kind,
    entity: row.entity,
    entityId: row.entity_id,
    field: row.field,
    baseVersion: row.base_version,
    serverValue: JSON.parse(row.server_value) as unknown,
    deviceValue: JSON.parse(row.device_value) as unknown,
    opId: row.op_id,
    createdAt: row.created_at,
    ...(row.resolved_at ? { resolution: row.resolution, resolvedAt: row.resolved_at, resolvedBy: row.resolved_by } : {}),
  });
}

function recordConflict(
  ws: WorkingSet,
  ctx: OpContext,
  row: RegistryRow,
  c: FieldConflict & { kind: 'field' | 'duplicate'; baseVersion: number | null },
) {
  const conflict: Insertable<ConflictTable> = {
    id: ctx.newId(),
    kind: c.kind,
    entity: row.entity,
    entity_id: row.id,
    field: c.field,
    base_version: c.baseVersion,
    server_value: JSON.stringify(c.serverValue),
    device_value: JSON.stringify(c.deviceValue),
    station_code: ctx.station.code,
    device_id: ctx.deviceId,
    op_id: ctx.op.opId,
    created_at: ctx.now,
  };
  ws.conflicts.push(conflict);
  ws.emit(conflictChange(conflict));
  return { id: conflict.id, field: c.field };
}

const emitRecord = (ws: WorkingSet, row: RegistryRow) =>
  ws.emit({ stream: 'station', scope: row.station_code, entity: row.entity, id: row.id, data: recordJson(row) });

/**
 * Merges `patch` into the record as of `baseVersion` on behalf of `writer` (a device id): the fields that merge are
 * written and the record goes down its station's stream; the fields that conflict are returned, unapplied.
 */
export function patchRecord(
  ws: WorkingSet,
  row: RegistryRow,
  patch: Fields,
  baseVersion: number,
  writer: string,
  now: string,
): FieldConflict[] {
  const merged = mergePatch(
    {
      fields: JSON.parse(row.fields) as Fields,
      version: row.version,
      fieldVersions: JSON.parse(row.field_versions) as Record<string, number>,
      fieldWriters: JSON.parse(row.field_writers) as Record<string, string>,
    },
    patch,
    baseVersion,
    writer,
  );
  if (Object.keys(merged.changes).length > 0) {
    const next: RegistryRow = {
      ...row,
      fields: JSON.stringify(merged.fields),
      version: merged.version,
      field_versions: JSON.stringify(merged.fieldVersions),
      field_writers: JSON.stringify(merged.fieldWriters),
      updated_at: now,
    };
    ws.putRecord(next, false);
    emitRecord(ws, next);
  }
  return merged.conflicts;
}

function registryHandlers<C extends { id: string }, P extends { baseVersion: number; patch: Fields }>(spec: {
  entity: RegistryEntity;
  label: string;
  naturalKey: (created: C) => string;
  keyField: string;
  fields: (created: C) => Fields;
  targetOf: (patched: P) => string;
}): { created: OpHandler<C>; patched: OpHandler<P> } {
  const { entity, label } = spec;
  const guard = (ctx: OpContext, ws: WorkingSet): Outcome | null => {
    if (ctx.station.kind !== 'station') return refuse('OUT_OF_SCOPE', `中心工作站不登记${label}`);
    const who = actingOperator(ctx, ws, FRONT);
    return who.ok ? null : refusalOf(who);
  };

  return {
    created: {
      needs(p, needs) {
        needs.records[entity].add(p.id);
        needs.naturalKeys[entity].add(spec.naturalKey(p));
      },
      apply(p, ctx, ws) {
        const refused = guard(ctx, ws);
        if (refused) return refused;
        if (ws.record(entity, p.id)) return refuse('RECORD_EXISTS', `该${label}记录已在中心登记`);
        const key = spec.naturalKey(p);
        const others = ws.idsWithKey(entity, key);
        const row: RegistryRow = {
          entity,
          id: p.id,
          station_code: ctx.station.code,
          natural_key: key,
          fields: JSON.stringify(spec.fields(p)),
          version: 1,
          field_versions: '{}',
          field_writers: '{}',
          created_at: ctx.now,
          updated_at: ctx.now,
        };
        ws.putRecord(row, true);
        emitRecord(ws, row);
        // Registered twice (two stations offline): kept, and each earlier record becomes a duplicate for the back office.
        if (others.length === 0) return applied;
        const conflicts = others.map((other) =>
          recordConflict(ws, ctx, row, {
            kind: 'duplicate',
            field: spec.keyField,
            baseVersion: null,
            serverValue: other,
            deviceValue: p.id,
          }),
        );
        return { outcome: 'conflicted', conflicts };
      },
    },
    patched: {
      needs(p, needs) {
        needs.records[entity].add(spec.targetOf(p));
      },
      apply(p, ctx, ws) {
        const refused = guard(ctx, ws);
        if (refused) return refused;
        const row = ws.record(entity, spec.targetOf(p));
        if (!row) return refuse('RECORD_UNKNOWN', `中心没有该${label}的登记记录`);
        if (row.station_code !== ctx.station.code) return refuse('OUT_OF_SCOPE', `该${label}由其他站点登记，本站不能修改`);
        const conflicts = patchRecord(ws, row, p.patch, p.baseVersion, ctx.deviceId, ctx.now);
        if (conflicts.length === 0) return applied;
        return {
          outcome: 'conflicted',
          conflicts: conflicts.map((c) => recordConflict(ws, ctx, row, { ...c, kind: 'field', baseVersion: p.baseVersion })),
        };
      },
    },
  };
}

const person = registryHandlers<OperationPayload<'person.created'>, OperationPayload<'person.patched'>>({
  entity: 'person',
  label: '参保人',
  keyField: 'idNumber',
  naturalKey: (p) => p.id_number,
  fields: (p) => ({
    idNumber: p.id_number,
    idKind: p.id_kind,
    name: p.name,
    sex: p.sex,
    birthDate: p.birth_date,
    phone: p.phone,
    address: p.address,
    cardNumber: p.card_number,
    employerId: p.employer_id,
  }),
  targetOf: (p) => p.personId,
});

const employer = registryHandlers<OperationPayload<'employer.created'>, OperationPayload<'employer.patched'>>({
  entity: 'employer',
  label: '单位',
  keyField: 'creditCode',
  naturalKey: (p) => p.credit_code,
  fields: (p) => ({
    creditCode: p.credit_code,
    name: p.name,
    legalRep: p.legal_rep,
    phone: p.phone,
    address: p.address,
    riskClass: p.risk_class,
  }),
  targetOf: (p) => p.employerId,
});

export const personCreated = person.created;
export const personPatched = person.patched;
export const employerCreated = employer.created;
export const employerPatched = employer.patched;
