import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCapitalAmount } from './capital-amount';

/** An independent reader of capital amounts, so the property below checks the writer against arithmetic. */
function readCapitalAmount(text: string): number {
  const digits = '零壹贰叁肆伍陆柒捌玖';
  const negative = text.startsWith('负');
  const body = text.replace(/^负/, '').replace(/整$/, '');
  const [yuanPart, fraction] = body.includes('元') ? (body.split('元') as [string, string]) : ['', body];
  let total = 0n;
  let section = 0n;
  let digit = 0n;
  for (const ch of yuanPart) {
    const value = digits.indexOf(ch);
    if (value >= 0) digit = BigInt(value);
    else if (ch === '拾' || ch === '佰' || ch === '仟') {
      section += digit * { 拾: 10n, 佰: 100n, 仟: 1000n }[ch];
      digit = 0n;
    } else if (ch === '万') {
      section = (section + digit) * 10_000n;
      digit = 0n;
    } else if (ch === '亿') {
      total = (total + section + digit) * 100_000_000n;
      section = 0n;
      digit = 0n;
    } else throw new Error(`unexpected ${ch}`);
  }
  let fen = (total + section + digit) * 100n;
  const jiao = /(.)角/.exec(fraction);
  const cents = /(.)分/.exec(fraction);
  if (jiao?.[1]) fen += BigInt(digits.indexOf(jiao[1])) * 10n;
  if (cents?.[1]) fen += BigInt(digits.indexOf(cents[1]));
  return Number(negative ? -fen : fen);
}

describe('Chinese capital amount (中文大写金额)', () => {
  it('writes the examples of the payment-settlement rules', () => {
    const cases: [number, string][] = [
      [123456, '壹仟贰佰叁拾肆元伍角陆分'],
      [168032, '壹仟陆佰捌拾元叁角贰分'],
      [10700053, '壹拾万零柒仟元伍角叁分'],
      [32504, '叁佰贰拾伍元零肆分'],
      [1600, '壹拾陆元整'],
      [10000, '壹佰元整'],
      [10050, '壹佰元伍角整'],
      [100500, '壹仟零伍元整'],
      [1000000100, '壹仟万零壹元整'],
      [10000000000, '壹亿元整'],
      [10000010000, '壹亿零壹佰元整'],
      [100020000000000, '壹万零贰亿元整'],
      [100000000000000, '壹万亿元整'],
      [379020, '叁仟柒佰玖拾元贰角整'],
      [56, '伍角陆分'],
      [6, '陆分'],
      [0, '零元整'],
      [-100, '负壹元整'],
    ];
    for (const [fen, text] of cases) expect(toCapitalAmount(fen), String(fen)).toBe(text);
  });

  it('always reads back as the amount it was written from', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const text = toCapitalAmount(fen);
        expect(readCapitalAmount(text)).toBe(fen);
        // One 零 per run of zeros, never before a unit, never leading (zero itself is 零元整, checked above).
        if (fen !== 0) expect(text).not.toMatch(/零零|零[元万亿]|^(负)?零/);
        expect(text.endsWith('分') || text.endsWith('整')).toBe(true);
      }),
    );
  });

  it('refuses a fractional amount of fen', () => {
    expect(() => toCapitalAmount(1.5)).toThrow(RangeError);
  });
});
