import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../audit/verify';
import { STORE_FILE } from '../index';
import { rejection } from '../testing/api-error';
import { startTestCore, tempDir } from '../testing/fixture';
import { makeIdNumber } from '../testing/id-numbers';
import { BackupFileError, readBackupFile, writeBackupFile } from './backup-file';
import { RestoreRefused, restoreBackup } from './restore';

type T = Awaited<ReturnType<typeof startTestCore>>;
let t: T;
afterEach(() => t?.dispose());

const STATION = '330106001';

async function withBackups(keep = 14) {
  t = await startTestCore();
  const admin = await t.loggedIn('admin', 3);
  const dir = tempDir('yichuang-backups-');
  await admin.call('backup.updateSettings', { dir, intervalHours: 24, keep });
  const teller = await t.loggedIn('teller', 1);
  return { admin, teller, dir };
}

const key = () => Buffer.from(readFileSync(join(t.dataDir, 'backup.key'), 'utf8'), 'base64');

function restoreTo(file: string, stationCode = STATION) {
  const dataDir = tempDir('yichuang-restored-');
  const header = restoreBackup({ file, key: key(), dataDir, stationCode, storeFile: STORE_FILE });
  return { dataDir, header, db: new BetterSqlite3(join(dataDir, STORE_FILE), { readonly: true }) };
}

describe('backup', () => {
  it('writes an encrypted, verified backup that restores to the same rows', async () => {
    const { admin, teller } = await withBackups();
    await teller.call('person.create', { idNumber: makeIdNumber('330106', '1980-05-20', 17), name: '陈建国' });
    const record = await admin.call('backup.run', {});
    expect(record).toMatchObject({ verified: true, counts: expect.objectContaining({ person: 1, operator: 4 }) });
    // Personal data never lies in the clear on the backup medium.
    expect(readFileSync(record.file).includes(Buffer.from('陈建国'))).toBe(false);
    const status = await admin.call('backup.status', {});
    expect(status).toMatchObject({ overdue: false, history: [expect.objectContaining({ file: record.file, verified: true })] });
    const restored = restoreTo(record.file);
    expect(restored.db.prepare('SELECT name FROM person').all()).toEqual([{ name: '陈建国' }]);
    expect(verifyAuditChain(restored.db).ok).toBe(true);
    restored.db.close();
  });

  it('is consistent while commands keep running', async () => {
    const { admin, teller } = await withBackups();
    let stop = false;
    let done = 0;
    const burst = (async () => {
      for (let i = 1; !stop && i < 500; i++) {
        await teller.call('person.create', { idNumber: makeIdNumber('330106', '1970-01-01', i), name: '测试人' });
        done++;
      }
    })();
    const record = await admin.call('backup.run', {});
    stop = true;
    await burst;
    const restored = restoreTo(record.file);
    const persons = (restored.db.prepare('SELECT COUNT(*) AS n FROM person').get() as { n: number }).n;
    const creates = (restored.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'person.create'").get() as { n: number }).n;
    const outbox = restored.db.prepare('SELECT MIN(seq) AS lo, MAX(seq) AS hi, COUNT(*) AS n FROM outbox').get() as {
      lo: number;
      hi: number;
      n: number;
    };
    expect(persons).toBe(creates); // every command whole: its row with its audit entry
    expect(outbox).toEqual({ lo: 1, hi: outbox.n, n: outbox.n }); // gap-free
    expect(verifyAuditChain(restored.db).ok).toBe(true);
    expect(persons).toBeLessThanOrEqual(done);
    restored.db.close();
  });

  it('detects a corrupted backup and refuses to restore it', async () => {
    const { admin } = await withBackups();
    const record = await admin.call('backup.run', {});
    const bytes = readFileSync(record.file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0x01, bytes.length - 100);
    writeFileSync(record.file, bytes);
    expect(() => readBackupFile(record.file, key())).toThrow(BackupFileError);
    expect(() => restoreTo(record.file)).toThrow(/已损坏或被改动/);
  });

  it('refuses another station\u2019s backup and one from a newer version', async () => {
    const { admin } = await withBackups();
    const record = await admin.call('backup.run', {});
    expect(() => restoreTo(record.file, '330106002')).toThrow(RestoreRefused);
    const { header, plain } = readBackupFile(record.file, key());
    const newer = join(tempDir(), 'newer.ycbak');
    writeBackupFile(newer, { ...header, schemaVersion: header.schemaVersion + 1 }, plain, key());
    expect(() => restoreTo(newer)).toThrow(/更新版本/);
    // A header edited without the key breaks the tag: the station in it cannot be forged.
    const forged = readFileSync(record.file).toString('latin1').replace(`"stationCode":"${STATION}"`, '"stationCode":"330106002"');
    const forgedFile = join(tempDir(), 'forged.ycbak');
    writeFileSync(forgedFile, Buffer.from(forged, 'latin1'));
    expect(() => restoreTo(forgedFile, '330106002')).toThrow(/已损坏或被改动/);
  });

  it('refuses to restore over an existing store', async () => {
    const { admin } = await withBackups();
    const record = await admin.call('backup.run', {});
    expect(() => restoreBackup({ file: record.file, key: key(), dataDir: t.dataDir, stationCode: STATION, storeFile: STORE_FILE })).toThrow(
      /新的空目录/,
    );
  });

  it('keeps only the newest backups, and is for administrators only', async () => {
    const { admin, teller, dir } = await withBackups(2);
    for (let i = 0; i < 3; i++) await admin.call('backup.run', {});
    expect(readdirSync(dir).filter((f) => f.endsWith('.ycbak'))).toHaveLength(2);
    expect((await admin.call('backup.status', {})).history).toHaveLength(2);
    expect((await rejection(teller.call('backup.run', {}))).code).toBe('FORBIDDEN');
  });
});
