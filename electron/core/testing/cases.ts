import type { ResultOf } from '#shared/api/contract';
import type { Client } from '#shared/transport/client';

/** D1 (个人关键信息变更) as a teller accepts it: two-level review, promised in 5 working days, no amounts. */
export const acceptD1 = (teller: Client, personId: string) =>
  teller.call('case.accept', {
    subItemCode: 'D1',
    personId,
    materials: [
      { code: 'ID', status: 'received' },
      { code: 'PROOF', status: 'data_check' },
    ],
    // ID number and name come from the person being served.
    form: { changedField: 'name', oldValue: '陈建囯', newValue: '陈建国' },
  });

/** C2 (灵活就业参保登记) at a grade: finished on the spot, with a monthly pension amount. */
export const acceptC2 = (teller: Client, personId: string, baseGrade = '60') =>
  teller.call('case.accept', {
    subItemCode: 'C2',
    personId,
    materials: [
      { code: 'ID', status: 'received' },
      { code: 'FORM', status: 'received' },
    ],
    form: { phone: '13812345678', address: '杭州市西湖区', baseGrade, startMonth: '2026-12' },
  });

/** The accepted case of an acceptance, or a failed test when it was a notice instead. */
export function accepted(r: ResultOf<'case.accept'>) {
  if (r.outcome !== 'accepted') throw new Error(`not accepted: ${r.outcome}`);
  return r.case;
}
