import type { Database } from 'better-sqlite3';
import type { SyncStatus } from '#shared/api/sync';
import type { Logger } from '#shared/log/logger';
import type { Answer, DeviceCredentials, SyncClient } from '#shared/sync/client';
import { MAX_CHUNK_BYTES, MAX_DOWNLOAD_BYTES, MAX_STATUS_FILES, type FileStatus } from '#shared/sync/files';
import { PageIntegrityError, sha256Hex } from '../archive/page-files';
import { pageStore } from '../archive/page-store';
import { failureOfAnswer } from './failures';
import { fileSyncStore, type SyncFile } from './file-sync-store';

/** How big the chunks of a file are: sized to the link, so an operation written meanwhile waits about one chunk. */
export interface ChunkTuning {
  chunkStartBytes: number;
  chunkMinBytes: number;
  chunkMaxBytes: number;
  /** How long one chunk should take on the wire. */
  chunkTargetMs: number;
}

export const DEFAULT_CHUNK_TUNING: ChunkTuning = {
  chunkStartBytes: 64 * 1024,
  chunkMinBytes: 16 * 1024,
  chunkMaxBytes: MAX_CHUNK_BYTES,
  chunkTargetMs: 500,
};

/**
 * The next chunk's size from the last one: what the link carried in `chunkTargetMs` at the rate just measured, never
 * more than twice the last (one fast answer is no proof of a fast link), within the bounds.
 */
export function nextChunkBytes(current: number, bytes: number, elapsedMs: number, t: ChunkTuning): number {
  const fits = elapsedMs > 0 ? (bytes / elapsedMs) * t.chunkTargetMs : Infinity;
  return Math.round(Math.max(t.chunkMinBytes, Math.min(t.chunkMaxBytes, fits, current * 2)));
}

/**
 * How long a file the central office confirmed holding goes unasked. It forgets a stored file that fails its hash (and
 * then answers `missing`), and only a station that holds the file can send it again.
 */
export const RECHECK_AFTER_MS = 24 * 60 * 60 * 1000;

/** A chunk damaged on the way is sent again at most this often in a row before the file waits for the next round. */
const CHUNK_RESENDS = 3;
/** Answers in a row that move a file no further (the server keeps naming another offset) before it waits likewise. */
const STALLS = 3;

export interface FilePhase {
  client: SyncClient;
  device: DeviceCredentials;
  /** The engine's request: a transport failure throws (UNREACHABLE), and nothing runs on after the engine stopped. */
  request: <T>(call: () => Promise<Answer<T>>) => Promise<Answer<T>>;
  /** True when the phase must return at the next chunk boundary: an operation waits, or the engine needs the line. */
  shouldYield: () => boolean;
  /** After every chunk, so the UI follows. */
  onProgress: () => void;
}

/** `yielded`: stopped early, more to do at once; `done`: nothing more this round can do. */
export type PhaseOutcome = 'done' | 'yielded';

type FileOutcome = 'yielded' | 'settled';

/**
 * The file phase of a round (docs/sync-engine.md, "File sync"), after push and pull succeeded: damaged local pages
 * come back from the central office, then every file that an acknowledged operation names and the central office
 * does not hold yet goes up in chunks, from where the central office says it stands, then a few files it confirmed
 * holding more than a day ago are asked about again. Files are deduplicated by hash (one asked about is never sent
 * when the central office holds it), checked against their hash before a byte leaves, and the phase gives way
 * between chunks as soon as an operation waits.
 */
