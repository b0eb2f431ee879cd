import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import type { Page } from '@playwright/test';
import { PAGE_PART_MAX_BYTES } from '../../shared/api/archive';
import { makeIdNumber } from '../../electron/core/testing/id-numbers';
import { expect, test } from './fixtures';
import { CounterPage } from './page-models/counter';
import { MaterialPagesPanel } from './page-models/material-pages';

const ID_CARD = '居民身份证或社会保障卡';

/** A page as a scanner saves it. */
function scan(kind: 'png' | 'jpeg', text: string): Buffer {
  const canvas = createCanvas(900, 1200);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 900, 1200);
  ctx.fillStyle = '#000';
  ctx.font = '48px sans-serif';
  ctx.fillText(text, 80, 120);
  return kind === 'png' ? canvas.toBuffer('image/png') : canvas.toBuffer('image/jpeg');
}

/** The pages of a case as the core keeps them, asked over the API as a reviewer (any staff member may list them). */
async function storedPages(page: Page, caseNo: string) {
  return page.evaluate(async (no) => {
    const ws = new WebSocket(`ws://${location.host}/api`);
    await new Promise((r) => ws.addEventListener('open', r, { once: true }));
    let next = 1;
    const call = <T>(method: string, params: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        ws.addEventListener('message', function onMessage(m) {
          const frame = JSON.parse(String(m.data));
          if (frame.kind !== 'reply' || frame.id !== id) return;
          ws.removeEventListener('message', onMessage);
          if (frame.envelope.ok) resolve(frame.envelope.value as T);
          else reject(new Error(frame.envelope.error.message));
        });
        ws.send(JSON.stringify({ id, method, params }));
      });
    await call('auth.login', { username: 'reviewer', password: 'reviewer123', windowNo: 2 });
    const found = await call<{ id: string }>('case.byNumber', { caseNo: no });
    const pages = await call<{ name: string; mime: string; size: number; sha256: string; width: number | null; height: number | null }[]>(
      'pages.list',
      { caseId: found.id },
    );
    ws.close();
    return pages;
  }, caseNo);
}

/** A PDF as a scanner makes it: a header, then bytes that do not compress. */
const scannedPdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A teller at window 1 with a card activation (N2) just accepted: its ID card is a received material. */
async function acceptedCase(page: Page): Promise<string> {
  return new CounterPage(page).acceptCardActivation(makeIdNumber('330106', '1980-05-20', 17), '陈建国');
}

test('a camera page is turned, straightened and cropped before it is filed, and stored with the cropped size', async ({
  page,
  loginPage,
}) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123', 1);
  const caseNo = await acceptedCase(page);
  const pages = new MaterialPagesPanel(page);
  const dialog = await pages.openSimulatedFrame(ID_CARD);
  const editor = pages.editor();
  const size = editor.getByTestId('crop-size');
  await expect(size).toHaveText('1240 × 1754');

  // Keyboard, straight away: ] turns right; the arrows straighten by half a degree and the crop shrinks to the page inside.
  await page.keyboard.press(']');
  await expect(size).toHaveText('1754 × 1240');
  await editor.press('ArrowRight');
  await expect(editor.getByTestId('fine-angle')).toHaveText('0.5°');
  await expect(size).not.toHaveText('1754 × 1240');
  await editor.press('ArrowLeft');
  await expect(editor.getByTestId('fine-angle')).toHaveText('0°');
  await expect(size).toHaveText('1754 × 1240');
  // The buttons turn too: left, then right again.
  await editor.getByRole('button', { name: '左转90°' }).click();
  await expect(size).toHaveText('1240 × 1754');
  await editor.getByRole('button', { name: '右转90°' }).click();
  await expect(size).toHaveText('1754 × 1240');

  // Crop: drag the top-left corner 80 px right and 50 px down on screen.
  const preview = (await editor.getByTestId('page-preview').boundingBox())!;
  const scale = preview.width / 1754;
  const corner = (await editor.getByTestId('crop-nw').boundingBox())!;
  const at = { x: corner.x + corner.width / 2, y: corner.y + corner.height / 2 };
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  await page.mouse.move(at.x + 40, at.y + 25, { steps: 4 });
  await page.mouse.move(at.x + 80, at.y + 50, { steps: 4 });
  await page.mouse.up();
  const [width, height] = (await size.textContent())!.split(' × ').map(Number) as [number, number];
  expect(Math.abs(width - (1754 - 80 / scale))).toBeLessThanOrEqual(3);
  expect(Math.abs(height - (1240 - 50 / scale))).toBeLessThanOrEqual(3);

  await pages.confirmEdit();
  await expect(dialog.getByRole('status')).toContainText('本次已拍 1 页');
  await pages.closeCamera(dialog);
  await expect(pages.pages(ID_CARD)).toHaveCount(1);
  const stored = await storedPages(page, caseNo);
  expect(stored).toEqual([expect.objectContaining({ width, height })]);

  // 重拍 discards a frame: nothing more is filed.
  const again = await pages.openSimulatedFrame(ID_CARD);
  await editor.getByRole('button', { name: /重\s*拍/ }).click();
  await expect(editor).toBeHidden();
  await expect(again.getByRole('status')).toContainText('本次已拍 0 页');
  await pages.closeCamera(again);
  expect(await storedPages(page, caseNo)).toHaveLength(1);
});

