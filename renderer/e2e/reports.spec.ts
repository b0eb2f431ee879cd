import { readFile } from 'node:fs/promises';
import type { Locator } from '@playwright/test';
import { makeIdNumber } from '../../electron/core/testing/id-numbers';
import { expect, test } from './fixtures';
import { CounterPage } from './page-models/counter';

/** The series a chart holds, from the data-series attribute the EChart wrapper writes. */
async function series(chart: Locator): Promise<[string, unknown[]][]> {
  const parsed = JSON.parse((await chart.getAttribute('data-series')) ?? '[]') as { name: string; data: unknown[] }[];
  return parsed.map((s) => [s.name, s.data]);
}

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

test('the day\u2019s cases are drawn as a chart above the report, and the PDF export runs to a whole file', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123');
  const counter = new CounterPage(page);
  await counter.registerPerson(makeIdNumber('330106', '1980-05-20', 17), '陈建国');
  await counter.activateCard();
  await page.getByRole('button', { name: /退\s*出/ }).click();

  await loginPage.login('admin', 'admin123');
  await page.getByRole('link', { name: '统计报表' }).click();
  await page.getByRole('button', { name: /查\s*询/ }).click();
  const chart = page.getByRole('img', { name: '各事项受理、办结与在办' });
  await expect(chart.locator('canvas')).toBeVisible();
  await expect
    .poll(() => series(chart))
    .toEqual([
      ['受理', [1]],
      ['办结', [1]],
      ['在办', [0]],
    ]);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出PDF' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/业务日报_.*\.pdf$/);
  // The progress bar goes with the export; a whole file came.
  await expect(page.getByLabel('导出进度')).toHaveCount(0);
  const bytes = await readFile(await file.path());
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(bytes.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
});
