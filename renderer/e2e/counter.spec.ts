import type { Page } from '@playwright/test';
import { makeIdNumber } from '../../electron/core/testing/id-numbers';
import { expect, test } from './fixtures';
import { CounterPage } from './page-models/counter';

const idNumber = makeIdNumber('330106', '1980-05-20', 17);

async function logout(page: Page) {
  await page.getByRole('button', { name: /退\s*出/ }).click();
  await expect(page.getByRole('heading', { name: /综合柜员登录/ })).toBeVisible();
}

/** D1 个人关键信息变更: two-level, the proof can be replaced by a data check. */
async function acceptKeyInfoChange(counter: CounterPage) {
  await counter.chooseItem('D1');
  await counter.mark('居民身份证或社会保障卡', '已收');
  await counter.mark('户籍或公安机关出具的变更证明', '数据核验');
  await counter.select('变更项目', '姓名');
  await counter.field('变更前内容').fill('陈建囯');
  await counter.field('变更后内容').fill('陈建国');
  await counter.page.keyboard.press('F9');
  await expect(counter.outcome()).toContainText('已受理');
  await expect(counter.outcome()).toContainText('待复核');
  return counter.caseNo();
}

test('a teller accepts an immediate item and gets a completion voucher', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123');
  const counter = new CounterPage(page);
  await counter.registerPerson(idNumber, '陈建国');
  await counter.activateCard();
  const voucher = counter.documents().getByRole('figure', { name: /办结凭证/ });
  await expect(voucher).toContainText('办结凭证');
  await expect(voucher).toContainText('陈建国');
  await expect(voucher).toContainText(`${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`);
  await expect(voucher).not.toContainText(idNumber);
  await expect(page.getByTestId('person-card')).toContainText('社会保障卡启用');
  await page.keyboard.press('F4');
  await expect(counter.documents()).toContainText('已补打：');
});

test('missing materials give a one-time notice and no case', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123');
  const counter = new CounterPage(page);
  await counter.registerPerson(idNumber, '陈建国');
  await counter.chooseItem('I1');
  await counter.mark('继承人（亲属）居民身份证', '已收');
  await expect(page.getByRole('button', { name: '出具一次性告知单 (F9)' })).toBeVisible();
  await page.keyboard.press('F9');
  await expect(counter.outcome()).toContainText('材料不全，未受理');
  const notice = counter.documents().getByRole('figure', { name: /一次性告知单/ });
  for (const missing of ['死亡证明和火化证明', '亲属关系证明', '继承人银行账户']) await expect(notice).toContainText(missing);
  await expect(notice).not.toContainText('继承人（亲属）居民身份证');
  // The person's record shows the notice and no case.
  await expect(page.getByTestId('person-card')).toContainText('一次性告知单');
  await expect(page.getByTestId('person-card')).not.toContainText('330106001-');
});

test('a two-level item is reviewed in the back office and delivered at another window', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123', 1);
  const counter = new CounterPage(page);
  await counter.registerPerson(idNumber, '陈建国');
  const caseNo = await acceptKeyInfoChange(counter);
  await expect(counter.documents().getByRole('figure', { name: /受理回执/ })).toContainText('承诺办结');
  await logout(page);

  await loginPage.login('reviewer', 'reviewer123', 2);
  await page.getByRole('link', { name: '复核审批' }).click();
  await page.getByLabel('待办案件').getByText(caseNo).click();
  await expect(page.getByTestId('case-detail')).toContainText('陈建国');
  await page.getByRole('button', { name: '复核通过' }).click();
  await expect(page.getByRole('status')).toContainText(`${caseNo}：复核通过`);
  await logout(page);

  await loginPage.login('teller', 'teller123', 3);
  await page.getByRole('link', { name: '统一出件' }).click();
  await page.getByLabel('待领取案件').getByText(caseNo).click();
  await page.getByRole('button', { name: '出件并打印办结凭证' }).click();
  await expect(page.getByTestId('case-detail')).toContainText('已出件');
  await expect(page.getByTestId('case-detail')).toContainText('3号窗口');
  await expect(page.getByTestId('case-detail')).not.toContainText(idNumber);
  await expect(page.getByTestId('documents').getByRole('figure', { name: /办结凭证/ })).toContainText(caseNo);
});

test('the accepting teller is refused as reviewer, in the UI and through the API', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123');
  const counter = new CounterPage(page);
  await counter.registerPerson(idNumber, '陈建国');
  const caseNo = await acceptKeyInfoChange(counter);
  await expect(page.getByRole('link', { name: '复核审批' })).toHaveCount(0);
  await page.goto(`${loginPage.url}#/review`);
  await expect(page).toHaveURL(/#\/workbench$/);

  // Straight to the core over the same WebSocket API the UI uses, bypassing the UI.
  const answer = await page.evaluate(async (no) => {
    const ws = new WebSocket(`ws://${location.host}/api`);
    await new Promise((r) => ws.addEventListener('open', r, { once: true }));
    let next = 1;
    const call = (method: string, params: unknown) =>
      new Promise<{ ok: boolean; value?: { id: string }; error?: { code: string; message: string } }>((resolve) => {
        const id = next++;
        ws.addEventListener('message', function onMessage(m) {
          const frame = JSON.parse(String(m.data));
          if (frame.kind === 'reply' && frame.id === id) {
            ws.removeEventListener('message', onMessage);
            resolve(frame.envelope);
          }
        });
        ws.send(JSON.stringify({ id, method, params }));
      });
    await call('auth.login', { username: 'teller', password: 'teller123', windowNo: 1 });
    const found = await call('case.byNumber', { caseNo: no });
    return call('case.act', { id: found.value!.id, action: 'pass_review' });
  }, caseNo);
  expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('受审分离') } });
});

test('a back payment is computed itemised before acceptance and printed with its total in capitals', async ({ page, loginPage }) => {
  await loginPage.open();
  await loginPage.login('teller', 'teller123');
  const counter = new CounterPage(page);
  await counter.registerPerson(idNumber, '陈建国');
  await counter.chooseItem('G3');
  await counter.mark('居民身份证或社会保障卡', '已收');
  await counter.mark('灵活就业人员补缴申请表', '已收');
  // The host runs on the real clock and flexible workers pay back within the current year: use this month.
  const month = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 7);
  await counter.field('起始月份').fill(month);
  await counter.field('截止月份').fill(month);
  await counter.select('缴费档次（社平工资的百分比）', '100%');
  await page.keyboard.press('F7');
  const quote = page.getByTestId('quote');
  // Demo parameters: 90,000 a year at grade 100% is a base of 7,500 a month; flexible pension 20%.
  await expect(quote).toContainText(`${month} 养老保险`);
  await expect(quote).toContainText('¥1,500.00');
  await expect(quote).toContainText('壹仟伍佰元整');
  await page.keyboard.press('F9');
  await expect(counter.outcome()).toContainText('待复核');
  await expect(counter.documents().getByRole('figure', { name: /受理回执/ })).toContainText('大写：壹仟伍佰元整');
});
