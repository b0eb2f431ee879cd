import type { Database } from 'better-sqlite3';
import { ApiError } from '#shared/api/errors';
import type { InboxItem } from '#shared/api/sync';
import type { Connection, Handlers } from '../api/handlers';
import type { Clock } from '../platform/deps';
import type { Actor, CommandRunner } from '../store/command';
import { planPatch } from '../registry/field-patch';
import type { enrolment } from './enrolment';
import type { InboxStore } from './inbox';
import { REGISTRY_FIELDS, type RegistryEntity } from './registry-fields';
import type { SyncEngine } from './sync-engine';
import type { SyncStore } from './sync-store';

export interface SyncHandlerDeps {
  db: Database;
  clock: Clock;
  commands: CommandRunner;
  engine: SyncEngine;
  enrolment: ReturnType<typeof enrolment>;
  inbox: InboxStore;
  store: SyncStore;
  /** Whether a connection comes from this PC itself (IPC, loopback), for the first enrolment without a session. */
  isLocal: (connection: Connection) => boolean;
}

type Method = 'sync.status' | 'sync.setup' | 'sync.bootstrap' | 'sync.enrol' | 'sync.reset' | 'sync.now' | 'sync.inbox' | 'sync.resolveInbox';

/** Which resolutions fit an entry: a field conflict needs a choice; anything else is acknowledged. */
function allowed(item: InboxItem): readonly string[] {
  const fieldConflict = item.kind === 'conflict' && item.opType?.endsWith('.patched') === true;
  return fieldConflict ? ['keep_server', 'resend_device'] : ['acknowledge'];
}

export function syncHandlers(deps: SyncHandlerDeps): Pick<Handlers, Method> {
  const { db, commands, engine, inbox, store } = deps;
  const accounts = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM operator');
  const needsEnrolment = () => accounts.get()!.n === 0 && store.device() === undefined;

  async function enrol(params: { centralUrl: string; code: string; deviceName?: string | undefined }, actor: Actor) {
    await engine.pause();
    try {
      await deps.enrolment.enrol(params, actor);
    } finally {
      engine.reload();
    }
  }

  /**
   * Sends this PC's value of a conflicting field again, as a new patch on the version the central office has now
   * (the record was re-based on it by the pull that brought the conflict).
   */
  function resendPatch(item: InboxItem) {
    const entity = item.entity as RegistryEntity;
    const spec = (REGISTRY_FIELDS[entity] as Record<string, { column: string; label: string }>)[item.field ?? ''];
    if (!spec || !item.entityId) throw new ApiError('VALIDATION', '该冲突无法重新提交，请联系中心后台处理');
    const row = db.prepare<[string], Record<string, unknown>>(`SELECT * FROM ${entity} WHERE id = ?`).get(item.entityId);
    if (!row) throw new ApiError('NOT_FOUND', '本机没有该记录');
    const field = item.field!;
    const version = row.version as number;
    const plan = planPatch(
      { [field]: row[spec.column] },
      JSON.parse(row.field_versions as string),
      version,
      version,
      { [field]: item.deviceValue },
      {
        [field]: spec.label,
      },
    );
    db.prepare(`UPDATE ${entity} SET ${spec.column} = ?, version = ?, field_versions = ? WHERE id = ?`).run(
      (plan.changes[field] ?? row[spec.column]) as never,
      plan.version,
      JSON.stringify(plan.fieldVersions),
      item.entityId,
    );
    // The edit stays the teller's who made it: the central office accepts registry edits from tellers, not reviewers.
    const original = store.ownOperation(item.opId);
    return {
      type: `${entity}.patched`,
      payload: { [`${entity}Id`]: item.entityId, baseVersion: version, patch: { [field]: item.deviceValue } },
      ...(original ? { actor: { operatorId: original.operator_id, windowNo: original.window_no } } : {}),
    };
  }

  return {
    'sync.status': () => engine.status(),

    'sync.setup': () => ({ needsEnrolment: needsEnrolment() }),

    async 'sync.bootstrap'(params, { actor, connection }) {
      if (!needsEnrolment()) throw new ApiError('FORBIDDEN', '本机已有账号或已注册中心，请登录后在“数据同步”中操作');
      if (!deps.isLocal(connection)) throw new ApiError('FORBIDDEN', '首次注册只能在本机上进行');
      await enrol(params, actor);
      // The first round brings the central accounts, so the person who enrolled can sign in at once.
      return engine.syncNow();
    },

    async 'sync.enrol'(params, { actor }) {
      await enrol(params, actor);
      return engine.status();
    },

    async 'sync.reset'({ reason }, { actor }) {
      await engine.pause();
      try {
        deps.enrolment.reset(reason, actor);
      } finally {
        engine.reload();
      }
      return engine.status();
    },

    'sync.now': () => engine.syncNow(),

    'sync.inbox': ({ includeResolved }) => inbox.list(includeResolved),

    'sync.resolveInbox'({ id, resolution }, { actor }) {
      return commands.run(actor, () => {
        const item = inbox.get(id);
        if (!item) throw new ApiError('NOT_FOUND', '没有这条待处理记录');
        if (item.resolvedAt) throw new ApiError('CONFLICT', '该记录已由他人处理');
        if (!allowed(item).includes(resolution)) throw new ApiError('VALIDATION', '该记录不能这样处理');
        const outbox = resolution === 'resend_device' ? resendPatch(item) : undefined;
        inbox.resolve(id, actor.operatorId ?? '', resolution, deps.clock.now().toISOString());
        const resolved = inbox.get(id)!;
        return {
          result: resolved,
          audit: {
            action: 'sync.resolve_inbox',
            class: 'key',
            entityType: 'sync_inbox',
            entityId: id,
            before: item,
            after: { resolution },
          },
          ...(outbox ? { outbox } : {}),
        };
      });
    },
  };
}
