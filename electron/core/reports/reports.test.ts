import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportTable } from '#shared/api/reports';
import { rejection } from '../testing/api-error';
import { manualClock, startTestCore } from '../testing/fixture';
import { makeIdNumber } from '../testing/id-numbers';
import { reportToPdf, reportToXlsx } from './export';

type T = Awaited<ReturnType<typeof startTestCore>>;
let t: T;
afterEach(() => t?.dispose());

const DAY = '2026-11-27';

/** A day at the counter: an immediate item, a back payment with amounts, a two-level item, a one-time notice. */
async function aDay() {
  t = await startTestCore({ clock: manualClock(new Date(`${DAY}T10:00:00+08:00`)) });
  const teller = await t.loggedIn('teller');
  const person = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1980-05-20', 17), name: '陈建国' });
  const all = (code: string) =>
    teller
      .call('catalogue.subItem', { code })
      .then((s) => (s as { materials: { code: string }[] }).materials.map((m) => ({ code: m.code, status: 'received' as const })));
  await teller.call('case.accept', {
    subItemCode: 'N2',
    personId: person.id,
    materials: await all('N2'),
    form: { cardNumber: 'A00000001' },
  });
  await teller.call('case.accept', {
    subItemCode: 'G3',
    personId: person.id,
    materials: await all('G3'),
    form: { fromMonth: '2026-01', toMonth: '2026-02', baseGrade: '100' },
  });
  await teller.call('case.accept', { subItemCode: 'I1', personId: person.id, materials: [], form: {} });
  const admin = await t.loggedIn('admin', 3);
  return { admin };
}

/** A volumes report of `n` rows, built by hand. */
function volumes(n: number): ReportTable {
  return {
    kind: 'volumes',
    title: '事项办理量',
    stationName: '测试站',
    from: '2026-11-01',
    to: '2026-11-30',
    columns: [
      { key: 'date', title: '日期', type: 'text' },
      { key: 'item', title: '事项', type: 'text' },
      { key: 'count', title: '件数', type: 'int' },
    ],
    rows: Array.from({ length: n }, (_, i) => ({ date: '2026-11-27', item: `事项${i}`, count: 1 })),
    totals: { date: '合计', item: '', count: n },
    generatedAt: '2026-11-29T02:00:00.000Z',
  };
}

