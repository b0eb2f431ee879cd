import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROVINCE_NAMES, idCheckCharacter, idNumberSchema, idNumberSchemaAsOf, validateIdNumber, type IdNumberInfo } from './resident-id';

const TODAY = '2026-03-01';
const CJK = /[\u4e00-\u9fff]/;

/** Independent statement of GB 11643: weight of position i (1-based) is 2^(18−i) mod 11. */
function referenceCheck(body: string): string {
  const sum = [...body].reduce((acc, ch, i) => acc + Number(ch) * (2 ** (17 - i) % 11), 0);
  return '10X98765432'.charAt(sum % 11);
}

function withCheck(body: string): string {
  return body + referenceCheck(body);
}

const provinces = fc.constantFrom(...Object.keys(PROVINCE_NAMES).filter((code) => code < '80'));
const digits = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));
const birthDates = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** A valid citizen ID number with its parts. */
const validIds = fc.record({ province: provinces, county: digits(4), birth: birthDates, sequence: digits(3) }).map((p) => ({
  ...p,
  id: withCheck(`${p.province}${p.county}${p.birth.replace(/-/g, '')}${p.sequence}`),
}));

function expectStructured(info: IdNumberInfo | undefined) {
  if (!info || info.kind === 'foreign_permanent_residence_2017') throw new Error('expected an 18-digit number');
  return info;
}

