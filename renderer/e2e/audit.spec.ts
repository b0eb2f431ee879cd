import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from './fixtures';

test('the admin finds their own login in the audit log and the chain verified', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('admin', 'admin123');
  await page.getByRole('link', { name: '审计日志' }).click();
  await expect(page).toHaveURL(/#\/audit$/);
  await expect(page.getByRole('heading', { name: '审计日志' })).toBeVisible();
  await expect(page.getByTestId('chain-status')).toContainText(/审计链已校验 ✓ 共\d+条记录/);

  const rows = page.getByTestId('audit-table').getByRole('row');
  const login = rows.filter({ hasText: '赵管理' }).filter({ hasText: '登录' });
  await expect(login).toHaveCount(1);
  await expect(login).toContainText('一般操作');
  await expect(login).toContainText('1号');
  await expect(rows.filter({ hasText: '初始化演示数据' })).toContainText('系统');

  await page.getByLabel('类别').click();
  await page.getByTitle('关键操作').click();
  await expect(rows.filter({ hasText: '初始化演示数据' })).toHaveCount(1);
  await expect(rows.filter({ hasText: '赵管理' })).toHaveCount(0);
});

test('a store changed behind the app shows the broken entry in red', async ({ page, loginPage, host }) => {
  await loginPage.open();
  await loginPage.login('admin', 'admin123');
  await page.getByRole('link', { name: '审计日志' }).click();
  await expect(page.getByTestId('chain-status')).toContainText('审计链已校验');

  const db = new BetterSqlite3(join(host.dataDir, 'yichuang.db'));
  db.prepare("UPDATE audit_log SET action = 'auth.logout' WHERE seq = 1").run();
  db.close();
  await page.getByRole('button', { name: '重新校验' }).click();
  const status = page.getByTestId('chain-status');
  await expect(status).toContainText('审计链已损坏：第1条起不可信（记录被修改）');
  await expect(status).toContainText('第1条记录的内容与其哈希不符，已被修改');
  await expect(status).toHaveClass(/ant-alert-error/);
});

test('the audit page is for administrators only', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123');
  await expect(page.getByTestId('operator')).toBeVisible();
  await expect(page.getByRole('link', { name: '审计日志' })).toHaveCount(0);
  await page.goto(`${page.url().split('#')[0]}#/audit`);
  await expect(page.getByRole('heading', { name: '审计日志' })).toHaveCount(0);
});
