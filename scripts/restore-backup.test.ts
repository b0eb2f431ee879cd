import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { file, startWithCase } from '#core/archive/test-support';
import { keyFingerprint } from '#core/backup/backup-file';
import { startTestCore, tempDir } from '#core/testing/fixture';

type T = Awaited<ReturnType<typeof startTestCore>>;
let t: T;
afterEach(() => t?.dispose());

const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/restore-backup.ts', ...args], { encoding: 'utf8' });

describe('npm run backup:restore', () => {
  it('restores into an empty folder and refuses another station', async () => {
    t = await startTestCore();
    const admin = await t.loggedIn('admin');
    const dir = tempDir();
    await admin.call('backup.updateSettings', { dir, intervalHours: 24, keep: 3 });
    const { file } = await admin.call('backup.run', {});
    const keyFile = join(t.dataDir, 'backup.key');
    const target = join(tempDir(), 'restored');
    const ok = run([file, '--to', target, '--station', '330106001', '--key-file', keyFile]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('已恢复站点 330106001');
    expect(existsSync(join(target, 'yichuang.db'))).toBe(true);
    const refused = run([file, '--to', join(tempDir(), 'other'), '--station', '330106002', '--key-file', keyFile]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('不能恢复到站点 330106002');
    expect(run([file]).status).toBe(2);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('restores the pages it finds whole and lists the ones it cannot', async () => {
    const started = await startWithCase();
    t = started.t;
    const { teller, kase } = started;
    const attach = (n: number) =>
      teller.call('pages.attach', {
        caseId: kase.id,
        materialCode: 'ID',
        file: file(Buffer.from(`%PDF-1.4 page ${n}`), 'p.pdf', 'application/pdf'),
      });
    const [kept, lost] = [await attach(1), await attach(2)];
    const admin = await t.loggedIn('admin', 3);
    const dir = tempDir();
    await admin.call('backup.updateSettings', { dir, intervalHours: 24, keep: 3 });
    const backup = await admin.call('backup.run', {});
    const keyFile = join(t.dataDir, 'backup.key');
    const folder = join(dir, 'pages', keyFingerprint(Buffer.from(readFileSync(keyFile, 'utf8'), 'base64')));
    rmSync(join(folder, lost.sha256.slice(0, 2), `${lost.sha256}.ycpg`));
    const target = join(tempDir(), 'restored');
    const out = run([backup.file, '--to', target, '--station', '330106001', '--key-file', keyFile]);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('材料影像：共 2 页，已恢复并逐页校验 1 页');
    expect(out.stdout).toContain(`缺失 ${lost.sha256}`);
    expect(existsSync(join(target, 'pages', kept.sha256.slice(0, 2), `${kept.sha256}.pdf`))).toBe(true);
    expect(existsSync(join(target, 'pages', lost.sha256.slice(0, 2), `${lost.sha256}.pdf`))).toBe(false);
  });
});
