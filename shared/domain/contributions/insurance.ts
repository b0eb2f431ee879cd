import { z } from 'zod';

/** The five insurances (五险). Maternity is kept for places and periods that still collect it separately. */
export const INSURANCES = ['pension', 'medical', 'unemployment', 'work_injury', 'maternity'] as const;
export type Insurance = (typeof INSURANCES)[number];

export const INSURANCE_LABELS: Readonly<Record<Insurance, string>> = {
  pension: '养老保险',
  medical: '医疗保险',
  unemployment: '失业保险',
  work_injury: '工伤保险',
  maternity: '生育保险',
};

export const PARTIES = ['employer', 'person'] as const;
export type Party = (typeof PARTIES)[number];

export const PARTY_LABELS: Readonly<Record<Party, string>> = { employer: '单位', person: '个人' };

/** Employees share contributions with their employer; flexible workers (灵活就业) pay alone at their own rates. */
export const SCHEMES = ['employee', 'flexible'] as const;
export type Scheme = (typeof SCHEMES)[number];

export const SCHEME_LABELS: Readonly<Record<Scheme, string>> = { employee: '职工', flexible: '灵活就业人员' };

/**
 * Who pays each insurance. Employees pay no work-injury or maternity contribution (社会保险法 arts. 33 and 53);
 * a flexible worker pays every line alone.
 */
export function payingParties(scheme: Scheme, insurance: Insurance): readonly Party[] {
  if (scheme === 'flexible') return ['person'];
  return insurance === 'work_injury' || insurance === 'maternity' ? ['employer'] : ['employer', 'person'];
}

export const insuranceSchema = z.enum(INSURANCES, { error: '险种只能是养老、医疗、失业、工伤或生育保险' });
export const partySchema = z.enum(PARTIES, { error: '缴费方只能是单位或个人' });
export const schemeSchema = z.enum(SCHEMES, { error: '参保身份只能是职工或灵活就业人员' });
