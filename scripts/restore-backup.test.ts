import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
});
