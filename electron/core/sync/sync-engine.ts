import type { Database } from 'better-sqlite3';
import type { SyncState, SyncStatus } from '#shared/api/sync';
import type { Logger } from '#shared/log/logger';
import { syncClient, type Answer, type DeviceCredentials, type Send, type SyncClient } from '#shared/sync/client';
import {
  MAX_BATCH_OPS,
  MAX_PAGE_CHANGES,
  type DayCloseRequest,
  type DayCloseResponse,
  type OpEnvelope,
  type PushResponse,
} from '#shared/sync/protocol';
import type { Clock } from '../platform/deps';
import type { StationQueries } from '../station/station';
import type { CommandRunner } from '../store/command';
import { pageApplier } from './apply-page';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { readDeviceKey } from './device-key';
import { failure, failureOfAnswer, SyncFailure } from './failures';
import { DEFAULT_CHUNK_TUNING, fileSync, type ChunkTuning, type PhaseOutcome } from './file-sync';
import type { InboxStore } from './inbox';
import { ed25519Signer, nodeSyncCrypto } from './node-crypto';
import type { SyncStore } from './sync-store';

/** Timers the engine uses, injectable so tests drive the loop with a manual clock. */
export interface SyncTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: SyncTimers = {
  // unref: a pending retry never keeps the process alive on its own.
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SyncTuning extends ChunkTuning {
  /** Operations per push (the protocol allows up to MAX_BATCH_OPS; halved on 413). */
  batchOps: number;
  /** Changes per stream per pull page. */
  pageLimit: number;
  /** While online, how long between rounds when nothing is written locally (central decisions come down). */
  pollMs: number;
  /** A new outbox row starts a round this long after it, so a burst of commands goes in one push. */
  debounceMs: number;
  backoff: BackoffPolicy;
}

export const DEFAULT_TUNING: SyncTuning = {
  batchOps: MAX_BATCH_OPS,
  pageLimit: MAX_PAGE_CHANGES,
  pollMs: 30_000,
  debounceMs: 500,
  backoff: DEFAULT_BACKOFF,
  ...DEFAULT_CHUNK_TUNING,
};

export interface SyncEngineDeps {
  db: Database;
  dataDir: string;
  clock: Clock;
  logger: Logger;
  newId: () => string;
  commands: CommandRunner;
  station: StationQueries;
  store: SyncStore;
  inbox: InboxStore;
  /** How requests reach the central office at this address (fetch by default; inject or a faulty link in tests). */
  sendFor: (centralUrl: string) => Send;
  timers?: SyncTimers;
  random?: () => number;
  /** Milliseconds from any fixed point, for timing chunks on the link (performance.now by default). */
  monotonic?: () => number;
  tuning?: Partial<SyncTuning>;
  onStatus: (status: SyncStatus) => void;
}

interface Identity {
  device: DeviceCredentials;
  client: SyncClient;
}

const STOPPED = Symbol('stopped');

/**
 * The station's sync loop. A round pushes the outbox in batches, pulls both streams page by page, then moves the
 * files of material pages (file-sync.ts), which give way to any operation written meanwhile. Whenever the
 * central office is reachable the loop runs: after a new outbox row (debounced), every `pollMs`, and on `syncNow`.
 * A failed round schedules the next one with exponential backoff and full jitter; a refusal of the device itself
 * stops the loop until an administrator acts. Upload and download never run at the same time (one round at a time).
 */
export function createSyncEngine(deps: SyncEngineDeps) {
  const { store, inbox, clock } = deps;
  const log = deps.logger.child('sync');
  const timers = deps.timers ?? realTimers;
  const random = deps.random ?? Math.random;
  const tuning: SyncTuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const nowMs = () => clock.now().getTime();
  const nowIso = () => clock.now().toISOString();

  let identity: Identity | null = null;
  let state: SyncState = 'never_enrolled';
  let lastError: SyncStatus['lastError'] = null;
  let attempt = 0;
  let timer: unknown = null;
  let nextAttemptAt: number | null = null;
  let wake: unknown = null;
  let inFlight: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let unsubscribe: (() => void) | null = null;
  /** Someone waits for the line (a day close, a sync now, a pause): the file phase gives way at its next chunk. */
  let hurry = false;
  /** Of the round in flight, for the progress the UI shows (a first sync can take minutes on a slow line). */
  let progress: SyncStatus['progress'] = null;

  const applyPage = pageApplier({
    db: deps.db,
    store,
    inbox,
    station: deps.station,
    logger: log,
    newId: deps.newId,
    now: nowIso,
    deviceId: () => identity?.device.deviceId ?? '',
  });

  const files = fileSync({
    db: deps.db,
    dataDir: deps.dataDir,
    logger: log,
    now: nowIso,
    monotonic: deps.monotonic ?? (() => performance.now()),
    tuning,
  });

  function status(): SyncStatus {
    const row = store.device();
    return {
      state,
      pendingOps: store.pendingCount(),
      openInbox: inbox.openCount(),
      lastSyncAt: row?.last_sync_at ?? null,
      lastError,
      nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt).toISOString(),
      clockSkewMs: identity ? Math.round(identity.device.clockOffsetMs) : (row?.clock_offset_ms ?? null),
      deviceId: row?.device_id ?? null,
      stationCode: row?.station_code ?? null,
      stationName: row?.station_name ?? null,
      centralUrl: row?.central_url ?? null,
      progress: state === 'syncing' ? progress : null,
      files: files.status(),
    };
  }

