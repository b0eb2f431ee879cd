import { retentionLabel, type RetentionYears } from '#shared/api/archive';
import type { PrintBlock, PrintDocument } from '#shared/documents/print-document';
import { maskIdNumber } from '#shared/domain/identity/masking';

export interface CatalogueEntry {
  material: string;
  pages: number;
}

/**
 * 卷内目录: the catalogue of a case's volume, one line per material with its pages numbered through the volume, so the
 * paper file and the stored pages can be checked against each other, and the retention it is kept under.
 */
export function archiveCatalogue(p: {
  caseNo: string;
  subItemName: string;
  applicant: { name: string; idNumber: string | null } | null;
  entries: readonly CatalogueEntry[];
  retention: { years: RetentionYears; until: number | null };
  stationName: string;
  operatorName: string;
  localTime: string;
}): { kind: 'archive_catalogue'; title: string; document: PrintDocument } {
  let next = 1;
  const lines: PrintBlock[] = p.entries.map((e, i) => {
    const range = e.pages === 0 ? '无影像' : e.pages === 1 ? `第${next}页` : `第${next}–${next + e.pages - 1}页`;
    next += e.pages;
    return { type: 'row', label: `${i + 1}. ${e.material}`, value: `${range}（${e.pages}页）` };
  });
  const blocks: PrintBlock[] = [
    { type: 'text', text: '卷内目录', style: { align: 'center', bold: true, width: 2, height: 2 } },
    { type: 'text', text: p.stationName, style: { align: 'center' } },
    { type: 'separator', char: '=' },
    { type: 'row', label: '档号（受理编号）', value: p.caseNo },
    { type: 'row', label: '办理事项', value: p.subItemName },
    ...(p.applicant
      ? [
          { type: 'row', label: '申请人', value: p.applicant.name } as const,
          // Printed paper: the ID number is masked, as on every counter document.
          ...(p.applicant.idNumber ? [{ type: 'row', label: '证件号码', value: maskIdNumber(p.applicant.idNumber) } as const] : []),
        ]
      : []),
    { type: 'separator' },
    ...lines,
    { type: 'row', label: '合计', value: `${next - 1}页` },
    { type: 'separator' },
    { type: 'row', label: '保管期限', value: retentionLabel(p.retention.years) },
    ...(p.retention.until === null ? [] : [{ type: 'row', label: '保管到期', value: `${p.retention.until}年12月31日` } as const]),
    { type: 'row', label: '立卷人', value: p.operatorName },
    { type: 'row', label: '立卷时间', value: p.localTime },
  ];
  return { kind: 'archive_catalogue', title: `卷内目录 ${p.caseNo}`, document: { blocks } };
}
