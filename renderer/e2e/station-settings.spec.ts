import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { pickOption } from './page-models/antd';

const menu = (page: Page, label: string) => page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: label });
const confirm = (page: Page) => page.locator('.ant-popconfirm:visible').getByRole('button', { name: /确\s*定/ });

test('the administrator adds and removes a window, is told why a used one stays, and sets the idle lock', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('admin', 'admin123');
  await menu(page, '站点设置').click();
  await expect(page.getByText('330106001')).toBeVisible();

  await page.getByLabel('新窗口号').fill('4');
  await page.getByRole('button', { name: '添加窗口' }).click();
  await expect(page.getByRole('status')).toHaveText('已添加4号窗口');
  await expect(page.getByText('4号窗口', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: '删除4号窗口' }).click();
  await confirm(page).click();
  await expect(page.getByRole('status')).toHaveText('已删除4号窗口');
  await expect(page.getByText('4号窗口', { exact: true })).toHaveCount(0);

  await page.getByRole('button', { name: '删除3号窗口' }).click();
  await confirm(page).click();
  await expect(page.getByRole('alert')).toHaveText(/^3号窗口仍在使用，不能删除：号类“综合业务（A）”/);
  await expect(page.getByText('3号窗口', { exact: true })).toBeVisible();

  await page.getByLabel('锁屏时间').fill('10');
  await page.getByRole('button', { name: /^保\s*存$/ }).click();
  await expect(page.getByRole('status')).toHaveText('锁屏时间已保存');
  // Read back from the core, not from the form.
  await menu(page, '数据备份').click();
  await menu(page, '站点设置').click();
  await expect(page.getByLabel('锁屏时间')).toHaveValue('10');
});

test('测试读卡 on the devices page shows the card in the reader, masked', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('admin', 'admin123');
  // The demo panel on the workbench puts 李喆's social security card into the simulated reader.
  await page.getByLabel('演示人员').click();
  await pickOption(page, /^李喆（/);
  await page.getByRole('group', { name: '社保卡读卡器演示' }).getByRole('button', { name: '插入社保卡' }).click();

  await menu(page, '设备设置').click();
  await page.getByRole('button', { name: '测试读卡' }).click();
  const result = page.getByTestId('card-test');
  await expect(result).toContainText('读卡成功：社保卡');
  await expect(result).toContainText('1101**********0250');
  await expect(result).not.toContainText('李喆');
  await expect(result).not.toContainText('110105199011030250');
});
