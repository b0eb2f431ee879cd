import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { toHex } from '../bytes';
import { isDeviceError } from '../errors';
import { charCells, encodeText, findUnprintable, textCells, wrapCells } from './text-encoding';

describe('GB18030 encoding', () => {
  it('encodes rare and astral name characters with their GB18030 codes (hardware.md §5.2)', () => {
    expect(toHex(encodeText('堃'))).toBe('88 D2');
    expect(toHex(encodeText('喆'))).toBe('86 B4');
    expect(toHex(encodeText('䶮'))).toBe('FE 9F');
    expect(toHex(encodeText('𠮷'))).toBe('95 34 B2 35');
    expect(toHex(encodeText('￥'))).toBe('A3 A4');
  });

  it('finds nothing to flag in names that round-trip', () => {
    expect(findUnprintable('张堃 李喆 刘䶮 杨𠮷 买买提·吐尔逊 ¥')).toEqual([]);
  });

  it('flags what cannot be printed faithfully, with its position and reason', () => {
    const text = 'A\u001b@张\ud800三\ufffd\ue000';
    expect(findUnprintable(text).map(({ index, reason }) => ({ index, reason }))).toEqual([
      { index: 1, reason: 'control' },
      { index: 4, reason: 'not_encodable' },
      { index: 6, reason: 'replacement' },
      { index: 7, reason: 'private_use' },
    ]);
  });

  it('refuses to encode a lone surrogate instead of printing "?"', () => {
    let caught: unknown;
    try {
      encodeText('王\udc00');
    } catch (error) {
      caught = error;
    }
    expect(isDeviceError(caught, 'DEVICE_UNPRINTABLE')).toBe(true);
    expect((caught as Error).message).toContain('U+DC00');
  });
});

describe('column widths', () => {
  it('counts one-byte codes as one column and every multi-byte code as two', () => {
    expect(charCells('A')).toBe(1);
    expect(charCells('张')).toBe(2);
    expect(charCells('𠮷')).toBe(2);
    expect(charCells('·')).toBe(2);
    expect(textCells('A012号')).toBe(6);
  });

  it('wraps by columns and never splits a character', () => {
    expect(wrapCells('一二三四五六七八九十', 7)).toEqual(['一二三', '四五六', '七八九', '十']);
    expect(wrapCells('ab𠮷cd', 3)).toEqual(['ab', '𠮷', 'cd']);
    expect(wrapCells('', 32)).toEqual(['']);
  });

  it('keeps closing punctuation off the start of a line and figures in one piece', () => {
    expect(wrapCells('已收材料：身份证；户口簿', 8)).toEqual(['已收材', '料：身份', '证；户口', '簿']);
    expect(wrapCells('金额12,543.00元', 12)).toEqual(['金额', '12,543.00元']);
    // A figure longer than the line is split after all.
    expect(wrapCells('1234567890', 4)).toEqual(['1234', '5678', '90']);
  });

  it('wrapped lines fit, and join back to the text (property)', () => {
    const char = fc.constantFrom('A', ' ', '7', '张', '堃', '䶮', '𠮷', '·', '，');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 80 }), fc.integer({ min: 2, max: 48 }), (chars, max) => {
        const text = chars.join('');
        const lines = wrapCells(text, max);
        expect(lines.join('')).toBe(text);
        for (const line of lines) expect(textCells(line)).toBeLessThanOrEqual(max);
      }),
    );
  });
});
