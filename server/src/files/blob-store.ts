import { createHash } from 'node:crypto';
import { constants, mkdirSync } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Where the central office keeps the bytes of files (material pages), named by their SHA-256. The database says
 * which files are stored (`blob`) and how far each upload got (`blob_upload`); the store only holds bytes. Disk by
 * default; an object store can implement the same interface.
 *
 * Nothing read from it is trusted: a stored blob is hashed whole on every read and never served if it fails.
 */
export interface BlobStore {
  /** The stored blob's size, or undefined when there is none: a cheap check, without hashing. */
  storedSize(sha256: string): Promise<number | undefined>;
  /**
   * Bytes `[offset, offset + length)` of a stored blob, after the whole blob was hashed against its name (a length of
   * 0 only checks it).
   */
  read(sha256: string, offset: number, length: number): Promise<BlobRead>;
  /** Moves a blob that failed its hash out of the way (kept for inspection): from then on it is missing. */
  quarantine(sha256: string): Promise<void>;
  /** How many bytes partial upload `upload` holds on disk (0 when none). */
  partialSize(upload: string): Promise<number>;
  /** Writes `bytes` at `offset` of partial upload `upload`; they are durable when the promise settles. */
  write(upload: string, offset: number, bytes: Uint8Array): Promise<void>;
  /**
   * When partial upload `upload` is exactly `size` bytes whose SHA-256 is `sha256`, makes it the stored blob (atomic
   * and durable) and answers true; otherwise discards it and answers false.
   */
  commit(upload: string, sha256: string, size: number): Promise<boolean>;
  discard(upload: string): Promise<void>;
}

export type BlobProblem = 'missing' | 'corrupt';
export type BlobRead = { ok: true; bytes: Buffer; size: number } | { ok: false; problem: BlobProblem };

const SHA256 = /^[0-9a-f]{64}$/;
const UPLOAD = /^[0-9A-Za-z_-]{1,160}$/;

function named(pattern: RegExp, name: string): string {
  // Names come from validated requests already; checked again here because they become paths.
  if (!pattern.test(name)) throw new Error(`invalid blob store name: ${JSON.stringify(name)}`);
  return name;
}

const isMissing = (err: unknown) => (err as { code?: unknown }).code === 'ENOENT';

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

async function unlinkIfThere(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
}

/** Makes a rename or a new entry in `dir` durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const READ_CHUNK = 256 * 1024;

/** Streams the file at `path` through SHA-256, keeping `[offset, offset + length)`; undefined when there is no file. */
async function hashFile(path: string, offset: number, length: number): Promise<{ sha256: string; size: number; kept: Buffer } | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
  try {
    const hash = createHash('sha256');
    const kept: Buffer[] = [];
    const buffer = Buffer.alloc(READ_CHUNK);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, position);
      if (bytesRead === 0) break;
      const part = buffer.subarray(0, bytesRead);
      hash.update(part);
      const from = Math.max(offset - position, 0);
      const to = Math.min(offset + length - position, bytesRead);
      if (from < to) kept.push(Buffer.from(part.subarray(from, to)));
      position += bytesRead;
    }
    return { sha256: hash.digest('hex'), size: position, kept: Buffer.concat(kept) };
  } finally {
    await handle.close();
  }
}

/**
 * Blobs on disk under `dir`: `<dir>/<first 2 hex>/<sha256>` (never written again once there), partial uploads in
 * `<dir>/partial/<upload>.part`, blobs that failed their hash in `<dir>/quarantine/<sha256>.<ms>`. A blob appears
 * only by renaming a complete, verified and fsynced partial into place, so a power cut never leaves half a blob
 * under a blob's name.
 */
export function diskBlobStore(dir: string): BlobStore {
  const partialDir = join(dir, 'partial');
  const quarantineDir = join(dir, 'quarantine');
  // Created at start, so a gateway that cannot write its blob folder fails at once rather than at the first upload.
  mkdirSync(partialDir, { recursive: true });
  mkdirSync(quarantineDir, { recursive: true });
  const blobPath = (sha256: string) => join(dir, named(SHA256, sha256).slice(0, 2), sha256);
  const partialPath = (upload: string) => join(partialDir, `${named(UPLOAD, upload)}.part`);

  async function read(sha256: string, offset: number, length: number): Promise<BlobRead> {
    const scanned = await hashFile(blobPath(sha256), offset, length);
    if (!scanned) return { ok: false, problem: 'missing' };
    if (scanned.sha256 !== sha256) return { ok: false, problem: 'corrupt' };
    return { ok: true, bytes: scanned.kept, size: scanned.size };
  }

  return {
    storedSize: async (sha256) => sizeOf(blobPath(sha256)),
    read,
    async quarantine(sha256) {
      try {
        await rename(blobPath(sha256), join(quarantineDir, `${sha256}.${Date.now()}`));
      } catch (err) {
        if (!isMissing(err)) throw err;
      }
    },
    partialSize: async (upload) => (await sizeOf(partialPath(upload))) ?? 0,
    async write(upload, offset, bytes) {
      const path = partialPath(upload);
      let created = true;
      let handle;
      try {
        handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
        created = false;
        handle = await open(path, constants.O_RDWR);
      }
      try {
        let written = 0;
        while (written < bytes.length) {
          const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, offset + written);
          written += bytesWritten;
        }
        await handle.datasync();
      } finally {
        await handle.close();
      }
      if (created) await syncDir(partialDir);
    },
    async commit(upload, sha256, size) {
      const from = partialPath(upload);
      const scanned = await hashFile(from, 0, 0);
      if (!scanned || scanned.size !== size || scanned.sha256 !== sha256) {
        await unlinkIfThere(from);
        return false;
      }
      const to = blobPath(sha256);
      await mkdir(dirname(to), { recursive: true });
      // Every write was fdatasynced already; the rename is made durable by syncing the folder it lands in.
      await rename(from, to);
      await syncDir(dirname(to));
      return true;
    },
    discard: async (upload) => unlinkIfThere(partialPath(upload)),
  };
}
