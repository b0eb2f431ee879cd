import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import type { PageRestore } from '#shared/api/backup';
import type { Logger } from '#shared/log/logger';
import { PageIntegrityError, pageFiles, sha256Hex, type PageFiles, type StoredMime } from '../archive/page-files';
import { BACKUP_EXTENSION, keyFingerprint, readBackupHeader, readBackupPageList, type PageEntry } from './backup-file';
import { syncFolder, writeFileDurably } from './durable-write';

/**
 * Material pages beside the backups, `<backup folder>/pages/<key fingerprint>/<2 hex>/<sha256>.ycpg`, each encrypted
 * with the backup key (AES-256-GCM, a fresh IV, the hash as additional data so that one page file cannot stand in for
 * another). Pages never change, so a page file is written once and every later backup that needs it reuses it. One
 * folder per key: a backup folder shared by several PCs never reuses a page file its own key cannot open.
 */
const MAGIC = Buffer.from('YCPG/1\n');
const IV = 12;
const TAG = 16;
const OVERHEAD = MAGIC.length + IV + TAG;
const PAGE_FILE_EXTENSION = '.ycpg';

/** A page of the store, as `page_blob` describes it. */
export interface PageRow extends PageEntry {
  mime: StoredMime;
}

/** The pages a store refers to, in hash order. */
export const pageRows = (db: Database) => db.prepare<[], PageRow>('SELECT sha256, mime, size FROM page_blob ORDER BY sha256').all();

export const pageFolderOf = (key: Buffer) => `pages/${keyFingerprint(key)}`;
const pathIn = (root: string, sha256: string) => join(root, sha256.slice(0, 2), `${sha256}${PAGE_FILE_EXTENSION}`);

/** A page file already written is trusted by its length only, until a restore decrypts and hashes it. */
function holds(root: string, { sha256, size }: PageEntry): boolean {
  const path = pathIn(root, sha256);
  return existsSync(path) && statSync(path).size === size + OVERHEAD;
}

function seal(sha256: string, plain: Buffer, key: Buffer): Buffer[] {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(sha256));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [MAGIC, iv, cipher.getAuthTag(), body];
}

/** The page's bytes when the file decrypts under the key as the page of that hash and hashes to it; null otherwise. */
function unseal(sha256: string, file: Buffer, key: Buffer): Buffer | null {
  if (file.length < OVERHEAD || !file.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, file.subarray(MAGIC.length, MAGIC.length + IV));
  decipher.setAAD(Buffer.from(sha256));
  decipher.setAuthTag(file.subarray(MAGIC.length + IV, OVERHEAD));
  try {
    const plain = Buffer.concat([decipher.update(file.subarray(OVERHEAD)), decipher.final()]);
    return sha256Hex(plain) === sha256 ? plain : null;
  } catch {
    return null;
  }
}

/**
 * Runs the work page by page, yielding between pages so the counters' requests (and progress events) go on while a
 * long backup or restore runs; reports progress at most about 200 times.
 */
async function pageByPage<T>(items: readonly T[], onProgress: (done: number, total: number) => unknown, work: (item: T) => void) {
  const every = Math.max(1, Math.floor(items.length / 200));
  await onProgress(0, items.length);
  for (const [i, item] of items.entries()) {
    work(item);
    if ((i + 1) % every === 0 || i + 1 === items.length) await onProgress(i + 1, items.length);
    else await nextTurn();
  }
}

export interface PagesBackedUp {
  folder: string;
  /** The pages the backup carries: their files are in the folder, the new ones checked after writing. */
  entries: PageEntry[];
  written: number;
  /** Pages whose file on this PC is missing or damaged: not in the backup. */
  unavailable: string[];
  /** New page files that did not read back right: removed, not in the backup, and the backup is not verified. */
  failed: string[];
}

/**
 * Puts the store's pages beside a backup: a page file already there (of the right size) is reused, any other is
 * read from the data folder (verified by its hash), encrypted, written durably (temporary file, rename, folder
 * flushed before the backup file that needs it is written) and read back.
 */
