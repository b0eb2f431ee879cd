import { makeIdNumber } from '../../electron/core/testing/id-numbers';
import { enrolledStation } from './central';
import { expect, test } from './fixtures';
import { CounterPage } from './page-models/counter';
import { MaterialPagesPanel } from './page-models/material-pages';

const ID_CARD = '居民身份证或社会保障卡';

/**
 * A page captured while the central office is down waits as 材料影像 on 数据同步 and in the header, apart from the
 * business data; once the central office is back, 立即同步 sends the operations and then the page.
 */
test('a page captured offline waits apart from the business data and goes up once the central office is back', async ({ page }) => {
  test.setTimeout(180_000);
  const { central, loginPage, dispose } = await enrolledStation(page, [
    { username: 'zhou', name: '周柜员', role: 'teller', password: 'zhou-pass-1' },
  ]);
  try {
    await central.stop();

    await loginPage.login('zhou', 'zhou-pass-1', 1);
    const counter = new CounterPage(page);
    await counter.registerPerson(makeIdNumber('330106', '1980-05-20', 17), '陈建国');
    await counter.chooseItem('D1');
    await counter.mark(ID_CARD, '已收');
    await counter.mark('户籍或公安机关出具的变更证明', '数据核验');
    await counter.select('变更项目', '姓名');
    await counter.field('变更前内容').fill('陈建囯');
    await counter.field('变更后内容').fill('陈建国');
    await page.keyboard.press('F9');
    await expect(counter.outcome()).toContainText('待复核');
    const pages = new MaterialPagesPanel(page);
    await pages.captureSimulated(ID_CARD, 1);
    await expect(pages.pages(ID_CARD)).toHaveCount(1);

    const indicator = page.getByTestId('sync-indicator');
    await expect(indicator).toHaveAttribute('data-state', 'offline', { timeout: 20_000 });
    await expect(indicator).toContainText('影像 1 页待传');
    await indicator.click();
    await expect(page.getByTestId('sync-files')).toContainText(/材料影像：待上传 1 页（\d+ KB）/);

    await central.start();
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect(indicator).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
    await expect(page.getByTestId('sync-files')).toHaveText('材料影像：已全部上传');
    await expect(indicator).toHaveAttribute('data-files', 'done');
    await expect(indicator).not.toContainText('待');
  } finally {
    await dispose();
  }
});
