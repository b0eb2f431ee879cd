import type { Database } from 'better-sqlite3';
import type { SyncStatus } from '#shared/api/sync';
import type { Logger } from '#shared/log/logger';
import { fetchTransport, type Send } from '#shared/sync/client';
import type { Connection } from '../api/handlers';
import type { Clock } from '../platform/deps';
import type { StationQueries } from '../station/station';
import type { CommandRunner } from '../store/command';
import { enrolment } from './enrolment';
import { inboxStore } from './inbox';
import { createSyncEngine, type SyncTimers, type SyncTuning } from './sync-engine';
import { syncHandlers } from './sync-handlers';
import { syncStore } from './sync-store';

/** What a host or a test may change about sync (CoreOptions.sync). */
export interface SyncOptions {
  /** How requests reach the central office at an address; HTTP(S) with fetch by default. */
  sendFor?: (centralUrl: string) => Send;
  timers?: SyncTimers;
  random?: () => number;
  /** Times chunks of page files on the link (performance.now by default); tests simulate a slow link with it. */
  monotonic?: () => number;
  tuning?: Partial<SyncTuning>;
}

/** A request that hangs (a dead link that never resets) counts as unreachable after this long. */
const REQUEST_TIMEOUT_MS = 30_000;

const httpSend = (centralUrl: string): Send =>
  fetchTransport(centralUrl, (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }));

/** Sync with the central office, assembled for createCore: its API handlers, and the loop to start and stop. */
export function createSync(deps: {
  db: Database;
  dataDir: string;
  clock: Clock;
  logger: Logger;
  newId: () => string;
  commands: CommandRunner;
  station: StationQueries;
  options?: SyncOptions | undefined;
  onStatus: (status: SyncStatus) => void;
  isLocal: (connection: Connection) => boolean;
}) {
  const store = syncStore(deps.db);
  const inbox = inboxStore(deps.db, deps.newId);
  const sendFor = deps.options?.sendFor ?? httpSend;
  const engine = createSyncEngine({ ...deps, ...deps.options, store, inbox, sendFor });
  const handlers = syncHandlers({
    db: deps.db,
    clock: deps.clock,
    commands: deps.commands,
    engine,
    inbox,
    store,
    enrolment: enrolment({ ...deps, store, sendFor }),
    isLocal: deps.isLocal,
  });
  return { handlers, engine, start: engine.start, stop: engine.stop };
}
