import { expect, test } from './fixtures';

test('an administrator reads today\u2019s report and exports it to Excel', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('admin', 'admin123');
  await page.getByRole('link', { name: '统计报表' }).click();
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(page.getByRole('heading', { name: /业务日报/ })).toBeVisible();
  await expect(page.getByRole('row').last()).toContainText('合计');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出Excel' }).click();
  expect((await download).suggestedFilename()).toMatch(/业务日报_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);
});
