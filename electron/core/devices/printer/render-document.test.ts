import { describe, expect, it } from 'vitest';

import { fromHex, toHex } from '../bytes';
import { PAPER_COLUMNS, type PrintDocument } from '#shared/documents/print-document';
import { findUnprintableInDocument, renderDocument } from './render-document';

// Golden vectors written by hand from hardware.md §5.1 and the GB2312 code table, not captured.
const sample: PrintDocument = {
  blocks: [
    { type: 'text', text: '一窗通', style: { align: 'center', bold: true, width: 2, height: 2 } },
    { type: 'separator' },
    { type: 'row', label: '姓名', value: '张堃' },
    { type: 'text', text: '一二三四五六七八九十一二三四五六七八九十' },
    { type: 'qr', data: 'A012' },
  ],
};

const INIT = '1B 40 1C 26'; // ESC @, FS &
const TITLE = '1B 61 01  1D 21 11  1B 45 01  D2BB B4B0 CDA8 0A'; // centre, 2×2, bold, 一窗通, LF
const PLAIN = '1B 61 00  1D 21 00  1B 45 00'; // back to left, 1×1, bold off
const ONE_TO_TEN = 'D2BB B6FE C8FD CBC4 CEE5 C1F9 C6DF B0CB BEC5 CAAE'; // 一…十
const ONE_TO_SIX = 'D2BB B6FE C8FD CBC4 CEE5 C1F9';
const SEVEN_TO_TEN = 'C6DF B0CB BEC5 CAAE';
const QR =
  '1B 61 01' + // centre
  ' 1D 28 6B 04 00 31 41 32 00' + // model 2
  ' 1D 28 6B 03 00 31 43 06' + // module size 6
  ' 1D 28 6B 03 00 31 45 31' + // error correction M
  ' 1D 28 6B 07 00 31 50 30 41 30 31 32' + // store "A012": pL = 4 bytes + 3
  ' 1D 28 6B 03 00 31 51 30'; // print
const PARTIAL_CUT = '1D 56 42 00';

function dashes(n: number): string {
  return '2D'.repeat(n);
}

function spaces(n: number): string {
  return '20'.repeat(n);
}

describe('renderDocument golden bytes', () => {
  it('58 mm, 32 columns: the 20-hanzi line wraps after 16', () => {
    const expected = fromHex(
      [
        INIT,
        TITLE,
        PLAIN,
        dashes(32) + '0A',
        'D0D5 C3FB' + spaces(24) + 'D5C5 88D2 0A', // 姓名 … 张堃 (4 + 24 + 4 columns)
        ONE_TO_TEN + ONE_TO_SIX + '0A',
        SEVEN_TO_TEN + '0A',
        QR,
        PARTIAL_CUT,
      ].join(' '),
    );
    expect(toHex(renderDocument(sample, { columns: PAPER_COLUMNS.mm58 }))).toBe(toHex(expected));
  });

  it('80 mm, 48 columns: the same document on wider paper', () => {
    const expected = fromHex(
      [
        INIT,
        TITLE,
        PLAIN,
        dashes(48) + '0A',
        'D0D5 C3FB' + spaces(40) + 'D5C5 88D2 0A',
        ONE_TO_TEN + ONE_TO_TEN + '0A',
        QR,
        PARTIAL_CUT,
      ].join(' '),
    );
    expect(toHex(renderDocument(sample, { columns: PAPER_COLUMNS.mm80 }))).toBe(toHex(expected));
  });
});

describe('renderDocument layout', () => {
  it('starts every job with ESC @ FS & and ends with the chosen cut', () => {
    const empty: PrintDocument = { blocks: [] };
    expect(toHex(renderDocument(empty, { columns: 32 }))).toBe('1B 40 1C 26 1D 56 42 00');
    expect(toHex(renderDocument(empty, { columns: 32, cut: 'full' }))).toBe('1B 40 1C 26 1D 56 41 00');
    expect(toHex(renderDocument(empty, { columns: 32, cut: 'none' }))).toBe('1B 40 1C 26');
  });

  it('puts the QR store length in bytes, not characters', () => {
    const bytes = renderDocument(
      { blocks: [{ type: 'qr', data: '号A', errorCorrection: 'H', moduleSize: 4 }] },
      { columns: 32, cut: 'none' },
    );
    // 号 is 3 bytes in UTF-8, A one: pL = 4 + 3 = 7.
    expect(toHex(bytes)).toContain('1D 28 6B 07 00 31 50 30 E5 8F B7 41');
    expect(toHex(bytes)).toContain('1D 28 6B 03 00 31 45 33');
    expect(toHex(bytes)).toContain('1D 28 6B 03 00 31 43 04');
  });

  it('fits fewer characters per line at double width', () => {
    const bytes = renderDocument(
      { blocks: [{ type: 'text', text: 'A012345678901234', style: { width: 2 } }] },
      { columns: 32, cut: 'none' },
    );
    // 16 characters at double width fill exactly 32 columns; one more would wrap.
    expect(toHex(bytes)).toBe('1B 40 1C 26 1D 21 10 ' + toHex(Buffer.from('A012345678901234\n')));
    const longer = renderDocument(
      { blocks: [{ type: 'text', text: 'A0123456789012345', style: { width: 2 } }] },
      { columns: 32, cut: 'none' },
    );
    expect(toHex(longer).endsWith(toHex(Buffer.from('A012345678901234\n5\n')))).toBe(true);
  });

  it('moves a value that does not fit beside its label onto right-aligned lines below', () => {
    const bytes = renderDocument(
      { blocks: [{ type: 'row', label: '业务', value: '城乡居民基本养老保险参保登记' }] },
      { columns: 32, cut: 'none' },
    );
    const text = Buffer.from(bytes).subarray(4); // after ESC @ FS &
    const lines = new TextDecoder('gb18030').decode(text).split('\n');
    expect(lines[0]).toBe('业务');
    expect(lines[1]).toBe(' '.repeat(4) + '城乡居民基本养老保险参保登记');
  });

  it('splits text at \\n', () => {
    const bytes = renderDocument({ blocks: [{ type: 'text', text: 'A\nB' }] }, { columns: 32, cut: 'none' });
    expect(toHex(bytes)).toBe('1B 40 1C 26 41 0A 42 0A');
  });
});

describe('unprintable content', () => {
  const doc: PrintDocument = {
    blocks: [
      { type: 'text', text: '第一行\n第二行' },
      { type: 'row', label: '姓名', value: '王\ud800' },
    ],
  };

  it('is reported per block and field, and line breaks in text are not flagged', () => {
    expect(findUnprintableInDocument(doc)).toEqual([
      { blockIndex: 1, field: 'value', char: '\ud800', codePoint: 0xd800, index: 1, reason: 'not_encodable' },
    ]);
  });

  it('makes renderDocument refuse rather than print "?"', () => {
    expect(() => renderDocument(doc, { columns: 32 })).toThrow(expect.objectContaining({ code: 'DEVICE_UNPRINTABLE' }));
  });
});
