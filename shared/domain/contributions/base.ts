import { z } from 'zod';
import type { BusinessMonth } from '../calendar/dates';
import { nonNegativeFenSchema, type Fen } from '../money/fen';
import { divideToFen } from '../money/rounding';
import { INSURANCE_LABELS, insuranceSchema, type Insurance } from './insurance';
import { checkParameterPeriods, datedRegionalFields, selectParameter } from './parameters';

/**
 * Contribution base limits (缴费基数上下限): since 国办发〔2019〕13号 a province sets the individual base between 60%
 * and 300% of its full-caliber average wage (全口径城镇单位就业人员平均工资). The limits are published as figures
 * and are what the clamp uses; the average wage they came from is kept for the record. An entry without
 * `insurance` applies to every insurance; an insurance-specific entry wins (some cities had a lower pension floor).
 */
export const baseLimitsSchema = z
  .object({
    ...datedRegionalFields,
    insurance: insuranceSchema.optional(),
    floorFen: nonNegativeFenSchema,
    ceilingFen: nonNegativeFenSchema,
    annualAverageWageFen: nonNegativeFenSchema.optional(),
  })
  .refine((limits) => limits.floorFen <= limits.ceilingFen, { error: '缴费基数下限不能高于上限', path: ['ceilingFen'] });

export type BaseLimits = z.infer<typeof baseLimitsSchema>;

export const baseLimitsTableSchema = z.array(baseLimitsSchema).superRefine((entries, ctx) =>
  checkParameterPeriods(
    entries,
    (a, b) => a.insurance === b.insurance,
    (entry) =>
      `${entry.region} ${entry.insurance ? INSURANCE_LABELS[entry.insurance] : '各险种'}缴费基数上下限（${entry.effectiveFrom}起）`,
    ctx,
  ),
);

export type BaseLimitsTable = readonly BaseLimits[];

export const DEFAULT_FLOOR_PERCENT = 60;
export const DEFAULT_CEILING_PERCENT = 300;

/**
 * Monthly limits from a published annual average wage: annual × percent / 100 / 12, half up to the fen.
 * Sichuan's 90,220 yuan gives 4,511.00 and 22,555.00.
 */
export function deriveBaseLimits(
  annualAverageWageFen: Fen,
  floorPercent: number = DEFAULT_FLOOR_PERCENT,
  ceilingPercent: number = DEFAULT_CEILING_PERCENT,
): { readonly floorFen: Fen; readonly ceilingFen: Fen } {
  const monthly = (percent: number) => divideToFen(BigInt(annualAverageWageFen) * BigInt(percent), 1200n);
  return { floorFen: monthly(floorPercent), ceilingFen: monthly(ceilingPercent) };
}

export function findBaseLimits(table: BaseLimitsTable, region: string, insurance: Insurance, month: BusinessMonth): BaseLimits | undefined {
  return (
    selectParameter(table, region, month, (entry) => entry.insurance === insurance) ??
    selectParameter(table, region, month, (entry) => entry.insurance === undefined)
  );
}

export type BaseAdjustment = 'none' | 'raised_to_floor' | 'lowered_to_ceiling';

export const BASE_ADJUSTMENT_LABELS: Readonly<Record<BaseAdjustment, string>> = {
  none: '按申报工资',
  raised_to_floor: '低于下限，按下限',
  lowered_to_ceiling: '高于上限，按上限',
};

/** base = min(max(declared, floor), ceiling), with the reason printed next to the base. */
export function clampBase(
  declaredFen: Fen,
  limits: Pick<BaseLimits, 'floorFen' | 'ceilingFen'>,
): { readonly baseFen: Fen; readonly adjustment: BaseAdjustment } {
  if (declaredFen < limits.floorFen) return { baseFen: limits.floorFen, adjustment: 'raised_to_floor' };
  if (declaredFen > limits.ceilingFen) return { baseFen: limits.ceilingFen, adjustment: 'lowered_to_ceiling' };
  return { baseFen: declaredFen, adjustment: 'none' };
}
