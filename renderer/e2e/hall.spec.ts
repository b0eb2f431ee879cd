import type { Browser } from '@playwright/test';
import { expect, test } from './fixtures';
import { pickOption } from './page-models/antd';
import { HallPage, hallDeviceUrls } from './page-models/hall';

/** A hall screen in its own browser context, as a separate device on the LAN would be. */
async function screen(browser: Browser, url: string) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

test('a kiosk ticket is called at a window, shown on the display, served, and rated on the evaluator', async ({
  page,
  loginPage,
  browser,
}) => {
  const urls = await hallDeviceUrls(page, loginPage);
  const kiosk = await screen(browser, urls.kiosk);
  const display = await screen(browser, urls.display);
  const evaluator = await screen(browser, urls.evaluator(1));
  await expect(evaluator.getByText('办理完毕后请对我们的服务进行评价')).toBeVisible();

  await kiosk.getByRole('button', { name: '取综合业务号' }).click();
  await expect(kiosk.getByLabel('您的号码')).toHaveText('A001');
  await expect(kiosk.getByTestId('kiosk-ticket')).toContainText('您前面还有 0 人等候');
  await expect(display.getByTestId('waiting-A')).toHaveText('综合业务（A）：1 人');

  await loginPage.login('teller', 'teller123', 1);
  const hall = new HallPage(page);
  await hall.open();
  await hall.press('呼叫下一位');
  await expect(hall.current()).toHaveText('A001');
  await expect(display.getByTestId('display-window-1')).toContainText('A001');
  await expect(display.getByRole('status', { name: '最新呼叫' })).toHaveText('请A001号到1号窗口办理');
  await hall.press('重呼');
  await expect(display.getByRole('status', { name: '最新呼叫' })).toHaveText('请A001号到1号窗口办理，重呼');

  // The display survives a reload: its state comes back from the host.
  await display.reload();
  await expect(display.getByTestId('display-window-1')).toContainText('A001');

  await hall.press('开始办理');
  await hall.press('结束办理');
  await expect(hall.current()).toHaveText('—');
  await expect(evaluator.getByText('请对本次服务（A001号，经办人 王柜员）进行评价')).toBeVisible();
  await evaluator.getByRole('button', { name: '非常满意' }).click();
  await expect(evaluator.getByText('感谢您的评价！')).toBeVisible();
  await expect(display.getByTestId('display-window-1')).toHaveCount(0);
});

test('a transfer keeping its place is called before tickets that came later', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123', 1);
  const hall = new HallPage(page);
  await hall.open();
  const issue = async (category: string, waiting: number) => {
    await page.getByLabel('号类').click();
    await pickOption(page, category);
    await page.getByRole('button', { name: '打印号票' }).click();
    await expect(hall.waiting()).toHaveCount(waiting);
  };
  await issue('综合业务（A）', 1);
  await issue('综合业务（A）', 2);
  await issue('领取结果（B）', 3);

  await hall.press('呼叫下一位');
  await expect(hall.current()).toHaveText('A001');
  await hall.press('转移');
  const dialog = page.getByRole('dialog', { name: '转移 A001' });
  await dialog.getByLabel('转至号类').click();
  await pickOption(page, '领取结果（B）');
  await expect(dialog.getByRole('checkbox', { name: /保留原排队位置/ })).toBeChecked();
  await dialog.getByRole('button', { name: /转\s*移/ }).click();
  await expect(hall.current()).toHaveText('—');
  // A001 came before B001, so it keeps the head of the pickup queue.
  await expect(hall.waiting().first()).toContainText('A001');
  await expect(hall.waiting().first()).toContainText('领取结果');
  await hall.press('呼叫下一位');
  await expect(hall.current()).toHaveText('A001');
});

test('a paused window is shown paused on the display with its reason', async ({ page, loginPage, browser }) => {
  const urls = await hallDeviceUrls(page, loginPage);
  const display = await screen(browser, urls.display);
  await loginPage.login('teller', 'teller123', 2);
  const hall = new HallPage(page);
  await hall.open();
  await hall
    .panel()
    .getByRole('button', { name: /暂\s*停/ })
    .click();
  const dialog = page.getByRole('dialog', { name: '暂停叫号' });
  await dialog.getByLabel('暂停原因').fill('临时离开');
  await dialog.getByRole('button', { name: /暂\s*停/ }).click();
  await expect(hall.panel()).toContainText('暂停：临时离开');
  await expect(display.getByTestId('paused-2')).toHaveText('2号窗口暂停服务：临时离开');
  await expect(hall.panel().getByRole('button', { name: '呼叫下一位' })).toBeDisabled();
  await hall.panel().getByRole('button', { name: '恢复叫号' }).click();
  await expect(display.getByTestId('paused-2')).toHaveCount(0);
});

test("the admin opens the hall display on this PC's second screen, and re-opening it keeps one display device", async ({
  page,
  loginPage,
}) => {
  await loginPage.open();
  await loginPage.login('admin', 'admin123', 1);
  await page.getByRole('link', { name: '大厅设备' }).click();
  const [display] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: '在本机第二屏打开叫号屏' }).click()]);
  await expect(display.getByRole('status', { name: '最新呼叫' })).toHaveText('欢迎光临，请取号等候');
  const rows = page.getByRole('row', { name: /本机第二屏/ });
  await page.getByRole('button', { name: /刷\s*新/ }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('在线');

  // Opened again: the same device with a new key; the old address is dead, the same window shows the hall again.
  await page.getByRole('button', { name: '在本机第二屏打开叫号屏' }).click();
  await expect(display).toHaveURL(/device=display/);
  await expect(display.getByRole('status', { name: '最新呼叫' })).toHaveText('欢迎光临，请取号等候');
  await expect(page.getByRole('row', { name: /本机第二屏/ })).toHaveCount(1);
});

test('a citizen takes a ticket at the kiosk with an ID card, and the same card cannot take a second one', async ({
  page,
  loginPage,
  browser,
}) => {
  const urls = await hallDeviceUrls(page, loginPage, []);
  const kiosk = await screen(browser, urls.kiosk);
  // The simulated reader sits on the host PC; the teller's demo panel plays the citizen placing a card on it.
  await loginPage.login('teller', 'teller123', 1);
  await page.getByLabel('演示人员').click();
  await pickOption(page, /^李喆（/);
  const reader = page.getByRole('group', { name: '身份证读卡器演示' });

  await kiosk.getByLabel('刷卡取号').click();
  await kiosk.getByRole('button', { name: '取综合业务号' }).click();
  await expect(kiosk.getByRole('status').filter({ hasText: '请将身份证或社保卡放在读卡区' })).toBeVisible();
  await reader.getByRole('button', { name: '放置身份证' }).click();
  await expect(kiosk.getByLabel('您的号码')).toHaveText('A001');
  await kiosk.getByRole('button', { name: /完\s*成/ }).click();

  await reader.getByRole('button', { name: '移走身份证' }).click();
  await kiosk.getByRole('button', { name: '取综合业务号' }).click();
  await reader.getByRole('button', { name: '放置身份证' }).click();
  await expect(kiosk.getByRole('alert')).toContainText('该证件已有A001号尚未办理完毕');
});