test('scans from the scanner folder set on 设备设置 become pages, and are then moved out of the way', async ({ page, loginPage }) => {
  const folder = mkdtempSync(join(tmpdir(), 'yichuang-e2e-scans-'));
  try {
    await loginPage.open();
    await loginPage.login('admin', 'admin123');
    await page.getByRole('link', { name: '设备设置' }).click();
    const card = page.getByRole('form', { name: '扫描仪设置' });
    const save = card.getByRole('button', { name: '保存扫描文件夹' });
    // A demo station starts on its own drop folder, under the data folder.
    await expect(card.getByLabel('扫描文件夹')).toHaveValue(/scanner-demo$/);
    await card.getByLabel('扫描文件夹').fill(join(folder, 'missing'));
    await save.click();
    await expect(card).toContainText('文件夹不存在或无法访问');
    await card.getByLabel('扫描文件夹').fill(folder);
    await save.click();
    await expect(page.getByRole('status').filter({ hasText: '扫描文件夹已保存' })).toBeVisible();
    await page.getByRole('button', { name: /退\s*出/ }).click();
    await expect(page.getByRole('heading', { name: /综合柜员登录/ })).toBeVisible();

    await loginPage.login('teller', 'teller123', 1);
    const caseNo = await acceptedCase(page);
    // The scanner saved two pages, the second a little later.
    writeFileSync(join(folder, 'scan-0001.png'), scan('png', 'page one'));
    writeFileSync(join(folder, 'scan-0002.jpg'), scan('jpeg', 'page two'));
    writeFileSync(join(folder, 'notes.txt'), 'not a scan');

    const pages = new MaterialPagesPanel(page);
    const dialog = await pages.openScanner(ID_CARD);
    const waiting = dialog.getByRole('list', { name: '待归入的扫描文件' }).getByRole('listitem');
    await expect(waiting).toHaveCount(2);
    await expect(dialog.getByRole('img', { name: '缩略图 scan-0001.png' })).toBeVisible();
    await dialog.getByRole('checkbox', { name: 'scan-0001.png' }).check();
    await dialog.getByRole('checkbox', { name: 'scan-0002.jpg' }).check();
    await dialog.getByRole('button', { name: /归入（2页）/ }).click();
    await expect(dialog).toBeHidden();
    await expect(pages.pages(ID_CARD)).toHaveCount(2);
    expect((await storedPages(page, caseNo)).map((p) => p.name).sort()).toEqual(['scan-0001.png', 'scan-0002.jpg']);

    // Filed scans are in 已归入, never deleted, and not offered again.
    expect(readdirSync(join(folder, '已归入')).sort()).toEqual(['scan-0001.png', 'scan-0002.jpg']);
    const reopened = await pages.openScanner(ID_CARD);
    await expect(reopened).toContainText('扫描文件夹中没有待归入的文件');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a 3 MB PDF imported with 导入 goes in parts with its progress shown, resumes after a refused part, and is filed whole', async ({
  page,
  loginPage,
}) => {
  const pdf = scannedPdf(3 * 1024 * 1024);
  // Between the page and the core: the third part is sent once as if it were the fourth, so the core refuses it with
  // the bytes it holds and the workbench must go on from there.
  const offsets: number[] = [];
  await page.routeWebSocket(/\/api$/, (ws) => {
    const server = ws.connectToServer();
    let skipped = false;
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { method: string; params: { offset: number } };
      if (frame.method === 'pages.uploadPart') {
        if (!skipped && frame.params.offset === 2 * PAGE_PART_MAX_BYTES) {
          skipped = true;
          frame.params.offset += PAGE_PART_MAX_BYTES;
        }
        offsets.push(frame.params.offset);
      }
      server.send(JSON.stringify(frame));
    });
  });
  await loginPage.open();
  await loginPage.login('teller', 'teller123', 1);
  const caseNo = await acceptedCase(page);
  const pages = new MaterialPagesPanel(page);
  const progress = await pages.recordUploadProgress();

  await pages.importFile(ID_CARD, { name: '户口簿.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(pages.pages(ID_CARD)).toHaveCount(1);
  await expect(pages.material(ID_CARD).getByRole('alert')).toHaveCount(0);
  const part = (n: number) => `正在上传“户口簿.pdf” 第${n}/6部分`;
  expect(await progress()).toEqual([part(1), part(2), part(3), part(4), part(5), part(6)]);
  expect(offsets).toEqual([0, 1, 3, 2, 3, 4, 5].map((n) => n * PAGE_PART_MAX_BYTES));
  expect(await storedPages(page, caseNo)).toEqual([
    expect.objectContaining({ name: '户口簿.pdf', mime: 'application/pdf', size: pdf.length, sha256: sha256(pdf) }),
  ]);
});

