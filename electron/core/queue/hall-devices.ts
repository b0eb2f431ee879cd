import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { ApiError } from '#shared/api/errors';
import { HALL_DEVICE_LABELS, WINDOW_DEVICE_KINDS, type HallDevice, type HallDeviceKind } from '#shared/api/queue';
import type { CallContext, Handlers } from '../api/handlers';
import type { CoreDeps } from '../platform/deps';
import type { StationQueries } from '../station/station';
import type { CommandRunner } from '../store/command';
import type { HallHub } from './hall-hub';

export interface HallDeviceDeps extends CoreDeps {
  db: Database;
  commands: CommandRunner;
  station: StationQueries;
  hub: HallHub;
}

interface DeviceRow {
  id: string;
  kind: HallDeviceKind;
  name: string;
  window_no: number | null;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export type HallDeviceMethods = 'hall.pair' | 'hall.devices' | 'hall.addDevice' | 'hall.rotateDevice' | 'hall.revokeDevice';

// 128 random bits: a hash without salt is enough, nobody can guess the key from it.
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
const newKey = () => randomBytes(16).toString('hex');

/**
 * Hall devices enrolled one by one: each kiosk, display, evaluator and counter PC gets its own key, shown once to the
 * admin, kept as a hash, re-keyed or revoked alone. A connection that pairs with a key is that device until it closes.
 */
export function hallDeviceHandlers(deps: HallDeviceDeps): Pick<Handlers, HallDeviceMethods> {
  const { db, commands, hub } = deps;
  const q = {
    byHash: db.prepare<[string], DeviceRow>('SELECT * FROM hall_device WHERE key_hash = ? AND revoked_at IS NULL'),
    byId: db.prepare<[string], DeviceRow>('SELECT * FROM hall_device WHERE id = ?'),
    all: db.prepare<[], DeviceRow>('SELECT * FROM hall_device ORDER BY revoked_at IS NOT NULL, kind, window_no, created_at'),
    insert: db.prepare(
      'INSERT INTO hall_device (id, kind, name, window_no, key_hash, created_at) VALUES (@id, @kind, @name, @window_no, @key_hash, @created_at)',
    ),
    rekey: db.prepare('UPDATE hall_device SET key_hash = ? WHERE id = ? AND revoked_at IS NULL'),
    revoke: db.prepare('UPDATE hall_device SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
  };

  const view = (r: DeviceRow, online = hub.online()): HallDevice => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    windowNo: r.window_no,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    online: online.has(r.id),
  });

  function live(id: string): DeviceRow {
    const row = q.byId.get(id);
    if (!row) throw new ApiError('NOT_FOUND', '未找到该设备');
    if (row.revoked_at) throw new ApiError('CONFLICT', '该设备已停用');
    return row;
  }

  /** A device change as a command; the key itself never reaches the audit log or the outbox. */
  function change(ctx: CallContext, action: 'added' | 'rekeyed' | 'revoked', body: () => DeviceRow) {
    return commands.run(ctx.actor, () => {
      const row = body();
      const at = deps.clock.now().toISOString();
      const summary = { kind: row.kind, name: row.name, windowNo: row.window_no };
      return {
        result: row,
        audit: { action: `hall.device_${action}`, class: 'key' as const, entityType: 'hall_device', entityId: row.id, after: summary },
        outbox: { type: `hall.device_${action}`, payload: { id: row.id, ...summary, at } },
      };
    });
  }

  return {
    'hall.pair'({ kind, key }, ctx) {
      const row = q.byHash.get(hashKey(key));
      if (!row || row.kind !== kind) throw new ApiError('FORBIDDEN', '设备密钥不正确或设备已停用，请向管理员索取新的配对地址');
      hub.pair(ctx.connection, { id: row.id, kind: row.kind, windowNo: row.window_no });
      return { deviceId: row.id, kind: row.kind, name: row.name, windowNo: row.window_no, stationName: deps.station.get()?.name ?? '' };
    },

    'hall.devices': () => {
      const online = hub.online();
      return q.all.all().map((r) => view(r, online));
    },

    'hall.addDevice'({ kind, name, windowNo }, ctx) {
      const forWindow = WINDOW_DEVICE_KINDS.includes(kind);
      if (forWindow && windowNo === null) throw new ApiError('VALIDATION', `${HALL_DEVICE_LABELS[kind]}须指定窗口号`);
      if (forWindow && !(deps.station.get()?.windows ?? []).includes(windowNo!))
        throw new ApiError('VALIDATION', `本站没有${windowNo}号窗口`);
      const key = newKey();
      const row = change(ctx, 'added', () => {
        const r: DeviceRow = {
          id: deps.newId(),
          kind,
          name,
          window_no: forWindow ? windowNo : null,
          key_hash: hashKey(key),
          created_at: deps.clock.now().toISOString(),
          revoked_at: null,
        };
        q.insert.run(r);
        return r;
      });
      return { device: view(row), key };
    },

    'hall.rotateDevice'({ id }, ctx) {
      const key = newKey();
      const row = change(ctx, 'rekeyed', () => {
        const r = live(id);
        q.rekey.run(hashKey(key), id);
        return r;
      });
      hub.drop(id, '管理员已更换本设备的密钥，请使用新的配对地址');
      return { device: view(row), key };
    },

    'hall.revokeDevice'({ id }, ctx) {
      const row = change(ctx, 'revoked', () => {
        live(id);
        q.revoke.run(deps.clock.now().toISOString(), id);
        return q.byId.get(id)!;
      });
      hub.drop(id, '本设备已被管理员停用');
      return view(row);
    },
  };
}
