import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenSchema, formatYuan, nonNegativeFenSchema, parseYuan, subtractFen, sumFen, yuanInputSchema } from './fen';

const amounts = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const FULL_WIDTH_OFFSET = 0xfee0;
const toFullWidth = (text: string) => text.replace(/[0-9.,]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + FULL_WIDTH_OFFSET));

describe('money in integer fen', () => {
  it('parses what a teller types', () => {
    const cases: [string, number][] = [
      ['1234.56', 123456],
      ['1,234.56', 123456],
      ['¥1,234.56', 123456],
      ['￥１２３４．５６', 123456],
      ['1234。5', 123450],
      [' 1234 元', 123400],
      ['0.01', 1],
      ['.5', 50],
      ['12.', 1200],
      ['12.300', 1230],
      ['0', 0],
      ['90071992547409.91', Number.MAX_SAFE_INTEGER],
    ];
    for (const [input, fen] of cases) expect(parseYuan(input), input).toEqual({ ok: true, value: fen });
  });

  it('explains every rejected amount', () => {
    const cases: [string, string, RegExp][] = [
      ['', 'empty', /请输入金额/],
      ['-5', 'negative', /不能为负数/],
      ['1.234', 'precision', /最多保留两位小数.*3位小数/],
      ['12,34', 'format', /不是有效金额/],
      ['1.2.3', 'format', /不是有效金额/],
      ['壹佰元', 'format', /不是有效金额/],
      ['90071992547409.92', 'too_large', /金额过大/],
    ];
    for (const [input, reason, message] of cases) {
      const result = parseYuan(input);
      expect(result, input).toMatchObject({ ok: false, reason });
      expect(!result.ok && result.message, input).toMatch(message);
    }
  });

  it('formats with the yuan sign, thousands separators and two decimals', () => {
    expect(formatYuan(123456)).toBe('¥1,234.56');
    expect(formatYuan(5)).toBe('¥0.05');
    expect(formatYuan(-123456789)).toBe('-¥1,234,567.89');
    expect(formatYuan(100000, { symbol: false })).toBe('1,000.00');
  });

  it('parses back exactly what it formats, in half-width or full-width digits', () => {
    fc.assert(
      fc.property(amounts, (fen) => {
        const text = formatYuan(fen);
        expect(text).toMatch(/^¥\d{1,3}(,\d{3})*\.\d{2}$/);
        expect(parseYuan(text)).toEqual({ ok: true, value: fen });
        expect(parseYuan(toFullWidth(formatYuan(fen, { symbol: false })))).toEqual({ ok: true, value: fen });
      }),
    );
  });

  it('adds exactly and refuses to leave the exact range', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e12, max: 1e12 }), { maxLength: 50 }), (values) => {
        const exact = values.reduce((total, value) => total + BigInt(value), 0n);
        expect(BigInt(sumFen(values))).toBe(exact);
      }),
    );
    expect(() => sumFen([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
    expect(() => sumFen([0.5])).toThrow(RangeError);
    expect(subtractFen(1000, 1)).toBe(999);
  });

  it('validates fen at boundaries with Chinese messages', () => {
    expect(fenSchema.safeParse(-5).success).toBe(true);
    expect(fenSchema.safeParse(1.5).error?.issues[0]?.message).toBe('金额必须是以分为单位的整数');
    expect(nonNegativeFenSchema.safeParse(-1).error?.issues[0]?.message).toBe('金额不能为负数');
    expect(yuanInputSchema.parse('￥1,000')).toBe(100000);
    expect(yuanInputSchema.safeParse('1.001').error?.issues[0]?.message).toMatch(/两位小数/);
  });
});
