import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { Envelope } from '#shared/api/errors';
import { STATION_TIME_ZONE } from '#shared/api/station';
import { HOLIDAYS_2026 } from '#shared/domain/calendar/holidays-2026';
import type { CoreEvent } from '#shared/api/events';
import type { Logger } from '#shared/log/logger';
import { createDispatcher } from './api/dispatch';
import { archiveService } from './archive/archive-handlers';
import { pageUploadHandlers, pageUploads } from './archive/page-uploads';
import { scannerHandlers } from './archive/scanner-folder-handlers';
import { auditHandlers } from './audit/audit-handlers';
import type { Connection, Handlers } from './api/handlers';
import { authHandlers } from './auth/auth-service';
import { backupHandlers } from './backup/backup-handlers';
import { BackupService } from './backup/backup-service';
import { operatorQueries } from './auth/operators';
import { sessionView } from './auth/session-view';
import { DEMO_ACCOUNTS, seedDemo, type DemoAccount } from './demo/seed';
import { systemClock, type Clock, type CoreDeps } from './platform/deps';
import { parametersInForce } from './cases/amounts';
import { caseHandlers } from './cases/case-handlers';
import { catalogueInForce } from './catalogue/reference';
import { registryHandlers } from './registry/registry-handlers';
import { reportHandlers } from './reports/report-handlers';
import { stationHandlers } from './station/station-handlers';
import { stationQueries } from './station/station';
import { createCommandRunner } from './store/command';
import type { SyncTimers } from './sync/sync-engine';
import { createSync, type SyncOptions } from './sync/sync-service';
import { checkPagesAfterRestore } from './sync/file-sync-check';
import { calendarInForce, datePerTurn, referenceInForce } from './sync/reference-in-force';
import { dayBook, dayGate } from './dayclose/day-book';
import { dayCloseService } from './dayclose/day-close-service';
import { dayTotals } from './dayclose/day-totals';
import { businessDateAt } from './platform/business-date';
import { startCheckpointer } from './store/checkpoint';
import { openStore } from './store/open';
import { createHallHub } from './queue/hall-hub';
import { hallDeviceHandlers } from './queue/hall-devices';
import { createHallLink, type HallLinkTiming } from './queue/hall-link';
import { hallLinkHandlers, hallLinkSettings } from './queue/hall-link-handlers';
import { hallRelayHandlers } from './queue/hall-relay';
import { linkedQueueHandlers } from './queue/linked-queue';
import { queueHandlers } from './queue/queue-handlers';
import { ratingHandlers } from './queue/rating-handlers';
import { standInVisits } from './queue/stand-in-visits';
import { queueStatsHandler, queueStatsReader } from './queue/queue-stats';
import { cardHandlers, publishCardEvents } from './cards/card-handlers';
import { CardReaders } from './cards/card-readers';
import { printHandlers } from './printing/print-handlers';
import { PrintingService } from './printing/printing-service';
import { deviceHandlers } from './system/device-handlers';
import { DEMO_DEVICES, deviceSettingsStore, isLocalPeer, type DeviceSettings, type DeviceTiming } from './system/devices';
import { systemHandlers } from './system/system-handlers';

