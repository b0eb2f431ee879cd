import { fail, ok, type Result } from '../result';

/**
 * Work-injury base rates by industry risk class (人社部发〔2015〕71号, from 2015-10-01), 0.2% … 1.9% of the wage
 * bill, and the floating bands an employer is placed in from its fund use and accident rate: class 1 may only float
 * up (120%, 150%); classes 2–8 may float up or down (50%, 80%, 120%, 150%). The final rate is stored per employer;
 * a local cut (Shanghai's −20%) is entered as that employer's rate directly.
 */
export const WORK_INJURY_RISK_CLASSES = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export type WorkInjuryRiskClass = (typeof WORK_INJURY_RISK_CLASSES)[number];

export const WORK_INJURY_BASE_RATE_PPM: Readonly<Record<WorkInjuryRiskClass, number>> = {
  1: 2000,
  2: 4000,
  3: 7000,
  4: 9000,
  5: 11000,
  6: 13000,
  7: 16000,
  8: 19000,
};

export function allowedWorkInjuryBands(riskClass: WorkInjuryRiskClass): readonly number[] {
  return riskClass === 1 ? [100, 120, 150] : [50, 80, 100, 120, 150];
}

function isRiskClass(value: number): value is WorkInjuryRiskClass {
  return (WORK_INJURY_RISK_CLASSES as readonly number[]).includes(value);
}

/** Base rate × band; exact in ppm because base rates are whole thousands and bands whole tens of percent. */
export function workInjuryRatePpm(riskClass: number, bandPercent = 100): Result<number, 'risk_class' | 'band'> {
  if (!isRiskClass(riskClass)) return fail('risk_class', `工伤保险行业风险类别应为一类至八类，当前为“${riskClass}”`);
  const bands = allowedWorkInjuryBands(riskClass);
  if (!bands.includes(bandPercent)) {
    return fail('band', `${riskClass}类行业的浮动档次只能是基准费率的${bands.join('%、')}%，当前为${bandPercent}%`);
  }
  return ok((WORK_INJURY_BASE_RATE_PPM[riskClass] * bandPercent) / 100);
}
