import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { Envelope } from '#shared/api/errors';
import { STATION_TIME_ZONE } from '#shared/api/station';
import { HOLIDAYS_2026 } from '#shared/domain/calendar/holidays-2026';
import { createWorkingCalendar } from '#shared/domain/calendar/working-days';
import type { CoreEvent } from '#shared/api/events';
import type { Logger } from '#shared/log/logger';
import { createDispatcher } from './api/dispatch';
import { auditHandlers } from './audit/audit-handlers';
import type { Connection, Handlers } from './api/handlers';
import { authHandlers } from './auth/auth-service';
import { operatorQueries } from './auth/operators';
import { sessionView } from './auth/session-view';
import { DEMO_ACCOUNTS, seedDemo, type DemoAccount } from './demo/seed';
import { systemClock, type Clock, type CoreDeps } from './platform/deps';
import { loadDemoParameters } from './cases/amounts';
import { caseHandlers } from './cases/case-handlers';
import { loadDefaultCatalogue } from './catalogue/reference';
import { registryHandlers } from './registry/registry-handlers';
import { stationHandlers } from './station/station-handlers';
import { stationQueries } from './station/station';
import { createCommandRunner } from './store/command';
import { openStore } from './store/open';
import { DEMO_DEVICES, type DeviceSettings } from './system/devices';
import { systemHandlers } from './system/system-handlers';

/** Everything platform-specific is injected: the core reads no globals and never imports electron. */
export interface CoreOptions {
  dataDir: string;
  appVersion: string;
  logger: Logger;
  clock?: Clock;
  devices?: DeviceSettings;
  /** Fill an empty store with the demo station and accounts. */
  demo?: boolean;
}

/** One client's view of the core: its own session, its own event stream. */
export interface Channel {
  dispatch(method: string, params: unknown): Promise<Envelope>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  close(): void;
}

export interface Core {
  /** kind: 'ipc' | 'ws' | 'memory', for logs. */
  connect(peer: { kind: string; label?: string }): Channel;
  /** The demo accounts, when this start seeded them (to print their credentials). */
  readonly seededDemo: readonly DemoAccount[];
  readonly storePath: string;
  close(): void;
}

export const STORE_FILE = 'yichuang.db';

export async function createCore(options: CoreOptions): Promise<Core> {
  mkdirSync(options.dataDir, { recursive: true });
  const storePath = join(options.dataDir, STORE_FILE);
  const logger = options.logger.child('core');
  const deps: CoreDeps = { clock: options.clock ?? systemClock, newId: uuidv7, logger };
  const db = openStore(storePath);
  const station = stationQueries(db);
  const operators = operatorQueries(db);
  const commands = createCommandRunner(db, deps, () => station.get()?.code ?? '');
  const seeded = options.demo && (await seedDemo({ ...deps, commands, station, operators }));

  const handlers: Handlers = {
    ...systemHandlers({ db, storePath, appVersion: options.appVersion, clock: deps.clock, devices: options.devices ?? DEMO_DEVICES }),
    ...stationHandlers({ station, commands }),
    ...authHandlers({ ...deps, db, commands, operators, station }),
    ...auditHandlers({ db }),
    ...registryHandlers({ ...deps, db, commands }),
    ...caseHandlers({
      ...deps,
      db,
      commands,
      catalogue: loadDefaultCatalogue(),
      station,
      operators,
      calendar: createWorkingCalendar([HOLIDAYS_2026]),
      timeZone: STATION_TIME_ZONE,
      amounts: loadDemoParameters(),
    }),
  };
  const dispatch = createDispatcher({
    handlers,
    clock: deps.clock,
    logger,
    idleLockMs: () => (station.get()?.idleLockMinutes ?? 5) * 60_000,
    operatorRole: (id) => {
      const row = operators.byId(id);
      return row && !row.disabled ? row.role : null;
    },
    onIdleLock: (connection) => connection.emit({ type: 'session.changed', session: sessionView(operators, connection.session!) }),
  });

  const channels = new Set<Channel>();
  logger.info('core started', { storePath, demoSeeded: Boolean(seeded) });

  return {
    storePath,
    seededDemo: seeded ? DEMO_ACCOUNTS : [],
    connect(peer) {
      const listeners = new Set<(event: CoreEvent) => void>();
      const connection: Connection = {
        id: uuidv7(),
        session: null,
        emit: (event) => listeners.forEach((l) => l(event)),
      };
      logger.debug('channel opened', { kind: peer.kind, label: peer.label, id: connection.id });
      const channel: Channel = {
        dispatch: (method, params) => dispatch(connection, method, params),
        onEvent(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        close() {
          listeners.clear();
          connection.session = null;
          channels.delete(channel);
        },
      };
      channels.add(channel);
      return channel;
    },
    close() {
      channels.forEach((c) => c.close());
      db.close();
      logger.info('core stopped');
    },
  };
}
