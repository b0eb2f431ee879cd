import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type {
  ChunkQuery,
  ChunkResponse,
  DownloadQuery,
  DownloadResponse,
  FileStatus,
  FileStatusRequest,
  FileStatusResponse,
} from '#shared/sync/files';
import { consumeNonce, type AuthenticatedDevice } from '../auth/device-auth';
import type { DB } from '../db/schema';
import type { Store } from '../db/store';
import { SyncError } from '../http/errors';
import type { Metrics } from '../metrics';
import type { BlobProblem, BlobRead, BlobStore } from './blob-store';

/**
 * File sync at the central office (docs/sync-protocol.md, "File sync"): which files a station may send, resumable
 * uploads in chunks, downloads. A station may only send or fetch a file that one of its own pages, applied and not
 * removed, names with that hash and size: the gateway is never a general-purpose file store.
 *
 * One request at a time writes to an upload. It takes a lease on the upload's row in a short transaction, writes
 * outside any transaction (a write lock is never held over disk I/O), and records the new length with the lease
 * released in a second one. Two requests for the same upload, on one instance or two, therefore take turns; a lease
 * left by a crashed instance expires. `received` only grows after the bytes are on disk, and every file is hashed
 * whole before it becomes a blob, so even a writer that outlived its lease can cause a retry, never a wrong file.
 */

export interface FileDeps {
  store: Store;
  blobs: BlobStore;
  now: () => Date;
  metrics: Metrics;
}

/** Longer than any one write (1 MiB and an fsync) or the final hash (64 MiB) takes; how long a crashed writer blocks. */
const LEASE_MS = 60_000;
/** How long a request waits for another writing the same upload before it answers NOT_READY. */
const WAIT_MS = 10_000;
const POLL_MS = 20;

/** The name of a station's upload of a file in the blob store: uploads are per station, blobs are shared. */
const uploadName = (stationCode: string, sha256: string) => `${stationCode}-${sha256}`;

