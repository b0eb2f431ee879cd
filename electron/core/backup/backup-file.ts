import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { writeFileDurably } from './durable-write';

/**
 * The encrypted backup file: a magic line, a JSON header (authenticated, not secret),
 * then the SQLite database encrypted with AES-256-GCM. The header travels as GCM
 * additional data, so changing the station or version in it breaks the tag like any
 * flipped byte of the body does.
 */
const MAGIC = 'YICHUANG-BACKUP/1\n';

export interface BackupHeader {
  stationCode: string;
  schemaVersion: number;
  createdAt: string;
  /** Rows per table when the backup was taken: checked again on every verification and restore. */
  counts: Record<string, number>;
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

export function writeBackupFile(path: string, header: BackupHeader, plain: Buffer, key: Buffer): void {
  const iv = randomBytes(12);
  const headerJson = Buffer.from(JSON.stringify({ ...header, iv: iv.toString('base64') }));
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(headerJson);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerJson.length);
  writeFileDurably(path, [Buffer.from(MAGIC), length, headerJson, cipher.getAuthTag(), body]);
}

/** Reads the header without the key (and without reading the body): enough to list backups and to refuse another station's. */
export function readBackupHeader(path: string): BackupHeader {
  const fd = openSync(path, 'r');
  try {
    const prefix = Buffer.alloc(MAGIC.length + 4);
    const length = headerLengthOf(prefix.subarray(0, readSync(fd, prefix, 0, prefix.length, 0)));
    const head = Buffer.alloc(prefix.length + length);
    readSync(fd, head, 0, head.length, 0);
    return parseHead(head).header;
  } finally {
    closeSync(fd);
  }
}

export function readBackupFile(path: string, key: Buffer): { header: BackupHeader; plain: Buffer } {
  const file = readFileSync(path);
  const { header, headerJson, iv, bodyStart } = parseHead(file);
  if (file.length < bodyStart + 16) throw new BackupFileError('备份文件不完整', 'format');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(headerJson);
  decipher.setAuthTag(file.subarray(bodyStart, bodyStart + 16));
  try {
    return { header, plain: Buffer.concat([decipher.update(file.subarray(bodyStart + 16)), decipher.final()]) };
  } catch {
    throw new BackupFileError('备份文件已损坏或被改动，或恢复密钥不正确', 'tampered');
  }
}

/** A header is a few kilobytes; anything far larger is not one of ours (and must not make us allocate it). */
const MAX_HEADER = 1 << 20;

function headerLengthOf(prefix: Buffer): number {
  const magic = Buffer.from(MAGIC);
  if (prefix.length < magic.length + 4 || !prefix.subarray(0, magic.length).equals(magic)) {
    throw new BackupFileError('不是一窗通的备份文件', 'format');
  }
  const length = prefix.readUInt32BE(magic.length);
  if (length > MAX_HEADER) throw new BackupFileError('备份文件头已损坏', 'tampered');
  return length;
}

/** The magic line, the header and where the tag and body start; the file may be cut after the header. */
function parseHead(file: Buffer) {
  const headerStart = MAGIC.length + 4;
  const bodyStart = headerStart + headerLengthOf(file);
  if (file.length < bodyStart) throw new BackupFileError('备份文件不完整', 'format');
  const headerJson = file.subarray(headerStart, bodyStart);
  let parsed: BackupHeader & { iv: string };
  try {
    parsed = JSON.parse(headerJson.toString('utf8')) as BackupHeader & { iv: string };
  } catch {
    throw new BackupFileError('备份文件头已损坏', 'tampered');
  }
  const { iv, ...header } = parsed;
  return { header, headerJson, iv: Buffer.from(iv, 'base64'), bodyStart };
}
