import { z } from 'zod';
import type { AmountLine } from '#shared/api/cases';
import type { BusinessDate } from '#shared/domain/calendar/dates';
import type { CatalogueSubItem } from '#shared/domain/catalogue/schema';
import { baseLimitsTableSchema } from '#shared/domain/contributions/base';
import { computeBackPayment } from '#shared/domain/contributions/back-payment';
import { computeMonthlyContribution, type ContributionParameters } from '#shared/domain/contributions/contribution';
import { INSURANCE_LABELS, PARTY_LABELS } from '#shared/domain/contributions/insurance';
import { LATE_FEE_DUE_MONTH_END } from '#shared/domain/contributions/late-fee';
import { rateTableSchema } from '#shared/domain/contributions/rates';
import { findBaseLimits } from '#shared/domain/contributions/base';
import { formatYuan } from '#shared/domain/money/fen';
import { ROUNDING_MODE_LABELS, roundingModeSchema, type RoundingMode } from '#shared/domain/money/rounding';
import { fail, ok, type Result } from '#shared/domain/result';
import { rebuiltOnChange, type ReferenceInForce, type VersionInForce } from '../sync/reference-in-force';
import demoParameters from '../../../resources/reference/contribution-parameters.demo.json';

/** Contribution parameters in force: rates and base limits per region and month, and the rounding rule. */
export interface AmountParameters {
  contribution: ContributionParameters;
  rounding: RoundingMode;
  /** Where the figures come from, printed with every amount. */
  label: string;
}

const parametersFileSchema = z.object({
  label: z.string(),
  rounding: roundingModeSchema,
  rates: rateTableSchema,
  baseLimits: baseLimitsTableSchema,
});

/** The demo parameters shipped in resources/reference until the central office pushes real ones. */
export function loadDemoParameters(): AmountParameters {
  const file = parametersFileSchema.parse(demoParameters);
  return { contribution: { rates: file.rates, baseLimits: file.baseLimits }, rounding: file.rounding, label: file.label };
}

const sourceOf = (v: VersionInForce<'rates' | 'average_wages'> | null) =>
  v ? `按中心下发第${v.version}版（${v.region}，${v.effectiveFrom}起）` : '为演示参数';

/**
 * The parameters in force on a business date: the rate table and the base limits the central office published for
 * this station's region (each a whole version), the demo figures for whichever it has not published yet. The
 * rounding rule is not published and stays the shipped one.
 */
export function parametersInForce(reference: Pick<ReferenceInForce, 'version'>): (date: BusinessDate) => AmountParameters {
  const demo = loadDemoParameters();
  const combine = rebuiltOnChange(
    (rates: VersionInForce<'rates'> | null, wages: VersionInForce<'average_wages'> | null): AmountParameters => ({
      contribution: { rates: rates?.data ?? demo.contribution.rates, baseLimits: wages?.data ?? demo.contribution.baseLimits },
      rounding: demo.rounding,
      label: rates || wages ? `费率${sourceOf(rates)}，缴费基数${sourceOf(wages)}` : demo.label,
    }),
  );
  return (date) => combine(reference.version('rates', date), reference.version('average_wages', date));
}

export interface Amounts {
  lines: AmountLine[];
  totalFen: number;
  note: string;
}

/** A flexible worker's chosen grade (percent of the average wage) as a monthly base in fen, half up. */
function gradeBase(p: AmountParameters, region: string, month: string, gradePercent: number): Result<number, 'missing'> {
  const limits = findBaseLimits(p.contribution.baseLimits, region, 'pension', month);
  if (!limits?.annualAverageWageFen) return fail('missing', `缺少${month}的社平工资参数，无法按档次计算`);
  return ok(Math.floor((limits.annualAverageWageFen * gradePercent + 600) / 1200));
}

/**
 * The amounts a sub-item computes from its form, by the domain's contribution rules.
 * Null when the sub-item computes nothing this station can compute yet.
 */
export function computeAmounts(
  sub: CatalogueSubItem,
  form: Record<string, unknown>,
  at: { region: string; today: BusinessDate },
  p: AmountParameters,
): Result<Amounts | null, string> {
  const grade = Number(form.baseGrade);
  const note = (extra: string) => `${extra}；${ROUNDING_MODE_LABELS[p.rounding]}；${p.label}`;

  if (sub.computes.includes('back_payment') && typeof form.fromMonth === 'string' && typeof form.toMonth === 'string' && grade > 0) {
    const base = gradeBase(p, at.region, form.fromMonth, grade);
    if (!base.ok) return base;
    const r = computeBackPayment(
      {
        region: at.region,
        scheme: 'flexible',
        insurances: ['pension'],
        fromMonth: form.fromMonth,
        toMonth: form.toMonth,
        declaredBaseFen: base.value,
        rounding: p.rounding,
        lateFee: LATE_FEE_DUE_MONTH_END,
        asOf: at.today,
      },
      p.contribution,
    );
    if (!r.ok) return fail(r.reason, r.message);
    return ok({
      lines: r.value.months.flatMap((m) =>
        m.items.map((i) => ({ label: `${m.month} ${INSURANCE_LABELS[i.insurance]}`, fen: i.principalFen, insurance: i.insurance })),
      ),
      totalFen: r.value.totalFen,
      note: note(`灵活就业补缴，缴费基数${formatYuan(base.value)}/月（档次${grade}%），不收滞纳金；${r.value.roundingLabel}`),
    });
  }

  if (sub.computes.includes('flexible_contribution') && grade > 0) {
    const month =
      typeof form.startMonth === 'string' ? form.startMonth : typeof form.effectiveMonth === 'string' ? form.effectiveMonth : null;
    if (!month) return ok(null);
    const base = gradeBase(p, at.region, month, grade);
    if (!base.ok) return base;
    const r = computeMonthlyContribution(
      { month, region: at.region, scheme: 'flexible', insurances: ['pension'], declaredBaseFen: base.value, rounding: p.rounding },
      p.contribution,
    );
    if (!r.ok) return fail(r.reason, r.message);
    return ok({
      lines: r.value.lines.map((l) => ({
        label: `${INSURANCE_LABELS[l.insurance]}（${PARTY_LABELS[l.party]}）每月`,
        fen: l.amountFen,
        insurance: l.insurance,
      })),
      totalFen: r.value.totalFen,
      note: note(`自${month}起按月缴纳，缴费基数${formatYuan(base.value)}/月（档次${grade}%）`),
    });
  }
  return ok(null);
}
