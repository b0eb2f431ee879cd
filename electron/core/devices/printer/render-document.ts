import { concatBytes } from '../bytes';
import type { PrintDocument, RowBlock, TextStyle } from '#shared/documents/print-document';
import * as cmd from './escpos';
import { encodeText, findUnprintable, textCells, wrapCells, type UnprintableChar } from './text-encoding';

export type CutMode = 'partial' | 'full' | 'none';

export interface RenderOptions {
  /** Font-A columns of the paper: 32 for 58 mm, 42 or 48 for 80 mm. */
  columns: number;
  /** Cut at the end of the job; 'partial' by default. */
  cut?: CutMode;
}

type ResolvedStyle = Required<TextStyle>;

const plain: ResolvedStyle = { align: 'left', bold: false, width: 1, height: 1 };

function resolveStyle(style: TextStyle = {}): ResolvedStyle {
  return {
    align: style.align ?? plain.align,
    bold: style.bold ?? plain.bold,
    width: style.width ?? plain.width,
    height: style.height ?? plain.height,
  };
}

/** Emits a style command only when the style changes; ESC @ at the start puts the printer in `plain`. */
class EscPosWriter {
  private readonly parts: Uint8Array[] = [cmd.initialize(), cmd.chineseModeOn()];
  private current: ResolvedStyle = { ...plain };

  style(next: ResolvedStyle): void {
    if (next.align !== this.current.align) this.parts.push(cmd.align(next.align));
    if (next.width !== this.current.width || next.height !== this.current.height) {
      this.parts.push(cmd.characterSize(next.width, next.height));
    }
    if (next.bold !== this.current.bold) this.parts.push(cmd.bold(next.bold));
    this.current = { ...next };
  }

  line(text: string): void {
    if (text !== '') this.parts.push(encodeText(text));
    this.parts.push(Uint8Array.of(cmd.LF));
  }

  raw(bytes: Uint8Array): void {
    this.parts.push(bytes);
  }

  toBuffer(): Buffer {
    const bytes = concatBytes(this.parts);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

function rowLines(row: RowBlock, columns: number): string[] {
  const labelCells = textCells(row.label);
  const valueCells = textCells(row.value);
  if (labelCells + 1 + valueCells <= columns) {
    return [row.label + ' '.repeat(columns - labelCells - valueCells) + row.value];
  }
  // Too long for one line: the label alone, then the value right-aligned below it.
  const valueLines = wrapCells(row.value, columns).map((l) => ' '.repeat(columns - textCells(l)) + l);
  return [row.label, ...valueLines];
}

export function renderDocument(doc: PrintDocument, options: RenderOptions): Buffer {
  const { columns } = options;
  if (!Number.isInteger(columns) || columns < 16 || columns > 96) {
    throw new RangeError(`columns must be 16–96, got ${columns}`);
  }
  const w = new EscPosWriter();
  for (const block of doc.blocks) {
    switch (block.type) {
      case 'text': {
        const style = resolveStyle(block.style);
        // A magnified character takes `width` columns, so fewer of them fit on a line.
        const cells = Math.max(1, Math.floor(columns / style.width));
        w.style(style);
        for (const paragraph of block.text.split('\n')) {
          for (const line of wrapCells(paragraph, cells)) w.line(line);
        }
        break;
      }
      case 'row':
        w.style(resolveStyle({ bold: block.bold }));
        for (const line of rowLines(block, columns)) w.line(line);
        break;
      case 'separator':
        w.style(plain);
        w.line((block.char ?? '-').repeat(columns));
        break;
      case 'qr': {
        w.style(resolveStyle({ align: block.align ?? 'center' }));
        w.raw(cmd.qrCode(new TextEncoder().encode(block.data), block.moduleSize ?? 6, block.errorCorrection ?? 'M'));
        break;
      }
      case 'feed':
        w.raw(cmd.feedLines(block.lines));
        break;
      case 'cut':
        w.raw(cmd.cut(block.partial ?? true));
        break;
    }
  }
  const cutMode = options.cut ?? 'partial';
  if (cutMode !== 'none') w.raw(cmd.cut(cutMode === 'partial'));
  return w.toBuffer();
}

export interface DocumentUnprintable extends UnprintableChar {
  blockIndex: number;
  field: 'text' | 'label' | 'value';
}

/** What `renderDocument` would refuse; the caller shows these to the teller instead of printing '?'. */
export function findUnprintableInDocument(doc: PrintDocument): DocumentUnprintable[] {
  const found: DocumentUnprintable[] = [];
  doc.blocks.forEach((block, blockIndex) => {
    if (block.type === 'text') {
      // '\n' is a line break in text blocks, not a stray control character.
      for (const u of findUnprintable(block.text)) if (u.char !== '\n') found.push({ ...u, blockIndex, field: 'text' });
    } else if (block.type === 'row') {
      for (const u of findUnprintable(block.label)) found.push({ ...u, blockIndex, field: 'label' });
      for (const u of findUnprintable(block.value)) found.push({ ...u, blockIndex, field: 'value' });
    }
  });
  return found;
}