/** Everything platform-specific is injected: the core reads no globals and never imports electron. */
export interface CoreOptions {
  dataDir: string;
  appVersion: string;
  logger: Logger;
  clock?: Clock;
  /** The counter's devices until an admin saves settings (the demo devices by default). */
  devices?: DeviceSettings;
  /** Shorter device retries and polls, for tests. */
  deviceTiming?: DeviceTiming;
  /** Fill an empty store with the demo station and accounts. */
  demo?: boolean;
  /** How sync reaches the central office, and its timers and tuning, for tests. */
  sync?: SyncOptions;
  /** Shorter hall link timeouts and retries, for tests. */
  hallLinkTiming?: Partial<HallLinkTiming>;
  /** Timers of the archive's auto-seal schedule, for tests. */
  archiveTimers?: SyncTimers;
  /** How the app restarts itself (the Electron shell relaunches); absent where it cannot (the web host). */
  restart?: () => void;
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
  // After a restore: pages it could not write are marked for file sync to fetch before anyone opens them.
  checkPagesAfterRestore({ db, dataDir: options.dataDir, logger, now: deps.clock.now().toISOString() });
  const checkpointer = startCheckpointer(db);
  const station = stationQueries(db);
  const operators = operatorQueries(db);
  const commands = createCommandRunner(db, deps, () => station.get()?.code ?? '');
  // What the central office publishes (catalogue, rates, holidays, ticket categories), in force today for this station.
  const reference = referenceInForce({ db, logger, region: () => station.get()?.regionCode ?? '' });
  const referenceDay = datePerTurn(() => businessDateAt(deps.clock.now(), STATION_TIME_ZONE));
  const calendar = calendarInForce(reference, referenceDay, [HOLIDAYS_2026]);
  const hall = createHallHub();
  const seeded = options.demo && (await seedDemo({ ...deps, commands, station, operators }));

  const deviceClients = new Set<Connection>();
  /** Device events belong to this counter's own signed-in, unlocked clients. */
  const broadcast = (event: CoreEvent) => deviceClients.forEach((c) => c.session && !c.session.locked && c.emit(event));
  const deviceSettings = deviceSettingsStore(db, options.devices ?? DEMO_DEVICES);
  const startDevices = deviceSettings.get();
  const printing = new PrintingService({
    ...deps,
    db,
    timeZone: STATION_TIME_ZONE,
    settings: startDevices,
    timing: options.deviceTiming?.printing,
    onJob: (job) => broadcast({ type: 'print.job', job }),
    onPrinter: () => broadcast({ type: 'device.status', devices: deviceOverview() }),
  });
  const readers = new CardReaders({ logger: logger.child('cards'), timing: options.deviceTiming?.readers });
  const deviceOverview = () => ({ printer: printing.printer, readers: readers.overview() });
  readers.on('status', () => broadcast({ type: 'device.status', devices: deviceOverview() }));
  publishCardEvents(readers, { db, broadcast });
  const readerSettings = (s: DeviceSettings) => ({ socialSecurity: s.socialSecurityReader, idCard: s.idCardReader });

  const standIns = standInVisits(db, operators);
  const hallLink = createHallLink({
    clock: deps.clock,
    logger,
    timing: options.hallLinkTiming,
    onStatus: (status) => broadcast({ type: 'hall.link', status }),
    onHostEvent: (event) => hall.publish(event),
    pendingVisits: standIns.pending,
    pendingCount: standIns.count,
    markHandedOver: (ids) => standIns.markHandedOver(ids, deps.clock.now().toISOString()),
  });
  const caseExists = db.prepare<[string], { id: string }>('SELECT id FROM case_file WHERE id = ?');
  const localQueue = queueHandlers({
    ...deps,
    db,
    commands,
    station,
    operators,
    hub: hall,
    timeZone: STATION_TIME_ZONE,
    printing,
    standIn: hallLink.linked,
    readCard: (ms) => readers.readCard(ms),
    reference,
  });

  const catalogue = catalogueInForce(reference, referenceDay);
  const backups = new BackupService({
    db,
    dataDir: options.dataDir,
    clock: deps.clock,
    logger: logger.child('backup'),
    commands,
    stationCode: () => station.get()?.code ?? '',
  });
  backups.schedule();
  const sync = createSync({
    ...deps,
    db,
    dataDir: options.dataDir,
    commands,
    station,
    options: options.sync,
    isLocal: (connection) => deviceClients.has(connection),
    onStatus: (status) => {
      broadcast({ type: 'sync.status', status });
      // Days closed while the central office was out of reach are compared as soon as a round gets through.
      if (status.state === 'online') void dayClose.reconcileAwaiting();
    },
  });
  const archive = archiveService({
    ...deps,
    db,
    dataDir: options.dataDir,
    commands,
    station,
    operators,
    timeZone: STATION_TIME_ZONE,
    catalogue,
    timers: options.archiveTimers,
  });
  const uploads = pageUploads(options.dataDir);
  // Uploads abandoned a day ago or more: the teller imports such a file again.
  uploads.sweep(deps.clock.now());
  const book = dayBook(db);
  const today = () => businessDateAt(deps.clock.now(), STATION_TIME_ZONE);
  const dayClose = dayCloseService({
    ...deps,
    db,
    commands,
    station,
    operators,
    printing,
    book,
    totals: dayTotals({ db, operators, queueStats: queueStatsReader({ db, operators, timeZone: STATION_TIME_ZONE }) }),
    timeZone: STATION_TIME_ZONE,
    today,
    central: sync.engine,
  });