test('a 2 MB scan is filed from the scanner folder by the core, without its bytes crossing the page', async ({ page, loginPage, host }) => {
  let largestSent = 0;
  page.on('websocket', (ws) => ws.on('framesent', ({ payload }) => void (largestSent = Math.max(largestSent, payload.length))));
  await loginPage.open();
  await loginPage.login('teller', 'teller123', 1);
  const caseNo = await acceptedCase(page);
  const pages = new MaterialPagesPanel(page);
  // The demo station's drop folder, made with its two samples when first opened.
  const dialog = await pages.openScanner(ID_CARD);
  const waiting = dialog.getByRole('list', { name: '待归入的扫描文件' }).getByRole('listitem');
  await expect(waiting).toHaveCount(2);
  const folder = join(host.dataDir, 'scanner-demo');
  const pdf = scannedPdf(2 * 1024 * 1024);
  writeFileSync(join(folder, 'scan-large.pdf'), pdf);
  await dialog.getByRole('button', { name: /刷\s*新/ }).click();
  await expect(waiting).toHaveCount(3);
  await expect(dialog).toContainText('2.0 MB');

  await dialog.getByRole('checkbox', { name: 'scan-large.pdf' }).check();
  await dialog.getByRole('button', { name: /归入（1页）/ }).click();
  await expect(dialog).toBeHidden();
  await expect(pages.pages(ID_CARD)).toHaveCount(1);
  expect(await storedPages(page, caseNo)).toEqual([
    expect.objectContaining({ name: 'scan-large.pdf', mime: 'application/pdf', size: pdf.length, sha256: sha256(pdf) }),
  ]);
  expect(readdirSync(join(folder, '已归入'))).toEqual(['scan-large.pdf']);
  // The scan was not sent back to the core from the page: no frame the page sent came anywhere near its size.
  expect(largestSent).toBeGreaterThan(0);
  expect(largestSent).toBeLessThan(10_000);
});