export async function backUpPages(p: {
  rows: readonly PageRow[];
  dataDir: string;
  backupDir: string;
  key: Buffer;
  logger: Logger;
  onProgress: (done: number, total: number) => void;
}): Promise<PagesBackedUp> {
  const folder = pageFolderOf(p.key);
  const root = join(p.backupDir, folder);
  const live = pageFiles(p.dataDir);
  const out: PagesBackedUp = { folder, entries: [], written: 0, unavailable: [], failed: [] };
  const touched = new Set<string>();
  await pageByPage(p.rows, p.onProgress, ({ sha256, size, mime }) => {
    // Written once, reused by every later backup.
    if (holds(root, { sha256, size })) {
      out.entries.push({ sha256, size });
      return;
    }
    const path = pathIn(root, sha256);
    let plain: Buffer;
    try {
      plain = live.read(sha256, mime);
    } catch (err) {
      if (!(err instanceof PageIntegrityError)) throw err;
      out.unavailable.push(sha256);
      p.logger.error('page not backed up: its file on this PC is missing or damaged', { sha256, found: err.found });
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileDurably(path, seal(sha256, plain, p.key));
    touched.add(dirname(path));
    if (unseal(sha256, readFileSync(path), p.key)) {
      out.written++;
      out.entries.push({ sha256, size });
    } else {
      // Never left to be reused as good by a later backup.
      rmSync(path, { force: true });
      out.failed.push(sha256);
      p.logger.error('page file did not read back after writing', { sha256, path });
    }
  });
  for (const dir of touched) syncFolder(dir);
  return out;
}

/** The listed pages whose file is not in the backup's page folder in full length. */
export function pageFilesAbsent(root: string, entries: readonly PageEntry[]): string[] {
  return entries.filter((e) => !holds(root, e)).map((e) => e.sha256);
}

/**
 * Writes the pages of a restored store into its data folder, each decrypted from the backup's page folder and
 * verified by its hash first. A page missing from the backup folder or failing its check is not written (so it is
 * never shown as valid: reading it reports it missing), and is logged and listed in the result. A page already whole
 * in `presentIn` (the live data folder of a restore from the backup page, whose pages stay where they are) is kept.
 */
export async function restorePages(p: {
  rows: readonly PageRow[];
  /** The backup's page folder; null for a backup that carries no pages. */
  root: string | null;
  key: Buffer;
  dataDir: string;
  presentIn?: string;
  logger: Logger;
  onProgress: (done: number, total: number) => unknown;
}): Promise<PageRestore> {
  const target = pageFiles(p.dataDir);
  const present = p.presentIn ? pageFiles(p.presentIn) : null;
  const out: PageRestore = { total: p.rows.length, restored: 0, present: 0, missing: 0, damaged: 0, problems: [] };
  const problem = (sha256: string, found: 'missing' | 'damaged') => {
    out[found]++;
    out.problems.push({ sha256, found });
    p.logger.error(found === 'missing' ? 'page not restored: not in the backup folder' : 'page not restored: its backup file is damaged', {
      sha256,
    });
  };
  await pageByPage(p.rows, p.onProgress, ({ sha256, mime }) => {
    if (present && isWhole(present, sha256, mime)) {
      out.present++;
      return;
    }
    const path = p.root && pathIn(p.root, sha256);
    if (!path || !existsSync(path)) return problem(sha256, 'missing');
    const plain = unseal(sha256, readFileSync(path), p.key);
    if (!plain) return problem(sha256, 'damaged');
    target.write(plain, mime);
    out.restored++;
  });
  return out;
}

function isWhole(files: PageFiles, sha256: string, mime: StoredMime): boolean {
  try {
    files.read(sha256, mime);
    return true;
  } catch (err) {
    if (err instanceof PageIntegrityError) return false;
    throw err;
  }
}

/**
 * Rotation of the page files: deletes those of the key's folder that no backup file in the backup folder lists (the
 * ones just rotated out, and any other backup written under this key counts), and leftovers of writes cut short.
 * When a backup's list cannot be read, nothing is deleted: what it needs is unknown. Returns the files deleted.
 */
export function prunePageFiles(backupDir: string, folder: string, logger: Logger): number {
  const root = join(backupDir, folder);
  if (!existsSync(root)) return 0;
  const needed = new Set<string>();
  for (const name of readdirSync(backupDir).filter((f) => f.endsWith(BACKUP_EXTENSION))) {
    const file = join(backupDir, name);
    try {
      if (readBackupHeader(file).pages?.folder !== folder) continue;
    } catch {
      continue; // not a backup that can be restored at all
    }
    try {
      for (const { sha256 } of readBackupPageList(file).pages) needed.add(sha256);
    } catch (err) {
      logger.warn('page files not rotated: a backup lists its pages unreadably', { file, err: (err as Error).message });
      return 0;
    }
  }
  let removed = 0;
  for (const sub of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const name of readdirSync(join(root, sub.name))) {
      const stale =
        name.endsWith('.partial') || (name.endsWith(PAGE_FILE_EXTENSION) && !needed.has(name.slice(0, -PAGE_FILE_EXTENSION.length)));
      if (!stale) continue;
      rmSync(join(root, sub.name, name), { force: true });
      removed++;
    }
  }
  return removed;
}
