import { baseLimitsTableSchema, deriveBaseLimits } from './base';
import type { ContributionParameters } from './contribution';
import { rateTableSchema } from './rates';

/**
 * Test fixture only, never a default: the Sichuan example of contribution-rules.md §3 and §7 (third-party figures,
 * unemployment split assumed). Parsed through the schemas, as reference data from the central office would be.
 */
export const SICHUAN = '510000';
export const LESHAN = '511100';

export const SICHUAN_PARAMETERS: ContributionParameters = {
  rates: rateTableSchema.parse([
    { region: SICHUAN, effectiveFrom: '2019-05', scheme: 'employee', insurance: 'pension', party: 'employer', ratePpm: 160000 },
    {
      region: SICHUAN,
      effectiveFrom: '2019-05',
      scheme: 'employee',
      insurance: 'pension',
      party: 'person',
      ratePpm: 80000,
      personalAccountPpm: 80000,
    },
    { region: SICHUAN, effectiveFrom: '2019-05', scheme: 'employee', insurance: 'unemployment', party: 'employer', ratePpm: 6000 },
    { region: SICHUAN, effectiveFrom: '2019-05', scheme: 'employee', insurance: 'unemployment', party: 'person', ratePpm: 4000 },
    {
      region: SICHUAN,
      effectiveFrom: '2019-05',
      scheme: 'flexible',
      insurance: 'pension',
      party: 'person',
      ratePpm: 200000,
      personalAccountPpm: 80000,
    },
  ]),
  baseLimits: baseLimitsTableSchema.parse([
    { region: SICHUAN, effectiveFrom: '2019-05', ...deriveBaseLimits(9_022_000), annualAverageWageFen: 9_022_000 },
  ]),
};

/** Work-injury rate of the worked examples: class 2 at its base rate, 0.4%. */
export const EXAMPLE_WORK_INJURY_PPM = 4000;
