import { expect, test } from './fixtures';

test('a wrong password shows a Chinese error and gives no session', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'not-the-password');
  await expect(loginPage.error()).toHaveText('用户名或密码错误');
  await expect(page.getByText('柜员工作台')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: /综合柜员登录/ })).toBeVisible();
  await expect(page).toHaveURL(/#\/login$/);
});

test('the demo teller logs in at window 2 and reaches the workbench', async ({ page, loginPage, host }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123', 2);
  await expect(page.getByRole('heading', { name: '柜员工作台' })).toBeVisible();
  await expect(page).toHaveURL(/#\/workbench$/);
  await expect(page.getByTestId('operator')).toHaveText('王柜员（综合柜员）');
  await expect(page.getByText('2号窗口').first()).toBeVisible();
  const station = page.getByTestId('station-card');
  await expect(station).toContainText('西湖区文新街道社保服务站');
  await expect(station).toContainText('330106001');
  const store = page.getByTestId('store-card');
  await expect(store).toContainText('WAL');
  await expect(store).toContainText(host.dataDir);
  await expect(page.getByTestId('device-card')).toContainText('虚拟热敏打印机');
  await expect(page.getByTestId('device-card')).toContainText('模拟读卡器');
});

test('a locked screen needs the password again', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123');
  await expect(page.getByRole('heading', { name: '柜员工作台' })).toBeVisible();
  await page.keyboard.press('Control+l');
  const lock = page.getByRole('dialog', { name: '屏幕已锁定' });
  await expect(lock).toBeVisible();
  await expect(page.getByRole('heading', { name: '柜员工作台' })).toHaveCount(0);
  await lock.getByLabel('密码').fill('wrong-password');
  await lock.getByRole('button', { name: /解\s*锁/ }).click();
  await expect(lock.getByRole('alert')).toHaveText('密码错误，请重新输入');
  await expect(lock).toBeVisible();
  await lock.getByLabel('密码').fill('teller123');
  await lock.getByRole('button', { name: /解\s*锁/ }).click();
  await expect(lock).toHaveCount(0);
  await expect(page.getByRole('heading', { name: '柜员工作台' })).toBeVisible();
});

test('the screen locks itself after the idle time', async ({ page, loginPage }) => {
  await page.clock.install();
  await loginPage.open();
  await loginPage.login('teller', 'teller123');
  await expect(page.getByRole('heading', { name: '柜员工作台' })).toBeVisible();
  await page.clock.fastForward('04:00');
  await expect(page.getByRole('dialog', { name: '屏幕已锁定' })).toHaveCount(0);
  await page.clock.fastForward('01:01');
  await expect(page.getByRole('dialog', { name: '屏幕已锁定' })).toBeVisible();
});
