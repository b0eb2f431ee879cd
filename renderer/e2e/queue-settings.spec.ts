import { expect, test } from './fixtures';
import { hallDeviceUrls } from './page-models/hall';
import { QueueSettingsPage } from './page-models/queue-settings';
import { openScreen } from './page-models/screens';

test('an admin adds a category on 叫号设置 and a kiosk already on screen issues its first ticket', async ({ page, loginPage, browser }) => {
  const urls = await hallDeviceUrls(page, loginPage);
  const kiosk = await openScreen(browser, urls.kiosk);
  await expect(kiosk.getByRole('button', { name: '取综合业务号' })).toBeVisible();
  await expect(kiosk.getByRole('button', { name: '取就业咨询号' })).toHaveCount(0);

  await loginPage.login('admin', 'admin123', 1);
  const settings = new QueueSettingsPage(page);
  await settings.open();
  await expect(settings.rows()).toHaveCount(4);
  await expect(settings.saveButton()).toHaveText('已保存');

  // Esc closes the editor and leaves the categories as they were.
  await settings.add();
  await settings.fill({ code: 'X', name: '不要的号类' });
  await page.keyboard.press('Escape');
  await expect(settings.editor()).toBeHidden();
  await expect(settings.rows()).toHaveCount(4);

  // Enter submits the editor; the prefix is typed in lower case and kept in upper case.
  await settings.add();
  await settings.fill({ code: 'd', kind: '咨询', windows: [1] });
  await settings.editor().getByLabel('名称').fill('就业咨询');
  await settings.editor().getByLabel('名称').press('Enter');
  await expect(settings.editor()).toBeHidden();
  const row = settings.row('D');
  await expect(row).toContainText('就业咨询');
  await expect(row).toContainText('咨询');
  await expect(row).toContainText('1–999');
  await expect(row).toContainText('不限');

  // Nothing reaches the kiosk before 保存.
  await expect(kiosk.getByRole('button', { name: '取就业咨询号' })).toHaveCount(0);
  await settings.save();
  await expect(settings.saveButton()).toHaveText('已保存');

  const take = kiosk.getByRole('button', { name: '取就业咨询号' });
  await expect(take).toBeVisible();
  await expect(take).toContainText('咨询 · 等候 0 人');
  await take.click();
  await expect(kiosk.getByLabel('您的号码')).toHaveText('D001');

  // Saved in the core: the page loaded afresh lists it.
  await settings.reopen();
  await expect(settings.row('D')).toContainText('就业咨询');
});

test('a reversed number range or a duplicate prefix is shown on its field and nothing is saved', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('admin', 'admin123', 1);
  const settings = new QueueSettingsPage(page);
  await settings.open();

  await settings.add();
  await settings.fill({ code: 'A', name: '重复前缀', numberFrom: 10, numberTo: 5, windows: [1] });
  await settings.confirm();
  await expect(settings.fieldError('号段止')).toHaveText('号段结束号须不小于起始号');
  await expect(settings.fieldError('前缀')).toHaveText('号类前缀不能重复');
  await expect(settings.editor()).toBeVisible();

  // Each message goes once its field is right, and the editor still refuses while one is left.
  await settings.fill({ numberTo: 50 });
  await expect(settings.fieldError('号段止')).toHaveCount(0);
  await settings.confirm();
  await expect(settings.fieldError('前缀')).toHaveText('号类前缀不能重复');
  await expect(settings.editor()).toBeVisible();

  await settings.editor().getByRole('button', { name: '关闭' }).click();
  await expect(settings.editor()).toBeHidden();
  await expect(settings.rows()).toHaveCount(4);
  await expect(settings.saveButton()).toBeDisabled();
  await settings.reopen();
  await expect(settings.rows()).toHaveCount(4);
  await expect(settings.row('A')).toContainText('综合业务');
});

test('the core refuses to delete a category that still has a waiting ticket, and the page says why', async ({
  page,
  loginPage,
  browser,
}) => {
  const urls = await hallDeviceUrls(page, loginPage);
  const kiosk = await openScreen(browser, urls.kiosk);
  await kiosk.getByRole('button', { name: '取政策咨询号' }).click();
  await expect(kiosk.getByLabel('您的号码')).toHaveText('C001');

  await loginPage.login('admin', 'admin123', 1);
  const settings = new QueueSettingsPage(page);
  await settings.open();
  await settings
    .row('C')
    .getByRole('button', { name: /删\s*除/ })
    .click();
  await expect(settings.rows()).toHaveCount(3);
  await settings.save();
  await expect(page.getByRole('alert')).toHaveText('政策咨询（C）今日还有1个未办结的号码（含过号），办结后才能删除该号类');
  await expect(settings.saveButton()).toHaveText(/^保\s*存$/);

  // 放弃修改 reloads what the core holds: C is still there.
  await page.getByRole('button', { name: '放弃修改' }).click();
  await expect(settings.row('C')).toContainText('政策咨询');
  await expect(settings.saveButton()).toHaveText('已保存');
  await expect(kiosk.getByRole('button', { name: '取政策咨询号' })).toBeVisible();
});