export function fileSync(deps: {
  db: Database;
  dataDir: string;
  logger: Logger;
  now: () => string;
  monotonic: () => number;
  tuning: ChunkTuning;
}) {
  const store = fileSyncStore(deps.db);
  const pages = pageStore(deps.db, deps.dataDir);
  const log = deps.logger.child('files');
  const { now, monotonic, tuning } = deps;
  let chunkBytes = tuning.chunkStartBytes;
  let sentBytes = 0;
  let active = false;
  /** Whether the last phase emptied the backlog: the next one then starts counting sent bytes afresh. */
  let drained = true;

  /** Sends one request carrying `bytes` and learns the link's speed from how long it took. */
  async function timed<T>(phase: FilePhase, bytes: number, call: () => Promise<Answer<T>>): Promise<Answer<T>> {
    const started = monotonic();
    const res = await phase.request(call);
    chunkBytes = nextChunkBytes(chunkBytes, bytes, monotonic() - started, tuning);
    return res;
  }

  function problem(file: SyncFile, message: string, fields: Record<string, unknown> = {}): FileOutcome {
    log.warn('page file left for a later round', { sha256: file.sha256, problem: message, ...fields });
    store.problem(file.sha256, message, now());
    return 'settled';
  }

  /** Chunks from `offset`, the central office's count of what it has: bytes it confirmed never go again. */
  async function upload(phase: FilePhase, file: SyncFile, bytes: Buffer, from: number): Promise<FileOutcome> {
    let offset = from;
    let resends = 0;
    let stalls = 0;
    let restarted = false;
    while (offset < file.size) {
      if (phase.shouldYield()) return 'yielded';
      const chunk = bytes.subarray(offset, offset + chunkBytes);
      const query = { offset, size: file.size, chunk: sha256Hex(chunk) };
      const res = await timed(phase, chunk.length, () => phase.client.uploadChunk(phase.device, file.sha256, query, chunk));
      if (res.ok) {
        const reached = res.body.state === 'stored' ? file.size : Math.min(res.body.offset, file.size);
        sentBytes += Math.max(0, reached - offset);
        stalls = reached > offset ? 0 : stalls + 1;
        resends = 0;
        offset = reached;
        if (res.body.state === 'stored') store.stored(file.sha256, now());
        else store.confirmed(file.sha256, offset, now());
        phase.onProgress();
        if (res.body.state === 'stored') return 'settled';
      } else {
        const error = res.body.error;
        if (error.code === 'OFFSET_MISMATCH' && error.offset !== undefined) {
          // The central office has more (a duplicate delivery) or less (a lost part) than this chunk assumed.
          offset = Math.min(Math.max(0, error.offset), file.size);
          stalls += 1;
        } else if (error.code === 'CHUNK_CORRUPT') {
          if (++resends > CHUNK_RESENDS) return problem(file, '文件分块多次在传输中损坏，将在下次同步时继续');
        } else if (error.code === 'FILE_CORRUPT') {
          // The assembled file did not match its hash and the central office dropped it: once more from the start.
          if (restarted) return problem(file, '文件传完后中心校验仍不符，将在下次同步时重新上传');
          log.warn('the central office dropped an assembled file that failed its hash; sending it again', { sha256: file.sha256 });
          restarted = true;
          offset = 0;
        } else if (error.code === 'FILE_NOT_REFERENCED') {
          return 'settled';
        } else {
          throw failureOfAnswer(res);
        }
      }
      if (stalls > STALLS) return problem(file, '中心反复给出不同的续传位置，将在下次同步时继续');
    }
    return 'settled';
  }

  /** A verified copy from the central office replaces the damaged file; resumes a download an earlier round began. */
  async function repair(phase: FilePhase, file: SyncFile): Promise<FileOutcome> {
    const part = pages.files.download;
    let offset = part.received(file.sha256, file.mime);
    if (offset > file.size) {
      part.discard(file.sha256, file.mime);
      offset = 0;
    }
    while (offset < file.size) {
      if (phase.shouldYield()) return 'yielded';
      const query = { offset, length: Math.min(chunkBytes, MAX_DOWNLOAD_BYTES, file.size - offset) };
      const res = await timed(phase, query.length, () => phase.client.download(phase.device, file.sha256, query));
      if (!res.ok) {
        const code = res.body.error.code;
        if (code === 'FILE_NOT_FOUND' || code === 'FILE_NOT_REFERENCED') return problem(file, '中心没有该文件，无法取回，请重新采集');
        throw failureOfAnswer(res);
      }
      const data = Buffer.from(res.body.dataBase64, 'base64');
      const fits = res.body.sha256 === file.sha256 && res.body.size === file.size && res.body.offset === offset;
      if (!fits || data.length === 0 || offset + data.length > file.size) {
        part.discard(file.sha256, file.mime);
        return problem(file, '中心返回的文件内容与请求不符，将在下次同步时重新取回');
      }
      part.append(file.sha256, file.mime, data);
      offset += data.length;
      phase.onProgress();
    }
    if (!part.finish(file.sha256, file.mime)) {
      log.error('a page fetched from the central office failed its hash; discarded', { sha256: file.sha256 });
      return problem(file, '从中心取回的文件校验不符，已丢弃，将在下次同步时重新取回');
    }
    pages.markRepaired(file.sha256, now());
    log.info('page repaired from the central office', { sha256: file.sha256 });
    phase.onProgress();
    return 'settled';
  }

  async function settle(phase: FilePhase, file: SyncFile, status: FileStatus): Promise<FileOutcome> {
    if (status.state === 'stored') {
      store.stored(file.sha256, now());
      phase.onProgress();
      return file.damaged ? repair(phase, file) : 'settled';
    }
    // The central office does not count an operation naming it (yet): asked about again next round.
    if (status.state === 'unreferenced' || file.damaged) return 'settled';
    let bytes: Buffer;
    try {
      bytes = pages.files.read(file.sha256, file.mime);
    } catch (err) {
      if (!(err instanceof PageIntegrityError)) throw err;
      // Never uploaded: the central office would keep a damaged page as the record. It has none, so it stays reported.
      log.error('page file failed its hash; not uploaded', { sha256: file.sha256, found: err.found });
      pages.markDamaged(file.sha256, now(), err.message);
      phase.onProgress();
      return 'settled';
    }
    return upload(phase, file, bytes, status.state === 'partial' ? Math.min(status.offset, file.size) : 0);
  }

  /** What the central office says of each file of the batch (at most MAX_STATUS_FILES), by hash. */
  async function statusOf(p: FilePhase, batch: readonly SyncFile[]): Promise<Map<string, FileStatus>> {
    const res = await p.request(() =>
      p.client.fileStatus(
        p.device,
        batch.map((f) => ({ sha256: f.sha256, size: f.size })),
      ),
    );
    if (!res.ok) throw failureOfAnswer(res);
    return new Map(res.body.files.map((s) => [s.sha256, s]));
  }

  /** Every due file, in hash order, a status request per batch. */
  async function uploadDue(p: FilePhase): Promise<PhaseOutcome> {
    let after = '';
    for (;;) {
      if (p.shouldYield()) return 'yielded';
      const batch = store.due(after, MAX_STATUS_FILES);
      if (batch.length === 0) return 'done';
      after = batch.at(-1)!.sha256;
      const states = await statusOf(p, batch);
      for (const file of batch) {
        const status = states.get(file.sha256);
        if (status && (await settle(p, file, status)) === 'yielded') return 'yielded';
      }
    }
  }

  /**
   * The slow re-check, one status request at most: the stored files confirmed longest ago, if more than a day ago.
   * Those the central office no longer holds go back in the queue and up at once, from where it stands.
   */
  async function recheck(p: FilePhase): Promise<PhaseOutcome> {
    if (p.shouldYield()) return 'yielded';
    const batch = store.toRecheck(new Date(Date.parse(now()) - RECHECK_AFTER_MS).toISOString(), MAX_STATUS_FILES);
    if (batch.length === 0) return 'done';
    const states = await statusOf(p, batch);
    store.rechecked(
      batch.flatMap((f) => states.get(f.sha256) ?? []),
      now(),
    );
    for (const file of batch) {
      const status = states.get(file.sha256);
      if (!status || (status.state !== 'missing' && status.state !== 'partial')) continue;
      log.warn('the central office no longer holds a page file it had stored; sending it again', { sha256: file.sha256 });
      if ((await settle(p, file, status)) === 'yielded') return 'yielded';
    }
    return 'done';
  }

  async function phase(p: FilePhase): Promise<PhaseOutcome> {
    for (const file of store.toRepair()) {
      if ((await repair(p, file)) === 'yielded') return 'yielded';
    }
    if ((await uploadDue(p)) === 'yielded') return 'yielded';
    return recheck(p);
  }

  return {
    status: (): SyncStatus['files'] => ({ ...store.totals(), sentBytes, active }),
    async run(p: FilePhase): Promise<PhaseOutcome> {
      if (drained) sentBytes = 0;
      active = true;
      drained = false;
      try {
        const outcome = await phase(p);
        drained = outcome === 'done';
        return outcome;
      } finally {
        active = false;
      }
    },
    /** Whether a phase would find anything to do (a round that skipped it schedules one soon when so). */
    hasWork: () => store.toRepair().length > 0 || store.due('', 1).length > 0,
  };
}
export type FileSync = ReturnType<typeof fileSync>;
