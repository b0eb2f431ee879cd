import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { startHost } from './host';

const menu = (page: Page, label: string) => page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: label });

/** Sets the backup folder (a fresh one standing in for a USB stick) and runs a backup from the page. */
async function backUp(page: Page): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'yichuang-e2e-backup-')), 'usb');
  await menu(page, '数据备份').click();
  await page.getByRole('form', { name: '备份设置' }).getByLabel('备份目录').fill(dir);
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByRole('status')).toHaveText('备份设置已保存');
  await page.getByRole('button', { name: '立即备份' }).click();
  await expect(page.getByRole('status')).toHaveText('备份完成并已校验');
  return dir;
}

test('the administrator runs a backup from the UI and sees it listed as verified', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('admin', 'admin123');
  await menu(page, '数据备份').click();
  await expect(page.getByText('备份已逾期')).toBeVisible();
  const dir = await backUp(page);
  const row = page.getByRole('row').filter({ hasText: dir }).first();
  await expect(row).toContainText('已校验');
  await expect(page.getByText('备份已逾期')).toHaveCount(0);
});

test('the administrator restores a backup: verified now, switched at the restart, the old data kept', async ({ page, loginPage, host }) => {
  test.setTimeout(120_000);
  await loginPage.open();
  await expect(page.getByText('西湖区文新街道社保服务站')).toBeVisible();
  await loginPage.login('admin', 'admin123');
  const dir = await backUp(page);

  // A change after the backup, which the restore takes back.
  await menu(page, '站点设置').click();
  await page.getByLabel('站点名称').fill('备份之后改名的站点');
  await page.getByRole('button', { name: '保存名称' }).click();
  await expect(page.getByRole('status')).toHaveText('站点名称已保存');

  await menu(page, '数据备份').click();
  const files = page.getByRole('table', { name: '备份目录中的备份文件' });
  await files
    .getByRole('row')
    .filter({ hasText: dir })
    .getByRole('button', { name: /^恢\s*复$/ })
    .click();
  const dialog = page.getByRole('dialog', { name: '确认恢复数据' });
  await expect(dialog).toContainText('330106001');
  await expect(dialog).toContainText('重启一窗通后才切换到恢复的数据');
  await dialog.getByRole('button', { name: '开始恢复' }).click();
  await expect(page.getByRole('status')).toHaveText('恢复已准备好，重启一窗通后生效');
  await expect(page.getByTestId('pending-restore')).toContainText('重启后生效');
  // Nothing has changed yet: the app keeps working on the live store until the restart.
  await expect(page.getByText('备份之后改名的站点').first()).toBeVisible();

  // The administrator restarts the app (here: the power goes, which the switch must survive as well).
  await host.crash();
  const restarted = await startHost({ dataDir: host.dataDir, port: Number(new URL(host.url).port) });
  try {
    await loginPage.open();
    await expect(page.getByText('西湖区文新街道社保服务站')).toBeVisible();
    await loginPage.login('admin', 'admin123');
    await menu(page, '数据备份').click();
    await expect(page.getByText(/^本机数据于 .+ 的备份恢复。$/)).toBeVisible();
    await expect(page.getByTestId('pending-restore')).toHaveCount(0);
    const kept = readdirSync(host.dataDir).filter((f) => f.startsWith('before-restore-'));
    expect(kept.map((f) => existsSync(join(host.dataDir, f, 'yichuang.db')))).toEqual([true]);
  } finally {
    await restarted.stop();
  }
});

test('a backup file that is not there is refused with the reason, and nothing is staged', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('admin', 'admin123');
  await menu(page, '数据备份').click();
  const other = page.getByRole('form', { name: '恢复其他位置的备份' });
  await other.getByLabel('其他位置的备份文件').fill(join(tmpdir(), 'no-such-backup.ycbak'));
  await other.getByRole('button', { name: '恢复此文件' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '找不到备份文件' })).toHaveText(/^找不到备份文件：.*no-such-backup\.ycbak$/);
  await expect(page.getByTestId('pending-restore')).toHaveCount(0);
});
