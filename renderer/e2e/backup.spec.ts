import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';

test('the administrator runs a backup from the UI and sees it listed as verified', async ({ page, loginPage }) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'yichuang-e2e-backup-')), 'usb');
  await loginPage.open();
  await loginPage.login('admin', 'admin123');
  await page.getByRole('link', { name: '数据备份' }).click();
  await expect(page.getByText('备份已逾期')).toBeVisible();
  await page.getByRole('form', { name: '备份设置' }).getByLabel('备份目录').fill(dir);
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByRole('status')).toHaveText('备份设置已保存');
  await page.getByRole('button', { name: '立即备份' }).click();
  await expect(page.getByRole('status')).toHaveText('备份完成并已校验');
  const row = page.getByRole('row').filter({ hasText: dir });
  await expect(row).toContainText('已校验');
  await expect(page.getByText('备份已逾期')).toHaveCount(0);
});
