import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { RESTORE_STEPS } from '#shared/api/backup';
import { verifyAuditChain } from '../audit/verify';
import { STORE_FILE } from '../index';
import { systemClock } from '../platform/deps';
import { createMemoryLogger } from '../platform/logger';
import { MIGRATIONS } from '../store/migrations/index';
import { rejection } from '../testing/api-error';
import { startTestCore, tempDir } from '../testing/fixture';
import { makeIdNumber } from '../testing/id-numbers';
import { BackupFileError, readBackupFile, writeBackupFile, type BackupHeader } from './backup-file';
import { RestoreRefused, restoreBackup } from './restore';
import { applyStagedRestore } from './staged-restore';

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

/** The same backup re-encrypted under this station's key with a changed header: a genuine file of another kind. */
function rewritten(file: string, change: Partial<BackupHeader>): string {
  const { header, plain } = readBackupFile(file, key());
  const out = join(tempDir(), 'rewritten.ycbak');
  writeBackupFile(out, { ...header, ...change }, plain, key());
  return out;
}

const scriptRestore = (file: string, dataDir: string, stationCode = STATION) =>
  restoreBackup({
    file,
    key: key(),
    dataDir,
    stationCode,
    storeFile: STORE_FILE,
    actor: { operatorId: null, windowNo: null },
    deps: { clock: systemClock, newId: uuidv7, logger: createMemoryLogger() },
  });

async function restoreTo(file: string, stationCode = STATION) {
  const dataDir = tempDir('yichuang-restored-');
  const header = await scriptRestore(file, dataDir, stationCode);
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
    const restored = await restoreTo(record.file);
    expect(restored.db.prepare('SELECT name FROM person').all()).toEqual([{ name: '陈建国' }]);
    expect(verifyAuditChain(restored.db).ok).toBe(true);
    // The restored store says where its data came from, as the last entry of its own chain.
    expect(restored.db.prepare('SELECT action, operator_id FROM audit_log ORDER BY seq DESC LIMIT 1').get()).toEqual({
      action: 'backup.restore',
      operator_id: null,
    });
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
    const restored = await restoreTo(record.file);
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
    await expect(restoreTo(record.file)).rejects.toThrow(/已损坏或被改动/);
  });

  it('refuses another station\u2019s backup and one from a newer version', async () => {
    const { admin } = await withBackups();
    const record = await admin.call('backup.run', {});
    await expect(restoreTo(record.file, '330106002')).rejects.toThrow(RestoreRefused);
    const newer = rewritten(record.file, { schemaVersion: MIGRATIONS.length + 1 });
    await expect(restoreTo(newer)).rejects.toThrow(/更新版本/);
    // A header edited without the key breaks the tag: the station in it cannot be forged.
    const forged = readFileSync(record.file).toString('latin1').replace(`"stationCode":"${STATION}"`, '"stationCode":"330106002"');
    const forgedFile = join(tempDir(), 'forged.ycbak');
    writeFileSync(forgedFile, Buffer.from(forged, 'latin1'));
    await expect(restoreTo(forgedFile, '330106002')).rejects.toThrow(/已损坏或被改动/);
  });

  it('refuses to restore over an existing store', async () => {
    const { admin } = await withBackups();
    const record = await admin.call('backup.run', {});
    await expect(scriptRestore(record.file, t.dataDir)).rejects.toThrow(/新的空目录/);
  });

  it('keeps only the newest backups, and is for administrators only', async () => {
    const { admin, teller, dir } = await withBackups(2);
    for (let i = 0; i < 3; i++) await admin.call('backup.run', {});
    expect(readdirSync(dir).filter((f) => f.endsWith('.ycbak'))).toHaveLength(2);
    expect((await admin.call('backup.status', {})).history).toHaveLength(2);
    expect((await rejection(teller.call('backup.run', {}))).code).toBe('FORBIDDEN');
  });
});

