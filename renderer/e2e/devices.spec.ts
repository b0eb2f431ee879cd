import type { Page } from '@playwright/test';
import { makeIdNumber } from '../../electron/core/testing/id-numbers';
import { expect, test } from './fixtures';
import { pickOption } from './page-models/antd';
import { CounterPage } from './page-models/counter';

/** 李喆 of the demo people: a 2.0 social security card and a resident ID card. */
const demo = { name: '李喆', idNumber: '110105199011030250' };

const readerGroup = (page: Page, card: '社保卡' | '身份证') => page.getByRole('group', { name: `${card}读卡器演示` });
const queue = (page: Page) => page.getByTestId('print-queue');

test('a card in the simulated reader brings up its person, and taking it out clears them', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123');
  await page.getByLabel('演示人员').click();
  await pickOption(page, new RegExp(`^${demo.name}（`));

  // Not registered yet: the registration form opens with the card's number and name.
  await readerGroup(page, '社保卡').getByRole('button', { name: '插入社保卡' }).click();
  const form = page.getByRole('form', { name: '新登记参保人' });
  await expect(form.getByLabel('证件号码')).toHaveValue(demo.idNumber);
  await expect(form.getByLabel('姓名')).toHaveValue(demo.name);
  await form.getByRole('button', { name: /登\s*记/ }).click();
  await expect(page.getByTestId('person-card')).toContainText(demo.name);

  await readerGroup(page, '社保卡').getByRole('button', { name: '取出社保卡' }).click();
  await expect(page.getByTestId('person-card')).toHaveCount(0);

  // Registered now: the card brings the person up directly.
  await readerGroup(page, '社保卡').getByRole('button', { name: '插入社保卡' }).click();
  await expect(page.getByTestId('person-card')).toContainText(demo.name);
  await expect(page.getByTestId('person-card')).toContainText('1101**********0250');
  await readerGroup(page, '社保卡').getByRole('button', { name: '取出社保卡' }).click();
  await expect(page.getByTestId('person-card')).toHaveCount(0);

  // A garbled answer from the ID card reader is an error, never a person.
  await readerGroup(page, '身份证').getByRole('button', { name: '下次读卡乱码' }).click();
  await readerGroup(page, '身份证').getByRole('button', { name: '放置身份证' }).click();
  await expect(page.getByTestId('card-notice')).toContainText('身份证读取失败：设备返回的数据不完整或无法识别');
  await expect(page.getByTestId('person-card')).toHaveCount(0);
  await readerGroup(page, '身份证').getByRole('button', { name: '放置身份证' }).click();
  await expect(page.getByTestId('person-card')).toContainText(demo.name);

  // An unplugged reader shows on the status strip, and comes back by itself.
  await readerGroup(page, '身份证').getByRole('button', { name: '拔出读卡器' }).click();
  await expect(page.getByTestId('device-card')).toContainText('模拟读卡器（身份证） 未连接');
  await readerGroup(page, '身份证').getByRole('button', { name: '插回读卡器' }).click();
  await expect(page.getByTestId('device-card')).toContainText('模拟读卡器（身份证） 就绪');
});

test('an accepted case is printed by the virtual printer and shows as printed in the queue', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123');
  const counter = new CounterPage(page);
  await counter.registerPerson(makeIdNumber('330106', '1980-05-20', 17), '陈建国');
  // N2 is finished on the spot, so its completion voucher goes to the printer at once.
  await counter.activateCard('A00000001');
  const job = queue(page).getByRole('listitem').filter({ hasText: '办结凭证' });
  await expect(job.getByTestId('job-state')).toHaveText('已打印');
  await expect(queue(page).getByTestId('virtual-paper')).toBeVisible();
});

test('out of paper: the UI says 缺纸, the next receipt waits, and prints once the paper is back', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123');
  await queue(page).getByRole('button', { name: '模拟缺纸' }).click();
  await expect(queue(page).getByTestId('printer-state')).toContainText('打印机缺纸');
  await expect(page.getByTestId('device-card')).toContainText('缺纸');

  const counter = new CounterPage(page);
  await counter.registerPerson(makeIdNumber('330106', '1980-05-20', 25), '林晓');
  await counter.activateCard('A00000002');
  const job = queue(page).getByRole('listitem').filter({ hasText: '办结凭证' });
  await expect(job.getByTestId('job-state')).toHaveText('等待重试');
  await expect(job).toContainText('缺纸');

  await queue(page).getByRole('button', { name: '装纸并联机' }).click();
  await expect(queue(page).getByTestId('printer-state')).toContainText('打印机在线');
  await expect(job.getByTestId('job-state')).toHaveText('已打印');
  await expect(queue(page).getByRole('listitem').filter({ hasText: '办结凭证' })).toHaveCount(1);
});
