import type { Database } from 'better-sqlite3';
import { ApiError } from '#shared/api/errors';
import { syncClient, type Send } from '#shared/sync/client';
import type { EnrolResponse } from '#shared/sync/protocol';
import type { Clock } from '../platform/deps';
import type { StationQueries } from '../station/station';
import type { Actor, CommandRunner } from '../store/command';
import { removeDeviceKey, writeDeviceKey } from './device-key';
import { generateDeviceKeyPair, nodeSyncCrypto } from './node-crypto';
import { shiftOutbox, WHOLE_OUTBOX } from './outbox-shift';
import type { SyncStore } from './sync-store';

export interface EnrolmentDeps {
  db: Database;
  dataDir: string;
  clock: Clock;
  commands: CommandRunner;
  station: StationQueries;
  store: SyncStore;
  sendFor: (centralUrl: string) => Send;
}

const alreadyEnrolled = (deviceId: string) =>
  new ApiError('CONFLICT', `本机已注册到中心（设备号 ${deviceId}），如需重新注册，请管理员先重置同步`);

/**
 * Renumbers the outbox for a new identity of a PC that had one before (reset after its key was lost, or moved to
 * another central office): the central office numbers each device from 1, and what the former identity had
 * acknowledged is not sent again. The whole outbox moves down so those operations fall at 0 and below, and the rest
 * follows from 1 in order; what the former identity sent without learning of it is recognised centrally as already
 * held. The days' recorded last sequences move with it (a frozen day is still compared right). Returns what happened,
 * in words for the audit entry; null when nothing was acknowledged (a first enrolment).
 */
function renumberForNewIdentity(db: Database, pending: number): string | null {
  const highest = db.prepare<[], { s: number | null }>('SELECT MAX(seq) AS s FROM outbox WHERE seq > 0 AND pushed_at IS NOT NULL').get()!.s;
  if (highest === null) return null;
  shiftOutbox(db, WHOLE_OUTBOX, -highest);
  db.prepare('UPDATE business_day SET last_seq = MAX(0, last_seq - ?) WHERE last_seq IS NOT NULL').run(highest);
  const rest =
    pending === 0
      ? ''
      : `；其余${pending}条待上传操作按本机新的设备号从第1号起重新编号后上传，其中原设备号已上传过的，中心确认已收到，不会重复办理`;
  return `本机已有${highest}条操作由原设备号上传中心，不再重复上传${rest}`;
}

/** Enrolment and its reset: the device identity is created once, and only an administrator can forget it. */
export function enrolment(deps: EnrolmentDeps) {
  const { store, commands } = deps;
  // One data folder belongs to one process: this flag keeps two enrolments from racing for the key file.
  let enrolling = false;

  async function exchange(centralUrl: string, code: string, deviceName: string, publicKey: string): Promise<EnrolResponse> {
    const client = syncClient({ send: deps.sendFor(centralUrl), crypto: nodeSyncCrypto, now: () => deps.clock.now().getTime() });
    let answer;
    try {
      answer = await client.enrol({ code: code.trim(), publicKey, deviceName });
    } catch {
      throw new ApiError('DEVICE_OFFLINE', `无法连接中心（${centralUrl}），请检查网络和中心地址后重试`);
    }
    if (answer.ok) return answer.body;
    const { code: refusal, message } = answer.body.error;
    if (refusal === 'ENROLMENT_CODE_INVALID') throw new ApiError('VALIDATION', '注册码无效、已使用或已过期，请向中心管理员重新申请注册码');
    throw new ApiError('VALIDATION', `中心拒绝注册：${message}`);
  }

  return {
    async enrol(params: { centralUrl: string; code: string; deviceName?: string | undefined }, actor: Actor): Promise<void> {
      const existing = store.device();
      if (existing) throw alreadyEnrolled(existing.device_id);
      if (enrolling) throw new ApiError('CONFLICT', '正在注册中，请稍候');
      enrolling = true;
      try {
        const keys = generateDeviceKeyPair();
        const deviceName = params.deviceName ?? `${deps.station.get()?.name ?? '柜台'} ${actor.windowNo ?? ''}号窗口`.trim();
        const answer = await exchange(params.centralUrl, params.code, deviceName.slice(0, 60), keys.publicKey);
        // The key is on disk before the store says "enrolled": a crash in between leaves an unused key, never a
        // device without its key.
        writeDeviceKey(deps.dataDir, keys.privateKeyPem);
        commands.run(actor, () => {
          const before = deps.station.get();
          store.enrol({
            device_id: answer.deviceId,
            central_url: params.centralUrl,
            public_key: keys.publicKey,
            station_code: answer.station.code,
            station_name: answer.station.name,
            region_code: answer.station.regionCode,
            station_kind: answer.station.kind,
            clock_offset_ms: Math.round(Date.parse(answer.serverTime) - deps.clock.now().getTime()),
            enrolled_at: deps.clock.now().toISOString(),
          });
          // The central office decides the station's code, region and name: they fix what this PC sees and numbers.
          const next = {
            name: answer.station.name,
            windows: before?.windows ?? [1],
            idleLockMinutes: before?.idleLockMinutes ?? 5,
            code: answer.station.code,
            regionCode: answer.station.regionCode,
          };
          deps.station.save(next);
          const outbox = renumberForNewIdentity(deps.db, store.pendingCount());
          return {
            result: null,
            audit: {
              action: 'sync.enrol',
              class: 'key',
              entityType: 'sync_device',
              entityId: answer.deviceId,
              before: before ?? null,
              after: {
                centralUrl: params.centralUrl,
                deviceName,
                station: answer.station,
                ...(outbox ? { outbox } : {}),
              },
            },
          };
        });
      } finally {
        enrolling = false;
      }
    },

    /** Forgets the identity (row, cursors and key file); the outbox and what was received stay. */
    reset(reason: string, actor: Actor): void {
      commands.run(actor, () => {
        const row = store.device();
        if (!row) throw new ApiError('NOT_FOUND', '本机尚未注册到中心');
        store.forget();
        return {
          result: null,
          audit: {
            action: 'sync.reset',
            class: 'key',
            entityType: 'sync_device',
            entityId: row.device_id,
            before: { deviceId: row.device_id, centralUrl: row.central_url, stationCode: row.station_code },
            after: { reason },
          },
        };
      });
      removeDeviceKey(deps.dataDir);
    },
  };
}