describe('restore from the UI', () => {
  const readOnly = (dataDir: string) => new BetterSqlite3(join(dataDir, STORE_FILE), { readonly: true });
  const names = (dataDir: string) => {
    const db = readOnly(dataDir);
    const rows = db.prepare<[], { name: string }>('SELECT name FROM person ORDER BY name').all();
    db.close();
    return rows.map((r) => r.name);
  };
  const actions = (dataDir: string, action: string) => {
    const db = readOnly(dataDir);
    const rows = db.prepare<[string], { after_json: string }>('SELECT after_json FROM audit_log WHERE action = ? ORDER BY seq').all(action);
    db.close();
    return rows.map((r) => JSON.parse(r.after_json) as Record<string, unknown>);
  };
  const person = (serial: number, name: string) => ({ idNumber: makeIdNumber('330106', '1980-05-20', serial), name });

  /** A backup with one person in it, and a second person registered after it. */
  async function backupThenMore() {
    const { admin, teller } = await withBackups();
    await teller.call('person.create', person(17, '陈建国'));
    const record = await admin.call('backup.run', {});
    await teller.call('person.create', person(18, '李秀英'));
    return { admin, teller, record };
  }

  it('verifies the backup beside the live store, and the next start switches to it, keeping the old store', async () => {
    const { admin, record } = await backupThenMore();
    const steps: string[] = [];
    admin.onEvent((e) => void (e.type === 'backup.restoreProgress' && steps.push(e.step)));
    const pending = await admin.call('backup.restore', { file: record.file });
    expect(steps).toEqual([...RESTORE_STEPS]);
    expect(pending).toMatchObject({ file: record.file, stationCode: STATION, backupCreatedAt: record.createdAt, preparedBy: '赵管理' });
    expect((await admin.call('backup.status', {})).pendingRestore).toEqual(pending);
    // Until the restart the live store is untouched and keeps working; the staging is audited there.
    expect(names(t.dataDir)).toEqual(['李秀英', '陈建国']);
    expect(actions(t.dataDir, 'backup.restore_staged')).toEqual([pending]);

    const dataDir = t.dataDir;
    t.core.close();
    expect(applyStagedRestore(dataDir, STORE_FILE, createMemoryLogger())).toEqual(pending);
    expect(names(join(dataDir, pending.keptAs))).toEqual(['李秀英', '陈建国']);
    expect(existsSync(join(dataDir, 'restore-staged'))).toBe(false);

    t = await startTestCore({ dataDir });
    expect(names(dataDir)).toEqual(['陈建国']);
    const again = await t.loggedIn('admin', 3);
    const status = await again.call('backup.status', {});
    expect(status.pendingRestore).toBeNull();
    expect(status.lastRestore).toMatchObject({ file: record.file, backupCreatedAt: record.createdAt });
    expect((await again.call('audit.verify', {})).ok).toBe(true);

    // The outbox goes on from the backup's last operation, gap-free (what the central office already holds beyond
    // it is for the sync engine to reconcile; see the report of issue 9).
    const outbox = () => {
      const db = readOnly(dataDir);
      const r = db.prepare('SELECT MAX(seq) AS hi, COUNT(*) AS n FROM outbox').get() as { hi: number; n: number };
      db.close();
      return r;
    };
    const teller = await t.loggedIn('teller', 1);
    const before = outbox();
    expect(before.hi).toBe(before.n);
    await teller.call('person.create', person(19, '周明'));
    expect(outbox()).toEqual({ hi: before.hi + 1, n: before.n + 1 });
  });

  it('refuses another station\u2019s backup, a newer version, a damaged file and a wrong key, auditing each', async () => {
    const { admin, teller, record } = await backupThenMore();
    const refusal = (params: { file: string; key?: string }) => rejection(admin.call('backup.restore', params));
    expect(await refusal({ file: rewritten(record.file, { stationCode: '330106002' }) })).toMatchObject({
      code: 'CONFLICT',
      message: '这是站点 330106002 的备份，不能恢复到站点 330106001',
    });
    expect(await refusal({ file: rewritten(record.file, { schemaVersion: MIGRATIONS.length + 1 }) })).toMatchObject({
      code: 'CONFLICT',
      message: `备份由更新版本的一窗通写入（数据库版本 ${MIGRATIONS.length + 1}），请先升级程序`,
    });
    const damaged = join(tempDir(), 'damaged.ycbak');
    const bytes = readFileSync(record.file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 50) ^ 0x01, bytes.length - 50);
    writeFileSync(damaged, bytes);
    expect(await refusal({ file: damaged })).toMatchObject({ code: 'VALIDATION', message: '备份文件已损坏或被改动，或恢复密钥不正确' });
    expect(await refusal({ file: record.file, key: randomBytes(32).toString('base64') })).toMatchObject({ code: 'VALIDATION' });
    expect((await refusal({ file: record.file, key: 'abc' })).message).toMatch(/恢复密钥格式不正确/);
    expect((await refusal({ file: join(tempDir(), 'none.ycbak') })).code).toBe('NOT_FOUND');
    expect((await rejection(teller.call('backup.restore', { file: record.file }))).code).toBe('FORBIDDEN');

    expect((await admin.call('backup.status', {})).pendingRestore).toBeNull();
    expect(existsSync(join(t.dataDir, 'restore-staged'))).toBe(false);
    expect(actions(t.dataDir, 'backup.restore_refused').map((a) => a.reason)).toEqual([
      '这是站点 330106002 的备份，不能恢复到站点 330106001',
      expect.stringMatching(/更新版本/),
      '备份文件已损坏或被改动，或恢复密钥不正确',
      '备份文件已损坏或被改动，或恢复密钥不正确',
    ]);
    expect(applyStagedRestore(t.dataDir, STORE_FILE, createMemoryLogger())).toBeNull();
  });

  it('restores a backup written under another key when given that key', async () => {
    const { admin, record } = await backupThenMore();
    const otherKey = randomBytes(32);
    const { header, plain } = readBackupFile(record.file, key());
    const file = join(tempDir(), 'other-pc.ycbak');
    writeBackupFile(file, header, plain, otherKey);
    expect((await rejection(admin.call('backup.restore', { file }))).code).toBe('VALIDATION');
    expect(await admin.call('backup.restore', { file, key: otherKey.toString('base64') })).toMatchObject({ file });
  });

  it('lets a staged restore be cancelled, and takes one at a time', async () => {
    const { admin, record } = await backupThenMore();
    const pending = await admin.call('backup.restore', { file: record.file });
    expect((await rejection(admin.call('backup.restore', { file: record.file }))).message).toMatch(/已有一个待重启生效的恢复/);
    await admin.call('backup.cancelRestore', {});
    expect((await admin.call('backup.status', {})).pendingRestore).toBeNull();
    expect(actions(t.dataDir, 'backup.restore_cancelled')).toEqual([pending]);
    expect(applyStagedRestore(t.dataDir, STORE_FILE, createMemoryLogger())).toBeNull();
    expect(names(t.dataDir)).toEqual(['李秀英', '陈建国']);
  });

  it('restarts the app for a staged restore where the shell can, audited, and says so where it cannot', async () => {
    const { admin, record } = await backupThenMore();
    expect(await rejection(admin.call('backup.restartNow', {}))).toMatchObject({ code: 'CONFLICT', message: '没有待重启生效的恢复' });
    await admin.call('backup.restore', { file: record.file });
    // The web host cannot restart itself: nothing happens, and the page tells the administrator to do it.
    expect((await admin.call('backup.status', {})).canRestart).toBe(false);
    expect(await admin.call('backup.restartNow', {})).toEqual({ restarting: false });
    expect(actions(t.dataDir, 'backup.restart')).toEqual([]);

    const dataDir = t.dataDir;
    t.core.close();
    let restarts = 0;
    t = await startTestCore({ dataDir, restart: () => void (restarts += 1) });
    const shellAdmin = await t.loggedIn('admin', 3);
    const teller = await t.loggedIn('teller', 1);
    expect((await shellAdmin.call('backup.status', {})).canRestart).toBe(true);
    expect((await rejection(teller.call('backup.restartNow', {}))).code).toBe('FORBIDDEN');
    expect(await shellAdmin.call('backup.restartNow', {})).toEqual({ restarting: true });
    // The restart comes after the answer, not before it.
    expect(restarts).toBe(0);
    await new Promise((done) => setTimeout(done, 300));
    expect(restarts).toBe(1);
    expect(actions(dataDir, 'backup.restart')).toEqual([{ backupCreatedAt: record.createdAt }]);
  });

  it('finishes the switch after a power cut in the middle of it, and never switches twice', async () => {
    const { admin, record } = await backupThenMore();
    const pending = await admin.call('backup.restore', { file: record.file });
    const dataDir = t.dataDir;
    const marker = readFileSync(join(dataDir, 'restore-staged.json'));
    t.core.close();
    // Cut after the live store went to the kept folder, before the staged one took its place.
    mkdirSync(join(dataDir, pending.keptAs));
    renameSync(join(dataDir, STORE_FILE), join(dataDir, pending.keptAs, STORE_FILE));
    expect(applyStagedRestore(dataDir, STORE_FILE, createMemoryLogger())).toEqual(pending);
    expect(names(dataDir)).toEqual(['陈建国']);
    expect(names(join(dataDir, pending.keptAs))).toEqual(['李秀英', '陈建国']);
    // Cut after the switch, before the marker went: the restored store is not moved away again.
    writeFileSync(join(dataDir, 'restore-staged.json'), marker);
    expect(applyStagedRestore(dataDir, STORE_FILE, createMemoryLogger())).toEqual(pending);
    expect(names(dataDir)).toEqual(['陈建国']);
    expect(names(join(dataDir, pending.keptAs))).toEqual(['李秀英', '陈建国']);
    expect(existsSync(join(dataDir, 'restore-staged.json'))).toBe(false);
  });
});
