import { z } from 'zod';
import {
  addDays,
  addMonths,
  businessDateSchema,
  daysInMonth,
  formatBusinessDate,
  parseMonth,
  toDayNumber,
  type BusinessDate,
  type BusinessMonth,
} from '../calendar/dates';
import type { Fen } from '../money/fen';
import { ROUNDING_MODE_LABELS, divideToFen, roundingModeSchema } from '../money/rounding';
import { formatPpm, ppmSchema } from './ppm';

/**
 * Late fee (滞纳金) on contributions an employer did not pay in full and on time: a daily rate on the unpaid amount
 * from the day after the deadline (社会保险法 art. 86: 0.05% per day from 2011-07-01; 征缴条例 art. 13: 0.2% per
 * day before). How the days are counted differs between places, so the convention is a parameter and its
 * description is printed on the receipt:
 * - the deadline for month M: day `dueDay` of month M + `dueMonthOffset` ('last' = that month's last day);
 * - the fee runs from the day after the deadline to the day before the bill (`day_before_as_of`) or to the payment
 *   date (`as_of`), both ends counted;
 * - each day is charged at the rate in force that day (`dailyRates`, ascending `from` dates);
 * - the fee of each item is rounded by `rounding`, and capped at its principal when `capAtPrincipal` is set
 *   (行政强制法 art. 45: a late charge may not exceed the sum owed).
 */
const dailyRateSchema = z.object({ from: businessDateSchema, dailyPpm: ppmSchema });

export const lateFeeConventionSchema = z
  .object({
    dueMonthOffset: z.int().min(0, { error: '缴费期限月份偏移不能为负' }).max(12, { error: '缴费期限月份偏移过大' }),
    dueDay: z.union([z.int().min(1).max(31), z.literal('last')], { error: '缴费期限日应为1–31或“月末”' }),
    end: z.enum(['day_before_as_of', 'as_of'], { error: '计算截止日只能是“账单生成前一日”或“缴款当日”' }),
    dailyRates: z.array(dailyRateSchema).min(1, { error: '至少需要一个滞纳金日费率' }),
    rounding: roundingModeSchema,
    capAtPrincipal: z.boolean(),
  })
  .refine((c) => c.dailyRates.every((rate, i) => i === 0 || (c.dailyRates[i - 1]?.from ?? '') < rate.from), {
    error: '滞纳金日费率须按生效日期从早到晚排列且不重复',
    path: ['dailyRates'],
  });

export type LateFeeConvention = z.infer<typeof lateFeeConventionSchema>;

/** 2‰ per day under 征缴条例 (in force 1999-01-22), 0.05% per day under 社会保险法 (in force 2011-07-01). */
export const STATUTORY_DAILY_RATES: LateFeeConvention['dailyRates'] = [
  { from: '1999-01-22', dailyPpm: 2000 },
  { from: '2011-07-01', dailyPpm: 500 },
];

/** Month M is due by the end of M; the fee runs from day 1 of M+1 to the day before the bill. */
export const LATE_FEE_DUE_MONTH_END: LateFeeConvention = {
  dueMonthOffset: 0,
  dueDay: 'last',
  end: 'day_before_as_of',
  dailyRates: STATUTORY_DAILY_RATES,
  rounding: 'half_up_fen',
  capAtPrincipal: true,
};

/** Month M is due on the 15th of M+1; the fee runs from the 16th to the payment date. */
export const LATE_FEE_DUE_15TH_NEXT_MONTH: LateFeeConvention = {
  dueMonthOffset: 1,
  dueDay: 15,
  end: 'as_of',
  dailyRates: STATUTORY_DAILY_RATES,
  rounding: 'half_up_fen',
  capAtPrincipal: true,
};

export function dueDate(month: BusinessMonth, convention: Pick<LateFeeConvention, 'dueMonthOffset' | 'dueDay'>): BusinessDate {
  const due = parseMonth(addMonths(month, convention.dueMonthOffset));
  if (!due) throw new RangeError(`not a month: ${month}`);
  const last = daysInMonth(due.year, due.month);
  const day = convention.dueDay === 'last' ? last : Math.min(convention.dueDay, last);
  return formatBusinessDate({ year: due.year, month: due.month, day });
}

export interface LateFee {
  readonly startDate: BusinessDate;
  readonly endDate: BusinessDate;
  /** Days charged, both ends counted; 0 when not yet overdue. */
  readonly days: number;
  readonly feeFen: Fen;
  /** True when the cap lowered the fee to the principal. */
  readonly capped: boolean;
}

/** Late fee on `principalFen` owed for contribution month `month`, as of `asOf` (bill or payment date). */
export function computeLateFee(principalFen: Fen, month: BusinessMonth, asOf: BusinessDate, convention: LateFeeConvention): LateFee {
  const startDate = addDays(dueDate(month, convention), 1);
  const endDate = convention.end === 'as_of' ? asOf : addDays(asOf, -1);
  const start = toDayNumber(startDate);
  const end = toDayNumber(endDate);
  let ppmDays = 0n;
  convention.dailyRates.forEach((rate, i) => {
    const next = convention.dailyRates[i + 1];
    const from = Math.max(start, toDayNumber(rate.from));
    const to = Math.min(end, next ? toDayNumber(next.from) - 1 : end);
    if (to >= from) ppmDays += BigInt(to - from + 1) * BigInt(rate.dailyPpm);
  });
  const days = Math.max(0, end - start + 1);
  const fee = divideToFen(BigInt(principalFen) * ppmDays, 1_000_000n, convention.rounding);
  const capped = convention.capAtPrincipal && fee > principalFen;
  return { startDate, endDate, days, feeFen: capped ? principalFen : fee, capped };
}

/** The convention in words, for the receipt: the teller and the employer see exactly how the fee was counted. */
export function describeLateFeeConvention(convention: LateFeeConvention): string {
  const monthPart =
    convention.dueMonthOffset === 0 ? '当月' : convention.dueMonthOffset === 1 ? '次月' : `后第${convention.dueMonthOffset}个月`;
  const dayPart = convention.dueDay === 'last' ? '末' : `${convention.dueDay}日`;
  const endPart = convention.end === 'as_of' ? '缴款当日' : '账单生成前一日';
  const rates = convention.dailyRates
    .map((rate, i) => (i === 0 ? `按日${formatPpm(rate.dailyPpm)}` : `${rate.from}起按日${formatPpm(rate.dailyPpm)}`))
    .join('，');
  const cap = convention.capAtPrincipal ? '；滞纳金不超过欠缴本金' : '';
  return `滞纳金：费款所属期${monthPart}${dayPart}为缴费期限，自期限次日起计至${endPart}（首尾两日均计），${rates}，按月按险种${ROUNDING_MODE_LABELS[convention.rounding]}${cap}`;
}
