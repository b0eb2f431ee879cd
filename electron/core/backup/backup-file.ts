import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

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
  // Written beside the target, flushed, then renamed: a power cut never leaves half a backup under the real name.
  const tmp = `${path}.partial`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    for (const part of [Buffer.from(MAGIC), length, headerJson, cipher.getAuthTag(), body]) writeSync(fd, part);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Reads the header without the key: enough to list backups and to refuse another station's. */
export function readBackupHeader(path: string): BackupHeader {
  return parse(readFileSync(path)).header;
}

export function readBackupFile(path: string, key: Buffer): { header: BackupHeader; plain: Buffer } {
  const { header, headerJson, iv, tag, body } = parse(readFileSync(path));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(headerJson);
  decipher.setAuthTag(tag);
  try {
    return { header, plain: Buffer.concat([decipher.update(body), decipher.final()]) };
  } catch {
    throw new BackupFileError('备份文件已损坏或被改动，或恢复密钥不正确', 'tampered');
  }
}

function parse(file: Buffer) {
  const magic = Buffer.from(MAGIC);
  if (file.length < magic.length + 4 || !file.subarray(0, magic.length).equals(magic)) {
    throw new BackupFileError('不是一窗通的备份文件', 'format');
  }
  const headerLength = file.readUInt32BE(magic.length);
  const headerStart = magic.length + 4;
  const tagStart = headerStart + headerLength;
  if (file.length < tagStart + 16) throw new BackupFileError('备份文件不完整', 'format');
  const headerJson = file.subarray(headerStart, tagStart);
  let parsed: BackupHeader & { iv: string };
  try {
    parsed = JSON.parse(headerJson.toString('utf8')) as BackupHeader & { iv: string };
  } catch {
    throw new BackupFileError('备份文件头已损坏', 'tampered');
  }
  const { iv, ...header } = parsed;
  return {
    header,
    headerJson,
    iv: Buffer.from(iv, 'base64'),
    tag: file.subarray(tagStart, tagStart + 16),
    body: file.subarray(tagStart + 16),
  };
}
