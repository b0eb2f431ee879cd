import BetterSqlite3 from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE } from '#core/index';
import { manualClock, startTestCore, tempDir } from '#core/testing/fixture';

const root = fileURLToPath(new URL('..', import.meta.url));
const folders: string[] = [];
let source: string;

/** A closed store with a seed, two logins and a failed one, to copy for each run. */
beforeAll(async () => {
  const clock = manualClock();
  const t = await startTestCore({ clock, dataDir: tempDir() });
  await t.loggedIn('admin');
  await t.loggedIn('teller', 2);
  await t
    .client()
    .call('auth.login', { username: 'teller', password: 'wrong', windowNo: 2 })
    .catch(() => undefined);
  t.core.close();
  folders.push(t.dataDir);
  source = join(t.dataDir, STORE_FILE);
});
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

function copyOfStore(tamper?: string): string {
  const dir = tempDir();
  folders.push(dir);
  copyFileSync(source, join(dir, STORE_FILE));
  if (tamper) {
    const db = new BetterSqlite3(join(dir, STORE_FILE));
    db.exec(tamper);
    db.close();
  }
  return dir;
}

function run(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-audit.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/verify-audit.ts', () => {
  it('verifies an intact store and lists its entries by class, then operator', () => {
    const dir = copyOfStore();
    const r = run(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ 审计链完整：共4条记录，逐条校验通过');
    expect(r.stdout).toMatch(/链头：第4条 [0-9a-f]{64}/);
    const order = [
      '【关键操作】2条',
      '王柜员（teller） 1条',
      '登录失败',
      '系统 1条',
      '初始化演示数据',
      '【一般操作】2条',
      '赵管理（admin） 1条',
      '王柜员（teller） 1条',
    ];
    let at = 0;
    for (const text of order) {
      at = r.stdout.indexOf(text, at);
      expect(at, text).toBeGreaterThan(-1);
    }
    expect(r.stdout).toContain('#2       2026-03-02 09:00:00  1号窗口  登录');
  });

  it('exits with 1 on a tampered copy, naming the entry, and still lists the entries', () => {
    const dir = copyOfStore(`UPDATE audit_log SET window_no = 3 WHERE seq = 3`);
    const r = run(join(dir, STORE_FILE));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ 审计链已损坏：第3条记录的内容与其哈希不符，已被修改');
    expect(r.stdout).toContain('问题：记录被修改；第3条起的记录不可信，共4条记录');
    expect(r.stdout).toContain('3号窗口  登录');
  });

  it('lists a tampered time as it stands', () => {
    const r = run(copyOfStore(`UPDATE audit_log SET at = at || ' forged' WHERE seq = 2`));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ 审计链已损坏：第2条记录的内容与其哈希不符，已被修改');
    expect(r.stdout).toContain('#2       2026-03-02T01:00:00.000Z forged  1号窗口  登录');
  });

  it('reports a deleted entry', () => {
    const r = run(copyOfStore('DELETE FROM audit_log WHERE seq = 2'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ 审计链已损坏：第2条记录已被删除');
  });

  it('filters by class and operator', () => {
    const r = run(copyOfStore(), '--class', 'key', '--operator', 'teller');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('按类别和操作员分组（类别：关键操作；操作员：teller）');
    expect(r.stdout).toContain('登录失败');
    expect(r.stdout).not.toContain('【一般操作】');
    expect(r.stdout).not.toContain('初始化演示数据');
  });

  it('exits with 2 and says why on bad usage', () => {
    const dir = copyOfStore();
    const cases: [string[], string][] = [
      [[], '请给出一个数据目录或数据库文件'],
      [[dir, '--class', 'secret'], '--class 只能是 key'],
      [[dir, '--operator', 'nobody'], '没有用户名为 nobody 的操作员'],
      [[join(dir, 'missing.db')], '找不到'],
      [[join(root, 'package.json')], '不是一窗通的数据库'],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('用法：');
    }
  });
});
