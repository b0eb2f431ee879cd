import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../calendar/dates';
import {
  LATE_FEE_DUE_15TH_NEXT_MONTH,
  LATE_FEE_DUE_MONTH_END,
  computeLateFee,
  describeLateFeeConvention,
  dueDate,
  lateFeeConventionSchema,
  type LateFeeConvention,
} from './late-fee';

const FLAT_RATE: LateFeeConvention = { ...LATE_FEE_DUE_MONTH_END, dailyRates: [{ from: '2011-07-01', dailyPpm: 500 }] };

describe('late fee (滞纳金)', () => {
  it('E4 convention A: due at month end, counted to the day before the bill', () => {
    const fees = ['2024-03', '2024-04', '2024-05'].map((month) => computeLateFee(120000, month, '2024-08-15', LATE_FEE_DUE_MONTH_END));
    expect(fees.map((f) => [f.startDate, f.endDate, f.days, f.feeFen])).toEqual([
      ['2024-04-01', '2024-08-14', 136, 8160],
      ['2024-05-01', '2024-08-14', 106, 6360],
      ['2024-06-01', '2024-08-14', 75, 4500],
    ]);
  });

  it('E4 convention B: due on the 15th of the next month, counted to the payment date', () => {
    const fees = ['2024-03', '2024-04', '2024-05'].map((month) =>
      computeLateFee(120000, month, '2024-08-15', LATE_FEE_DUE_15TH_NEXT_MONTH),
    );
    expect(fees.map((f) => [f.days, f.feeFen])).toEqual([
      [122, 7320],
      [92, 5520],
      [61, 3660],
    ]);
  });

  it('E5: rounds half up to the fen', () => {
    const fee = computeLateFee(114187, '2024-03', '2024-05-10', LATE_FEE_DUE_MONTH_END);
    expect([fee.days, fee.feeFen]).toEqual([39, 2227]);
  });

  it('charges each day at the rate in force that day (2‰ before 2011-07-01)', () => {
    const fee = computeLateFee(100000, '2011-05', '2011-07-11', LATE_FEE_DUE_MONTH_END);
    // June: 30 days × 2000 ppm; July 1–10: 10 days × 500 ppm.
    expect([fee.days, fee.feeFen]).toEqual([40, 6500]);
  });

  it('caps the fee at the principal when configured', () => {
    const capped = computeLateFee(1000, '2012-01', '2020-01-01', LATE_FEE_DUE_MONTH_END);
    expect([capped.feeFen, capped.capped]).toEqual([1000, true]);
    const uncapped = computeLateFee(1000, '2012-01', '2020-01-01', { ...LATE_FEE_DUE_MONTH_END, capAtPrincipal: false });
    expect(uncapped.feeFen).toBeGreaterThan(1000);
    expect(uncapped.capped).toBe(false);
  });

  it('charges nothing before the deadline has passed', () => {
    expect(computeLateFee(120000, '2024-07', '2024-08-01', LATE_FEE_DUE_MONTH_END)).toMatchObject({ days: 0, feeFen: 0 });
    expect(computeLateFee(120000, '2024-07', '2024-08-15', LATE_FEE_DUE_15TH_NEXT_MONTH)).toMatchObject({ days: 0, feeFen: 0 });
  });

  it('clips a due day to the length of the month', () => {
    expect(dueDate('2024-01', { dueMonthOffset: 1, dueDay: 31 })).toBe('2024-02-29');
    expect(dueDate('2024-12', { dueMonthOffset: 0, dueDay: 'last' })).toBe('2024-12-31');
  });

  it('describes the convention for the receipt', () => {
    expect(describeLateFeeConvention(LATE_FEE_DUE_MONTH_END)).toBe(
      '滞纳金：费款所属期当月末为缴费期限，自期限次日起计至账单生成前一日（首尾两日均计），按日0.2%，2011-07-01起按日0.05%，按月按险种四舍五入到分；滞纳金不超过欠缴本金',
    );
    expect(describeLateFeeConvention(LATE_FEE_DUE_15TH_NEXT_MONTH)).toContain('费款所属期次月15日为缴费期限');
  });

  it('validates a convention pushed as reference data', () => {
    expect(lateFeeConventionSchema.safeParse(LATE_FEE_DUE_15TH_NEXT_MONTH).success).toBe(true);
    const unordered = lateFeeConventionSchema.safeParse({
      ...LATE_FEE_DUE_MONTH_END,
      dailyRates: [...LATE_FEE_DUE_MONTH_END.dailyRates].reverse(),
    });
    expect(unordered.error?.issues[0]?.message).toBe('滞纳金日费率须按生效日期从早到晚排列且不重复');
  });

  it('at one rate, the fee is principal × days × rate rounded half up, never negative, growing with time', () => {
    const month = fc
      .integer({ min: 2012, max: 2030 })
      .chain((year) => fc.integer({ min: 1, max: 12 }).map((m) => `${year}-${String(m).padStart(2, '0')}`));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), month, fc.integer({ min: 0, max: 4000 }), (principal, m, offset) => {
        const asOf = addDays(`${m}-01`, offset);
        const fee = computeLateFee(principal, m, asOf, { ...FLAT_RATE, capAtPrincipal: false });
        expect(fee.days).toBe(Math.max(0, daysBetween(fee.startDate, fee.endDate) + 1));
        expect(BigInt(fee.feeFen)).toBe((BigInt(principal) * BigInt(fee.days) * 500n + 500_000n) / 1_000_000n);
        const later = computeLateFee(principal, m, addDays(asOf, 1), { ...FLAT_RATE, capAtPrincipal: false });
        expect(later.feeFen).toBeGreaterThanOrEqual(fee.feeFen);
        const capped = computeLateFee(principal, m, asOf, FLAT_RATE);
        expect(capped.feeFen).toBe(Math.min(fee.feeFen, principal));
      }),
    );
  });
});