/** Whether a page of the station, applied and not removed, names this file (with this size, when given). */
async function referenced(db: Kysely<DB>, stationCode: string, sha256: string, size?: number): Promise<boolean> {
  let q = db
    .selectFrom('page')
    .select('id')
    .where('station_code', '=', stationCode)
    .where('sha256', '=', sha256)
    .where('removed_at', 'is', null);
  if (size !== undefined) q = q.where('size', '=', size);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Reads a stored blob through its hash. A blob that is gone or fails its hash is reported, moved aside and forgotten
 * (its `blob` row deleted), so it counts as missing and the stations that hold it upload it again.
 */
export async function readVerified(
  deps: Pick<FileDeps, 'store' | 'blobs'>,
  log: FastifyBaseLogger,
  sha256: string,
  range: { offset: number; length: number },
  context: Record<string, unknown> = {},
): Promise<BlobRead> {
  const read = await deps.blobs.read(sha256, range.offset, range.length);
  if (!read.ok) await forget(deps, log, sha256, read.problem, context);
  return read;
}

/** Reports a stored blob that is gone or damaged, puts a damaged one aside, and deletes its row. */
async function forget(
  deps: Pick<FileDeps, 'store' | 'blobs'>,
  log: FastifyBaseLogger,
  sha256: string,
  problem: BlobProblem,
  context: Record<string, unknown>,
): Promise<void> {
  log.error({ sha256, problem, ...context }, problem === 'corrupt' ? 'stored file failed its hash' : 'stored file is missing');
  if (problem === 'corrupt') await deps.blobs.quarantine(sha256);
  await deps.store.transaction((db) => db.deleteFrom('blob').where('sha256', '=', sha256).execute());
}

/** `POST /v1/files/status`. */
export async function fileStatus(
  deps: FileDeps,
  log: FastifyBaseLogger,
  auth: AuthenticatedDevice,
  request: FileStatusRequest,
): Promise<FileStatusResponse> {
  const { store } = deps;
  const station = auth.station.code;
  await store.transaction((db) => consumeNonce(db, auth));
  const hashes = [...new Set(request.files.map((f) => f.sha256))];
  const [refs, stored, uploads] = await Promise.all([
    store.reader
      .selectFrom('page')
      .select(['sha256', 'size'])
      .where('station_code', '=', station)
      .where('removed_at', 'is', null)
      .where('sha256', 'in', hashes)
      .execute(),
    store.reader.selectFrom('blob').select(['sha256', 'size']).where('sha256', 'in', hashes).execute(),
    store.reader
      .selectFrom('blob_upload')
      .select(['sha256', 'size', 'received'])
      .where('station_code', '=', station)
      .where('sha256', 'in', hashes)
      .execute(),
  ]);
  const refKeys = new Set(refs.map((r) => `${r.sha256}:${r.size}`));
  const storedSizes = new Map(stored.map((b) => [b.sha256, b.size]));
  const uploaded = new Map(uploads.map((u) => [u.sha256, u]));

  const files: FileStatus[] = [];
  for (const { sha256, size } of request.files) {
    if (!refKeys.has(`${sha256}:${size}`)) {
      files.push({ sha256, state: 'unreferenced', offset: 0 });
      continue;
    }
    if (storedSizes.get(sha256) === size) {
      // A cheap look at the disk (no hash): a blob whose file went away or changed length is forgotten, so the
      // station sends it again.
      const onDisk = await deps.blobs.storedSize(sha256);
      if (onDisk === size) {
        files.push({ sha256, state: 'stored', offset: size });
        continue;
      }
      storedSizes.delete(sha256);
      await forget(deps, log, sha256, onDisk === undefined ? 'missing' : 'corrupt', { station });
    }
    const upload = uploaded.get(sha256);
    files.push(
      upload && upload.size === size && upload.received > 0
        ? { sha256, state: 'partial', offset: upload.received }
        : { sha256, state: 'missing', offset: 0 },
    );
  }
  return { serverTime: deps.now().toISOString(), files };
}

/** An upload is one station's sending of one file. */
interface Upload {
  station_code: string;
  sha256: string;
}

type Claim =
  | { kind: 'done'; answer: Omit<ChunkResponse, 'serverTime' | 'sha256'>; ended: boolean }
  | { kind: 'refused'; error: SyncError }
  | { kind: 'busy' }
  | { kind: 'write'; lease: string; received: number };

/**
 * Decides, under the upload row's lock, what a chunk `[query.offset, end)` does: nothing (the file is stored, or the
 * chunk holds nothing new), a refusal, wait (another request holds the lease), or write from `received` under a new
 * lease.
 */
async function claim(deps: FileDeps, db: Kysely<DB>, upload: Upload, query: ChunkQuery, end: number): Promise<Claim> {
  const { store } = deps;
  const ours = (eb: ExpressionBuilder<DB, 'blob_upload'>) => eb.and(upload);
  if (!(await referenced(db, upload.station_code, upload.sha256, query.size))) {
    return { kind: 'refused', error: new SyncError('FILE_NOT_REFERENCED') };
  }
  const nowMs = deps.now().getTime();
  const at = new Date(nowMs).toISOString();
  await db
    .insertInto('blob_upload')
    .values({ ...upload, size: query.size, received: 0, lease: null, lease_until: 0, updated_at: at })
    .onConflict((oc) => oc.columns(['station_code', 'sha256']).doNothing())
    .execute();
  const row = await store.forUpdate(db.selectFrom('blob_upload').selectAll().where(ours)).executeTakeFirstOrThrow();
  const leased = row.lease !== null && row.lease_until > nowMs;
  // Looked at under the upload's lock: a writer of this upload that just stored the file is seen here.
  const stored = await db.selectFrom('blob').select('size').where('sha256', '=', upload.sha256).executeTakeFirst();
  if (stored) {
    // Another station's upload, or this one's answer lost: this upload is over (unless someone still writes to it).
    if (!leased) await db.deleteFrom('blob_upload').where(ours).execute();
    return { kind: 'done', answer: { state: 'stored', offset: stored.size }, ended: !leased };
  }
  if (leased) return { kind: 'busy' };
  // A size other than the upload's began with another claim about the file: it starts again.
  const received = row.size === query.size ? row.received : 0;
  if (query.offset > received) {
    if (received !== row.received)
      await db.updateTable('blob_upload').set({ size: query.size, received, updated_at: at }).where(ours).execute();
    const message = `文件续传位置不符：中心已收到${received}字节，请从第${received}字节继续`;
    return { kind: 'refused', error: new SyncError('OFFSET_MISMATCH', { offset: received }, message) };
  }
  // A chunk sent again (a lost answer, a retry through another instance): nothing new in it.
  if (end <= received) return { kind: 'done', answer: { state: 'partial', offset: received }, ended: false };
  const lease = randomUUID();
  await db
    .updateTable('blob_upload')
    .set({ size: query.size, received, lease, lease_until: nowMs + LEASE_MS, updated_at: at })
    .where(ours)
    .execute();
  return { kind: 'write', lease, received };
}

/**
 * Ends a lease: records how many bytes the upload now has, or ends the upload (deleting its row), recording the
 * stored file when there is one. False, changing nothing, when the lease was lost (it expired and another took it).
 */
function release(
  deps: FileDeps,
  upload: Upload,
  lease: string,
  outcome: { received: number } | { end: 'stored' | 'discarded'; size: number; mime: string | null },
) {
  const { store } = deps;
  const ours = (eb: ExpressionBuilder<DB, 'blob_upload'>) => eb.and(upload);
  return store.transaction(async (db) => {
    const held = await store
      .forUpdate(db.selectFrom('blob_upload').select('lease').where(ours).where('lease', '=', lease))
      .executeTakeFirst();
    if (!held) return false;
    const at = deps.now().toISOString();
    if ('received' in outcome) {
      await db
        .updateTable('blob_upload')
        .set({ received: outcome.received, lease: null, lease_until: 0, updated_at: at })
        .where(ours)
        .execute();
      return true;
    }
    if (outcome.end === 'stored') {
      await db
        .insertInto('blob')
        .values({ sha256: upload.sha256, size: outcome.size, mime: outcome.mime, stored_at: at })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    }
    await db.deleteFrom('blob_upload').where(ours).execute();
    return true;
  });
}

/**
 * Removes the uploads of files whose stations stopped sending them: every upload with no progress for `maxAgeMs`,
 * its row and its partial bytes. Each is taken under a lease first, as a write is, so an upload that a request on any
 * instance is writing is left alone, and a station that resumes it meanwhile waits for the purge, then starts from 0.
 * The bytes go before the row: a purge cut short leaves the row, and the next purge finishes it. Answers how many it
 * removed.
 */
export async function purgeAbandonedUploads(deps: FileDeps, log: FastifyBaseLogger, maxAgeMs: number): Promise<number> {
  const { store, blobs } = deps;
  const nowMs = deps.now().getTime();
  const before = new Date(nowMs - maxAgeMs).toISOString();
  const abandoned = (eb: ExpressionBuilder<DB, 'blob_upload'>) =>
    eb.and([eb('updated_at', '<', before), eb.or([eb('lease', 'is', null), eb('lease_until', '<=', nowMs)])]);
  const candidates = await store.reader.selectFrom('blob_upload').select(['station_code', 'sha256']).where(abandoned).execute();
  let purged = 0;
  for (const { station_code, sha256 } of candidates) {
    const upload: Upload = { station_code, sha256 };
    const lease = randomUUID();
    // Looked at again under the row's lock: a station may have sent a chunk since.
    const row = await store.transaction(async (db) => {
      const found = await store
        .forUpdate(
          db
            .selectFrom('blob_upload')
            .selectAll()
            .where((eb) => eb.and(upload))
            .where(abandoned),
        )
        .executeTakeFirst();
      if (found) {
        await db
          .updateTable('blob_upload')
          .set({ lease, lease_until: nowMs + LEASE_MS })
          .where((eb) => eb.and(upload))
          .execute();
      }
      return found;
    });
    if (!row) continue;
    await blobs.discard(uploadName(station_code, sha256));
    if (!(await release(deps, upload, lease, { end: 'discarded', size: row.size, mime: null }))) continue;
    purged += 1;
    deps.metrics.uploadsPurged += 1;
    log.info(
      { station: station_code, sha256, size: row.size, received: row.received, lastProgress: row.updated_at },
      'abandoned file upload purged',
    );
  }
  return purged;
}

const busy = () => new SyncError('NOT_READY', {}, '该文件正由另一请求写入，请稍后重试');

/**
 * `POST /v1/files/<sha256>?offset&size&chunk` with the chunk's bytes, already authenticated and checked against the
 * declared chunk hash. Writes what lies beyond the bytes already received and answers how far the file got.
 */
export async function receiveChunk(
  deps: FileDeps,
  log: FastifyBaseLogger,
  auth: AuthenticatedDevice,
  sha256: string,
  query: ChunkQuery,
  bytes: Buffer,
): Promise<ChunkResponse> {
  const { store, blobs } = deps;
  const upload: Upload = { station_code: auth.station.code, sha256 };
  const partial = uploadName(upload.station_code, sha256);
  const answer = (a: Omit<ChunkResponse, 'serverTime' | 'sha256'>): ChunkResponse => ({
    serverTime: deps.now().toISOString(),
    sha256,
    ...a,
  });
  const end = query.offset + bytes.length;
  if (end > query.size) {
    throw new SyncError('INVALID_REQUEST', {}, `分块超出文件末尾：第${query.offset}字节起${bytes.length}字节，文件共${query.size}字节`);
  }

  // The nonce is consumed with the first attempt only: waiting for another writer is not a new request.
  const deadline = Date.now() + WAIT_MS;
  let claimed = await store.transaction(async (db) => {
    await consumeNonce(db, auth);
    return claim(deps, db, upload, query, end);
  });
  while (claimed.kind === 'busy') {
    if (Date.now() >= deadline) throw busy();
    await sleep(POLL_MS);
    claimed = await store.transaction((db) => claim(deps, db, upload, query, end));
  }
  if (claimed.kind === 'refused') throw claimed.error;
  if (claimed.kind === 'done') {
    if (claimed.ended) await blobs.discard(partial);
    return answer(claimed.answer);
  }

  const { lease } = claimed;
  const lost = () => {
    log.warn({ station: upload.station_code, sha256 }, 'file upload lease lost to another request');
    return busy();
  };
  let start = claimed.received;
  let outcome: 'partial' | 'stored' | 'corrupt';
  try {
    // The database counted bytes the disk no longer has (a partial removed, a crash): the upload starts over.
    if (start > 0 && (await blobs.partialSize(partial)) < start) {
      log.warn({ station: upload.station_code, sha256, received: start }, 'partial upload shorter than recorded: starting over');
      start = 0;
    }
    if (start === 0) await blobs.discard(partial);
    if (query.offset > start) {
      if (!(await release(deps, upload, lease, { received: 0 }))) throw lost();
      throw new SyncError('OFFSET_MISMATCH', { offset: 0 }, '中心的续传记录已失效，请从第0字节重新上传');
    }
    await blobs.write(partial, start, bytes.subarray(start - query.offset));
    outcome = end < query.size ? 'partial' : (await blobs.commit(partial, sha256, query.size)) ? 'stored' : 'corrupt';
  } catch (err) {
    // A failed write records nothing new: the next chunk goes on from where the upload stood.
    if (!(err instanceof SyncError)) await release(deps, upload, lease, { received: start }).catch(() => undefined);
    throw err;
  }

  const context = { station: upload.station_code, deviceId: auth.device.id, sha256, size: query.size };
  if (outcome === 'partial') {
    if (!(await release(deps, upload, lease, { received: end }))) throw lost();
    log.debug({ ...context, offset: query.offset, received: end }, 'file chunk');
    return answer({ state: 'partial', offset: end });
  }
  if (outcome === 'corrupt') {
    if (!(await release(deps, upload, lease, { end: 'discarded', size: query.size, mime: null }))) throw lost();
    log.warn(context, 'uploaded file failed its hash: discarded');
    throw new SyncError('FILE_CORRUPT');
  }
  const page = await store.reader
    .selectFrom('page')
    .select('mime')
    .where('station_code', '=', upload.station_code)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  if (!(await release(deps, upload, lease, { end: 'stored', size: query.size, mime: page?.mime ?? null }))) throw lost();
  deps.metrics.filesStored += 1;
  log.info(context, 'file stored');
  return answer({ state: 'stored', offset: query.size });
}

/** `GET /v1/files/<sha256>?offset&length`. */
export async function downloadFile(
  deps: FileDeps,
  log: FastifyBaseLogger,
  auth: AuthenticatedDevice,
  sha256: string,
  query: DownloadQuery,
): Promise<DownloadResponse> {
  const { store } = deps;
  await store.transaction((db) => consumeNonce(db, auth));
  const blob = await store.reader.selectFrom('blob').select('size').where('sha256', '=', sha256).executeTakeFirst();
  if (!blob || !(await referenced(store.reader, auth.station.code, sha256))) throw new SyncError('FILE_NOT_FOUND');
  if (query.offset >= blob.size) {
    throw new SyncError('INVALID_REQUEST', {}, `下载位置超出文件末尾：文件共${blob.size}字节`);
  }
  const read = await readVerified(deps, log, sha256, query, { station: auth.station.code });
  if (!read.ok) throw new SyncError('FILE_NOT_FOUND');
  return { serverTime: deps.now().toISOString(), sha256, size: read.size, offset: query.offset, dataBase64: read.bytes.toString('base64') };
}
