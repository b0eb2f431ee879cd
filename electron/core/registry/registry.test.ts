import { afterEach, describe, expect, it } from 'vitest';
import { validateCreditCode, creditCodeCheckCharacter } from '#shared/domain/identity/credit-code';
import { makeIdNumber } from '../testing/id-numbers';
import { startTestCore } from '../testing/fixture';
import { rejection } from '../testing/api-error';

type T = Awaited<ReturnType<typeof startTestCore>>;
let t: T;
afterEach(() => t?.dispose());

const idA = makeIdNumber('330106', '1985-07-12', 123); // odd sequence: male
const idB = makeIdNumber('330106', '1990-02-03', 246); // even: female
const creditBody = '91330106MA2ABCDE1';
const creditCode = creditBody + creditCodeCheckCharacter(creditBody);

async function withPeople() {
  t = await startTestCore();
  const teller = await t.loggedIn('teller');
  const employer = await teller.call('employer.create', { creditCode, name: '杭州示范科技有限公司', legalRep: '周某某', riskClass: 2 });
  const a = await teller.call('person.create', {
    idNumber: idA.toLowerCase(),
    name: '王小明',
    phone: '13812345678',
    cardNumber: 'A12345678',
    employerId: employer.id,
  });
  const b = await teller.call('person.create', { idNumber: idB, name: '王晓红', address: '杭州市西湖区文三路1号' });
  return { teller, employer, a, b };
}

