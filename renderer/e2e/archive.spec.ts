import { createCanvas } from '@napi-rs/canvas';
import type { Page } from '@playwright/test';
import { makeIdNumber } from '../../electron/core/testing/id-numbers';
import { expect, test } from './fixtures';
import { CounterPage } from './page-models/counter';
import { MaterialPagesPanel } from './page-models/material-pages';

const idNumber = makeIdNumber('330106', '1980-05-20', 17);
const ID_CARD = '居民身份证或社会保障卡';
const PROOF = '户籍或公安机关出具的变更证明';

/** A scanned proof as a scanner would save it: a PNG with some text on it. */
function scannedPng(): Buffer {
  const canvas = createCanvas(1200, 900);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 1200, 900);
  ctx.fillStyle = '#000';
  ctx.font = '48px sans-serif';
  ctx.fillText('Proof of change', 80, 120);
  return canvas.toBuffer('image/png');
}

async function logout(page: Page) {
  await page.getByRole('button', { name: /退\s*出/ }).click();
  await expect(page.getByRole('heading', { name: /综合柜员登录/ })).toBeVisible();
}

test('a teller captures and imports the pages of a case, and the reviewer sees them', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123', 1);
  const counter = new CounterPage(page);
  await counter.registerPerson(idNumber, '陈建国');
  await counter.chooseItem('D1');
  await counter.mark(ID_CARD, '已收');
  await counter.mark(PROOF, '已收');
  await counter.select('变更项目', '姓名');
  await counter.field('变更前内容').fill('陈建囯');
  await counter.field('变更后内容').fill('陈建国');
  await page.keyboard.press('F9');
  await expect(counter.outcome()).toContainText('待复核');
  const caseNo = await counter.caseNo();

  const pages = new MaterialPagesPanel(page);
  await pages.captureSimulated(ID_CARD, 2);
  await expect(pages.pages(ID_CARD)).toHaveCount(2);
  await expect(pages.pages(ID_CARD).first().getByRole('img')).toBeVisible();
  await pages.importFile(PROOF, { name: 'proof.png', mimeType: 'image/png', buffer: scannedPng() });
  await pages.confirmEdit();
  await expect(pages.pages(PROOF)).toHaveCount(1);
  await expect(pages.material(PROOF)).toContainText('（1页）');

  // A file that is no picture is refused by its content, whatever its name says.
  await pages.importFile(PROOF, { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') });
  await expect(pages.material(PROOF).getByRole('alert')).toContainText('只能导入JPEG、PNG图片或PDF文件');
  await expect(pages.pages(PROOF)).toHaveCount(1);

  // A page taken by mistake comes off again before delivery.
  await pages.removePage(ID_CARD, 2);
  await expect(pages.pages(ID_CARD)).toHaveCount(1);
  await logout(page);

  await loginPage.login('reviewer', 'reviewer123', 2);
  await page.getByRole('link', { name: '复核审批' }).click();
  await page.getByLabel('待办案件').getByText(caseNo).click();
  const detail = page.getByTestId('case-detail');
  await expect(detail).toContainText('陈建国');
  await expect(pages.pages(ID_CARD)).toHaveCount(1);
  await expect(pages.pages(PROOF)).toHaveCount(1);
  await expect(pages.pages(PROOF).getByRole('img')).toHaveAttribute('src', /^data:image\/jpeg;base64,/);
  // The reviewer looks, and cannot take pages off.
  await expect(detail.getByRole('button', { name: '删除' })).toHaveCount(0);
});

test('a case finished on the spot is captured, then filed with its catalogue at the pickup window', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123', 1);
  const caseNo = await new CounterPage(page).acceptCardActivation(idNumber, '陈建国');

  const pages = new MaterialPagesPanel(page);
  await pages.captureSimulated(ID_CARD);
  await expect(pages.pages(ID_CARD)).toHaveCount(1);
  // Delivered on the spot: its pages are part of the record and cannot be taken off.
  await expect(pages.material(ID_CARD).getByRole('button', { name: '删除' })).toHaveCount(0);

  await page.getByRole('link', { name: '统一出件' }).click();
  await page.getByLabel('受理编号').fill(caseNo);
  await page.getByLabel('受理编号').press('Enter');
  const archive = page.getByTestId('archive-panel');
  await expect(archive).toContainText('未归档');
  await expect(pages.pages(ID_CARD)).toHaveCount(1);
  await archive.getByRole('button', { name: /归\s*档/ }).click();
  await expect(archive).toContainText('已归档');
  const catalogue = archive.getByRole('figure', { name: /卷内目录/ });
  await expect(catalogue).toContainText(caseNo);
  await expect(catalogue).toContainText('第1页（1页）');
  await expect(catalogue).not.toContainText(idNumber);
});
