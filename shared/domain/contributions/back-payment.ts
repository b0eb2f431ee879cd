import { monthIndex, monthOf, monthsInRange, parseMonth, type BusinessDate, type BusinessMonth } from '../calendar/dates';
import { sumFen, type Fen } from '../money/fen';
import { ROUNDING_MODE_LABELS, type RoundingMode } from '../money/rounding';
import { fail, ok, type Result } from '../result';
import {
  computeMonthlyContribution,
  type ContributionParameters,
  type ContributionRejection,
  type MonthlyContribution,
} from './contribution';
import { type Insurance, type Scheme } from './insurance';
import { computeLateFee, describeLateFeeConvention, type LateFee, type LateFeeConvention } from './late-fee';

/**
 * Back payment (补缴) of missed months: each month is computed with the rates and base limits of that month
 * (费款所属期), then a late fee is added per month and insurance on that insurance's principal (employer and
 * person shares together, as the employer owes both). Flexible workers pay their own contributions and are charged
 * no late fee; whether they may pay back across calendar years is local policy (`flexibleCrossYearAllowed`).
 */
export const MAX_BACK_PAYMENT_MONTHS = 600;

export interface BackPaymentInput {
  readonly region: string;
  readonly scheme: Scheme;
  readonly insurances: readonly Insurance[];
  readonly fromMonth: BusinessMonth;
  readonly toMonth: BusinessMonth;
  /** Declared wage (or chosen base) for every month… */
  readonly declaredBaseFen: Fen;
  /** …except these months, whose wage differs (e.g. a raise in a later year). */
  readonly declaredBaseByMonth?: Readonly<Record<BusinessMonth, Fen>>;
  readonly workInjuryRatePpm?: number;
  readonly rounding: RoundingMode;
  readonly lateFee: LateFeeConvention;
  /** The bill date or payment date the late fee is counted to (see the convention's `end`). */
  readonly asOf: BusinessDate;
  readonly flexibleCrossYearAllowed?: boolean;
}

export interface BackPaymentItem {
  readonly insurance: Insurance;
  readonly principalFen: Fen;
  /** Null where no late fee is charged (flexible workers). */
  readonly lateFee: LateFee | null;
}

export interface BackPaymentMonth {
  readonly month: BusinessMonth;
  readonly contribution: MonthlyContribution;
  readonly items: readonly BackPaymentItem[];
  readonly principalFen: Fen;
  readonly lateFeeFen: Fen;
  readonly totalFen: Fen;
}

export interface BackPayment {
  readonly months: readonly BackPaymentMonth[];
  readonly employerFen: Fen;
  readonly personFen: Fen;
  readonly principalFen: Fen;
  readonly lateFeeFen: Fen;
  readonly totalFen: Fen;
  /** Printed on the receipt: how lines were rounded and how the late fee was counted. */
  readonly roundingLabel: string;
  readonly lateFeeLabel: string;
}

export type BackPaymentRejection = ContributionRejection | 'range' | 'cross_year';

export function computeBackPayment(input: BackPaymentInput, parameters: ContributionParameters): Result<BackPayment, BackPaymentRejection> {
  const rangeError = checkRange(input);
  if (rangeError) return rangeError;

  const chargesLateFee = input.scheme === 'employee';
  const months: BackPaymentMonth[] = [];
  for (const month of monthsInRange(input.fromMonth, input.toMonth)) {
    const contribution = computeMonthlyContribution(
      {
        month,
        region: input.region,
        scheme: input.scheme,
        insurances: input.insurances,
        declaredBaseFen: input.declaredBaseByMonth?.[month] ?? input.declaredBaseFen,
        ...(input.workInjuryRatePpm === undefined ? {} : { workInjuryRatePpm: input.workInjuryRatePpm }),
        rounding: input.rounding,
      },
      parameters,
    );
    if (!contribution.ok) return contribution;
    const items = [...new Set(contribution.value.lines.map((line) => line.insurance))].map((insurance): BackPaymentItem => {
      const principalFen = sumFen(contribution.value.lines.filter((line) => line.insurance === insurance).map((line) => line.amountFen));
      return { insurance, principalFen, lateFee: chargesLateFee ? computeLateFee(principalFen, month, input.asOf, input.lateFee) : null };
    });
    const principalFen = sumFen(items.map((item) => item.principalFen));
    const lateFeeFen = sumFen(items.map((item) => item.lateFee?.feeFen ?? 0));
    months.push({ month, contribution: contribution.value, items, principalFen, lateFeeFen, totalFen: sumFen([principalFen, lateFeeFen]) });
  }

  const principalFen = sumFen(months.map((m) => m.principalFen));
  const lateFeeFen = sumFen(months.map((m) => m.lateFeeFen));
  return ok({
    months,
    employerFen: sumFen(months.map((m) => m.contribution.employerFen)),
    personFen: sumFen(months.map((m) => m.contribution.personFen)),
    principalFen,
    lateFeeFen,
    totalFen: sumFen([principalFen, lateFeeFen]),
    roundingLabel: `缴费金额按险种逐项${ROUNDING_MODE_LABELS[input.rounding]}`,
    lateFeeLabel: chargesLateFee ? describeLateFeeConvention(input.lateFee) : '灵活就业人员自行缴费，不加收滞纳金',
  });
}

function checkRange(input: BackPaymentInput): Result<never, 'range' | 'cross_year'> | null {
  if (!parseMonth(input.fromMonth) || !parseMonth(input.toMonth)) return fail('range', '补缴起止月份格式应为 YYYY-MM');
  if (input.fromMonth > input.toMonth) return fail('range', `补缴开始月份${input.fromMonth}晚于结束月份${input.toMonth}`);
  const currentMonth = monthOf(input.asOf);
  if (input.toMonth > currentMonth) return fail('range', `补缴结束月份${input.toMonth}晚于当前月份${currentMonth}，不能预缴未来月份`);
  if (monthIndex(input.toMonth) - monthIndex(input.fromMonth) + 1 > MAX_BACK_PAYMENT_MONTHS) {
    return fail('range', `一次补缴不能超过${MAX_BACK_PAYMENT_MONTHS}个月，请分段办理`);
  }
  if (input.scheme === 'flexible' && input.flexibleCrossYearAllowed !== true && input.fromMonth.slice(0, 4) < input.asOf.slice(0, 4)) {
    return fail('cross_year', `本地政策不允许灵活就业人员跨年度补缴：${input.fromMonth}不在本年度（${input.asOf.slice(0, 4)}年）内`);
  }
  return null;
}