describe('resident ID number (GB 11643-1999)', () => {
  it('accepts the examples of the standard and decodes them', () => {
    const female = validateIdNumber('11010519491231002X', { today: TODAY });
    expect(female).toEqual({
      ok: true,
      value: {
        kind: 'resident_id',
        idNumber: '11010519491231002X',
        birthDate: '1949-12-31',
        sex: 'female',
        regionCode: '110105',
        nationalityCode: null,
        upgradedFrom: null,
      },
    });
    const male = validateIdNumber('440524188001010014', { today: TODAY });
    expect(male.ok && expectStructured(male.value)).toMatchObject({ birthDate: '1880-01-01', sex: 'male', regionCode: '440524' });
  });

  it('uses the published weights and check table', () => {
    fc.assert(
      fc.property(digits(17), (body) => {
        expect(idCheckCharacter(body)).toBe(referenceCheck(body));
      }),
    );
  });

  it('accepts a lower-case x, full-width digits and spaces, and normalises them', () => {
    for (const input of ['11010519491231002x', ' 110105 19491231 002X ', '１１０１０５１９４９１２３１００２ｘ']) {
      const result = validateIdNumber(input);
      expect(result.ok && result.value.idNumber).toBe('11010519491231002X');
    }
    expect(idNumberSchema.parse('11010519491231002x')).toBe('11010519491231002X');
  });

  it('upgrades a 15-digit number to 18 digits', () => {
    const result = validateIdNumber('110105491231002');
    expect(result.ok && expectStructured(result.value)).toMatchObject({
      idNumber: '11010519491231002X',
      upgradedFrom: '110105491231002',
      birthDate: '1949-12-31',
    });
  });

  it('upgrades every 15-digit number of a 19xx birth to the matching 18-digit number', () => {
    fc.assert(
      fc.property(
        validIds.filter((p) => p.birth.startsWith('19')),
        ({ id }) => {
          const legacy = id.slice(0, 6) + id.slice(8, 17);
          const result = validateIdNumber(legacy);
          expect(result.ok && result.value.idNumber).toBe(id);
        },
      ),
    );
  });

  it('gives a precise reason for each kind of wrong number', () => {
    const cases: [string, string, RegExp][] = [
      ['', 'empty', /请输入证件号码/],
      ['11010519491231002', 'length', /应为18位.*当前为17位/],
      ['1101051949123100２XX', 'length', /当前为19位/],
      ['1101051949123100AX', 'characters', /第17位是“A”/],
      ['11010519491231002Y', 'characters', /第18位是校验码/],
      ['11010549123100A', 'characters', /15位旧身份证号码只能由数字组成，第15位是“A”/],
      [withCheck('00010519491231002'), 'region', /前两位.*“00”不是有效代码/],
      [withCheck('11010519490230002'), 'date', /“19490230”不是日历上存在的日期（第7–14位）/],
      [withCheck('11010517491231002'), 'date', /早于1800年/],
      ['110105490230002', 'date', /“19490230”不是日历上存在的日期（第7–12位）/],
      ['110105194912310021', 'check_digit', /第18位校验码与前17位不符/],
    ];
    for (const [input, reason, message] of cases) {
      const result = validateIdNumber(input, { today: TODAY });
      expect(result.ok, input).toBe(false);
      if (!result.ok) {
        expect(result.reason, input).toBe(reason);
        expect(result.message, input).toMatch(message);
      }
    }
  });

  it('refuses a birth date after today only when today is given', () => {
    const future = withCheck('11010520300101002');
    const result = validateIdNumber(future, { today: TODAY });
    expect(result).toMatchObject({ ok: false, reason: 'date' });
    expect(!result.ok && result.message).toContain(`晚于今天（${TODAY}）`);
    expect(validateIdNumber(future).ok).toBe(true);
    expect(idNumberSchemaAsOf(TODAY).safeParse(future).error?.issues[0]?.message).toContain('晚于今天');
  });

  it('recognises residence permits and permanent residence IDs instead of rejecting them', () => {
    const hongKong = validateIdNumber(withCheck('81000019900101001'));
    expect(hongKong.ok && hongKong.value.kind).toBe('hmt_residence_permit');
    const taiwan = validateIdNumber(withCheck('83000019900101002'));
    expect(taiwan.ok && taiwan.value.kind).toBe('hmt_residence_permit');
    const foreign = validateIdNumber(withCheck('91184019850615001'));
    expect(foreign.ok && expectStructured(foreign.value)).toMatchObject({
      kind: 'foreign_permanent_residence',
      regionCode: '110000',
      nationalityCode: '840',
      birthDate: '1985-06-15',
      sex: 'male',
    });
    const legacyForeign = validateIdNumber('usa110185061501');
    expect(legacyForeign).toEqual({
      ok: true,
      value: { kind: 'foreign_permanent_residence_2017', idNumber: 'USA110185061501', nationalityCode: 'USA' },
    });
    expect(validateIdNumber(withCheck('90084019850615001'))).toMatchObject({ ok: false, reason: 'region' });
  });

  it('accepts every well-formed number and decodes birth date, sex and region', () => {
    fc.assert(
      fc.property(validIds, ({ id, province, county, birth, sequence }) => {
        const result = validateIdNumber(id, { today: TODAY });
        expect(result.ok).toBe(true);
        const info = expectStructured(result.ok ? result.value : undefined);
        expect(info.birthDate).toBe(birth);
        expect(info.regionCode).toBe(province + county);
        expect(info.sex).toBe(Number(sequence.charAt(2)) % 2 === 1 ? 'male' : 'female');
        expect(validateIdNumber(id.toLowerCase())).toEqual(result);
      }),
    );
  });

  it('detects every single-character error and every swap of adjacent digits', () => {
    fc.assert(
      fc.property(validIds, fc.nat(17), fc.constantFrom(...'0123456789X'), ({ id }, position, replacement) => {
        fc.pre(id.charAt(position) !== replacement);
        const mutated = id.slice(0, position) + replacement + id.slice(position + 1);
        expect(validateIdNumber(mutated).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(validIds, fc.nat(16), ({ id }, position) => {
        fc.pre(id.charAt(position) !== id.charAt(position + 1));
        const swapped = id.slice(0, position) + id.charAt(position + 1) + id.charAt(position) + id.slice(position + 2);
        expect(validateIdNumber(swapped).ok).toBe(false);
      }),
    );
  });

  it('never throws and always explains a rejection in Chinese', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9xX]{14,19}$/)), (input) => {
        const result = validateIdNumber(input, { today: TODAY });
        if (!result.ok) expect(result.message).toMatch(CJK);
      }),
    );
  });
});
