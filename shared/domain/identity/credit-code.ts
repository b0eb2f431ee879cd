import { fail, ok, schemaFromValidator, type Result } from '../result';
import { positionLabel, toHalfWidth } from '../text/user-input';

/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): registration authority (1), entity type (1),
 * address code (6), organisation code (9, GB 11714) and a check character (1), all drawn from 31 characters:
 * digits and capital letters without I, O, Z, S, V (too easily confused with 1, 0, 2, 5, U).
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights 3^(i) mod 31 for positions 1–17. */
export const CREDIT_CODE_WEIGHTS: readonly number[] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const EXCLUDED_LETTERS = new Set(['I', 'O', 'Z', 'S', 'V']);

export interface CreditCodeInfo {
  readonly code: string;
  /** 登记管理部门代码, e.g. 9 = 工商 (market regulation), 5 = 民政, 1 = 机构编制. */
  readonly registrationAuthority: string;
  /** 机构类别代码, meaningful together with the authority (91 = enterprise, 92 = individual business …). */
  readonly entityType: string;
  /** GB/T 2260 address code of the registering authority. */
  readonly regionCode: string;
  /** The embedded 9-character organisation code (组织机构代码). */
  readonly organizationCode: string;
}

export type CreditCodeRejection = 'empty' | 'length' | 'characters' | 'check_digit';

/** Check character for the first 17 characters: C18 = alphabet[(31 − Σ value × weight mod 31) mod 31]. */
export function creditCodeCheckCharacter(body: string): string {
  if (body.length !== 17) throw new RangeError('the check character needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CREDIT_CODE_ALPHABET.indexOf(body.charAt(i));
    if (value < 0) throw new RangeError(`not a credit-code character: ${body.charAt(i)}`);
    sum += value * (CREDIT_CODE_WEIGHTS[i] ?? 0);
  }
  return CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

export function normalizeCreditCode(input: string): string {
  return toHalfWidth(input).replace(/\s+/g, '').toUpperCase();
}

export function validateCreditCode(input: string): Result<CreditCodeInfo, CreditCodeRejection> {
  const code = normalizeCreditCode(input);
  const characters = [...code];
  if (characters.length === 0) return fail('empty', '请输入统一社会信用代码');
  if (characters.length !== 18) return fail('length', `统一社会信用代码应为18位，当前为${characters.length}位`);

  const badIndex = characters.findIndex((ch) => !CREDIT_CODE_ALPHABET.includes(ch));
  if (badIndex >= 0) {
    const ch = characters[badIndex] ?? '';
    const why = EXCLUDED_LETTERS.has(ch) ? '代码不使用字母 I、O、Z、S、V' : '只能是数字或大写字母';
    return fail('characters', `统一社会信用代码${positionLabel(badIndex)}“${ch}”无效：${why}`);
  }
  if (code.charAt(17) !== creditCodeCheckCharacter(code.slice(0, 17))) {
    return fail('check_digit', '统一社会信用代码第18位校验码与前17位不符，请逐位核对（注意 0 与 D、1 与 L 等易混字符）');
  }
  return ok({
    code,
    registrationAuthority: code.charAt(0),
    entityType: code.charAt(1),
    regionCode: code.slice(2, 8),
    organizationCode: code.slice(8, 17),
  });
}

/** Zod schema for an employer code crossing a boundary; outputs the normalised 18-character code. */
export const creditCodeSchema = schemaFromValidator('统一社会信用代码必须是文本', validateCreditCode, (info) => info.code);
