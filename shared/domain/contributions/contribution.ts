import type { BusinessMonth } from '../calendar/dates';
import { sumFen, type Fen } from '../money/fen';
import { applyPpm, type RoundingMode } from '../money/rounding';
import { fail, ok, type Result } from '../result';
import { clampBase, findBaseLimits, type BaseAdjustment, type BaseLimitsTable } from './base';
import { INSURANCE_LABELS, PARTY_LABELS, SCHEME_LABELS, payingParties, type Insurance, type Party, type Scheme } from './insurance';
import { findRate, type RateTable } from './rates';

/**
 * One month's contributions for one person, itemised as insurance × party lines. Each line is
 * base × rate rounded on its own (the configured mode); totals are sums of rounded lines and are never rounded
 * themselves, so a receipt's lines always add up to its total.
 */
export interface ContributionParameters {
  readonly rates: RateTable;
  readonly baseLimits: BaseLimitsTable;
}

export interface MonthlyContributionInput {
  readonly month: BusinessMonth;
  /** Region code of the pooling area whose parameters apply. */
  readonly region: string;
  readonly scheme: Scheme;
  readonly insurances: readonly Insurance[];
  /** Declared wage (employee) or chosen base (flexible worker), before clamping. */
  readonly declaredBaseFen: Fen;
  /** The employer's own work-injury rate (class × band, or a local rate); needed when work injury is included. */
  readonly workInjuryRatePpm?: number;
  readonly rounding: RoundingMode;
}

export interface ContributionLine {
  readonly month: BusinessMonth;
  readonly insurance: Insurance;
  readonly party: Party;
  readonly declaredBaseFen: Fen;
  readonly baseFen: Fen;
  readonly baseAdjustment: BaseAdjustment;
  readonly ratePpm: number;
  readonly amountFen: Fen;
  /** Part of the amount credited to the personal account; the rest goes to the pooled fund. */
  readonly personalAccountFen: Fen;
  readonly pooledFundFen: Fen;
}

export interface MonthlyContribution {
  readonly month: BusinessMonth;
  readonly lines: readonly ContributionLine[];
  readonly employerFen: Fen;
  readonly personFen: Fen;
  readonly totalFen: Fen;
}

export type ContributionRejection = 'invalid_input' | 'missing_base_limits' | 'missing_rate' | 'missing_work_injury_rate';

export function computeMonthlyContribution(
  input: MonthlyContributionInput,
  parameters: ContributionParameters,
): Result<MonthlyContribution, ContributionRejection> {
  if (!Number.isSafeInteger(input.declaredBaseFen) || input.declaredBaseFen < 0) {
    return fail('invalid_input', '缴费工资（基数）必须是不小于0的金额');
  }
  const lines: ContributionLine[] = [];
  for (const insurance of new Set(input.insurances)) {
    const limits = findBaseLimits(parameters.baseLimits, input.region, insurance, input.month);
    if (!limits) {
      return fail(
        'missing_base_limits',
        `缺少地区${input.region}在${input.month}的${INSURANCE_LABELS[insurance]}缴费基数上下限参数，请先同步参数`,
      );
    }
    const { baseFen, adjustment } = clampBase(input.declaredBaseFen, limits);
    for (const party of payingParties(input.scheme, insurance)) {
      const rate = resolveRate(input, parameters.rates, insurance, party);
      if (!rate.ok) return rate;
      const amountFen = applyPpm(baseFen, rate.value.ratePpm, input.rounding);
      const personalAccountFen = applyPpm(baseFen, rate.value.personalAccountPpm, input.rounding);
      lines.push({
        month: input.month,
        insurance,
        party,
        declaredBaseFen: input.declaredBaseFen,
        baseFen,
        baseAdjustment: adjustment,
        ratePpm: rate.value.ratePpm,
        amountFen,
        personalAccountFen,
        pooledFundFen: amountFen - personalAccountFen,
      });
    }
  }
  const employerFen = sumFen(lines.filter((line) => line.party === 'employer').map((line) => line.amountFen));
  const personFen = sumFen(lines.filter((line) => line.party === 'person').map((line) => line.amountFen));
  return ok({ month: input.month, lines, employerFen, personFen, totalFen: sumFen([employerFen, personFen]) });
}

function resolveRate(
  input: MonthlyContributionInput,
  rates: RateTable,
  insurance: Insurance,
  party: Party,
): Result<{ ratePpm: number; personalAccountPpm: number }, ContributionRejection> {
  // The work-injury rate belongs to the employer (its class and band), not to the region's table.
  if (insurance === 'work_injury' && input.scheme === 'employee') {
    const ratePpm = input.workInjuryRatePpm;
    if (ratePpm === undefined || !Number.isInteger(ratePpm) || ratePpm < 0) {
      return fail('missing_work_injury_rate', '缺少该单位的工伤保险费率（按行业风险类别和浮动档次确定）');
    }
    return ok({ ratePpm, personalAccountPpm: 0 });
  }
  const entry = findRate(rates, { region: input.region, scheme: input.scheme, insurance, party, month: input.month });
  if (!entry) {
    return fail(
      'missing_rate',
      `缺少地区${input.region}在${input.month}的${SCHEME_LABELS[input.scheme]}${INSURANCE_LABELS[insurance]}${PARTY_LABELS[party]}缴费费率，请先同步参数`,
    );
  }
  return ok({ ratePpm: entry.ratePpm, personalAccountPpm: entry.personalAccountPpm ?? 0 });
}
