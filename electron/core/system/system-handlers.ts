import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { Handlers } from '../api/handlers';
import type { Clock } from '../platform/deps';
import type { DeviceOverview } from '#shared/api/devices';
import { describeDevices } from './devices';

export function systemHandlers(deps: {
  db: Database;
  storePath: string;
  appVersion: string;
  clock: Clock;
  /** Live state of the printer and card readers. */
  devices: () => DeviceOverview;
}): Pick<Handlers, 'system.ping' | 'system.status'> {
  const { db } = deps;
  const outboxPending = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE pushed_at IS NULL');
  const auditEntries = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM audit_log');
  const size = (file: string) => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  return {
    'system.ping': () => ({ pong: true as const }),
    'system.status': () => ({
      appVersion: deps.appVersion,
      store: {
        path: deps.storePath,
        schemaVersion: db.pragma('user_version', { simple: true }) as number,
        journalMode: db.pragma('journal_mode', { simple: true }) as string,
        sizeBytes: size(deps.storePath) + size(`${deps.storePath}-wal`),
        outboxPending: outboxPending.get()!.n,
        auditEntries: auditEntries.get()!.n,
      },
      devices: describeDevices(deps.devices()),
      serverTime: deps.clock.now().toISOString(),
    }),
  };
}