  const emit = () => {
    if (!stopped) deps.onStatus(status());
  };

  function cancel(): void {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    nextAttemptAt = null;
  }

  function schedule(ms: number): void {
    cancel();
    nextAttemptAt = nowMs() + ms;
    timer = timers.setTimeout(() => {
      timer = null;
      nextAttemptAt = null;
      void run();
    }, ms);
  }

  /** The device identity from the store and the key file; null when not enrolled. */
  function load(): Identity | null {
    const row = store.device();
    if (!row) return null;
    const key = readDeviceKey(deps.dataDir);
    if (key === null) throw failure('KEY_MISSING');
    const device: DeviceCredentials = { deviceId: row.device_id, sign: ed25519Signer(key), clockOffsetMs: row.clock_offset_ms };
    const client = syncClient({ send: deps.sendFor(row.central_url), crypto: nodeSyncCrypto, now: nowMs });
    return { device, client };
  }

  /** A request whose transport failure (no route, reset, timeout) means the central office is unreachable. */
  async function request<T>(call: () => Promise<Answer<T>>): Promise<Answer<T>> {
    let answer: Answer<T>;
    try {
      answer = await call();
    } catch (err) {
      if (stopped) throw STOPPED;
      log.info('central office unreachable', { err: err instanceof Error ? err.message : String(err) });
      throw failure('UNREACHABLE');
    }
    if (stopped) throw STOPPED;
    return answer;
  }

  /** Marks what the central office has applied and files its refusals and conflicts, in one transaction. */
  const acknowledge = deps.db.transaction((answer: PushResponse, ops: OpEnvelope[]) => {
    const at = nowIso();
    store.markPushedThrough(answer.lastAppliedSeq, at);
    const bySeq = new Map(ops.map((op) => [op.seq, op]));
    for (const result of answer.results) {
      const op = bySeq.get(result.seq);
      if (!op) continue;
      if (result.outcome === 'refused')
        inbox.refusal({ ...result, type: op.type, code: result.code ?? 'REFUSED', message: result.message ?? '', at });
      if (result.outcome === 'conflicted') inbox.conflictsOf(result, op, at);
    }
  });

  async function push(id: Identity): Promise<void> {
    let from = store.firstPendingSeq();
    let batch = tuning.batchOps;
    while (from !== null) {
      const ops = store.envelopesFrom(from, batch);
      if (ops.length === 0) return;
      const res = await request(() => id.client.push(id.device, ops));
      if (res.ok) {
        acknowledge(res.body, ops);
        if (progress) {
          progress.pushed = Math.min(progress.toPush, progress.pushed + ops.length);
          emit();
        }
        // A lost answer costs one resend: the central office skips what it has and repeats its results.
        if (res.body.lastAppliedSeq < from) throw failure('NO_PROGRESS');
        from = res.body.lastAppliedSeq + 1;
        continue;
      }
      const error = res.body.error;
      // The central office has fewer operations than this PC believes it pushed: resend from where it stands.
      if (error.code === 'SEQUENCE_GAP' && error.expectedSeq !== undefined && error.expectedSeq < from) {
        from = error.expectedSeq;
        continue;
      }
      // A restored PC reusing numbers the central office holds: its new operations go after them, ids unchanged.
      if (error.code === 'SEQUENCE_MISMATCH' && error.seq !== undefined && error.lastAppliedSeq !== undefined) {
        if (store.resequence(error.seq, error.lastAppliedSeq + 1)) {
          log.warn('outbox renumbered after a restore', { from: error.seq, to: error.lastAppliedSeq + 1 });
          from = error.lastAppliedSeq + 1;
          continue;
        }
      }
      if (error.code === 'BODY_TOO_LARGE' && batch > 1) {
        batch = Math.max(1, Math.floor(batch / 2));
        continue;
      }
      throw failureOfAnswer(res);
    }
  }

