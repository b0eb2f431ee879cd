import type { PrintDocument } from '#shared/documents/print-document';
import { acceptanceReceipt, completionVoucher, oneTimeNotice, type Applicant, type IssuedAt } from '../../cases/documents';
import { loadDefaultCatalogue } from '../../catalogue/reference';
import type { DecodedJob, JobItem } from '../../devices/index';
import { dayCloseSheet, queueTicket } from '../templates';

// The golden byte files: every printed template with fixed inputs, at 58 mm (32 columns) and 80 mm
// (48 columns). `generate.ts` writes them; the test renders again and compares, and reads the stored
// bytes back through the virtual printer to compare what a person would read on the paper.

export const GOLDEN_COLUMNS = [32, 48] as const;

const catalogue = loadDefaultCatalogue();
const sub = (code: string) => catalogue.subItem(code)!.sub;

const at: IssuedAt = { stationName: '西湖区文新街道社保服务站', windowNo: 3, operatorName: '王柜员', localTime: '2026-03-02 09:15' };
// A demo person: a fictional, valid number, and a name with a character outside GB2312.
const applicant: Applicant = { name: '张堃', idNumber: '33030219850412013X' };

export const GOLDEN_DOCUMENTS: Readonly<Record<string, () => PrintDocument>> = {
  'acceptance-receipt': () =>
    acceptanceReceipt({
      caseNo: '330106001-20260302-0007',
      sub: sub('D1'),
      applicant,
      materials: ['居民身份证或社会保障卡', '户籍或公安机关出具的变更证明（数据核验）'],
      promisedDate: '2026-03-09',
      provisional: false,
      amounts: null,
      at,
    }).document,
  'one-time-notice': () => {
    const item = sub('I1');
    return oneTimeNotice({ sub: item, applicant, missing: item.materials.slice(1), catalogueVersion: '2026.1', at }).document;
  },
  'completion-voucher': () =>
    completionVoucher({
      caseNo: '330106001-20260302-0008',
      sub: sub('G3'),
      applicant,
      result: '已办结',
      amounts: {
        lines: [
          { label: '2025年10月养老保险', fen: 106_080 },
          { label: '2025年11月养老保险', fen: 106_080 },
          { label: '滞纳金', fen: 1_591 },
        ],
        totalFen: 213_751,
        note: '按月缴费基数的20%计算，滞纳金按日万分之五',
      },
      at,
    }).document,
  'queue-ticket': () =>
    queueTicket({
      hallName: '西湖区文新街道社保服务站',
      categoryName: '综合业务',
      ticketNo: 'A012',
      peopleAhead: 5,
      issuedAt: '2026-03-02 09:15',
      notice: '请留意叫号屏和语音提示，过号须重新取号。本凭条当日有效。',
      qrData: 'T20260302A012',
    }).document,
  'day-close-sheet': () =>
    dayCloseSheet({
      stationName: '西湖区文新街道社保服务站',
      businessDate: '2026-03-02',
      closedAt: '2026-03-02 17:35',
      closedBy: '赵管理',
      sections: [
        {
          title: '按经办人',
          rows: [
            { label: '王柜员', cases: 23, amountFen: 1_254_300 },
            { label: '欧阳晓雯', cases: 7, amountFen: 0 },
          ],
        },
        {
          title: '按事项',
          rows: [
            { label: 'G3 灵活就业人员补缴', cases: 4, amountFen: 1_254_300 },
            { label: 'D1 个人关键信息变更', cases: 26, amountFen: 0 },
          ],
        },
      ],
      total: { cases: 30, amountFen: 1_254_300 },
      reconciliation: '与中心核对一致（30件，12,543.00元）',
    }).document,
};

function styleOf(align: string, run: { bold: boolean; width: number; height: number } | undefined): string {
  const marks = [
    align !== 'left' ? align : '',
    run?.bold ? 'bold' : '',
    run && (run.width > 1 || run.height > 1) ? `${run.width}x${run.height}` : '',
  ].filter(Boolean);
  return marks.length ? `[${marks.join(' ')}] ` : '';
}

function describeItem(item: JobItem): string {
  switch (item.kind) {
    case 'line':
      return styleOf(item.line.align, item.line.runs[0]) + item.line.text;
    case 'qr':
      return `[QR ${item.qr.errorCorrection} ${item.qr.moduleSize} ${item.qr.align}] ${item.qr.data}`;
    case 'feed':
      return `[feed ${item.lines}]`;
    case 'cut':
      return `[cut ${item.partial ? 'partial' : 'full'}]`;
  }
}

/** A decoded job as a reviewer reads it: one line per printed line, style marks in brackets, then QR, feeds and cuts. */
export function describeJob(job: DecodedJob): string {
  return job.items.map(describeItem).join('\n') + '\n';
}
