import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { syncFolder, writeFileDurably } from '../backup/durable-write';

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export const PAGE_EXTENSIONS = { 'image/jpeg': 'jpg', 'application/pdf': 'pdf' } as const;
export type StoredMime = keyof typeof PAGE_EXTENSIONS;

/** A stored page whose bytes no longer match their name: never served, reported instead. */
export class PageIntegrityError extends Error {
  constructor(
    readonly sha256: string,
    readonly found: 'missing' | 'mismatch',
  ) {
    super(
      found === 'missing'
        ? `材料影像文件缺失（${sha256.slice(0, 12)}）`
        : `材料影像文件校验失败（${sha256.slice(0, 12)}），文件已损坏或被改动`,
    );
    this.name = 'PageIntegrityError';
  }
}

/**
 * Content-addressed files under `<dataDir>/pages/<first 2 hex>/<sha256>.<ext>`: a file is written once, atomically
 * (temporary file, fsync, rename, fsync of the folder), and checked against its name on every read.
 */
export function pageFiles(dataDir: string) {
  const root = join(dataDir, 'pages');
  const pathOf = (sha256: string, mime: StoredMime) => join(root, sha256.slice(0, 2), `${sha256}.${PAGE_EXTENSIONS[mime]}`);

  return {
    root,
    pathOf,
    /** Stores the bytes unless a file of the same content is already there; returns their hash. */
    write(bytes: Buffer, mime: StoredMime): string {
      const sha256 = sha256Hex(bytes);
      const path = pathOf(sha256, mime);
      // Stored once; a file found damaged under that name is replaced by the good bytes just received.
      if (existsSync(path) && sha256Hex(readFileSync(path)) === sha256) return sha256;
      const dir = join(root, sha256.slice(0, 2));
      mkdirSync(dir, { recursive: true });
      writeFileDurably(path, [bytes], 0o600);
      syncFolder(dir);
      return sha256;
    },
    read(sha256: string, mime: StoredMime): Buffer {
      const path = pathOf(sha256, mime);
      if (!existsSync(path)) throw new PageIntegrityError(sha256, 'missing');
      const bytes = readFileSync(path);
      if (sha256Hex(bytes) !== sha256) throw new PageIntegrityError(sha256, 'mismatch');
      return bytes;
    },
    /**
     * A good copy being fetched from the central office, kept beside the file as `<name>.download` so an interrupted
     * download resumes where it stopped: its length is where the next part starts. Nothing reads it as a page.
     */
    download: {
      received: (sha256: string, mime: StoredMime): number => {
        const part = `${pathOf(sha256, mime)}.download`;
        return existsSync(part) ? statSync(part).size : 0;
      },
      append(sha256: string, mime: StoredMime, bytes: Buffer): void {
        mkdirSync(join(root, sha256.slice(0, 2)), { recursive: true });
        const fd = openSync(`${pathOf(sha256, mime)}.download`, 'a', 0o600);
        try {
          writeSync(fd, bytes);
        } finally {
          closeSync(fd);
        }
      },
      /**
       * The whole file arrived: kept (flushed, renamed over the damaged file, folder flushed) only if it hashes to its
       * name; otherwise thrown away, so the next attempt starts from nothing. True when the page is whole again.
       */
      finish(sha256: string, mime: StoredMime): boolean {
        const path = pathOf(sha256, mime);
        const part = `${path}.download`;
        if (sha256Hex(readFileSync(part)) !== sha256) {
          rmSync(part, { force: true });
          return false;
        }
        const fd = openSync(part, 'r+');
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(part, path);
        syncFolder(join(root, sha256.slice(0, 2)));
        return true;
      },
      discard: (sha256: string, mime: StoredMime) => rmSync(`${pathOf(sha256, mime)}.download`, { force: true }),
    },
  };
}
export type PageFiles = ReturnType<typeof pageFiles>;
