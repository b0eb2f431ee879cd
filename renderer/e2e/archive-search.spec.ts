import type { Page } from '@playwright/test';
import { makeIdNumber } from '../../electron/core/testing/id-numbers';
import { expect, test } from './fixtures';
import { ArchiveSearchPage, fileAtPickup } from './page-models/archive-search';
import { CounterPage } from './page-models/counter';

const idNumber = makeIdNumber('330106', '1980-05-20', 17);
const masked = `${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`;

async function logout(page: Page) {
  await page.getByRole('button', { name: /退\s*出/ }).click();
  await expect(page.getByRole('heading', { name: /综合柜员登录/ })).toBeVisible();
}

test('a filed case is found on 档案查询 by its number and by the person, opens with its catalogue, and a retention change shows on settings', async ({
  page,
  loginPage,
}) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123', 1);
  const caseNo = await new CounterPage(page).acceptCardActivation(idNumber, '陈建国');
  await fileAtPickup(page, caseNo);

  const archive = new ArchiveSearchPage(page);
  await archive.open();
  await expect(page.getByText('输入条件后按回车')).toBeVisible();
  await archive.searchBy('档号', caseNo.toLowerCase());
  await expect(archive.results().getByRole('row')).toHaveCount(2);
  // N2 (社会保障卡服务) is kept 10 years by default, counted from the year after filing.
  const until = new Date().getFullYear() + 10;
  const row = archive.row(caseNo);
  for (const text of ['社会保障卡启用及金融功能激活', `陈建国 ${masked}`, '未封存', '10年', `至${until}年`])
    await expect(row).toContainText(text);
  await expect(row).not.toContainText(idNumber);

  await archive.searchBy('申请人', '陈建');
  await expect(archive.row(caseNo)).toBeVisible();
  await archive.searchBy('申请人', idNumber);
  await expect(archive.row(caseNo)).toBeVisible();
  await archive.searchBy('申请人', '李四');
  await expect(archive.results()).toContainText('没有符合条件的档案');
  await archive.searchBy('单位', '陈建国');
  await expect(archive.results()).toContainText('没有符合条件的档案');

  await archive.searchBy('档号', caseNo);
  const drawer = await archive.openVolume(caseNo);
  const catalogue = drawer.getByRole('figure', { name: /卷内目录/ });
  await expect(catalogue).toContainText(caseNo);
  await expect(catalogue).toContainText('居民身份证或社会保障卡');
  await expect(catalogue).toContainText('保管期限');
  await expect(catalogue).toContainText(`${until}年12月31日`);
  await drawer.getByRole('button', { name: '打印卷内目录' }).click();
  await expect(drawer.getByRole('status')).toHaveText('卷内目录已送打印');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await logout(page);

  await loginPage.login('admin', 'admin123');
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '站点设置' }).click();
  const settings = page.getByRole('region', { name: '档案设置' });
  const retention = settings.getByRole('table');
  const item = retention.getByRole('row').filter({ hasText: 'N 社会保障卡服务' });
  await item.getByRole('button', { name: '展开行' }).click();
  await settings.getByLabel('保管期限：N2 社会保障卡启用及金融功能激活').click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: /^永久$/ })
    .click();
  await expect(settings.getByRole('status')).toHaveText('N2 社会保障卡启用及金融功能激活的保管期限已改为永久');
  const n2 = retention.getByRole('row').filter({ hasText: 'N2 社会保障卡启用及金融功能激活' });
  await expect(n2).toContainText('已调整');
  await expect(item).toContainText('有调整');

  await settings.getByRole('switch', { name: '自动封存' }).click();
  await settings.getByLabel('封存天数').fill('7');
  await settings.getByRole('button', { name: '保存封存设置' }).click();
  await expect(settings.getByRole('status')).toHaveText('已设置归档后7天自动封存');
  await expect(settings.getByTestId('auto-seal-next')).toContainText('下次检查');

  // Read back from the core, not from the form.
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '数据备份' }).click();
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '站点设置' }).click();
  await item.getByRole('button', { name: '展开行' }).click();
  await expect(n2).toContainText('永久');
  await expect(settings.getByLabel('封存天数')).toHaveValue('7');

  // The volume keeps the retention it was filed under; sealing it moves it to 已封存.
  await archive.open();
  await archive.searchBy('档号', caseNo);
  await expect(archive.row(caseNo)).toContainText('10年');
  const volume = await archive.openVolume(caseNo);
  await volume
    .getByTestId('archive-panel')
    .getByRole('button', { name: /封\s*存/ })
    .click();
  await expect(volume.getByTestId('archive-panel')).toContainText('已封存');
  await page.keyboard.press('Escape');
  await expect(volume).toBeHidden();
  // Closing the drawer searches again: the row shows the seal.
  await expect(archive.row(caseNo)).toContainText('已封存');
  await archive.filterState('已封存');
  await archive.field('档号').press('Enter');
  await expect(archive.results().getByRole('row')).toHaveCount(2);
  await expect(archive.row(caseNo)).toContainText('已封存');
  await archive.filterState('未封存');
  await archive.field('档号').press('Enter');
  await expect(archive.results()).toContainText('没有符合条件的档案');
});
