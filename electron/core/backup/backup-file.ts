import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { writeFileDurably } from './durable-write';

/**
 * The encrypted backup file: a magic line, a JSON header (authenticated, not secret), the list of the page files the
 * backup needs (not secret either: the page files are named by the same hashes), then the SQLite database encrypted
 * with AES-256-GCM. The header travels as GCM additional data, so changing the station or version in it breaks the
 * tag like any flipped byte of the body does; the header holds the list's digest, so the tag vouches for the list too.
 * The list is readable without the key, so rotation can tell which page files the kept backups need.
 */
const MAGIC = 'YICHUANG-BACKUP/2\n';
/** Backups written before pages were backed up: still read and restored, they carry no pages. */
const MAGIC_WITHOUT_PAGES = 'YICHUANG-BACKUP/1\n';
export const BACKUP_EXTENSION = '.ycbak';

export interface BackupPages {
  /** Where the page files lie, relative to the backup's folder: one folder per backup key (backup-pages.ts). */
  folder: string;
  count: number;
  /** Their plain size in total. */
  bytes: number;
  /** SHA-256 of the page list that follows the header. */
  digest: string;
}

export interface BackupHeader {
  stationCode: string;
  schemaVersion: number;
  createdAt: string;
  /** Rows per table when the backup was taken: checked again on every verification and restore. */
  counts: Record<string, number>;
  /** Absent from backups written before pages were backed up. */
  pages?: BackupPages;
}

/** One page a backup carries: its hash and plain size. */
export interface PageEntry {
  sha256: string;
  size: number;
}

export class BackupFileError extends Error {
  constructor(
    message: string,
    readonly reason: 'format' | 'tampered',
  ) {
    super(message);
    this.name = 'BackupFileError';
  }
}

/** The first 16 hex digits of the key's SHA-256: names the key (and its page folder) without revealing it. */
export const keyFingerprint = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);

export function writeBackupFile(
  path: string,
  header: Omit<BackupHeader, 'pages'>,
  plain: Buffer,
  key: Buffer,
  pages?: { folder: string; entries: readonly PageEntry[] },
): void {
  const list = encodePageList(pages?.entries ?? []);
  const iv = randomBytes(12);
  const written: BackupHeader & { iv: string } = {
    stationCode: header.stationCode,
    schemaVersion: header.schemaVersion,
    createdAt: header.createdAt,
    counts: header.counts,
    ...(pages && {
      pages: {
        folder: pages.folder,
        count: pages.entries.length,
        bytes: pages.entries.reduce((sum, e) => sum + e.size, 0),
        digest: sha256Hex(list),
      },
    }),
    iv: iv.toString('base64'),
  };
  const headerJson = Buffer.from(JSON.stringify(written));
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(headerJson);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerJson.length);
  writeFileDurably(path, [Buffer.from(MAGIC), length, headerJson, list, cipher.getAuthTag(), body]);
}

/** Reads the header without the key (and without reading the rest): enough to list backups and to refuse another station's. */
export function readBackupHeader(path: string): BackupHeader {
  return withFile(path, (fd) => readHead(fd).header);
}

/**
 * The pages a backup needs, without the key: checked against the digest in the header, which is as far as anything
 * can be trusted without the key (rotation keeps the page files of the listed hashes).
 */
export function readBackupPageList(path: string): { header: BackupHeader; pages: PageEntry[] } {
  return withFile(path, (fd) => {
    const { header, listStart, bodyStart } = readHead(fd);
    return { header, pages: decodePageList(header, readAt(fd, listStart, bodyStart - listStart)) };
  });
}

