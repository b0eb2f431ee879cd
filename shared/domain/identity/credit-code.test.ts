import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CREDIT_CODE_ALPHABET, creditCodeSchema, validateCreditCode } from './credit-code';

/** Independent statement of GB 32100: weight of position i (1-based) is 3^(i−1) mod 31. */
function referenceCheck(body: string): string {
  let weight = 1;
  let sum = 0;
  for (const ch of body) {
    sum += CREDIT_CODE_ALPHABET.indexOf(ch) * weight;
    weight = (weight * 3) % 31;
  }
  return CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

const bodies = fc.array(fc.constantFrom(...CREDIT_CODE_ALPHABET), { minLength: 17, maxLength: 17 }).map((chars) => chars.join(''));
const validCodes = bodies.map((body) => body + referenceCheck(body));

describe('unified social credit code (GB 32100-2015)', () => {
  it('has the 31-character alphabet without I, O, Z, S, V', () => {
    expect(CREDIT_CODE_ALPHABET).toHaveLength(31);
    for (const letter of 'IOZSV') expect(CREDIT_CODE_ALPHABET).not.toContain(letter);
  });

  it('accepts published codes and splits them into their parts', () => {
    // The example of the standard, then codes printed on well-known companies' business licences.
    expect(validateCreditCode('91350100M000100Y43')).toEqual({
      ok: true,
      value: {
        code: '91350100M000100Y43',
        registrationAuthority: '9',
        entityType: '1',
        regionCode: '350100',
        organizationCode: 'M000100Y4',
      },
    });
    for (const code of ['91440300708461136T', '914403001922038216', '91110000100006485K']) expect(validateCreditCode(code).ok).toBe(true);
  });

  it('normalises lower case, full-width characters and spaces', () => {
    expect(creditCodeSchema.parse(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
    expect(creditCodeSchema.parse('９１３５０１００Ｍ０００１００Ｙ４３')).toBe('91350100M000100Y43');
  });

  it('gives a precise reason for each kind of wrong code', () => {
    const cases: [string, string, RegExp][] = [
      ['', 'empty', /请输入统一社会信用代码/],
      ['91350100M000100Y4', 'length', /应为18位，当前为17位/],
      ['91350100M0001O0Y43', 'characters', /第14位“O”无效：代码不使用字母 I、O、Z、S、V/],
      ['91350100M00010-Y43', 'characters', /第15位“-”无效：只能是数字或大写字母/],
      ['91350100M000100Y44', 'check_digit', /第18位校验码与前17位不符/],
    ];
    for (const [input, reason, message] of cases) {
      const result = validateCreditCode(input);
      expect(result, input).toMatchObject({ ok: false, reason });
      expect(!result.ok && result.message, input).toMatch(message);
    }
    expect(creditCodeSchema.safeParse('91350100M000100Y44').error?.issues[0]?.message).toMatch(/校验码/);
  });

  it('accepts every code whose check character matches', () => {
    fc.assert(
      fc.property(validCodes, (code) => {
        expect(validateCreditCode(code)).toMatchObject({ ok: true, value: { code } });
      }),
    );
  });

  it('detects every single-character error and every swap of adjacent characters', () => {
    fc.assert(
      fc.property(validCodes, fc.nat(17), fc.constantFrom(...CREDIT_CODE_ALPHABET), (code, position, replacement) => {
        fc.pre(code.charAt(position) !== replacement);
        expect(validateCreditCode(code.slice(0, position) + replacement + code.slice(position + 1)).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(validCodes, fc.nat(15), (code, position) => {
        fc.pre(code.charAt(position) !== code.charAt(position + 1));
        const swapped = code.slice(0, position) + code.charAt(position + 1) + code.charAt(position) + code.slice(position + 2);
        expect(validateCreditCode(swapped).ok).toBe(false);
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const result = validateCreditCode(input);
        if (!result.ok) expect(result.message).toMatch(/[\u4e00-\u9fff]/);
      }),
    );
  });
});
