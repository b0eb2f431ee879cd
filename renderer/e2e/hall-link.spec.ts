import { expect, test } from './fixtures';
import { startHost } from './host';
import { enrolDevice, HallPage } from './page-models/hall';
import { LoginPage } from './page-models/login';

/**
 * A hall with two PCs: the fixture's host owns the queue; a second app instance (its own process and store) is the
 * counter PC of window 2, linked to it over the LAN socket. The host then loses power and comes back.
 */
test('a linked counter calls from the hall host, serves walk-ins while the host is down, and hands them over', async ({
  page,
  loginPage,
  host,
  browser,
}) => {
  test.setTimeout(120_000);
  // The hall's day in Beijing when the test starts: statistics are asked from it, so a run across midnight still counts.
  const startDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const counterPc = await startHost();
  try {
    // At the host: the admin enrols a kiosk and window 2's counter PC.
    await loginPage.open();
    await loginPage.login('admin', 'admin123', 1);
    await page.getByRole('link', { name: '大厅设备' }).click();
    const kioskUrl = await enrolDevice(page, '取号机');
    const key = await enrolDevice(page, '窗口终端', 2);
    await expect(page.getByRole('row', { name: /窗口终端.*2号窗口/ })).toContainText('未连接');

    // At the counter PC: its admin links it to the host.
    const counterContext = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const counter = await counterContext.newPage();
    const counterLogin = new LoginPage(counter, counterPc.url);
    await counterLogin.open();
    await counterLogin.login('admin', 'admin123', 2);
    await counter.getByRole('link', { name: '设备设置' }).click();
    const card = counter.getByLabel('大厅主机设置');
    await card.getByLabel('大厅主机地址').fill(host.url);
    await card.getByLabel('窗口终端密钥').fill(key);
    await card.getByRole('button', { name: '连接大厅主机' }).click();
    await expect(counter.getByTestId('hall-link-state')).toHaveText('已连接');
    await page.getByRole('button', { name: /刷\s*新/ }).click();
    await expect(page.getByRole('row', { name: /窗口终端.*2号窗口/ })).toContainText('在线');

    // A citizen takes a ticket at the host's kiosk; the teller at the counter PC calls it.
    const kiosk = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await kiosk.goto(kioskUrl);
    await kiosk.getByRole('button', { name: '取综合业务号' }).click();
    await expect(kiosk.getByLabel('您的号码')).toHaveText('A001');

    await counter.getByRole('button', { name: /退\s*出/ }).click();
    await counterLogin.login('teller', 'teller123', 2);
    const hall = new HallPage(counter);
    await hall.open();
    await hall.press('呼叫下一位');
    await expect(hall.current()).toHaveText('A001');
    await hall.press('开始办理');
    await hall.press('结束办理');
    await expect(hall.current()).toHaveText('—');

    // The host loses power: the counter says so, refuses to call, and still serves a walk-in.
    await host.crash();
    await expect(counter.getByTestId('hall-link-down')).toContainText('大厅主机连接中断');
    await counter.getByRole('button', { name: '无号直接办理' }).click();
    await expect(hall.current()).toHaveText('W2-001');
    await hall.press('结束办理');
    await expect(counter.getByTestId('hall-link-down')).toContainText('本机有 1 笔临时接待待交大厅主机');

    // Power back: the counter reconnects by itself and hands the visit over; the host's statistics count it.
    const back = await startHost({ dataDir: host.dataDir, port: Number(new URL(host.url).port) });
    try {
      await expect(counter.getByTestId('hall-link-down')).toBeHidden({ timeout: 45_000 });
      await expect(counter.getByText(/待交大厅主机/)).toBeHidden();
      await hall.press('呼叫下一位');
      await expect(counter.getByRole('alert').filter({ hasText: '当前没有等候本窗口的号码' })).toBeVisible();

      const supervisor = await (await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
      const supervisorLogin = new LoginPage(supervisor, back.url);
      await supervisorLogin.open();
      await supervisorLogin.login('admin', 'admin123', 1);
      await supervisor.getByRole('link', { name: '评价统计' }).click();
      await supervisor.getByLabel('开始日期').fill(startDay);
      // Window 2 called and finished A001 through the link and W2-001 by itself: both are the host's now.
      const windowTwo = supervisor.getByLabel('统计表').getByRole('row').filter({ hasText: '2号窗口' });
      await expect(windowTwo.getByRole('cell').nth(1)).toHaveText('2');
      await expect(windowTwo.getByRole('cell').nth(2)).toHaveText('2');
    } finally {
      await back.stop();
    }
  } finally {
    await counterPc.stop();
  }
});
