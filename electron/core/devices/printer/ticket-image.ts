import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';

import type { Align } from '#shared/documents/print-document';
import type { DecodedJob, DecodedLine, JobItem } from './decoded-job';
import { cjkFontFamily } from './cjk-font';
import { charCells, textCells } from './text-encoding';

// A picture of the paper as a 203 dpi printer would print it: 12 dots per column, 24-dot glyphs.

const DOTS_PER_COLUMN = 12;
const GLYPH = 24;
const LINE_GAP = 6;
const MARGIN = 16;
const FEED_LINE = GLYPH + LINE_GAP;
const CUT_BAND = 24;
/** No QR encoder is bundled: the symbol is drawn as a placeholder box of a version-2 size (25 modules). */
const QR_MODULES = 25;

export interface TicketImageOptions {
  /** Font-A columns of the simulated paper. */
  columns: number;
  /** Font files to try before the usual system locations. */
  fontPaths?: readonly string[];
}

function lineHeight(line: DecodedLine): number {
  return GLYPH * Math.max(1, ...line.runs.map((r) => r.height)) + LINE_GAP;
}

function qrSide(moduleSize: number): number {
  return QR_MODULES * Math.max(1, moduleSize);
}

function itemHeight(item: JobItem): number {
  switch (item.kind) {
    case 'line':
      return lineHeight(item.line);
    case 'qr':
      return qrSide(item.qr.moduleSize) + FEED_LINE;
    case 'feed':
      return item.lines * FEED_LINE;
    case 'cut':
      return CUT_BAND;
  }
}

function startX(align: Align, contentWidth: number, paperWidth: number): number {
  if (align === 'center') return MARGIN + Math.max(0, (paperWidth - contentWidth) / 2);
  if (align === 'right') return MARGIN + Math.max(0, paperWidth - contentWidth);
  return MARGIN;
}

function drawLine(ctx: SKRSContext2D, line: DecodedLine, top: number, paperWidth: number, family: string): void {
  const width = line.runs.reduce((sum, r) => sum + textCells(r.text) * DOTS_PER_COLUMN * r.width, 0);
  const baseline = top + lineHeight(line) - LINE_GAP - 4;
  let x = startX(line.align, width, paperWidth);
  for (const run of line.runs) {
    ctx.font = `${run.bold ? 'bold ' : ''}${GLYPH}px "${family}"`;
    for (const ch of run.text) {
      ctx.save();
      ctx.translate(x, baseline);
      ctx.scale(run.width, run.height);
      ctx.fillText(ch, 0, 0);
      ctx.restore();
      x += charCells(ch) * DOTS_PER_COLUMN * run.width;
    }
  }
}

function drawQrPlaceholder(
  ctx: SKRSContext2D,
  item: Extract<JobItem, { kind: 'qr' }>,
  top: number,
  paperWidth: number,
  family: string,
): void {
  const side = qrSide(item.qr.moduleSize);
  const x = startX(item.qr.align, side, paperWidth);
  ctx.strokeRect(x + 0.5, top + 0.5, side - 1, side - 1);
  for (const [cx, cy] of [
    [0, 0],
    [side - 7 * item.qr.moduleSize, 0],
    [0, side - 7 * item.qr.moduleSize],
  ] as const) {
    ctx.fillRect(x + cx, top + cy, 7 * item.qr.moduleSize, 7 * item.qr.moduleSize);
  }
  ctx.font = `16px "${family}"`;
  ctx.fillText(`QR: ${item.qr.data}`, MARGIN, top + side + GLYPH - 4, paperWidth);
}

export function renderTicketPng(job: DecodedJob, options: TicketImageOptions): Buffer {
  const family = cjkFontFamily(options.fontPaths) ?? 'sans-serif';
  const paperWidth = options.columns * DOTS_PER_COLUMN;
  const height = MARGIN * 2 + job.items.reduce((sum, item) => sum + itemHeight(item), 0);
  const canvas = createCanvas(paperWidth + MARGIN * 2, Math.max(height, MARGIN * 2 + 1));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';
  ctx.strokeStyle = '#000000';
  let top = MARGIN;
  for (const item of job.items) {
    if (item.kind === 'line') drawLine(ctx, item.line, top, paperWidth, family);
    else if (item.kind === 'qr') drawQrPlaceholder(ctx, item, top, paperWidth, family);
    else if (item.kind === 'cut') {
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(0, top + CUT_BAND / 2);
      ctx.lineTo(canvas.width, top + CUT_BAND / 2);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    top += itemHeight(item);
  }
  return canvas.toBuffer('image/png');
}
