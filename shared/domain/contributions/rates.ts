import { z } from 'zod';
import type { BusinessMonth } from '../calendar/dates';
import {
  INSURANCE_LABELS,
  PARTY_LABELS,
  SCHEME_LABELS,
  insuranceSchema,
  partySchema,
  schemeSchema,
  type Insurance,
  type Party,
  type Scheme,
} from './insurance';
import { checkParameterPeriods, datedRegionalFields, selectParameter } from './parameters';
import { formatPpm, ppmSchema } from './ppm';

/**
 * Contribution rates per region, scheme, insurance and party, dated by contribution month. They arrive as reference
 * data from the central office (rates differ by province and change by decree), so nothing national is hard-coded.
 * `personalAccountPpm` is the part of the rate credited to the personal pension account: the employee's whole 8%,
 * or 8 of a flexible worker's 20 points (the other 12 go to the pooled fund).
 */
export const rateEntrySchema = z
  .object({
    ...datedRegionalFields,
    scheme: schemeSchema,
    insurance: insuranceSchema,
    party: partySchema,
    ratePpm: ppmSchema,
    personalAccountPpm: ppmSchema.optional(),
  })
  .refine((entry) => (entry.personalAccountPpm ?? 0) <= entry.ratePpm, {
    error: '记入个人账户的费率不能高于该项费率',
    path: ['personalAccountPpm'],
  });

export type RateEntry = z.infer<typeof rateEntrySchema>;

export function describeRateEntry(entry: Pick<RateEntry, 'region' | 'scheme' | 'insurance' | 'party' | 'effectiveFrom'>): string {
  return `${entry.region} ${SCHEME_LABELS[entry.scheme]}${INSURANCE_LABELS[entry.insurance]}${PARTY_LABELS[entry.party]}费率（${entry.effectiveFrom}起）`;
}

export const rateTableSchema = z
  .array(rateEntrySchema)
  .superRefine((entries, ctx) =>
    checkParameterPeriods(
      entries,
      (a, b) => a.scheme === b.scheme && a.insurance === b.insurance && a.party === b.party,
      describeRateEntry,
      ctx,
    ),
  );

export type RateTable = readonly RateEntry[];

export interface RateQuery {
  readonly region: string;
  readonly scheme: Scheme;
  readonly insurance: Insurance;
  readonly party: Party;
  readonly month: BusinessMonth;
}

/** The rate in force for the contribution month (back payment uses the month paid for, not the payment date). */
export function findRate(table: RateTable, query: RateQuery): RateEntry | undefined {
  return selectParameter(
    table,
    query.region,
    query.month,
    (entry) => entry.scheme === query.scheme && entry.insurance === query.insurance && entry.party === query.party,
  );
}

/** "养老保险单位 16%", as a receipt line names the rate it applied. */
export function describeRate(insurance: Insurance, party: Party, ratePpm: number): string {
  return `${INSURANCE_LABELS[insurance]}${PARTY_LABELS[party]} ${formatPpm(ratePpm)}`;
}
