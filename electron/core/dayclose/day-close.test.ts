import { afterEach, describe, expect, it } from 'vitest';
import { accepted, acceptC2, acceptD1 } from '../testing/cases';
import { manualClock, startTestCore } from '../testing/fixture';
import { pairDevice } from '../testing/hall-devices';
import { makeIdNumber } from '../testing/id-numbers';

type T = Awaited<ReturnType<typeof startTestCore>>;
let t: T | undefined;
afterEach(() => t?.dispose());

const DAY = '2026-11-27';

/** A Friday at the demo station (not enrolled): two cases and a served, rated ticket. */
async function dayOfWork() {
  const clock = manualClock(new Date(`${DAY}T10:00:00+08:00`));
  t = await startTestCore({ clock });
  const admin = await t.loggedIn('admin', 1);
  const teller = await t.loggedIn('teller', 1);
  const reviewer = await t.loggedIn('reviewer', 2);
  const a = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1980-05-20', 17), name: '陈建国' });
  const b = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1975-01-02', 3), name: '林小红' });
  const flexible = accepted(await acceptC2(teller, a.id));
  const change = accepted(await acceptD1(teller, b.id));
  const kiosk = await pairDevice(admin, t.client(), 'kiosk');
  const evaluator = await pairDevice(admin, t.client(), 'evaluator', 1);
  const ticket = (await kiosk.call('queue.issue', { categoryCode: 'A' })).ticket;
  await teller.call('queue.callNext', {});
  await teller.call('queue.start', { ticketId: ticket.id });
  await teller.call('queue.end', { ticketId: ticket.id, outcome: 'completed' });
  await evaluator.call('rating.submit', { ticketId: ticket.id, level: 'satisfied' });
  return { t, clock, admin, teller, reviewer, kiosk, flexible, change, person: a };
}

describe('the day close (日结)', () => {
  it('totals the day: cases per item and status, per operator, amounts per insurance, and the hall', async () => {
    const { reviewer, flexible } = await dayOfWork();
    const totals = await reviewer.call('day.totals', { businessDate: DAY });
    const fen = flexible.amounts!.totalFen;
    expect(fen).toBeGreaterThan(0);
    expect(totals.cases.total).toEqual({ count: 2, amountFen: fen });
    expect(totals.cases.byItem.map((r) => [r.subItemCode, r.status, r.count, r.amountFen])).toEqual([
      ['C2', 'delivered', 1, fen],
      ['D1', 'pending_review', 1, 0],
    ]);
    expect(totals.cases.byOperator.map((r) => [r.operatorName, r.subItemCode, r.count])).toEqual([
      ['王柜员', 'C2', 1],
      ['王柜员', 'D1', 1],
    ]);
    expect(totals.cases.byInsurance).toEqual([{ insurance: '养老保险', amountFen: fen }]);
    expect(totals.tickets).toMatchObject({ issued: 1, served: 1, noShows: 0, ratings: 1, ratingLevels: { satisfied: 1 } });
    // Another day has nothing.
    expect((await reviewer.call('day.totals', { businessDate: '2026-11-26' })).cases.total).toEqual({ count: 0, amountFen: 0 });
  });

  it('freezes the day: the sheet goes to the printer, and no more business is taken for it, not even back-dated', async () => {
    const { reviewer, teller, kiosk, person, admin } = await dayOfWork();
    const { day, document } = await reviewer.call('day.close', { businessDate: DAY });
    // Not enrolled with a central office: closed locally, said so.
    expect(day).toMatchObject({ businessDate: DAY, state: 'closed', reconciliation: 'local', closedBy: '李复核' });
    expect(document.kind).toBe('day_close_sheet');
    expect(JSON.stringify(document.blocks)).toContain('日结单');
    const jobs = (await teller.call('print.queue', {})).jobs;
    expect(jobs.some((j) => j.documentId === document.id)).toBe(true);

    for (const refused of [
      teller.call('person.update', { id: person.id, baseVersion: person.version, patch: { phone: '13900000000' } }),
      acceptD1(teller, person.id),
      kiosk.call('queue.issue', { categoryCode: 'A' }),
      admin.call('rating.paper', { ticketNo: 'A001', businessDate: DAY, level: 'satisfied' }),
    ]) {
      await expect(refused).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('已日结') });
    }
    // Reading, signing in and the day close's own pages stay open.
    await teller.call('registry.search', { query: '陈' });
    expect(await reviewer.call('day.overview', {})).toMatchObject({ today: DAY, todayState: { state: 'closed' }, unclosed: null });
    await expect(reviewer.call('day.close', { businessDate: DAY })).rejects.toMatchObject({ code: 'CONFLICT' });

    const { entries } = await admin.call('audit.list', { action: 'day.freeze' });
    expect(entries).toHaveLength(1);
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true });
  });

  it('opens the next day on a PC that is not enrolled, carries over only past days with a reason, and refuses the future', async () => {
    const { clock, person } = await dayOfWork();
    clock.advance(24 * 3_600_000);
    const teller = await t!.loggedIn('teller', 1);
    const reviewer = await t!.loggedIn('reviewer', 2);
    // Not enrolled: yesterday's open day does not block today (a training PC closes when it likes).
    await teller.call('person.update', { id: person.id, baseVersion: person.version, patch: { phone: '13900000001' } });
    expect((await reviewer.call('day.overview', {})).unclosed).toBeNull();
    await expect(reviewer.call('day.carryOver', { businessDate: '2026-11-28', reason: '今天不能结转' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(reviewer.call('day.close', { businessDate: '2026-12-01' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(reviewer.call('day.carryOver', { businessDate: DAY, reason: '短' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await reviewer.call('day.carryOver', { businessDate: DAY, reason: '系统故障，次日补日结' })).toMatchObject({
      state: 'carried_over',
      reason: '系统故障，次日补日结',
    });
    await expect(teller.call('day.close', { businessDate: DAY })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
