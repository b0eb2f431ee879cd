import { afterEach, describe, expect, it } from 'vitest';
import { acceptD1 } from '../testing/cases';
import { makeIdNumber } from '../testing/id-numbers';
import { manualClock, startTestCore } from '../testing/fixture';
import { rejection } from '../testing/api-error';

type T = Awaited<ReturnType<typeof startTestCore>>;
let t: T;
afterEach(() => t?.dispose());

const idNumber = makeIdNumber('330106', '1980-05-20', 17);

async function setup() {
  // A fixed day: promised dates and the back-payment year rules depend on it.
  t = await startTestCore({ clock: manualClock(new Date('2026-11-27T10:00:00+08:00')) });
  const teller = await t.loggedIn('teller', 1);
  const person = await teller.call('person.create', { idNumber, name: '陈建国' });
  return { teller, person };
}


/** Audit entries and outbox operations written so far, read through an admin session opened once. */
async function counter() {
  const admin = await t.loggedIn('admin', 3);
  return async () => {
    const { store } = await admin.call('system.status', {});
    return [store.auditEntries, store.outboxPending];
  };
}

describe('case acceptance', () => {
  it('finishes an immediate level-1 item on the spot with a completion voucher', async () => {
    const { teller, person } = await setup();
    const r = await teller.call('case.accept', {
      subItemCode: 'N2',
      personId: person.id,
      materials: [
        { code: 'ID', status: 'received' },
        { code: 'CARD', status: 'received' },
      ],
      form: { idNumber, name: '陈建国', cardNumber: 'A00000001' },
    });
    if (r.outcome !== 'accepted') throw new Error('not accepted');
    expect(r.case).toMatchObject({ status: 'delivered', reviewLevel: 1, caseNo: expect.stringMatching(/^330106001-2026\d{4}-0001$/) });
    expect(r.case.events.map((e) => e.action)).toEqual(['accept', 'complete', 'deliver']);
    expect(r.documents.map((d) => d.kind)).toEqual(['completion_voucher']);
    const text = JSON.stringify(r.documents[0]!.blocks);
    expect(text).toContain(r.case.caseNo);
    expect(text).not.toContain(idNumber);
    expect(text).toContain(`${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`);
  });

  it('sends a two-level item to review with an acceptance receipt and a promised date', async () => {
    const { teller, person } = await setup();
    const r = await acceptD1(teller, person.id);
    if (r.outcome !== 'accepted') throw new Error('not accepted');
    expect(r.case).toMatchObject({ status: 'pending_review', promisedDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(r.documents[0]).toMatchObject({ kind: 'acceptance_receipt' });
    expect(JSON.stringify(r.documents[0]!.blocks)).toContain(r.case.promisedDate!);
    expect(r.case.materials).toContainEqual({ code: 'PROOF', name: expect.any(String), status: 'data_check' });
  });

  it('produces a one-time notice listing every missing material, and no case', async () => {
    const { teller, person } = await setup();
    const r = await teller.call('case.accept', {
      subItemCode: 'I1',
      personId: person.id,
      materials: [{ code: 'HEIRID', status: 'received' }],
      form: {},
    });
    if (r.outcome !== 'notice') throw new Error('expected a notice');
    expect(r.missing).toHaveLength(3);
    const text = JSON.stringify(r.documents[0]!.blocks);
    for (const name of r.missing) expect(text).toContain(name);
    expect(await teller.call('person.history', { id: person.id })).toEqual([
      expect.objectContaining({ kind: 'document', detail: '一次性告知单' }),
    ]);
    expect((await rejection(teller.call('case.byNumber', { caseNo: `330106001-${'x'}` }))).code).toBe('NOT_FOUND');
  });

  it('refuses a data check for a material that needs the paper, and a bad form field', async () => {
    const { teller, person } = await setup();
    const e = await rejection(
      teller.call('case.accept', {
        subItemCode: 'D1',
        personId: person.id,
        materials: [
          { code: 'ID', status: 'data_check' },
          { code: 'PROOF', status: 'received' },
        ],
        form: {},
      }),
    );
    expect(e.code).toBe('VALIDATION');
    const bad = await rejection(
      teller.call('case.accept', {
        subItemCode: 'D1',
        personId: person.id,
        materials: [
          { code: 'ID', status: 'received' },
          { code: 'PROOF', status: 'received' },
        ],
        form: { idNumber: '123', name: '陈建国', changedField: 'name', oldValue: 'a', newValue: 'b' },
      }),
    );
    expect(bad.issues?.map((i) => i.path)).toEqual(['form.idNumber']);
  });

  it('writes exactly one audit entry and one outbox operation per command, and nothing on failure', async () => {
    const { teller, person } = await setup();
    const counts = await counter();
    const [a0, o0] = await counts();
    await acceptD1(teller, person.id);
    const [a1, o1] = await counts();
    expect([a1! - a0!, o1! - o0!]).toEqual([1, 1]);
    await rejection(
      teller.call('case.accept', {
        subItemCode: 'D1',
        personId: person.id,
        materials: [
          { code: 'ID', status: 'received' },
          { code: 'PROOF', status: 'received' },
        ],
        form: {},
      }),
    );
    expect(await counts()).toEqual([a1, o1]);
    const r = await acceptD1(teller, person.id);
    if (r.outcome !== 'accepted') throw new Error('not accepted');
    const reviewer = await t.loggedIn('reviewer', 2);
    const [a2, o2] = await counts();
    await reviewer.call('case.act', { id: r.case.id, action: 'pass_review' });
    expect(await counts()).toEqual([a2! + 1, o2! + 1]);
  });
});

describe('review, approval and delivery', () => {
  it('runs a two-level case from acceptance through review to delivery at another window', async () => {
    const { teller, person } = await setup();
    const r = await acceptD1(teller, person.id);
    if (r.outcome !== 'accepted') throw new Error('not accepted');
    const reviewer = await t.loggedIn('reviewer', 2);
    const queue = await reviewer.call('case.queue', { kind: 'review' });
    expect(queue).toEqual([expect.objectContaining({ id: r.case.id, actionable: true })]);
    const reviewed = await reviewer.call('case.act', { id: r.case.id, action: 'pass_review' });
    expect(reviewed.status).toBe('ready_for_pickup');
    const otherTeller = await t.loggedIn('teller', 3);
    expect(await otherTeller.call('case.queue', { kind: 'pickup' })).toEqual([expect.objectContaining({ caseNo: r.case.caseNo })]);
    const delivered = await otherTeller.call('case.deliver', { id: r.case.id });
    expect(delivered.case.status).toBe('delivered');
    expect(delivered.case.events.at(-1)).toMatchObject({ action: 'deliver', windowNo: 3 });
    expect(delivered.documents.map((d) => d.kind)).toEqual(['completion_voucher']);
    expect((await rejection(otherTeller.call('case.deliver', { id: r.case.id }))).code).toBe('CONFLICT');
  });

  it('refuses the accepting teller as reviewer even through the API, and audits the attempt', async () => {
    const { teller, person } = await setup();
    const counts = await counter();
    const r = await acceptD1(teller, person.id);
    if (r.outcome !== 'accepted') throw new Error('not accepted');
    const [a0] = await counts();
    const e = await rejection(teller.call('case.act', { id: r.case.id, action: 'pass_review' }));
    expect(e).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('受审分离') });
    // The refusal is itself a key audit entry; the case is unchanged and the reviewer can still act.
    expect((await counts())[0]).toBe(a0! + 1);
    const reviewer = await t.loggedIn('reviewer', 2);
    expect((await reviewer.call('case.get', { id: r.case.id })).availableActions).toContain('pass_review');
    expect((await teller.call('case.get', { id: r.case.id })).availableActions).not.toContain('pass_review');
  });

  it('requires a reason to reject or return, and a returned case can be resubmitted', async () => {
    const { teller, person } = await setup();
    const r = await acceptD1(teller, person.id);
    if (r.outcome !== 'accepted') throw new Error('not accepted');
    const reviewer = await t.loggedIn('reviewer', 2);
    expect((await rejection(reviewer.call('case.act', { id: r.case.id, action: 'return_for_materials' }))).code).toBe('VALIDATION');
    const returned = await reviewer.call('case.act', { id: r.case.id, action: 'return_for_materials', reason: '变更证明不清晰' });
    expect(returned).toMatchObject({ status: 'returned', lastReason: '变更证明不清晰' });
    expect(await teller.call('case.queue', { kind: 'returned' })).toHaveLength(1);
    const again = await teller.call('case.act', { id: r.case.id, action: 'resubmit' });
    expect(again.status).toBe('pending_review');
    // The reviewer who returned it may review it again; the teller who resubmitted may not.
    expect((await reviewer.call('case.act', { id: r.case.id, action: 'reject', reason: '不符合变更条件' })).status).toBe('rejected');
  });

  it('keeps queues to the roles that work them', async () => {
    const { teller } = await setup();
    expect((await rejection(teller.call('case.queue', { kind: 'review' }))).code).toBe('FORBIDDEN');
    const reviewer = await t.loggedIn('reviewer', 2);
    expect((await rejection(reviewer.call('case.queue', { kind: 'approval' }))).code).toBe('FORBIDDEN');
    expect((await rejection(reviewer.call('case.accept', { subItemCode: 'D1', materials: [], form: {} }))).code).toBe('FORBIDDEN');
  });
});