describe('registry', () => {
  it('derives sex and birth date from the ID number and masks it', async () => {
    const { a, b } = await withPeople();
    expect(validateCreditCode(creditCode).ok).toBe(true);
    expect(a).toMatchObject({
      name: '王小明',
      sex: 'male',
      birthDate: '1985-07-12',
      idNumberMasked: `${idA.slice(0, 4)}**********${idA.slice(-4)}`,
      phoneMasked: '138****5678',
      employerName: '杭州示范科技有限公司',
    });
    expect(b).toMatchObject({ sex: 'female', birthDate: '1990-02-03' });
    expect(JSON.stringify(a)).not.toContain(idA);
  });

  it('refuses an invalid, a future or a duplicate ID number with a precise Chinese reason', async () => {
    const { teller } = await withPeople();
    const badCheck = idA.slice(0, 17) + (idA[17] === '1' ? '2' : '1');
    const e1 = await rejection(teller.call('person.create', { idNumber: badCheck, name: '李四' }));
    expect(e1.code).toBe('VALIDATION');
    expect(e1.message).toMatch(/校验/);
    const future = makeIdNumber('330106', '2030-01-01', 1);
    const e2 = await rejection(teller.call('person.create', { idNumber: future, name: '李四' }));
    expect(e2).toMatchObject({ code: 'VALIDATION' });
    expect(e2.message).toMatch(/出生日期/);
    const e3 = await rejection(teller.call('person.create', { idNumber: idA, name: '王小明' }));
    expect(e3).toMatchObject({ code: 'CONFLICT', message: '该证件号码已登记，请直接查询' });
  });

  it('finds persons by every key a teller types', async () => {
    const { teller, a, b } = await withPeople();
    const ids = async (query: string) => (await teller.call('registry.search', { query })).persons.map((p) => p.id).sort();
    expect(await ids(idA)).toEqual([a.id]);
    expect(await ids(idA.toLowerCase())).toEqual([a.id]);
    expect(await ids(`${idA.slice(0, 6)}${idA.slice(8, 17)}`)).toEqual([a.id]); // his legacy 15-digit number
    expect(await ids(idA.slice(0, 10))).toEqual([a.id]);
    expect(await ids('330106')).toEqual([a.id, b.id].sort());
    expect(await ids('王')).toEqual([a.id, b.id].sort());
    expect(await ids('王小')).toEqual([a.id]);
    expect(await ids('wx')).toEqual([a.id, b.id].sort());
    expect(await ids('WXM')).toEqual([a.id]);
    expect(await ids('13812345678')).toEqual([a.id]);
    expect(await ids('a12345678')).toEqual([a.id]);
    expect(await ids('张')).toEqual([]);
    const employers = await teller.call('registry.search', { query: creditCode.toLowerCase() });
    expect(employers.employers.map((e) => e.name)).toEqual(['杭州示范科技有限公司']);
    expect((await teller.call('registry.search', { query: '杭州' })).employers).toHaveLength(1);
  });

  it('audits every view of a full ID number', async () => {
    const { teller, a } = await withPeople();
    const admin = await t.loggedIn('admin');
    const before = (await admin.call('system.status', {})).store.auditEntries;
    expect(await teller.call('person.reveal', { id: a.id })).toEqual({ idNumber: idA });
    expect((await admin.call('system.status', {})).store.auditEntries).toBe(before + 1);
  });

  it('merges patches of different fields made from the same version, and refuses the same field', async () => {
    const { teller, a } = await withPeople();
    const other = await t.loggedIn('teller', 2);
    const v = a.version;
    const first = await teller.call('person.update', { id: a.id, baseVersion: v, patch: { phone: '13900000000' } });
    expect(first.version).toBe(v + 1);
    const merged = await other.call('person.update', { id: a.id, baseVersion: v, patch: { address: '杭州市西湖区' } });
    expect(merged).toMatchObject({ phone: '13900000000', address: '杭州市西湖区', version: v + 2 });
    const e = await rejection(other.call('person.update', { id: a.id, baseVersion: v, patch: { phone: '13700000000' } }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/联系电话已被他人修改/);
    // The same value as now is no conflict and no change.
    const same = await other.call('person.update', { id: a.id, baseVersion: v, patch: { phone: '13900000000' } });
    expect(same.version).toBe(v + 2);
  });

  it('lets only front-office roles create and edit', async () => {
    const { a } = await withPeople();
    const reviewer = await t.loggedIn('reviewer');
    expect(
      (await rejection(reviewer.call('person.create', { idNumber: makeIdNumber('330106', '1970-01-01', 5), name: '赵六' }))).code,
    ).toBe('FORBIDDEN');
    expect((await rejection(reviewer.call('person.update', { id: a.id, baseVersion: 1, patch: { phone: '13900000000' } }))).code).toBe(
      'FORBIDDEN',
    );
    await expect(reviewer.call('person.get', { id: a.id })).resolves.toMatchObject({ name: '王小明' });
  });

  it('shows a person\u2019s visits, cases with their amounts, and notices in the history', async () => {
    const { teller, a } = await withPeople();
    expect(await teller.call('person.history', { id: a.id })).toEqual([]);
    await teller.call('queue.issue', { categoryCode: 'A', idNumber: idA });
    const all = async (code: string) =>
      ((await teller.call('catalogue.subItem', { code })) as { materials: { code: string }[] }).materials.map((m) => ({ code: m.code, status: 'received' as const }));
    await teller.call('case.accept', {
      subItemCode: 'C2',
      personId: a.id,
      materials: await all('C2'),
      form: { phone: '13812345678', address: '杭州市西湖区', baseGrade: '60', startMonth: '2026-12' },
    });
    await teller.call('case.accept', { subItemCode: 'I1', personId: a.id, materials: [], form: {} });
    const history = await teller.call('person.history', { id: a.id });
    expect(history.map((h) => h.kind).sort()).toEqual(['case', 'document', 'visit']);
    expect(history.find((h) => h.kind === 'case')).toMatchObject({ title: '灵活就业人员参保登记', detail: expect.stringContaining('¥900.00') });
    expect(history.find((h) => h.kind === 'visit')).toMatchObject({ title: expect.stringMatching(/^到厅办理 A\d{3}$/) });
    expect(history.find((h) => h.kind === 'document')).toMatchObject({ detail: '一次性告知单' });
  });
});

describe('employer patches', () => {
  it('merge disjoint fields and refuse a stale change of the same field', async () => {
    const { teller, employer } = await withPeople();
    const v = employer.version;
    await teller.call('employer.update', { id: employer.id, baseVersion: v, patch: { phone: '057188886666' } });
    const merged = await teller.call('employer.update', { id: employer.id, baseVersion: v, patch: { riskClass: 3 } });
    expect(merged).toMatchObject({ phone: '057188886666', riskClass: 3, version: v + 2 });
    expect(
      (await rejection(teller.call('employer.update', { id: employer.id, baseVersion: v, patch: { phone: '057100000000' } }))).code,
    ).toBe('CONFLICT');
    expect((await teller.call('registry.search', { query: 'hzsf' })).employers.map((e) => e.id)).toEqual([employer.id]);
  });
});
