import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_MODES } from '../money/rounding';
import { baseLimitsTableSchema, clampBase, deriveBaseLimits, findBaseLimits } from './base';
import { computeMonthlyContribution, type MonthlyContributionInput } from './contribution';
import { INSURANCES, SCHEMES, payingParties } from './insurance';
import { formatPpm } from './ppm';
import { findRate, rateTableSchema, type RateEntry } from './rates';
import { EXAMPLE_WORK_INJURY_PPM, LESHAN, SICHUAN_PARAMETERS } from './test-fixtures';

/** amount − exact value, in millionths of a fen: (low, high]. 见分进角 may add up to a jiao after the fen rounding. */
const ROUNDING_INTERVALS = {
  half_up_fen: [-500_000n, 500_000n],
  half_up_jiao: [-5_000_000n, 5_000_000n],
  up_to_jiao: [-500_000n, 10_500_000n],
} as const;

const EMPLOYEE_INSURANCES = ['pension', 'unemployment', 'work_injury'] as const;

function employee(declaredBaseFen: number, rounding: MonthlyContributionInput['rounding'] = 'half_up_fen'): MonthlyContributionInput {
  return {
    month: '2024-06',
    region: LESHAN,
    scheme: 'employee',
    insurances: EMPLOYEE_INSURANCES,
    declaredBaseFen,
    workInjuryRatePpm: EXAMPLE_WORK_INJURY_PPM,
    rounding,
  };
}

function amounts(input: MonthlyContributionInput) {
  const result = computeMonthlyContribution(input, SICHUAN_PARAMETERS);
  if (!result.ok) throw new Error(result.message);
  const line = (insurance: string, party: string) =>
    result.value.lines.find((l) => l.insurance === insurance && l.party === party)?.amountFen;
  return { result: result.value, line };
}

describe('worked examples of contribution-rules.md §7', () => {
  it('derives the Sichuan limits from the average wage', () => {
    expect(deriveBaseLimits(9_022_000)).toEqual({ floorFen: 451100, ceilingFen: 2255500 });
  });

  it('E1: base inside the limits', () => {
    const { result, line } = amounts(employee(684357));
    expect(result.lines.every((l) => l.baseFen === 684357 && l.baseAdjustment === 'none')).toBe(true);
    expect([line('pension', 'employer'), line('pension', 'person')]).toEqual([109497, 54749]);
    expect([line('unemployment', 'employer'), line('unemployment', 'person')]).toEqual([4106, 2737]);
    expect(line('work_injury', 'employer')).toBe(2737);
    expect(line('work_injury', 'person')).toBeUndefined();
    expect([result.employerFen, result.personFen, result.totalFen]).toEqual([116340, 57486, 173826]);
  });

  it('E1 under 见分进角', () => {
    const { line } = amounts(employee(684357, 'up_to_jiao'));
    expect(line('pension', 'person')).toBe(54750);
    expect(line('unemployment', 'person')).toBe(2740);
  });

  it('E2: below the floor, and a flexible worker at the floor', () => {
    const { result, line } = amounts(employee(320000));
    expect(result.lines.every((l) => l.baseFen === 451100 && l.baseAdjustment === 'raised_to_floor')).toBe(true);
    expect([line('pension', 'employer'), line('pension', 'person')]).toEqual([72176, 36088]);
    expect([line('unemployment', 'employer'), line('unemployment', 'person'), line('work_injury', 'employer')]).toEqual([2707, 1804, 1804]);
    expect([result.employerFen, result.personFen, result.totalFen]).toEqual([76687, 37892, 114579]);

    const flexible = amounts({ ...employee(451100), scheme: 'flexible', insurances: ['pension'] });
    expect(flexible.result.lines).toHaveLength(1);
    expect(flexible.result.lines[0]).toMatchObject({ party: 'person', amountFen: 90220, personalAccountFen: 36088, pooledFundFen: 54132 });
    expect(flexible.result.totalFen).toBe(90220);
  });

  it('E3: above the ceiling', () => {
    const { result, line } = amounts(employee(3_000_000));
    expect(result.lines.every((l) => l.baseFen === 2255500 && l.baseAdjustment === 'lowered_to_ceiling')).toBe(true);
    expect([line('pension', 'employer'), line('pension', 'person')]).toEqual([360880, 180440]);
    expect([line('unemployment', 'employer'), line('unemployment', 'person'), line('work_injury', 'employer')]).toEqual([
      13533, 9022, 9022,
    ]);
    expect([result.employerFen, result.personFen, result.totalFen]).toEqual([383435, 189462, 572897]);
    expect(amounts(employee(3_000_000, 'up_to_jiao')).line('unemployment', 'person')).toBe(9030);
  });
});