describe('case views', () => {
  it('label the form from the catalogue and mask personal numbers in it', async () => {
    const { teller, person } = await setup();
    const r = await acceptD1(teller, person.id);
    if (r.outcome !== 'accepted') throw new Error('not accepted');
    expect(r.case.form).toContainEqual({
      key: 'idNumber',
      label: '公民身份号码（社会保障号码）',
      value: `${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`,
    });
    expect(r.case.form).toContainEqual({ key: 'changedField', label: '变更项目', value: '姓名' });
    expect(JSON.stringify(r.case)).not.toContain(idNumber);
  });
});

describe('amounts', () => {
  it('quotes a flexible worker\u2019s back payment itemised per month, and prints it on the receipt', async () => {
    const { teller, person } = await setup();
    // Demo parameters: average wage 90,000 a year, grade 100% → base 7,500 a month, flexible pension 20%.
    const form = { fromMonth: '2026-01', toMonth: '2026-03', baseGrade: '100' };
    const quote = await teller.call('case.quote', { subItemCode: 'G3', personId: person.id, form });
    expect(quote).toMatchObject({
      lines: [
        { label: '2026-01 养老保险', fen: 150_000 },
        { label: '2026-02 养老保险', fen: 150_000 },
        { label: '2026-03 养老保险', fen: 150_000 },
      ],
      totalFen: 450_000,
    });
    expect(quote!.lines.reduce((sum, l) => sum + l.fen, 0)).toBe(quote!.totalFen);
    const sub = (await teller.call('catalogue.subItem', { code: 'G3' })) as { materials: { code: string }[] };
    const r = await teller.call('case.accept', {
      subItemCode: 'G3',
      personId: person.id,
      materials: sub.materials.map((m) => ({ code: m.code, status: 'received' as const })),
      form,
    });
    if (r.outcome !== 'accepted') throw new Error('not accepted');
    expect(r.case.amounts?.totalFen).toBe(450_000);
    const text = JSON.stringify(r.documents[0]!.blocks);
    expect(text).toContain('¥4,500.00');
    expect(text).toContain('肆仟伍佰元整');
  });

  it('refuses a back payment the rules do not allow, with the rule\u2019s Chinese reason', async () => {
    const { teller, person } = await setup();
    const e = await rejection(
      teller.call('case.quote', {
        subItemCode: 'G3',
        personId: person.id,
        form: { fromMonth: '2025-11', toMonth: '2026-01', baseGrade: '100' },
      }),
    );
    expect(e).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('跨年度') });
  });

  it('quotes the monthly flexible contribution at the chosen grade, clamped to the floor', async () => {
    const { teller, person } = await setup();
    const quote = await teller.call('case.quote', {
      subItemCode: 'C2',
      personId: person.id,
      form: { phone: '13812345678', address: '杭州市西湖区', baseGrade: '60', startMonth: '2026-12' },
    });
    expect(quote).toMatchObject({ lines: [{ label: '养老保险（个人）每月', fen: 90_000 }], totalFen: 90_000 });
    expect(
      await teller.call('case.quote', {
        subItemCode: 'D1',
        personId: person.id,
        form: { changedField: 'name', oldValue: 'a', newValue: 'b' },
      }),
    ).toBeNull();
  });
});
