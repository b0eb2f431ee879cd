import type { PrintBlock, PrintDocument } from '#shared/documents/print-document';
import { formatYuan } from '#shared/domain/money/fen';
import { textCells } from '../devices/index';

// Document builders for the hall and the day close: pure functions of what is printed, so the callers
// (ticket issuing, day close) own the data and these own only the layout. Counter documents (receipt,
// voucher, notice) are in cases/documents.ts.

export interface BuiltDocument {
  kind: 'queue_ticket' | 'day_close_sheet' | 'test_page';
  title: string;
  document: PrintDocument;
}

const centered = (text: string, style: { bold?: boolean } = {}): PrintBlock => ({
  type: 'text',
  text,
  style: { align: 'center', ...style },
});

/** 取号凭条: what the citizen holds while waiting. */
export function queueTicket(p: {
  hallName: string;
  categoryName: string;
  /** As printed and announced, e.g. A012. */
  ticketNo: string;
  peopleAhead: number;
  /** Local time the ticket was taken, e.g. 2026-03-02 09:15. */
  issuedAt: string;
  notice: string;
  /** ASCII only (a ticket id): every scanner and every printer reads it. */
  qrData: string;
}): BuiltDocument {
  const blocks: PrintBlock[] = [
    centered(p.hallName, { bold: true }),
    centered(p.categoryName),
    { type: 'separator', char: '=' },
    { type: 'text', text: p.ticketNo, style: { align: 'center', bold: true, width: 3, height: 3 } },
    centered(p.peopleAhead === 0 ? '您前面没有人等候，请留意叫号' : `您前面还有 ${p.peopleAhead} 人等候`),
    { type: 'separator', char: '-' },
    { type: 'row', label: '取号时间', value: p.issuedAt },
    { type: 'text', text: p.notice },
    { type: 'qr', data: p.qrData, align: 'center', moduleSize: 5 },
  ];
  return { kind: 'queue_ticket', title: `取号凭条 ${p.ticketNo}`, document: { blocks } };
}

export interface DayCloseRow {
  label: string;
  cases: number;
  amountFen: number;
}

/** Right-aligns in printer columns (a hanzi takes two), not in characters. */
const padCells = (text: string, cells: number) => ' '.repeat(Math.max(0, cells - textCells(text))) + text;

/** Count and amount as one right-aligned value, padded so the columns line up from row to row. */
function figures(cases: number | string, amount: string): string {
  return `${padCells(String(cases), 5)} ${padCells(amount, 13)}`;
}

/** 日结单: the day's totals per section (operator, business item…), then the grand total. */
export function dayCloseSheet(p: {
  stationName: string;
  businessDate: string;
  /** Local time of the close. */
  closedAt: string;
  closedBy: string;
  sections: { title: string; rows: DayCloseRow[] }[];
  total: { cases: number; amountFen: number };
  /** The reconciliation result with the central office, in words. */
  reconciliation: string;
}): BuiltDocument {
  const yuan = (fen: number) => formatYuan(fen, { symbol: false });
  const sections = p.sections.flatMap((section): PrintBlock[] => [
    { type: 'text', text: section.title, style: { bold: true } },
    { type: 'row', label: '项目', value: figures('件数', '金额（元）') },
    ...section.rows.map((r): PrintBlock => ({ type: 'row', label: r.label, value: figures(r.cases, yuan(r.amountFen)) })),
    { type: 'separator', char: '-' },
  ]);
  const blocks: PrintBlock[] = [
    { type: 'text', text: '日结单', style: { align: 'center', bold: true, width: 2, height: 2 } },
    centered(p.stationName),
    { type: 'separator', char: '=' },
    { type: 'row', label: '营业日', value: p.businessDate },
    { type: 'row', label: '日结时间', value: p.closedAt },
    { type: 'row', label: '日结人', value: p.closedBy },
    { type: 'separator', char: '-' },
    ...sections,
    { type: 'row', label: '合计', value: figures(p.total.cases, yuan(p.total.amountFen)), bold: true },
    { type: 'text', text: `对账：${p.reconciliation}` },
    { type: 'feed', lines: 2 },
    { type: 'row', label: '日结人签字', value: '__________' },
    { type: 'row', label: '负责人签字', value: '__________' },
  ];
  return { kind: 'day_close_sheet', title: `日结单 ${p.businessDate}`, document: { blocks } };
}

/** 打印测试页: rulers exactly as wide as the configured columns show a wrong column count at a glance. */
export function testPage(p: {
  stationName: string;
  printerUri: string;
  paperMm: number;
  columns: number;
  cut: boolean;
  printedAt: string;
}): BuiltDocument {
  const digits = Array.from({ length: p.columns }, (_, i) => String((i + 1) % 10)).join('');
  const blocks: PrintBlock[] = [
    { type: 'text', text: '打印测试页', style: { align: 'center', bold: true, width: 2, height: 2 } },
    centered(p.stationName),
    { type: 'separator', char: '=' },
    { type: 'row', label: '打印机', value: p.printerUri },
    { type: 'row', label: '纸宽', value: `${p.paperMm}毫米 · ${p.columns}列` },
    { type: 'row', label: '切纸', value: p.cut ? '是' : '否' },
    { type: 'row', label: '时间', value: p.printedAt },
    { type: 'text', text: '下面两行应恰好占满一行，不折行、不被截断：' },
    { type: 'text', text: digits },
    { type: 'text', text: '国'.repeat(p.columns / 2) },
    { type: 'text', text: '生僻字：张堃 李喆 刘䶮 杨𠮷 金额：￥1,234.50' },
    { type: 'qr', data: 'YICHUANG-TEST', align: 'center', moduleSize: 5 },
  ];
  return { kind: 'test_page', title: '打印测试页', document: { blocks } };
}
