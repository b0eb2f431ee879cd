import { type z } from 'zod';
import { monthSchema, type BusinessMonth } from '../calendar/dates';
import { regionCodeSchema, regionCovers, regionSpecificity } from '../region';

/**
 * Every contribution parameter (rate, base limits) is dated and regional: it applies to the contribution months
 * (费款所属期) from `effectiveFrom` to `effectiveTo` (both included; open-ended when absent) in one region. A
 * province-level entry (510000) covers its cities (511100) and counties unless a more specific entry exists, so
 * Leshan can use Sichuan's province-wide limits and still override one value.
 */
export interface DatedRegionalParameter {
  readonly region: string;
  readonly effectiveFrom: BusinessMonth;
  readonly effectiveTo?: BusinessMonth | undefined;
}

export const datedRegionalFields = {
  region: regionCodeSchema,
  effectiveFrom: monthSchema,
  effectiveTo: monthSchema.optional(),
};

const OPEN_END = '9999-12';

function isEffective(entry: DatedRegionalParameter, month: BusinessMonth): boolean {
  return entry.effectiveFrom <= month && month <= (entry.effectiveTo ?? OPEN_END);
}

/** The entry in force for `region` in `month` among those `matches` accepts; the most specific region wins. */
export function selectParameter<T extends DatedRegionalParameter>(
  entries: readonly T[],
  region: string,
  month: BusinessMonth,
  matches: (entry: T) => boolean,
): T | undefined {
  let best: T | undefined;
  for (const entry of entries) {
    if (!matches(entry) || !regionCovers(entry.region, region) || !isEffective(entry, month)) continue;
    if (best === undefined || regionSpecificity(entry.region) > regionSpecificity(best.region)) best = entry;
  }
  return best;
}

function overlaps(a: DatedRegionalParameter, b: DatedRegionalParameter): boolean {
  return a.effectiveFrom <= (b.effectiveTo ?? OPEN_END) && b.effectiveFrom <= (a.effectiveTo ?? OPEN_END);
}

/**
 * Adds a schema issue for each entry whose period ends before it starts, and for each pair of entries of the same
 * series (`sameSeries`) in the same region whose periods overlap: either would make the parameter of a month
 * ambiguous.
 */
export function checkParameterPeriods<T extends DatedRegionalParameter>(
  entries: readonly T[],
  sameSeries: (a: T, b: T) => boolean,
  describe: (entry: T) => string,
  ctx: z.RefinementCtx,
): void {
  entries.forEach((entry, i) => {
    if (entry.effectiveTo !== undefined && entry.effectiveTo < entry.effectiveFrom) {
      ctx.addIssue({ code: 'custom', path: [i], message: `${describe(entry)}：结束月份早于开始月份` });
    }
    for (let j = i + 1; j < entries.length; j += 1) {
      const other = entries[j];
      if (other && other.region === entry.region && sameSeries(entry, other) && overlaps(entry, other)) {
        ctx.addIssue({ code: 'custom', path: [j], message: `${describe(other)}：有效期与第${i + 1}条重叠` });
      }
    }
  });
}