  async function pull(id: Identity): Promise<void> {
    let refetched = false;
    for (;;) {
      const query = { station: store.cursor('station').cursor, reference: store.cursor('reference').cursor, limit: tuning.pageLimit };
      const res = await request(() => id.client.pull(id.device, query));
      if (!res.ok) throw failureOfAnswer(res);
      let page;
      try {
        page = applyPage(res.body);
        if (progress && page.applied > 0) {
          progress.pulled += page.applied;
          emit();
        }
      } catch (err) {
        log.error('a pulled change could not be applied; the page was rolled back', {
          err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err),
        });
        throw failure('BAD_CHANGE');
      }
      if (page.mismatched.length > 0) {
        if (refetched) throw failure('CHECKSUM_MISMATCH');
        refetched = true;
        continue;
      }
      if (!page.hasMore) return;
    }
  }

  /**
   * Pages after operations: the file phase runs only once push and pull went through, and gives way between chunks
   * as soon as an operation waits, so the next round pushes it first and the pages continue after it.
   */
  function uploadFiles(id: Identity): Promise<PhaseOutcome> {
    return files.run({
      client: id.client,
      device: id.device,
      request,
      shouldYield: () => stopped || hurry || store.pendingCount() > 0,
      onProgress: emit,
    });
  }

  async function round(withFiles: boolean): Promise<void> {
    hurry = false;
    try {
      identity ??= load();
      if (!identity) {
        state = 'never_enrolled';
        return;
      }
      state = 'syncing';
      progress = { pushed: 0, toPush: store.pendingCount(), pulled: 0 };
      emit();
      await push(identity);
      await pull(identity);
      // Business data is in step now, whatever becomes of the pages.
      store.recordSuccess(nowIso(), identity.device.clockOffsetMs);
      lastError = null;
      attempt = 0;
      const yielded = withFiles && (await uploadFiles(identity)) === 'yielded';
      if (stopped) return;
      state = 'online';
      // Pages left over come next: at once after giving way to an operation, shortly after a round that skipped them.
      schedule(yielded ? 0 : again || (!withFiles && files.hasWork()) ? tuning.debounceMs : tuning.pollMs);
      again = false;
    } catch (err) {
      if (err === STOPPED || stopped) return;
      const f = err instanceof SyncFailure ? err : failure('ENGINE', err instanceof Error ? err.message : String(err));
      if (!(err instanceof SyncFailure))
        log.error('sync round failed', { err: err instanceof Error ? { message: err.message, stack: err.stack } : err });
      if (identity) store.setClockOffset(identity.device.clockOffsetMs);
      lastError = { code: f.code, message: f.message, at: nowIso() };
      if (f.kind === 'blocked') {
        state = 'blocked';
        cancel();
      } else {
        state = f.kind === 'offline' ? 'offline' : 'online';
        attempt += 1;
        schedule(backoffDelay(attempt, random, tuning.backoff));
      }
      log.info('sync round failed', { code: f.code, state, nextAttemptAt: nextAttemptAt && new Date(nextAttemptAt).toISOString() });
    } finally {
      emit();
    }
  }

  function run(withFiles = true): Promise<void> {
    if (stopped) return Promise.resolve();
    if (inFlight) return inFlight;
    inFlight = round(withFiles).finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  /** A command wrote an outbox row: push it soon if the central office is reachable; tell the UI the count either way. */
  function onOutbox(): void {
    if (wake !== null || stopped) return;
    wake = timers.setTimeout(() => {
      wake = null;
      if (state === 'syncing') again = true;
      else if (state === 'online') schedule(0);
      else emit();
    }, tuning.debounceMs);
  }

  return {
    status,
    /** Starts the loop: a first round at once when enrolled. */
    start(): void {
      unsubscribe = deps.commands.onOutbox(onOutbox);
      if (store.device()) schedule(0);
    },
    /** Runs a round now (after the one in flight, so operations written before the call are included). */
    async syncNow(): Promise<SyncStatus> {
      hurry = true;
      if (inFlight) await inFlight;
      cancel();
      await run();
      return status();
    },
    /** Whether this PC has a device identity with a central office. */
    enrolled: (): boolean => store.device() !== undefined,
    /**
     * The day close's exchange: a round first (so the frozen day's operations are pushed), then the comparison.
     * Null when the central office cannot be reached or refuses the request: the day closes locally meanwhile.
     */
    async dayClose(closing: DayCloseRequest): Promise<DayCloseResponse | null> {
      hurry = true;
      if (inFlight) await inFlight;
      cancel();
      // The comparison needs the day's operations, not its pages: those follow in the background.
      await run(false);
      if (!identity) return null;
      const id = identity;
      try {
        const res = await request(() => id.client.dayClose(id.device, closing));
        if (res.ok) return res.body;
        log.warn('day close refused', { code: res.body.error.code });
        return null;
      } catch (err) {
        if (err === STOPPED) throw err;
        return null;
      }
    },
    /** Waits for the round in flight and holds the loop, before the enrolment changes under it. */
    async pause(): Promise<void> {
      cancel();
      hurry = true;
      if (inFlight) await inFlight;
      cancel();
    },
    /** The enrolment changed (enrolled, or reset): forget the old identity and start over. */
    reload(): void {
      identity = null;
      lastError = null;
      attempt = 0;
      state = 'never_enrolled';
      if (store.device()) schedule(0);
      emit();
    },
    /** Stops for good: no timer fires and no answer in flight touches the store after this. */
    stop(): void {
      stopped = true;
      cancel();
      if (wake !== null) timers.clearTimeout(wake);
      wake = null;
      unsubscribe?.();
    },
  };
}
export type SyncEngine = ReturnType<typeof createSyncEngine>;
