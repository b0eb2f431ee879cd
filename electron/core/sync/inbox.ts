import type { Database } from 'better-sqlite3';
import type { InboxItem } from '#shared/api/sync';
import type { OpResult } from '#shared/sync/protocol';
import type { ConflictChange } from '#shared/sync/changes';
import { ENTITY_LABELS, fieldLabel, registryTarget, type RegistryEntity } from './registry-fields';

/**
 * The inbox: operations of this device the central office refused, and registry conflicts they caused. An entry
 * stays until a reviewer resolves it; push answers and pulled refusal/conflict changes both feed it, keyed so the
 * same refusal or conflict is recorded once whichever arrives first.
 */

interface InboxRow {
  id: string;
  kind: 'refusal' | 'conflict';
  source_id: string;
  op_id: string;
  op_seq: number | null;
  op_type: string | null;
  code: string | null;
  reason: string | null;
  message: string;
  entity: string | null;
  entity_id: string | null;
  field: string | null;
  base_version: number | null;
  server_value: string | null;
  device_value: string | null;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
}

const parsed = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

export function toInboxItem(row: InboxRow): InboxItem {
  return {
    id: row.id,
    kind: row.kind,
    opId: row.op_id,
    opSeq: row.op_seq,
    opType: row.op_type,
    code: row.code,
    reason: row.reason,
    message: row.message,
    entity: row.entity,
    entityId: row.entity_id,
    field: row.field,
    baseVersion: row.base_version,
    serverValue: parsed(row.server_value),
    deviceValue: parsed(row.device_value),
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    resolution: row.resolution as InboxItem['resolution'],
  };
}

function conflictMessage(c: { kind: 'field' | 'duplicate'; entity: RegistryEntity; field: string }): string {
  const what = ENTITY_LABELS[c.entity];
  return c.kind === 'duplicate'
    ? `该${what}已有相同${fieldLabel(c.entity, c.field)}的登记记录，两条记录均已保留，待中心后台合并`
    : `${what}的“${fieldLabel(c.entity, c.field)}”在中心已被他人改为其他值，本机的修改未生效，请复核后选择保留哪一方`;
}

export function inboxStore(db: Database, newId: () => string) {
  const insert = db.prepare(
    `INSERT INTO sync_inbox (id, kind, source_id, op_id, op_seq, op_type, code, reason, message, entity, entity_id, field, base_version,
       server_value, device_value, created_at)
     VALUES (@id, @kind, @source_id, @op_id, @op_seq, @op_type, @code, @reason, @message, @entity, @entity_id, @field, @base_version,
       @server_value, @device_value, @created_at)
     ON CONFLICT (kind, source_id) DO UPDATE SET
       entity = COALESCE(excluded.entity, entity), entity_id = COALESCE(excluded.entity_id, entity_id),
       base_version = COALESCE(excluded.base_version, base_version), message = excluded.message,
       server_value = COALESCE(excluded.server_value, server_value), device_value = COALESCE(excluded.device_value, device_value)`,
  );
  const byId = db.prepare<[string], InboxRow>('SELECT * FROM sync_inbox WHERE id = ?');
  const settledCentrally = db.prepare(
    `UPDATE sync_inbox SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE kind = 'conflict' AND source_id = ? AND resolved_at IS NULL`,
  );
  const open = db.prepare<[], InboxRow>('SELECT * FROM sync_inbox WHERE resolved_at IS NULL ORDER BY created_at, id');
  const all = db.prepare<[], InboxRow>('SELECT * FROM sync_inbox ORDER BY resolved_at IS NOT NULL, created_at DESC, id LIMIT 500');
  const openCount = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM sync_inbox WHERE resolved_at IS NULL');
  const resolve = db.prepare<[string, string, string, string]>(
    'UPDATE sync_inbox SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL',
  );

  const empty = {
    code: null,
    reason: null,
    entity: null,
    entity_id: null,
    field: null,
    base_version: null,
    server_value: null,
    device_value: null,
  };

  return {
    /** A refusal of one of this device's operations, from a push answer or the station stream. */
    refusal(r: { opId: string; seq: number; type: string; code: string; reason?: string | null; message: string; at: string }) {
      insert.run({
        ...empty,
        id: newId(),
        kind: 'refusal',
        source_id: r.opId,
        op_id: r.opId,
        op_seq: r.seq,
        op_type: r.type,
        code: r.code,
        reason: r.reason ?? null,
        message: r.message,
        created_at: r.at,
      });
    },

    /** The conflicts a push answer lists: what the answer says, completed when the conflict's change is pulled. */
    conflictsOf(result: OpResult, op: { type: string; payload: unknown }, at: string) {
      const target = registryTarget(op.type, op.payload as Record<string, unknown>);
      for (const c of result.conflicts ?? []) {
        const kind = op.type.endsWith('.created') ? 'duplicate' : 'field';
        insert.run({
          ...empty,
          id: newId(),
          kind: 'conflict',
          source_id: c.id,
          op_id: result.opId,
          op_seq: result.seq,
          op_type: op.type,
          field: c.field,
          entity: target?.entity ?? null,
          entity_id: target?.id ?? null,
          message: target ? conflictMessage({ kind, entity: target.entity, field: c.field }) : `“${c.field}”与中心的数据冲突`,
          created_at: at,
        });
      }
    },

    /** A conflict change from the station stream: both values, for the reviewer to choose. */
    conflict(c: ConflictChange, op: { seq: number; type: string }) {
      insert.run({
        ...empty,
        id: newId(),
        kind: 'conflict',
        source_id: c.id,
        op_id: c.opId,
        op_seq: op.seq,
        op_type: op.type,
        entity: c.entity,
        entity_id: c.entityId,
        field: c.field,
        base_version: c.baseVersion,
        server_value: JSON.stringify(c.serverValue ?? null),
        device_value: JSON.stringify(c.deviceValue ?? null),
        message: conflictMessage(c),
        created_at: c.createdAt,
      });
      // Decided by the back office: nothing is left for this PC's reviewer; the record itself came down the stream.
      if (c.resolvedAt && c.resolution) {
        settledCentrally.run(
          c.resolvedAt,
          `central:${c.resolvedBy ?? ''}`,
          c.resolution === 'server' ? 'keep_server' : 'resend_device',
          c.id,
        );
      }
    },

    get: (id: string): InboxItem | null => {
      const row = byId.get(id);
      return row ? toInboxItem(row) : null;
    },
    list: (includeResolved: boolean): InboxItem[] => (includeResolved ? all.all() : open.all()).map(toInboxItem),
    openCount: () => openCount.get()!.n,
    /** Marks an entry resolved; false when it was already resolved (by another reviewer a moment ago). */
    resolve: (id: string, by: string, resolution: string, at: string): boolean => resolve.run(at, by, resolution, id).changes === 1,
  };
}
export type InboxStore = ReturnType<typeof inboxStore>;
