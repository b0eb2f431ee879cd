import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { pickOption } from './page-models/antd';
import { HallPage, hallDeviceUrls } from './page-models/hall';
import { openScreen } from './page-models/screens';

/** What an ECharts chart of the statistics page holds, read from the data-series attribute its wrapper writes. */
async function series(chart: Locator): Promise<{ name: string; data: unknown[] }[]> {
  return JSON.parse((await chart.getAttribute('data-series')) ?? '[]') as { name: string; data: unknown[] }[];
}

test('the statistics page charts waiting and service by hour, the ratings, and the windows', async ({ page, loginPage, browser }) => {
  const urls = await hallDeviceUrls(page, loginPage);
  const evaluator = await openScreen(browser, urls.evaluator(1));

  await loginPage.login('teller', 'teller123', 1);
  const hall = new HallPage(page);
  await hall.open();
  for (const waiting of [1, 2]) {
    await page.getByRole('button', { name: '打印号票' }).click();
    await expect(hall.waiting()).toHaveCount(waiting);
  }
  // Two visits: one rated 非常满意 (5), one 不满意 (2, a bad review).
  for (const [ticketNo, level] of [
    ['A001', '非常满意'],
    ['A002', '不满意'],
  ] as const) {
    await hall.press('呼叫下一位');
    await expect(hall.current()).toHaveText(ticketNo);
    await hall.press('开始办理');
    await hall.press('结束办理');
    await expect(evaluator.getByText(`请对本次服务（${ticketNo}号`)).toBeVisible();
    await evaluator.getByRole('button', { name: level, exact: true }).click();
    await expect(evaluator.getByText('感谢您的评价！')).toBeVisible();
  }
  await page.getByRole('button', { name: /退\s*出/ }).click();

  await loginPage.login('admin', 'admin123', 1);
  await page.getByRole('link', { name: '评价统计' }).click();
  await expect(page.getByLabel('统计表')).toContainText('1号窗口');

  const ratings = page.getByRole('img', { name: '评价构成' });
  const canvas = ratings.locator('canvas');
  await expect(canvas).toBeVisible();
  const box = (await canvas.boundingBox())!;
  expect(box.width).toBeGreaterThan(100);
  expect(box.height).toBeGreaterThan(100);
  await expect
    .poll(async () => (await series(ratings))[0]?.data.map((d) => [(d as { name: string }).name, (d as { value: number }).value]))
    .toEqual([
      ['非常满意', 1],
      ['满意', 0],
      ['基本满意', 0],
      ['不满意', 1],
      ['非常不满意', 0],
    ]);

  const byWindow = page.getByRole('img', { name: '窗口对比：办结与满意度' });
  await expect
    .poll(() => series(byWindow))
    .toEqual([
      { name: '办结', data: [2] },
      { name: '满意度（5分）', data: [3.5] },
    ]);

  const byHour = page.getByRole('img', { name: '各时段平均等候与办理时长' });
  const hourly = await series(byHour);
  expect(hourly.map((s) => s.name)).toEqual(['平均等候', '平均办理']);
  expect(hourly[1]!.data.some((v) => typeof v === 'number')).toBe(true);

  // The comparison follows the table's grouping.
  await page.getByLabel('统计维度').click();
  await pickOption(page, '按柜员');
  await expect(page.getByLabel('统计表')).toContainText('王柜员');
  const byTeller = page.getByRole('img', { name: '柜员对比：办结与满意度' });
  await expect
    .poll(() => series(byTeller))
    .toEqual([
      { name: '办结', data: [2] },
      { name: '满意度（5分）', data: [3.5] },
    ]);
  await expect(byTeller.locator('canvas')).toBeVisible();
});