describe('parameters', () => {
  it('names a missing parameter precisely', () => {
    const noMedical = computeMonthlyContribution({ ...employee(500000), insurances: ['medical'] }, SICHUAN_PARAMETERS);
    expect(noMedical).toMatchObject({ ok: false, reason: 'missing_rate' });
    expect(!noMedical.ok && noMedical.message).toContain('511100在2024-06的职工医疗保险单位缴费费率');
    const tooEarly = computeMonthlyContribution({ ...employee(500000), month: '2019-04' }, SICHUAN_PARAMETERS);
    expect(tooEarly).toMatchObject({ ok: false, reason: 'missing_base_limits' });
    const noWorkInjury = computeMonthlyContribution({ ...employee(500000), workInjuryRatePpm: undefined }, SICHUAN_PARAMETERS);
    expect(noWorkInjury).toMatchObject({ ok: false, reason: 'missing_work_injury_rate' });
    expect(computeMonthlyContribution(employee(-1), SICHUAN_PARAMETERS)).toMatchObject({ ok: false, reason: 'invalid_input' });
  });

  it('picks the entry of the contribution month and the most specific region', () => {
    const table = rateTableSchema.parse([
      {
        region: '510000',
        effectiveFrom: '2016-01',
        effectiveTo: '2019-04',
        scheme: 'employee',
        insurance: 'pension',
        party: 'employer',
        ratePpm: 190000,
      },
      { region: '510000', effectiveFrom: '2019-05', scheme: 'employee', insurance: 'pension', party: 'employer', ratePpm: 160000 },
      {
        region: '511100',
        effectiveFrom: '2024-01',
        effectiveTo: '2024-12',
        scheme: 'employee',
        insurance: 'pension',
        party: 'employer',
        ratePpm: 150000,
      },
    ]);
    const rate = (region: string, month: string) =>
      findRate(table, { region, month, scheme: 'employee', insurance: 'pension', party: 'employer' })?.ratePpm;
    expect(rate('511102', '2019-04')).toBe(190000);
    expect(rate('511102', '2019-05')).toBe(160000);
    expect(rate('511102', '2024-06')).toBe(150000);
    expect(rate('510100', '2024-06')).toBe(160000);
    expect(rate('520000', '2024-06')).toBeUndefined();
    expect(rate('511102', '2015-12')).toBeUndefined();
  });

  it('prefers insurance-specific base limits over general ones', () => {
    const table = baseLimitsTableSchema.parse([
      { region: '110000', effectiveFrom: '2021-01', floorFen: 536000, ceilingFen: 2840000 },
      { region: '110000', effectiveFrom: '2021-01', insurance: 'pension', floorFen: 361300, ceilingFen: 2840000 },
    ]);
    expect(findBaseLimits(table, '110105', 'pension', '2021-07')?.floorFen).toBe(361300);
    expect(findBaseLimits(table, '110105', 'medical', '2021-07')?.floorFen).toBe(536000);
  });

  it('refuses overlapping or inconsistent parameter tables', () => {
    const overlapping = rateTableSchema.safeParse([
      { region: '510000', effectiveFrom: '2019-05', scheme: 'employee', insurance: 'pension', party: 'employer', ratePpm: 160000 },
      { region: '510000', effectiveFrom: '2024-01', scheme: 'employee', insurance: 'pension', party: 'employer', ratePpm: 150000 },
    ]);
    expect(overlapping.error?.issues[0]?.message).toMatch(/有效期与第1条重叠/);
    const backwards = baseLimitsTableSchema.safeParse([
      { region: '510000', effectiveFrom: '2024-07', effectiveTo: '2024-06', floorFen: 1, ceilingFen: 2 },
    ]);
    expect(backwards.error?.issues[0]?.message).toMatch(/结束月份早于开始月份/);
    const inverted = baseLimitsTableSchema.safeParse([{ region: '510000', effectiveFrom: '2024-07', floorFen: 3, ceilingFen: 2 }]);
    expect(inverted.error?.issues[0]?.message).toBe('缴费基数下限不能高于上限');
    const account = rateTableSchema.safeParse([
      {
        region: '510000',
        effectiveFrom: '2024-01',
        scheme: 'flexible',
        insurance: 'pension',
        party: 'person',
        ratePpm: 80000,
        personalAccountPpm: 200000,
      },
    ]);
    expect(account.error?.issues[0]?.message).toBe('记入个人账户的费率不能高于该项费率');
    expect(
      rateTableSchema.safeParse([
        { region: '51', effectiveFrom: '2024-01', scheme: 'employee', insurance: 'pension', party: 'person', ratePpm: 1.5 },
      ]).success,
    ).toBe(false);
  });

  it('prints rates exactly', () => {
    expect([formatPpm(160000), formatPpm(4500), formatPpm(500), formatPpm(0), formatPpm(1_000_000)]).toEqual([
      '16%',
      '0.45%',
      '0.05%',
      '0%',
      '100%',
    ]);
  });
});

