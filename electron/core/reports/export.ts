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

/** How an export tells its progress and learns it was cancelled, between chunks of rows. */
export interface ExportControl {
  progress(done: number, total: number): void;
  /** Rejects when the export was cancelled; awaited between chunks, so a cancel call gets its turn. */
  checkpoint(): Promise<void>;
}

const UNWATCHED: ExportControl = { progress: () => undefined, checkpoint: () => Promise.resolve() };
const CHUNK_ROWS = 200;

/** Writes the rows and the totals row, reporting progress and checking for a cancel after every chunk and the last row. */
async function eachRow(report: ReportTable, control: ExportControl, write: (row: ReportTable['totals'], isTotals: boolean) => void) {
  const rows = [...report.rows, report.totals];
  for (let i = 0; i < rows.length; i++) {
    write(rows[i]!, i === rows.length - 1);
    if ((i + 1) % CHUNK_ROWS === 0 || i === rows.length - 1) {
      control.progress(i + 1, rows.length);
      await control.checkpoint();
    }
  }
}

/**
 * An .xlsx with the report as a table: money as yuan numbers with two decimals, so sums work in Excel. Built in
 * memory: a cancelled export leaves no file anywhere, the caller only ever receives a whole one.
 */
export async function reportToXlsx(report: ReportTable, control = UNWATCHED): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '一窗通';
  const sheet = book.addWorksheet(report.title);
  sheet.addRow([`${report.stationName} ${report.title}（${report.from} 至 ${report.to}）`]).font = { bold: true, size: 14 };
  sheet.addRow(report.columns.map((c) => c.title)).font = { bold: true };
  const value = (c: ReportColumn, v: unknown) => (c.type === 'fen' && typeof v === 'number' ? v / 100 : (v ?? null));
  await eachRow(report, control, (row) => sheet.addRow(report.columns.map((c) => value(c, row[c.key]))));
  sheet.lastRow!.font = { bold: true };
  report.columns.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = c.type === 'text' ? 28 : 14;
    if (c.type === 'fen') col.numFmt = '¥#,##0.00';
  });
  const bytes = Buffer.from(await book.xlsx.writeBuffer());
  // A cancel that came while the workbook was being zipped still wins.
  await control.checkpoint();
  return bytes;
}

const A4 = { margin: 48, rowHeight: 20 };

/** An A4 PDF with a CJK font, the table paginated with its header repeated on every page; in memory like the .xlsx. */
export async function reportToPdf(report: ReportTable, control = UNWATCHED): Promise<Buffer> {
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
  await eachRow(report, control, (row, isTotals) => {
    if (doc.y + A4.rowHeight > doc.page.height - A4.margin) {
      doc.addPage();
      heading();
    }
    drawRow(
      report.columns.map((c) => cellText(c, row[c.key])),
      isTotals,
    );
  });
  doc.end();
  return done;
}