export function readBackupFile(path: string, key: Buffer): { header: BackupHeader; plain: Buffer; pages: PageEntry[] } {
  const file = readFileSync(path);
  const { header, headerJson, iv, listStart, bodyStart } = parseHead(file);
  if (file.length < bodyStart + 16) throw new BackupFileError('备份文件不完整', 'format');
  const pages = decodePageList(header, file.subarray(listStart, bodyStart));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(headerJson);
  decipher.setAuthTag(file.subarray(bodyStart, bodyStart + 16));
  try {
    return { header, plain: Buffer.concat([decipher.update(file.subarray(bodyStart + 16)), decipher.final()]), pages };
  } catch {
    throw new BackupFileError('备份文件已损坏或被改动，或恢复密钥不正确', 'tampered');
  }
}

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A header is a few kilobytes; anything far larger is not one of ours (and must not make us allocate it). */
const MAX_HEADER = 1 << 20;
const PREFIX = MAGIC.length + 4;
const ENTRY = 36;
const PAGE_FOLDER = /^pages\/[0-9a-f]{16}$/;

function encodePageList(entries: readonly PageEntry[]): Buffer {
  const list = Buffer.alloc(entries.length * ENTRY);
  entries.forEach((e, i) => {
    Buffer.from(e.sha256, 'hex').copy(list, i * ENTRY);
    list.writeUInt32BE(e.size, i * ENTRY + 32);
  });
  return list;
}

function decodePageList(header: BackupHeader, list: Buffer): PageEntry[] {
  if (!header.pages) return [];
  if (list.length !== header.pages.count * ENTRY || sha256Hex(list) !== header.pages.digest)
    throw new BackupFileError('备份文件中的材料影像清单已损坏', 'tampered');
  return Array.from({ length: header.pages.count }, (_, i) => ({
    sha256: list.toString('hex', i * ENTRY, i * ENTRY + 32),
    size: list.readUInt32BE(i * ENTRY + 32),
  }));
}

function withFile<R>(path: string, use: (fd: number) => R): R {
  const fd = openSync(path, 'r');
  try {
    return use(fd);
  } finally {
    closeSync(fd);
  }
}

/** At most what the file holds: a length read from a damaged header must not make us allocate it. */
function readAt(fd: number, at: number, length: number): Buffer {
  const out = Buffer.alloc(Math.max(0, Math.min(length, fstatSync(fd).size - at)));
  return out.subarray(0, readSync(fd, out, 0, out.length, at));
}

function readHead(fd: number) {
  return parseHead(readAt(fd, 0, PREFIX + headerLengthOf(readAt(fd, 0, PREFIX))));
}

function headerLengthOf(prefix: Buffer): number {
  const magic = prefix.subarray(0, MAGIC.length).toString('latin1');
  if (prefix.length < PREFIX || (magic !== MAGIC && magic !== MAGIC_WITHOUT_PAGES)) {
    throw new BackupFileError('不是一窗通的备份文件', 'format');
  }
  const length = prefix.readUInt32BE(MAGIC.length);
  if (length > MAX_HEADER) throw new BackupFileError('备份文件头已损坏', 'tampered');
  return length;
}

/** The magic line, the header, and where the page list and the tag with the body start; the file may be cut after the header. */
function parseHead(file: Buffer) {
  const listStart = PREFIX + headerLengthOf(file);
  if (file.length < listStart) throw new BackupFileError('备份文件不完整', 'format');
  const headerJson = file.subarray(PREFIX, listStart);
  let parsed: BackupHeader & { iv: string };
  try {
    parsed = JSON.parse(headerJson.toString('utf8')) as BackupHeader & { iv: string };
  } catch {
    throw new BackupFileError('备份文件头已损坏', 'tampered');
  }
  const { iv, ...header } = parsed;
  const pages = header.pages;
  // The folder becomes a path on restore: only the shape this program writes is accepted.
  if (pages && !(PAGE_FOLDER.test(pages.folder) && Number.isSafeInteger(pages.count) && pages.count >= 0))
    throw new BackupFileError('备份文件头已损坏', 'tampered');
  return { header, headerJson, iv: Buffer.from(iv, 'base64'), listStart, bodyStart: listStart + (pages?.count ?? 0) * ENTRY };
}