describe('properties of the monthly computation', () => {
  const limits = fc
    .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }))
    .map(([a, b]) => ({ floorFen: Math.min(a, b), ceilingFen: Math.max(a, b) }));
  const ppm = fc.integer({ min: 0, max: 400_000 });

  it('clamping keeps the base between floor and ceiling and leaves bases inside untouched', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000_000 }), limits, (declared, bounds) => {
        const { baseFen, adjustment } = clampBase(declared, bounds);
        expect(baseFen).toBeGreaterThanOrEqual(bounds.floorFen);
        expect(baseFen).toBeLessThanOrEqual(bounds.ceilingFen);
        if (declared >= bounds.floorFen && declared <= bounds.ceilingFen) expect([baseFen, adjustment]).toEqual([declared, 'none']);
        else expect(adjustment).not.toBe('none');
      }),
    );
  });

  it('totals are sums of exact, non-negative, clamped lines', () => {
    const scenario = fc.record({
      scheme: fc.constantFrom(...SCHEMES),
      insurances: fc.uniqueArray(fc.constantFrom(...INSURANCES), { minLength: 1 }),
      rates: fc.array(ppm, { minLength: 10, maxLength: 10 }),
      accountShare: fc.integer({ min: 0, max: 100 }),
      workInjury: ppm,
      limits,
      declared: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      rounding: fc.constantFrom(...ROUNDING_MODES),
    });
    fc.assert(
      fc.property(scenario, (s) => {
        const rates: RateEntry[] = INSURANCES.flatMap((insurance, i) =>
          (['employer', 'person'] as const).map((party, j) => {
            const ratePpm = s.rates[i * 2 + j] ?? 0;
            return {
              region: '510000',
              effectiveFrom: '2024-01',
              scheme: s.scheme,
              insurance,
              party,
              ratePpm,
              personalAccountPpm: Math.floor((ratePpm * s.accountShare) / 100),
            };
          }),
        );
        const parameters = { rates, baseLimits: [{ region: '510000', effectiveFrom: '2024-01', ...s.limits }] };
        const result = computeMonthlyContribution(
          {
            month: '2024-03',
            region: '510100',
            scheme: s.scheme,
            insurances: s.insurances,
            declaredBaseFen: s.declared,
            workInjuryRatePpm: s.workInjury,
            rounding: s.rounding,
          },
          parameters,
        );
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const { lines, employerFen, personFen, totalFen } = result.value;
        expect(lines).toHaveLength(s.insurances.reduce((n, insurance) => n + payingParties(s.scheme, insurance).length, 0));
        expect(employerFen).toBe(lines.filter((l) => l.party === 'employer').reduce((sum, l) => sum + l.amountFen, 0));
        expect(personFen).toBe(lines.filter((l) => l.party === 'person').reduce((sum, l) => sum + l.amountFen, 0));
        expect(totalFen).toBe(employerFen + personFen);
        for (const line of lines) {
          expect(line.baseFen).toBe(Math.min(Math.max(s.declared, s.limits.floorFen), s.limits.ceilingFen));
          expect(Number.isSafeInteger(line.amountFen) && line.amountFen >= 0).toBe(true);
          expect(line.personalAccountFen >= 0 && line.pooledFundFen >= 0).toBe(true);
          expect(line.personalAccountFen + line.pooledFundFen).toBe(line.amountFen);
          // Exactness: amount − base × rate (in millionths of a fen, BigInt) lies in the mode's rounding interval.
          const distance = BigInt(line.amountFen) * 1_000_000n - BigInt(line.baseFen) * BigInt(line.ratePpm);
          const [low, high] = ROUNDING_INTERVALS[s.rounding];
          expect(distance > low && distance <= high).toBe(true);
        }
      }),
    );
  });
});
