import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, monthsInRange } from '../calendar/dates';
import { ROUNDING_MODES } from '../money/rounding';
import { computeBackPayment, type BackPaymentInput } from './back-payment';
import { LATE_FEE_DUE_15TH_NEXT_MONTH, LATE_FEE_DUE_MONTH_END } from './late-fee';
import { EXAMPLE_WORK_INJURY_PPM, LESHAN, SICHUAN_PARAMETERS } from './test-fixtures';

const E4: BackPaymentInput = {
  region: LESHAN,
  scheme: 'employee',
  insurances: ['pension'],
  fromMonth: '2024-03',
  toMonth: '2024-05',
  declaredBaseFen: 500000,
  rounding: 'half_up_fen',
  lateFee: LATE_FEE_DUE_MONTH_END,
  asOf: '2024-08-15',
};

function compute(input: BackPaymentInput) {
  const result = computeBackPayment(input, SICHUAN_PARAMETERS);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('back payment (补缴)', () => {
  it('E4 convention A: three months of pension with late fee', () => {
    const bill = compute(E4);
    expect(bill.months.map((m) => [m.month, m.principalFen, m.lateFeeFen])).toEqual([
      ['2024-03', 120000, 8160],
      ['2024-04', 120000, 6360],
      ['2024-05', 120000, 4500],
    ]);
    expect(bill.months[0]?.contribution.lines.map((l) => [l.party, l.amountFen])).toEqual([
      ['employer', 80000],
      ['person', 40000],
    ]);
    expect([bill.employerFen, bill.personFen, bill.principalFen, bill.lateFeeFen, bill.totalFen]).toEqual([
      240000, 120000, 360000, 19020, 379020,
    ]);
    expect(bill.lateFeeLabel).toContain('账单生成前一日');
    expect(bill.roundingLabel).toBe('缴费金额按险种逐项四舍五入到分');
  });

  it('E4 convention B: 16500 fen of late fee', () => {
    const bill = compute({ ...E4, lateFee: LATE_FEE_DUE_15TH_NEXT_MONTH });
    expect(bill.months.map((m) => m.items[0]?.lateFee?.days)).toEqual([122, 92, 61]);
    expect(bill.lateFeeFen).toBe(16500);
  });

  it('itemises per month and insurance, with a late fee per item', () => {
    const bill = compute({ ...E4, insurances: ['pension', 'unemployment', 'work_injury'], workInjuryRatePpm: EXAMPLE_WORK_INJURY_PPM });
    const march = bill.months[0];
    expect(march?.items.map((i) => [i.insurance, i.principalFen, i.lateFee?.feeFen])).toEqual([
      ['pension', 120000, 8160],
      ['unemployment', 5000, 340],
      ['work_injury', 2000, 136],
    ]);
  });

  it('uses each month’s own declared wage', () => {
    const bill = compute({ ...E4, declaredBaseByMonth: { '2024-05': 100000 } });
    expect(bill.months.map((m) => m.contribution.lines[0]?.baseFen)).toEqual([500000, 500000, 451100]);
  });

  it('charges flexible workers no late fee and keeps them within the year unless allowed', () => {
    const flexible: BackPaymentInput = { ...E4, scheme: 'flexible', asOf: '2024-12-20' };
    const bill = compute(flexible);
    expect(bill.lateFeeFen).toBe(0);
    expect(bill.months.every((m) => m.items.every((i) => i.lateFee === null))).toBe(true);
    expect(bill.principalFen).toBe(3 * 100000);
    expect(bill.lateFeeLabel).toBe('灵活就业人员自行缴费，不加收滞纳金');

    const crossYear = computeBackPayment({ ...flexible, asOf: '2025-01-10' }, SICHUAN_PARAMETERS);
    expect(crossYear).toMatchObject({ ok: false, reason: 'cross_year' });
    expect(!crossYear.ok && crossYear.message).toContain('不允许灵活就业人员跨年度补缴');
    expect(computeBackPayment({ ...flexible, asOf: '2025-01-10', flexibleCrossYearAllowed: true }, SICHUAN_PARAMETERS).ok).toBe(true);
  });

  it('refuses impossible ranges with a reason', () => {
    expect(computeBackPayment({ ...E4, fromMonth: '2024-06', toMonth: '2024-05' }, SICHUAN_PARAMETERS)).toMatchObject({
      ok: false,
      reason: 'range',
    });
    const future = computeBackPayment({ ...E4, toMonth: '2024-09' }, SICHUAN_PARAMETERS);
    expect(!future.ok && future.message).toBe('补缴结束月份2024-09晚于当前月份2024-08，不能预缴未来月份');
    expect(computeBackPayment({ ...E4, fromMonth: '1970-01' }, SICHUAN_PARAMETERS)).toMatchObject({ ok: false, reason: 'range' });
    expect(computeBackPayment({ ...E4, fromMonth: '2019-01' }, SICHUAN_PARAMETERS)).toMatchObject({
      ok: false,
      reason: 'missing_base_limits',
    });
  });

  it('totals equal the sum of items; amounts are exact and never negative; the cap holds', () => {
    const scenario = fc.record({
      from: fc.integer({ min: 0, max: 60 }),
      length: fc.integer({ min: 1, max: 24 }),
      daysAfter: fc.integer({ min: 0, max: 1500 }),
      declared: fc.integer({ min: 0, max: 5_000_000 }),
      insurances: fc.uniqueArray(fc.constantFrom('pension', 'unemployment', 'work_injury' as const), { minLength: 1 }),
      convention: fc.constantFrom(LATE_FEE_DUE_MONTH_END, LATE_FEE_DUE_15TH_NEXT_MONTH),
      rounding: fc.constantFrom(...ROUNDING_MODES),
    });
    fc.assert(
      fc.property(scenario, (s) => {
        const months = monthsInRange('2019-05', '2030-12');
        const fromMonth = months[s.from] ?? '2019-05';
        const toMonth = months[s.from + s.length - 1] ?? fromMonth;
        const bill = compute({
          ...E4,
          insurances: s.insurances,
          workInjuryRatePpm: EXAMPLE_WORK_INJURY_PPM,
          fromMonth,
          toMonth,
          declaredBaseFen: s.declared,
          rounding: s.rounding,
          lateFee: s.convention,
          asOf: addDays(`${toMonth}-28`, s.daysAfter),
        });
        expect(bill.months.map((m) => m.month)).toEqual(monthsInRange(fromMonth, toMonth));
        let principal = 0;
        let lateFee = 0;
        for (const month of bill.months) {
          const lineSum = month.contribution.lines.reduce((sum, line) => sum + line.amountFen, 0);
          expect(month.items.reduce((sum, item) => sum + item.principalFen, 0)).toBe(lineSum);
          expect(month.principalFen).toBe(lineSum);
          expect(month.lateFeeFen).toBe(month.items.reduce((sum, item) => sum + (item.lateFee?.feeFen ?? 0), 0));
          expect(month.totalFen).toBe(month.principalFen + month.lateFeeFen);
          for (const item of month.items) {
            const fee = item.lateFee?.feeFen ?? 0;
            expect(Number.isSafeInteger(fee) && fee >= 0 && fee <= item.principalFen).toBe(true);
            expect(item.principalFen).toBeGreaterThanOrEqual(0);
          }
          principal += month.principalFen;
          lateFee += month.lateFeeFen;
        }
        expect([bill.principalFen, bill.lateFeeFen, bill.totalFen]).toEqual([principal, lateFee, principal + lateFee]);
        expect(bill.employerFen + bill.personFen).toBe(bill.principalFen);
      }),
      { numRuns: 60 },
    );
  });
});