  const handlers: Handlers = {
    ...backupHandlers({ backups, commands, restart: options.restart }),
    ...sync.handlers,
    ...dayClose.handlers,
    ...reportHandlers({ db, catalogue, station, clock: deps.clock, timeZone: STATION_TIME_ZONE }),
    ...systemHandlers({ db, storePath, appVersion: options.appVersion, clock: deps.clock, devices: deviceOverview }),
    ...stationHandlers({ station, commands }),
    ...authHandlers({ ...deps, db, commands, operators, station }),
    ...auditHandlers({ db }),
    ...registryHandlers({ ...deps, db, commands }),
    ...caseHandlers({
      ...deps,
      db,
      commands,
      catalogue,
      station,
      operators,
      calendar,
      timeZone: STATION_TIME_ZONE,
      amounts: parametersInForce(reference),
      printing,
    }),
    ...archive.handlers,
    ...pageUploadHandlers(uploads),
    ...scannerHandlers({
      db,
      dataDir: options.dataDir,
      commands,
      demo: Boolean(options.demo),
      isLocal: (connection) => deviceClients.has(connection),
    }),
    ...printHandlers({ ...deps, db, commands, printing, station, settings: deviceSettings, timeZone: STATION_TIME_ZONE }),
    ...cardHandlers({ readers }),
    ...deviceHandlers({
      settings: deviceSettings,
      commands,
      clock: deps.clock,
      overview: deviceOverview,
      apply: async (s) => {
        await printing.configure(s);
        await readers.configure(readerSettings(s));
      },
    }),
    ...linkedQueueHandlers(localQueue, { link: hallLink, standIns, operators, caseExists: (id) => caseExists.get(id) !== undefined }),
    ...hallDeviceHandlers({ ...deps, db, commands, station, hub: hall }),
    ...hallRelayHandlers({ ...deps, db, commands, operators, hub: hall, queue: localQueue }),
    ...hallLinkHandlers({ db, commands, clock: deps.clock, link: hallLink }),
    ...ratingHandlers({ ...deps, db, commands, station, operators, hub: hall, calendar, timeZone: STATION_TIME_ZONE }),
    ...queueStatsHandler({ db, operators, timeZone: STATION_TIME_ZONE }),
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
    beforeCall: dayGate({ book, today, enrolled: sync.engine.enrolled }),
  });

  const channels = new Set<Channel>();
  printing.start();
  sync.start();
  archive.schedule.start();
  await readers.configure(readerSettings(startDevices));
  hallLink.configure(hallLinkSettings(db).get());
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
      if (isLocalPeer(peer)) deviceClients.add(connection);
      const channel: Channel = {
        dispatch: (method, params) => dispatch(connection, method, params),
        onEvent(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        close() {
          hall.forget(connection);
          listeners.clear();
          connection.session = null;
          deviceClients.delete(connection);
          channels.delete(channel);
        },
      };
      channels.add(channel);
      return channel;
    },
    close() {
      channels.forEach((c) => c.close());
      hallLink.close();
      sync.stop();
      archive.schedule.stop();
      backups.stop();
      checkpointer.stop();
      // Neither touches the closed store: a print still in flight stays 'printing', and the next start asks the teller.
      void printing.stop();
      void readers.stop();
      db.close();
      logger.info('core stopped');
    },
  };
}
