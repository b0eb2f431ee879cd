import { z } from 'zod';
import { fail, ok, schemaFromValidator, type Result } from '../result';
import { toHalfWidth } from '../text/user-input';

/**
 * Money is an integer number of fen (分) everywhere: in storage, on the wire, in arithmetic. Yuan appear only at
 * the edges, parsed from what the teller types and formatted for screen and paper. A JavaScript number holds every
 * integer up to 2^53 − 1 exactly (about 90 trillion yuan), so integer fen need no BigInt except inside products
 * (see rounding.ts); every helper here refuses a result that leaves that range instead of silently losing a fen.
 */
export type Fen = number;

function checkedFen(value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an exact amount of fen: ${value}`);
  return value;
}

export function sumFen(amounts: readonly Fen[]): Fen {
  return amounts.reduce((total, amount) => checkedFen(total + checkedFen(amount)), 0);
}

export function subtractFen(minuend: Fen, subtrahend: Fen): Fen {
  return checkedFen(checkedFen(minuend) - checkedFen(subtrahend));
}

export type YuanParseRejection = 'empty' | 'format' | 'precision' | 'negative' | 'too_large';

/**
 * Parses what a teller types as yuan into fen: "1234.56", "1,234.56", "￥1234.5", "１２３４．５６" (full-width, as
 * a Chinese input method produces), "1234。56" (the IME's full stop), "1234元". At most two decimals are allowed
 * (extra trailing zeros are harmless); thousands separators must group by three.
 */
export function parseYuan(input: string): Result<Fen, YuanParseRejection> {
  const text = toHalfWidth(input)
    .replace(/\s+/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '')
    .replace(/。/g, '.');
  if (text === '') return fail('empty', '请输入金额');
  if (text.startsWith('-')) return fail('negative', '金额不能为负数');
  const match = /^(?:(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?|\.(\d+))$/.exec(text);
  if (!match) return fail('format', `“${input.trim()}”不是有效金额，请输入如 1234.56 的数字（单位：元）`);
  const integerDigits = (match[1] ?? '0').replace(/,/g, '');
  const decimals = match[2] ?? match[3] ?? '';
  if (decimals.length > 2 && /[^0]/.test(decimals.slice(2))) {
    return fail('precision', `金额最多保留两位小数（精确到分），“${input.trim()}”有${decimals.length}位小数`);
  }
  const fen = BigInt(integerDigits) * 100n + BigInt(decimals.slice(0, 2).padEnd(2, '0'));
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return fail('too_large', '金额过大，超出系统可精确处理的范围');
  return ok(Number(fen));
}

export interface FormatYuanOptions {
  /** Prefix "¥" (default true). */
  readonly symbol?: boolean;
}

/** 123456 → "¥1,234.56"; −5 → "-¥0.05". */
export function formatYuan(fen: Fen, options: FormatYuanOptions = {}): string {
  const amount = checkedFen(fen);
  const magnitude = Math.abs(amount);
  const cents = magnitude % 100;
  const yuan = String((magnitude - cents) / 100).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount < 0 ? '-' : ''}${options.symbol === false ? '' : '¥'}${yuan}.${String(cents).padStart(2, '0')}`;
}

/** Any exact amount of fen, e.g. a reversal (which is negative). */
export const fenSchema = z.int({ error: '金额必须是以分为单位的整数' });

/** An amount that can never be negative: a payment, a contribution, a fee. */
export const nonNegativeFenSchema = fenSchema.min(0, { error: '金额不能为负数' });

/** Form input in yuan (text) → fen. */
export const yuanInputSchema = schemaFromValidator('金额必须是文本', parseYuan, (fen) => fen);
