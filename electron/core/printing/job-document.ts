import type { PrintDocument } from '#shared/documents/print-document';
import { findUnprintableInDocument, type UnprintableReason } from '../devices/index';

const REASONS: Record<UnprintableReason, string> = {
  control: '控制字符',
  not_encodable: '打印机字库中没有',
  replacement: '乱码，原字已丢失',
  private_use: '自造字，打印机无此字形',
};

const codePoint = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a document cannot be printed as it is, naming each offending character, or undefined when it can.
 * Checked before the job is queued, so the teller hears of it at once and nothing is printed as '?'.
 */
export function unprintableReason(doc: PrintDocument): string | undefined {
  const seen = new Map<number, string>();
  for (const u of findUnprintableInDocument(doc)) {
    // A control character has no glyph to show, so only its code is named.
    const shown = u.reason === 'control' ? '' : `“${u.char}”`;
    seen.set(u.codePoint, `${shown}（${codePoint(u.codePoint)}，${REASONS[u.reason]}）`);
  }
  if (seen.size === 0) return undefined;
  return `单据含有打印机无法打印的字符：${[...seen.values()].join('、')}。请核对姓名等信息，更正后补打。`;
}

/** A deliberate reprint says so on paper, first thing, with when it was reprinted. */
export function markReprint(doc: PrintDocument, reprintedAt: string): PrintDocument {
  return {
    blocks: [
      { type: 'text', text: '【补打】', style: { align: 'center', bold: true, width: 2, height: 2 } },
      { type: 'row', label: '补打时间', value: reprintedAt },
      { type: 'separator', char: '-' },
      ...doc.blocks,
    ],
  };
}
