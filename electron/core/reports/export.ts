import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { ReportColumn, ReportTable } from '#shared/api/reports';
import { formatYuan } from '#shared/domain/money/fen';
import { findCjkFont } from '../platform/cjk-fonts';

const cellText = (c: ReportColumn, v: unknown): string => {
  if (v === null || v === undefined) return '—';
  if (c.type === 'fen' && typeof v === 'number') return formatYuan(v);
  if (c.type === 'minutes' && typeof v === 'number') return `${v} 分钟`;
  return String(v);
};

/** An .xlsx with the report as a table: money as yuan numbers with two decimals, so sums work in Excel. */
export async function reportToXlsx(report: ReportTable): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '一窗通';
  const sheet = book.addWorksheet(report.title);
  sheet.addRow([`${report.stationName} ${report.title}（${report.from} 至 ${report.to}）`]).font = { bold: true, size: 14 };
  sheet.addRow(report.columns.map((c) => c.title)).font = { bold: true };
  const value = (c: ReportColumn, v: unknown) => (c.type === 'fen' && typeof v === 'number' ? v / 100 : (v ?? null));
  for (const row of [...report.rows, report.totals]) sheet.addRow(report.columns.map((c) => value(c, row[c.key])));
  sheet.lastRow!.font = { bold: true };
  report.columns.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = c.type === 'text' ? 28 : 14;
    if (c.type === 'fen') col.numFmt = '¥#,##0.00';
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

const A4 = { margin: 48, rowHeight: 20 };

/** An A4 PDF with a CJK font, the table paginated with its header repeated on every page. */
export function reportToPdf(report: ReportTable): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: A4.margin, info: { Title: report.title, Producer: '一窗通' } });
  const font = findCjkFont();
  // Without a CJK font hanzi would print as nothing; the administrator's guide names the font to install.
  if (font) {
    if (font.endsWith('.ttc')) doc.font(font, 'NotoSansCJKsc-Regular');
    else doc.font(font);
  }
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const width = doc.page.width - 2 * A4.margin;
  const textCols = report.columns.filter((c) => c.type === 'text').length;
  const numWidth = Math.min(90, width / report.columns.length);
  const textWidth = (width - numWidth * (report.columns.length - textCols)) / Math.max(1, textCols);
  const widths = report.columns.map((c) => (c.type === 'text' ? textWidth : numWidth));

  const heading = () => {
    doc.fontSize(15).text(`${report.stationName} ${report.title}`, A4.margin, A4.margin);
    doc.fontSize(10).text(`期间：${report.from} 至 ${report.to}    生成：${new Date(report.generatedAt).toLocaleString('zh-CN')}`);
    doc.moveDown(0.5);
    drawRow(
      report.columns.map((c) => c.title),
      true,
    );
  };
  const drawRow = (cells: string[], bold = false) => {
    const y = doc.y;
    let x = A4.margin;
    doc.fontSize(bold ? 10.5 : 10);
    cells.forEach((text, i) => {
      const numeric = report.columns[i]!.type !== 'text';
      doc.text(text, x + 2, y + 4, { width: widths[i]! - 4, align: numeric && !bold ? 'right' : 'left', lineBreak: false, ellipsis: true });
      x += widths[i]!;
    });
    doc
      .moveTo(A4.margin, y + A4.rowHeight)
      .lineTo(A4.margin + width, y + A4.rowHeight)
      .lineWidth(bold ? 1 : 0.3)
      .stroke();
    doc.y = y + A4.rowHeight;
  };

  heading();
  for (const row of [...report.rows, report.totals]) {
    if (doc.y + A4.rowHeight > doc.page.height - A4.margin) {
      doc.addPage();
      heading();
    }
    drawRow(
      report.columns.map((c) => cellText(c, row[c.key])),
      row === report.totals,
    );
  }
  doc.end();
  return done;
}
