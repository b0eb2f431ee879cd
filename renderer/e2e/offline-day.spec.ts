import type { Page } from '@playwright/test';
import { makeIdNumber } from '../../electron/core/testing/id-numbers';
import { enrolledStation } from './central';
import { expect, test } from './fixtures';
import { CounterPage } from './page-models/counter';
import { HallPage } from './page-models/hall';

async function logout(page: Page) {
  await page.getByRole('button', { name: /退\s*出/ }).click();
  await expect(page.getByRole('heading', { name: /综合柜员登录/ })).toBeVisible();
}

/**
 * The township station's day: a PC just installed is enrolled in the morning from its login page, then the central
 * office is down all day; the station accepts cases and issues tickets; the central office comes back; the indicator
 * goes from offline to synced; the day close matches the central office's figures.
 */
test('a station offline all day loses nothing and closes its day in agreement with the central office', async ({ page }) => {
  test.setTimeout(180_000);
  // Morning: the new PC has no account; it is enrolled from its login page, and the first round brings the accounts.
  const { central, loginPage, dispose } = await enrolledStation(page, [
    { username: 'zhou', name: '周柜员', role: 'teller', password: 'zhou-pass-1' },
    { username: 'wuhe', name: '吴复核', role: 'reviewer', password: 'wu-pass-1' },
  ]);
  try {
    await expect(page.getByText('文新街道社保服务站（330106001）')).toBeVisible();
    await loginPage.login('wuhe', 'wu-pass-1', 1);
    const indicator = page.getByTestId('sync-indicator');
    await expect(indicator).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
    await logout(page);

    // The central office goes down for the rest of the day.
    await central.stop();

    await loginPage.login('zhou', 'zhou-pass-1', 1);
    const counter = new CounterPage(page);
    await counter.registerPerson(makeIdNumber('330106', '1980-05-20', 17), '陈建国');
    await counter.activateCard();
    const hall = new HallPage(page);
    await hall.open();
    await page.getByRole('button', { name: '打印号票' }).click();
    await expect(hall.waiting()).toHaveCount(1);
    await expect(indicator).toHaveAttribute('data-state', 'offline', { timeout: 20_000 });
    await expect(indicator).toContainText(/待上传 \d+ 条/);
    await logout(page);

    // Evening: the central office is back; the supervisor syncs and closes the day.
    await central.start();
    await loginPage.login('wuhe', 'wu-pass-1', 1);
    await indicator.click();
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect(indicator).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
    await expect(indicator).not.toContainText('待上传');

    await page.getByRole('link', { name: '日结', exact: true }).click();
    await expect(page.getByLabel('按经办人')).toContainText('周柜员');
    await page.getByRole('button', { name: /日\s*结/ }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /日\s*结/ })
      .click();
    await expect(page.getByTestId('day-result')).toContainText('日结与中心核对一致', { timeout: 30_000 });
    await expect(page.getByText('日结单（已送打印）')).toBeVisible();
  } finally {
    await dispose();
  }
});