describe('reports', () => {
  it('count the day\u2019s cases per item and outcome, with notices and amounts', async () => {
    const { admin } = await aDay();
    const daily = await admin.call('reports.run', { kind: 'daily', from: DAY, to: DAY });
    const row = (code: string) => daily.rows.find((r) => String(r.item).startsWith(code));
    expect(row('N2')).toMatchObject({ accepted: 1, finished: 1, open: 0 });
    expect(row('G3')).toMatchObject({ accepted: 1, finished: 0, open: 1, amount: 300_000 });
    expect(row('I1')).toMatchObject({ accepted: 0, notices: 1 });
    expect(daily.totals).toMatchObject({ item: '合计', accepted: 2, notices: 1, amount: 300_000 });
    const empty = await admin.call('reports.run', { kind: 'daily', from: '2026-11-28', to: '2026-11-28' });
    expect(empty.rows).toEqual([]);
  });

  it('credit the teller and total amounts per insurance', async () => {
    const { admin } = await aDay();
    const tellers = await admin.call('reports.run', { kind: 'tellers', from: DAY, to: DAY });
    expect(tellers.rows).toEqual([expect.objectContaining({ teller: '王柜员', accepted: 2, finished: 1, ratings: 0, badReviews: 0 })]);
    const amounts = await admin.call('reports.run', { kind: 'amounts', from: DAY, to: DAY });
    expect(amounts.rows).toEqual([{ insurance: '养老保险', cases: 1, fen: 300_000 }]);
    const volumes = await admin.call('reports.run', { kind: 'volumes', from: DAY, to: DAY });
    expect(volumes.totals.count).toBe(2);
  });

  it('export to an .xlsx whose rows and totals read back the same', async () => {
    const { admin } = await aDay();
    const daily = await admin.call('reports.run', { kind: 'daily', from: DAY, to: DAY });
    const file = await admin.call('reports.export', { kind: 'daily', from: DAY, to: DAY, format: 'xlsx', exportId: 'x1' });
    expect(file.fileName).toMatch(/业务日报_2026-11-27_2026-11-27\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('业务日报')!;
    expect(sheet.getRow(2).getCell(1).value).toBe('办理事项');
    expect(sheet.rowCount).toBe(2 + daily.rows.length + 1);
    const totals = sheet.getRow(sheet.rowCount);
    expect(totals.getCell(1).value).toBe('合计');
    expect(totals.getCell(2).value).toBe(2);
    expect(totals.getCell(8).value).toBe(3000);
  });

  it('export to an A4 PDF paginated with its header on every page', async () => {
    const report = volumes(100);
    const pdf = (await reportToPdf(report)).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    const pages = pdf.match(/\/Type \/Page\b(?!s)/g)?.length;
    expect(pages).toBe(Math.ceil(101 / Math.floor((842 - 96 - 60) / 20)));
    const xlsx = await reportToXlsx(report);
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
  });

  it('are for administrators and approvers, and check the period', async () => {
    const { admin } = await aDay();
    const teller = await t.loggedIn('teller', 2);
    expect((await rejection(teller.call('reports.run', { kind: 'daily', from: DAY, to: DAY }))).code).toBe('FORBIDDEN');
    expect((await rejection(admin.call('reports.run', { kind: 'daily', from: DAY, to: '2026-11-01' }))).message).toBe(
      '开始日期不能晚于结束日期',
    );
  });

  it('report export progress per chunk of rows, and stop at the next chunk when cancelled', async () => {
    for (const write of [reportToXlsx, reportToPdf]) {
      const seen: number[] = [];
      const watch = (cancelAfter: number) => ({
        progress: (done: number) => seen.push(done),
        checkpoint: () => (seen.length >= cancelAfter ? Promise.reject(new Error('cancelled')) : Promise.resolve()),
      });
      await write(volumes(450), watch(Infinity));
      expect(seen).toEqual([200, 400, 451]);
      seen.length = 0;
      await expect(write(volumes(450), watch(1))).rejects.toThrow('cancelled');
      expect(seen).toEqual([200]);
    }
  });

  it('export with progress events, and a cancel from the same connection leaves no file', async () => {
    const { admin } = await aDay();
    const params = { kind: 'daily', from: DAY, to: DAY, format: 'pdf' } as const;
    const progress: { exportId: string; done: number; total: number }[] = [];
    admin.onEvent((e) => {
      if (e.type !== 'reports.exportProgress') return;
      progress.push({ exportId: e.exportId, done: e.done, total: e.total });
      if (e.exportId === 'cancel-me') void admin.call('reports.cancelExport', { exportId: 'cancel-me' });
    });
    const cancelled = await rejection(admin.call('reports.export', { ...params, exportId: 'cancel-me' }));
    expect(cancelled).toMatchObject({ code: 'CONFLICT', message: '导出已取消', reason: 'cancelled' });

    // Another connection cannot stop it; the export goes on to the whole file.
    const other = await t.loggedIn('approver', 2);
    const exporting = admin.call('reports.export', { ...params, exportId: 'keep-me' });
    await other.call('reports.cancelExport', { exportId: 'keep-me' });
    const file = await exporting;
    expect(Buffer.from(file.base64, 'base64').toString('latin1')).toMatch(/^%PDF-[\s\S]*%%EOF\s*$/);
    expect(progress).toEqual([
      { exportId: 'cancel-me', done: 4, total: 4 },
      { exportId: 'keep-me', done: 4, total: 4 },
    ]);
  });
});
