import type { PrintBlock, PrintDocument } from '#shared/documents/print-document';
import { MATERIAL_FORM_LABELS, type CatalogueSubItem } from '#shared/domain/catalogue/schema';
import { maskIdNumber } from '#shared/domain/identity/masking';
import { formatYuan } from '#shared/domain/money/fen';
import { toCapitalAmount } from '#shared/domain/money/capital-amount';
import type { AmountLine } from '#shared/api/cases';

/** What every counter document shows about where and by whom it was issued. */
export interface IssuedAt {
  stationName: string;
  windowNo: number | null;
  operatorName: string;
  /** Local date and time as printed, e.g. 2026-11-29 10:15. */
  localTime: string;
}

export interface Applicant {
  name: string;
  idNumber: string | null;
}

export interface Titled {
  kind: 'acceptance_receipt' | 'completion_voucher' | 'one_time_notice';
  title: string;
  document: PrintDocument;
}

const heading = (text: string): PrintBlock => ({ type: 'text', text, style: { align: 'center', bold: true, width: 2, height: 2 } });
const centered = (text: string): PrintBlock => ({ type: 'text', text, style: { align: 'center' } });
const row = (label: string, value: string): PrintBlock => ({ type: 'row', label, value });
const sep = (char: '-' | '=' = '-'): PrintBlock => ({ type: 'separator', char });

function applicantRows(applicant: Applicant | null): PrintBlock[] {
  if (!applicant) return [];
  // Paper leaves the counter: the ID number is always masked on it.
  return [row('申请人', applicant.name), ...(applicant.idNumber ? [row('证件号码', maskIdNumber(applicant.idNumber))] : [])];
}

function issuedRows(at: IssuedAt): PrintBlock[] {
  return [row('办理窗口', at.windowNo ? `${at.windowNo}号窗口` : '—'), row('经办人', at.operatorName), row('时间', at.localTime)];
}

type AmountsBlock = { lines: AmountLine[]; totalFen: number; note: string } | null;

/** Itemised amounts, the total in figures and in Chinese capitals as receipts customarily show it. */
function amountBlocks(amounts: AmountsBlock): PrintBlock[] {
  if (!amounts) return [];
  return [
    sep(),
    ...amounts.lines.map((l) => row(l.label, formatYuan(l.fen))),
    { type: 'row', label: '合计', value: formatYuan(amounts.totalFen), bold: true },
    { type: 'text', text: `大写：${toCapitalAmount(amounts.totalFen)}` },
    { type: 'text', text: amounts.note },
  ];
}

/** 受理回执: given for every accepted case that is not finished on the spot. */
export function acceptanceReceipt(p: {
  caseNo: string;
  sub: CatalogueSubItem;
  applicant: Applicant | null;
  materials: string[];
  promisedDate: string | null;
  provisional: boolean;
  amounts: AmountsBlock;
  at: IssuedAt;
}): Titled {
  const blocks: PrintBlock[] = [
    heading('受理回执'),
    centered(p.at.stationName),
    sep('='),
    row('受理编号', p.caseNo),
    row('办理事项', p.sub.name),
    ...applicantRows(p.applicant),
    ...issuedRows(p.at),
    row('承诺办结', p.promisedDate ? `${p.promisedDate}${p.provisional ? '（暂定）' : ''}` : '即办'),
    sep(),
    { type: 'text', text: `已收材料：${p.materials.length ? p.materials.join('；') : '无需材料'}` },
    ...amountBlocks(p.amounts),
    sep(),
    { type: 'qr', data: p.caseNo, align: 'center', moduleSize: 5 },
    centered('凭本回执在本站任一窗口领取办理结果'),
  ];
  return { kind: 'acceptance_receipt', title: `受理回执 ${p.caseNo}`, document: { blocks } };
}

/** 办结凭证: given when a case is finished on the spot or its result is handed out. */
export function completionVoucher(p: {
  caseNo: string;
  sub: CatalogueSubItem;
  applicant: Applicant | null;
  result: string;
  amounts: AmountsBlock;
  at: IssuedAt;
}): Titled {
  const blocks: PrintBlock[] = [
    heading('办结凭证'),
    centered(p.at.stationName),
    sep('='),
    row('受理编号', p.caseNo),
    row('办理事项', p.sub.name),
    ...applicantRows(p.applicant),
    row('办理结果', p.result),
    ...amountBlocks(p.amounts),
    sep(),
    ...issuedRows(p.at),
    { type: 'qr', data: p.caseNo, align: 'center', moduleSize: 5 },
  ];
  return { kind: 'completion_voucher', title: `办结凭证 ${p.caseNo}`, document: { blocks } };
}

/** 一次性告知单: every missing material at once, so the citizen comes back only once. */
export function oneTimeNotice(p: {
  sub: CatalogueSubItem;
  applicant: Applicant | null;
  missing: CatalogueSubItem['materials'];
  catalogueVersion: string;
  at: IssuedAt;
}): Titled {
  const blocks: PrintBlock[] = [
    heading('一次性告知单'),
    centered(p.at.stationName),
    sep('='),
    row('办理事项', p.sub.name),
    ...applicantRows(p.applicant),
    sep(),
    { type: 'text', text: '您申请办理的事项尚缺以下材料，请备齐后再来办理：' },
    ...p.missing.map((m, i): PrintBlock => ({
      type: 'text',
      text: `${i + 1}. ${m.name}（${MATERIAL_FORM_LABELS[m.form]}${m.copies > 1 ? ` ${m.copies}份` : ''}${m.stamped ? '，加盖单位公章' : ''}）${m.condition ? `\n   ${m.condition}` : ''}`,
    })),
    sep(),
    ...(p.sub.legalBasis.length
      ? [
          {
            type: 'text',
            text: `办理依据：${p.sub.legalBasis.map((b) => b.source + (b.articles ? b.articles : '')).join('；')}`,
          } as PrintBlock,
        ]
      : []),
    { type: 'text', text: `事项目录版本：${p.catalogueVersion}` },
    ...issuedRows(p.at),
    centered('本告知单一次性告知所需全部材料'),
  ];
  return { kind: 'one_time_notice', title: `一次性告知单 ${p.sub.name}`, document: { blocks } };
}
