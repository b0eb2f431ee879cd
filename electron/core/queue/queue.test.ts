import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '#shared/api/events';
import type { Client } from '#shared/transport/client';
import { enrolDevice, pairDevice } from '../testing/hall-devices';
import { makeIdNumber } from '../testing/id-numbers';
import { manualClock, startTestCore } from '../testing/fixture';

type TestCore = Awaited<ReturnType<typeof startTestCore>>;
let t: TestCore | undefined;
afterEach(() => t?.dispose());

// 2026-03-02 is a Monday.
async function setup() {
  const clock = manualClock(new Date('2026-03-02T09:00:00+08:00'));
  t = await startTestCore({ clock });
  const admin = await t.loggedIn('admin', 1);
  const device = (kind: 'kiosk' | 'display' | 'evaluator', windowNo?: number) => pairDevice(admin, t!.client(), kind, windowNo);
  return { t, clock, admin, device, kiosk: await device('kiosk'), w1: await t.loggedIn('teller', 1) };
}

/** Collects the events a client is pushed, with a way to await the next one matching. */
function events(client: Client) {
  const seen: CoreEvent[] = [];
  const waiters: { match: (e: CoreEvent) => boolean; wake: (e: CoreEvent) => void }[] = [];
  client.onEvent((e) => {
    seen.push(e);
    for (const w of waiters.splice(0))
      if (w.match(e)) w.wake(e);
      else waiters.push(w);
  });
  return {
    seen,
    next: <T extends CoreEvent['type']>(type: T, match: (e: Extract<CoreEvent, { type: T }>) => boolean = () => true) =>
      new Promise<Extract<CoreEvent, { type: T }>>((wake) =>
        waiters.push({
          match: (e) => e.type === type && match(e as Extract<CoreEvent, { type: T }>),
          wake: wake as (e: CoreEvent) => void,
        }),
      ),
  };
}

describe('issuing tickets', () => {
  it('numbers per category per day from the kiosk, with people ahead and a ticket document', async () => {
    const { kiosk } = await setup();
    const a1 = await kiosk.call('queue.issue', { categoryCode: 'A' });
    const a2 = await kiosk.call('queue.issue', { categoryCode: 'A' });
    const b1 = await kiosk.call('queue.issue', { categoryCode: 'B' });
    expect([a1.ticket.ticketNo, a2.ticket.ticketNo, b1.ticket.ticketNo]).toEqual(['A001', 'A002', 'B001']);
    expect([a1.ahead, a2.ahead, b1.ahead]).toEqual([0, 1, 0]);
    expect(a2.ticket).toMatchObject({ source: 'kiosk', status: 'waiting', categoryName: '综合业务' });
    expect(a2.document.kind).toBe('queue_ticket');
    expect(JSON.stringify(a2.document.blocks)).toContain('您前面还有 1 人等候');
    // Queued for printing by the same command, like every counter document.
    const teller = await t!.loggedIn('teller');
    const { jobs } = await teller.call('print.queue', {});
    expect(jobs.filter((j) => j.documentKind === 'queue_ticket').map((j) => j.documentId)).toEqual(
      expect.arrayContaining([a1.document.id, a2.document.id, b1.document.id]),
    );
  });

  it('refuses a connection that is neither a paired kiosk nor an operator, and a wrong device key', async () => {
    const { t, admin } = await setup();
    const stranger = t.client();
    await expect(stranger.call('queue.issue', { categoryCode: 'A' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const displayKey = await enrolDevice(admin, 'display');
    await expect(stranger.call('hall.pair', { kind: 'kiosk', key: displayKey })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(stranger.call('queue.snapshot', {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(admin.call('hall.addDevice', { kind: 'evaluator', name: '评价器' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(admin.call('hall.addDevice', { kind: 'counter', name: '窗口终端', windowNo: 42 })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: '本站没有42号窗口',
    });
  });

  it('enrols each device with its own key, and a revoked or re-keyed device is dropped at once', async () => {
    const { t, admin, kiosk } = await setup();
    const display = await pairDevice(admin, t.client(), 'display');
    const seen = events(display);
    await display.call('queue.subscribe', {});
    const devices = await admin.call('hall.devices', {});
    expect(devices.map((d) => [d.kind, d.online])).toEqual([
      ['display', true],
      ['kiosk', true],
    ]);
    const displayId = devices.find((d) => d.kind === 'display')!.id;

    const dropped = seen.next('hall.unpaired');
    const revoked = await admin.call('hall.revokeDevice', { id: displayId });
    expect(revoked).toMatchObject({ online: false, revokedAt: expect.any(String) });
    expect((await dropped).message).toBe('本设备已被管理员停用');
    await expect(display.call('queue.snapshot', {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // The kiosk, a different device, keeps working.
    await kiosk.call('queue.issue', { categoryCode: 'A' });

    const kioskId = devices.find((d) => d.kind === 'kiosk')!.id;
    const { key } = await admin.call('hall.rotateDevice', { id: kioskId });
    await expect(kiosk.call('queue.issue', { categoryCode: 'A' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await kiosk.call('hall.pair', { kind: 'kiosk', key });
    await kiosk.call('queue.issue', { categoryCode: 'A' });
    await expect(admin.call('hall.rotateDevice', { id: displayId })).rejects.toMatchObject({ code: 'CONFLICT' });

    // Only a hash of each key is stored, and no key reaches the audit log or the outbox.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(t.core.storePath, { readonly: true });
    try {
      for (const table of ['hall_device', 'audit_log', 'outbox'])
        expect(JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all())).not.toContain(key);
    } finally {
      db.close();
    }
  });

  it('links a ticket taken with an ID number to the person, and refuses a second open one in the same category', async () => {
    const { w1, kiosk } = await setup();
    const idNumber = makeIdNumber('330106', '1980-05-01', 11);
    const person = await w1.call('person.create', { idNumber, name: '欧阳修' });
    const first = await w1.call('queue.issue', { categoryCode: 'A', idNumber });
    expect(first.ticket).toMatchObject({ source: 'counter', personId: person.id, personName: '欧阳*' });
    await expect(kiosk.call('queue.issue', { categoryCode: 'A', idNumber })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: '该证件已有A001号尚未办理完毕，不能重复领取综合业务号',
    });
    expect((await kiosk.call('queue.issue', { categoryCode: 'B', idNumber })).ticket.ticketNo).toBe('B001');
    await expect(kiosk.call('queue.issue', { categoryCode: 'A', idNumber: '330106198005010000' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    // Once served, the person may take another.
    await w1.call('queue.call', { ticketId: first.ticket.id });
    await w1.call('queue.start', { ticketId: first.ticket.id });
    await w1.call('queue.end', { ticketId: first.ticket.id, outcome: 'completed' });
    expect((await kiosk.call('queue.issue', { categoryCode: 'A', idNumber })).ticket.ticketNo).toBe('A002');
  });

  it('issues a kiosk ticket for the card presented in the reader, linked to its holder, once per category', async () => {
    const { t, w1, kiosk } = await setup();
    await expect(t.client().call('queue.issueByCard', { categoryCode: 'A' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const holder = (await w1.call('card.demoPeople', {})).find((p) => p.documentLabel === '居民身份证')!;
    const person =
      (await w1.call('person.byIdNumber', { idNumber: holder.idNumber })) ??
      (await w1.call('person.create', { idNumber: holder.idNumber, name: holder.name }));
    const waiting = kiosk.call('queue.issueByCard', { categoryCode: 'A' });
    await w1.call('card.simulate', { action: 'insert', reader: 'resident_id', idNumber: holder.idNumber });
    const issued = await waiting;
    expect(issued.ticket).toMatchObject({ ticketNo: 'A001', source: 'kiosk', personId: person.id, personName: expect.stringMatching(/\*/) });
    // The same card again: the same person cannot take a second open ticket of the category.
    const again = kiosk.call('queue.issueByCard', { categoryCode: 'A' });
    await w1.call('card.simulate', { action: 'insert', reader: 'resident_id', idNumber: holder.idNumber });
    await expect(again).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('keeps to issuing hours and the daily cap', async () => {
    const { admin, kiosk } = await setup();
    const settings = await admin.call('queue.settings', {});
    await admin.call('queue.updateSettings', {
      ...settings,
      categories: settings.categories.map((c) =>
        c.code === 'C' ? { ...c, dailyCap: 1 } : c.code === 'B' ? { ...c, hours: { from: '13:00', to: '17:00' } } : c,
      ),
    });
    await kiosk.call('queue.issue', { categoryCode: 'C' });
    await expect(kiosk.call('queue.issue', { categoryCode: 'C' })).rejects.toMatchObject({
      message: '政策咨询今日号源已取完（每日限1个）',
    });
    await expect(kiosk.call('queue.issue', { categoryCode: 'B' })).rejects.toMatchObject({ message: '领取结果的取号时间为13:00至17:00' });
    const snapshot = await kiosk.call('queue.snapshot', {});
    expect(snapshot.categories.map((c) => [c.code, c.open])).toEqual([
      ['A', true],
      ['B', false],
      ['C', false],
      ['L', true],
    ]);
  });
});

describe('editing categories', () => {
  it('shows a new category on a subscribed kiosk at once, and takes tickets in it', async () => {
    const { admin, kiosk } = await setup();
    await kiosk.call('queue.subscribe', {});
    const pushed = events(kiosk);
    const settings = await admin.call('queue.settings', {});
    const consulting = { ...settings.categories.find((c) => c.code === 'C')!, code: 'D', name: '就业咨询', windows: [1] };
    const snap = pushed.next('queue.snapshot');
    await admin.call('queue.updateSettings', { ...settings, categories: [...settings.categories, consulting] });
    expect((await snap).snapshot.categories.map((c) => c.code)).toEqual(['A', 'B', 'C', 'L', 'D']);
    expect((await kiosk.call('queue.issue', { categoryCode: 'D' })).ticket).toMatchObject({ ticketNo: 'D001', categoryName: '就业咨询' });
  });

  it('refuses to remove (or re-prefix) a category while today has unfinished tickets in it, no-shows included', async () => {
    const { admin, kiosk, t, clock } = await setup();
    const settings = await admin.call('queue.settings', {});
    const withoutC = { ...settings, categories: settings.categories.filter((c) => c.code !== 'C') };
    const ticket = (await kiosk.call('queue.issue', { categoryCode: 'C' })).ticket;
    const refusal = { code: 'CONFLICT', message: '政策咨询（C）今日还有1个未办结的号码（含过号），办结后才能删除该号类' };
    await expect(admin.call('queue.updateSettings', withoutC)).rejects.toMatchObject(refusal);
    const renamed = settings.categories.map((c) => (c.code === 'C' ? { ...c, code: 'E' } : c));
    await expect(admin.call('queue.updateSettings', { ...settings, categories: renamed })).rejects.toMatchObject(refusal);
    expect((await admin.call('queue.settings', {})).categories.map((c) => c.code)).toEqual(['A', 'B', 'C', 'L']);

    // A no-show could be reactivated into a queue no window calls any more.
    const w3 = await t.loggedIn('teller', 3);
    await w3.call('queue.callNext', {});
    await w3.call('queue.recall', { ticketId: ticket.id });
    clock.advance(settings.recallMinGapSeconds * 1000);
    await w3.call('queue.noShow', { ticketId: ticket.id });
    await expect(admin.call('queue.updateSettings', withoutC)).rejects.toMatchObject(refusal);

    await w3.call('queue.reactivate', { ticketId: ticket.id, keepPlace: true });
    await w3.call('queue.call', { ticketId: ticket.id });
    await w3.call('queue.start', { ticketId: ticket.id });
    await w3.call('queue.end', { ticketId: ticket.id, outcome: 'consulted' });
    expect((await admin.call('queue.updateSettings', withoutC)).categories.map((c) => c.code)).toEqual(['A', 'B', 'L']);
  });
});

describe('calling at the counter', () => {
  it('calls green first, then by the ratio, never a category the window does not serve', async () => {
    const { kiosk, w1 } = await setup();
    for (const code of ['C', 'A', 'A', 'B', 'A', 'L']) await kiosk.call('queue.issue', { categoryCode: code });
    const order: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const w = await w1.call('queue.callNext', {});
      order.push(w.current!.ticketNo);
      await w1.call('queue.start', { ticketId: w.current!.id });
      await w1.call('queue.end', { ticketId: w.current!.id, outcome: 'completed' });
    }
    expect(order).toEqual(['L001', 'A001', 'B001', 'A002', 'A003']);
    await expect(w1.call('queue.callNext', {})).rejects.toMatchObject({ code: 'NOT_FOUND', message: '当前没有等候本窗口的号码' });
    // C is served only at window 3.
    const w3 = await t!.loggedIn('teller', 3);
    expect((await w3.call('queue.callNext', {})).current!.ticketNo).toBe('C001');
  });

  it('refuses a second call while a ticket is at the window, and any call while paused; the display shows the pause', async () => {
    const { kiosk, w1, device } = await setup();
    await kiosk.call('queue.issue', { categoryCode: 'A' });
    await kiosk.call('queue.issue', { categoryCode: 'A' });
    await w1.call('queue.callNext', {});
    await expect(w1.call('queue.callNext', {})).rejects.toMatchObject({ code: 'CONFLICT', message: '请先结束、暂挂或转移当前号码A001' });
    const display = await device('display');
    await display.call('queue.subscribe', {});
    const pushed = events(display);
    const paused = pushed.next('queue.snapshot', (e) => e.snapshot.windows.some((w) => w.paused));
    const w = await w1.call('queue.pause', { reason: '临时离开' });
    expect(w).toMatchObject({ paused: true, pauseReason: '临时离开' });
    expect((await paused).snapshot.windows.find((x) => x.windowNo === 1)).toEqual({ windowNo: 1, paused: true, reason: '临时离开' });
    await expect(w1.call('queue.call', { ticketId: w.waiting[0]!.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await w1.call('queue.resume', {})).paused).toBe(false);
  });

  it('allows 过号 only after the minimum recalls and gap, then reactivates with or without the place', async () => {
    const { kiosk, w1, clock } = await setup();
    const a1 = (await kiosk.call('queue.issue', { categoryCode: 'A' })).ticket;
    clock.advance(60_000);
    await kiosk.call('queue.issue', { categoryCode: 'A' });
    await w1.call('queue.callNext', {});
    await expect(w1.call('queue.noShow', { ticketId: a1.id })).rejects.toMatchObject({
      message: '须至少呼叫2次、且距上次呼叫满30秒后才能过号',
    });
    clock.advance(10_000);
    expect((await w1.call('queue.recall', { ticketId: a1.id })).current!.callCount).toBe(2);
    clock.advance(29_000);
    await expect(w1.call('queue.noShow', { ticketId: a1.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    clock.advance(1_000);
    const after = await w1.call('queue.noShow', { ticketId: a1.id });
    expect(after.current).toBeNull();
    expect(after.noShows.map((x) => x.ticketNo)).toEqual(['A001']);
    const back = await w1.call('queue.reactivate', { ticketId: a1.id, keepPlace: true });
    expect(back.waiting.map((x) => x.ticketNo)).toEqual(['A001', 'A002']);
  });

  it('holds and calls back, and a transfer keeping its place is called before later tickets', async () => {
    const { kiosk, w1, clock } = await setup();
    const a1 = (await kiosk.call('queue.issue', { categoryCode: 'A' })).ticket;
    clock.advance(60_000);
    await kiosk.call('queue.issue', { categoryCode: 'B' });
    clock.advance(60_000);
    await kiosk.call('queue.issue', { categoryCode: 'B' });
    await w1.call('queue.callNext', {});
    await w1.call('queue.start', { ticketId: a1.id });
    const held = await w1.call('queue.hold', { ticketId: a1.id });
    expect(held.held.map((x) => x.ticketNo)).toEqual(['A001']);
    const back = await w1.call('queue.callBack', { ticketId: a1.id });
    expect(back.current).toMatchObject({ ticketNo: 'A001', status: 'called', callCount: 2 });
    await w1.call('queue.start', { ticketId: a1.id });
    // Sent to pickup (B), keeping the place it got at 09:00: before B001 and B002 who came later.
    await w1.call('queue.transfer', { ticketId: a1.id, categoryCode: 'B', keepPlace: true });
    const w2 = await t!.loggedIn('teller', 2);
    expect((await w2.call('queue.callNext', {})).current).toMatchObject({ ticketNo: 'A001', categoryCode: 'B' });
  });

  it('sends a transfer to a window only there, and refuses a window that does not serve the category', async () => {
    const { kiosk, w1 } = await setup();
    const a1 = (await kiosk.call('queue.issue', { categoryCode: 'A' })).ticket;
    await w1.call('queue.callNext', {});
    await expect(w1.call('queue.transfer', { ticketId: a1.id, categoryCode: 'C', toWindow: 1, keepPlace: true })).rejects.toMatchObject({
      message: '1号窗口不办理政策咨询',
    });
    await w1.call('queue.transfer', { ticketId: a1.id, categoryCode: 'A', toWindow: 3, keepPlace: false });
    const w2 = await t!.loggedIn('teller', 2);
    await expect(w2.call('queue.callNext', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(w2.call('queue.call', { ticketId: a1.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const w3 = await t!.loggedIn('teller', 3);
    expect((await w3.call('queue.callNext', {})).current!.ticketNo).toBe('A001');
  });

  it('serves a walk-in at once and links the cases accepted during the visit', async () => {
    const { w1, t } = await setup();
    const idNumber = makeIdNumber('330106', '1980-05-01', 12);
    const person = await w1.call('person.create', { idNumber, name: '陈建国' });
    const w = await w1.call('queue.walkIn', { categoryCode: 'A', idNumber });
    expect(w.current).toMatchObject({ ticketNo: 'A001', status: 'serving', source: 'walk_in', personId: person.id });
    const accepted = await w1.call('case.accept', {
      subItemCode: 'N2',
      personId: person.id,
      materials: [
        { code: 'ID', status: 'received' },
        { code: 'CARD', status: 'received' },
      ],
      form: { idNumber, name: '陈建国', cardNumber: 'A00000001' },
    });
    if (accepted.outcome !== 'accepted') throw new Error('expected an accepted case');
    expect(await w1.call('queue.linkCase', { caseId: accepted.case.id })).toEqual({ ok: true });
    await expect(w1.call('queue.linkCase', { caseId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(t.core.storePath, { readonly: true });
    try {
      expect(db.prepare('SELECT ticket_id, case_id FROM visit_case').all()).toEqual([
        { ticket_id: w.current!.id, case_id: accepted.case.id },
      ]);
    } finally {
      db.close();
    }
  });

  it('pushes each call to subscribed displays as it happens', async () => {
    const { kiosk, w1, device } = await setup();
    const display = await device('display');
    await display.call('queue.subscribe', {});
    const pushed = events(display);
    await kiosk.call('queue.issue', { categoryCode: 'A' });
    const called = pushed.next('queue.called');
    const snap = pushed.next('queue.snapshot', (e) => e.snapshot.current.length > 0);
    const w = await w1.call('queue.callNext', {});
    expect(await called).toMatchObject({ ticketNo: 'A001', windowNo: 1, recall: false });
    expect((await snap).snapshot.current).toEqual([expect.objectContaining({ windowNo: 1, ticketNo: 'A001', status: 'called' })]);
    const recalled = pushed.next('queue.called', (e) => e.recall);
    await w1.call('queue.recall', { ticketId: w.current!.id });
    expect((await recalled).ticketNo).toBe('A001');
    const snapshot = await display.call('queue.snapshot', {});
    expect(snapshot.recent.map((r) => [r.ticketNo, r.recall])).toEqual([
      ['A001', true],
      ['A001', false],
    ]);
  });
});

describe('the day boundary', () => {
  it('closes yesterday’s unfinished tickets at the first action of a new day, or carries waiting ones over with their place', async () => {
    const { kiosk, clock, w1, t } = await setup();
    await kiosk.call('queue.issue', { categoryCode: 'A' });
    await kiosk.call('queue.issue', { categoryCode: 'A' });
    await w1.call('queue.callNext', {});
    clock.advance(86_400_000);
    const next = (await kiosk.call('queue.issue', { categoryCode: 'A' })).ticket;
    expect(next.ticketNo).toBe('A001');
    // Sessions lock overnight: a new day means a new login.
    const admin = await t.loggedIn('admin', 1);
    expect((await (await t.loggedIn('teller', 1)).call('queue.window', {})).waiting.map((x) => x.ticketNo)).toEqual(['A001']);

    await admin.call('queue.updateSettings', { ...(await admin.call('queue.settings', {})), carryOver: true });
    clock.advance(86_400_000);
    const third = (await kiosk.call('queue.issue', { categoryCode: 'A' })).ticket;
    // Yesterday's A001 was still waiting: renumbered today as A001 and ahead of the new A002.
    expect(third.ticketNo).toBe('A002');
    const waiting = (await (await t.loggedIn('teller', 1)).call('queue.window', {})).waiting;
    expect(waiting.map((x) => [x.ticketNo, x.source])).toEqual([
      ['A001', 'carry_over'],
      ['A002', 'kiosk'],
    ]);
  });
});

describe('好差评', () => {
  async function served(kind: 'very_satisfied' | 'very_dissatisfied' = 'very_satisfied') {
    const s = await setup();
    const ticket = (await s.kiosk.call('queue.issue', { categoryCode: 'A' })).ticket;
    await s.w1.call('queue.callNext', {});
    await s.w1.call('queue.start', { ticketId: ticket.id });
    return { ...s, ticket, kind };
  }

  it('asks the evaluator of the window once the service ends, and takes one rating per visit from it', async () => {
    const { w1, ticket, device } = await served();
    const evaluator = await device('evaluator', 1);
    const other = await device('evaluator', 2);
    await evaluator.call('queue.subscribe', {});
    await other.call('queue.subscribe', {});
    const asked = events(evaluator).next('evaluation.requested', (e) => e.request !== null);
    const otherEvents = events(other);
    await w1.call('queue.end', { ticketId: ticket.id, outcome: 'completed' });
    expect((await asked).request).toMatchObject({ ticketNo: 'A001', windowNo: 1, operatorName: '王柜员' });
    expect(await evaluator.call('rating.pending', {})).toMatchObject({ ticketId: ticket.id });
    expect(await other.call('rating.pending', {})).toBeNull();
    expect(otherEvents.seen.filter((e) => e.type === 'evaluation.requested')).toEqual([]);
    await expect(other.call('rating.submit', { ticketId: ticket.id, level: 'satisfied' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await evaluator.call('rating.submit', { ticketId: ticket.id, level: 'satisfied', dimensions: ['attitude'] })).toEqual({
      followUp: false,
    });
    await expect(evaluator.call('rating.submit', { ticketId: ticket.id, level: 'satisfied' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await evaluator.call('rating.pending', {})).toBeNull();
  });

  it('never takes a rating from a staff session, even on a paired evaluator connection', async () => {
    const { w1, ticket, admin } = await served();
    await w1.call('queue.end', { ticketId: ticket.id, outcome: 'completed' });
    await pairDevice(admin, w1, 'evaluator', 1);
    await expect(w1.call('rating.submit', { ticketId: ticket.id, level: 'very_satisfied' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: '工作人员不能代替群众评价',
    });
  });

  it('opens a follow-up due in 15 working days for a bad review, and takes a paper form marked as such', async () => {
    const { w1, ticket, device, admin, kiosk } = await served();
    await w1.call('queue.end', { ticketId: ticket.id, outcome: 'unfinished' });
    const evaluator = await device('evaluator', 1);
    expect(await evaluator.call('rating.submit', { ticketId: ticket.id, level: 'very_dissatisfied', dimensions: ['waiting'] })).toEqual({
      followUp: true,
    });
    const [followUp] = await admin.call('rating.followUps', { status: 'open' });
    // Monday 2026-03-02 + 15 working days.
    expect(followUp).toMatchObject({
      ticketNo: 'A001',
      level: 'very_dissatisfied',
      source: 'device',
      dueDate: '2026-03-23',
      windowNo: 1,
      operatorName: '王柜员',
    });
    const closed = await admin.call('rating.closeFollowUp', { id: followUp!.id, note: '已电话回访并致歉' });
    expect(closed.status).toBe('closed');

    const second = (await kiosk.call('queue.issue', { categoryCode: 'A' })).ticket;
    await expect(admin.call('rating.paper', { ticketNo: 'A002', businessDate: '2026-03-02', level: 'satisfied' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await w1.call('queue.callNext', {});
    await w1.call('queue.start', { ticketId: second.id });
    await w1.call('queue.end', { ticketId: second.id, outcome: 'completed' });
    await expect(w1.call('rating.paper', { ticketNo: 'A002', businessDate: '2026-03-02', level: 'satisfied' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await admin.call('rating.paper', { ticketNo: 'a002', businessDate: '2026-03-02', level: 'dissatisfied' })).toEqual({
      followUp: true,
    });
    expect((await admin.call('rating.followUps', { status: 'open' })).map((f) => [f.ticketNo, f.source])).toEqual([['A002', 'paper']]);
  });
});

describe('the queue log', () => {
  it('is append-only, one outbox operation per command carries its events, and statistics come from it', async () => {
    const { kiosk, w1, clock, admin, t } = await setup();
    await admin.call('station.update', { ...(await admin.call('station.get', {})), idleLockMinutes: 120 });
    const a = (await kiosk.call('queue.issue', { categoryCode: 'A' })).ticket;
    clock.advance(5 * 60_000);
    await w1.call('queue.callNext', {});
    clock.advance(60_000);
    await w1.call('queue.start', { ticketId: a.id });
    clock.advance(10 * 60_000);
    await w1.call('queue.end', { ticketId: a.id, outcome: 'completed' });

    const { default: Database } = await import('better-sqlite3');
    const db = new Database(t.core.storePath);
    try {
      expect(() => db.prepare("UPDATE queue_event SET type = 'ended'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM queue_event').run()).toThrow(/append-only/);
      const ops = db.prepare<[], { payload: string }>("SELECT payload FROM outbox WHERE type = 'queue.events' ORDER BY seq").all();
      expect(ops.map((o) => (JSON.parse(o.payload) as { events: { type: string }[] }).events.map((e) => e.type))).toEqual([
        ['issued'],
        ['called'],
        ['started'],
        ['ended'],
      ]);
    } finally {
      db.close();
    }
    const stats = await admin.call('queue.stats', { from: '2026-03-02', to: '2026-03-02', by: 'window' });
    expect(stats.rows).toEqual([
      expect.objectContaining({
        key: '1',
        label: '1号窗口',
        called: 1,
        served: 1,
        waitAvgMs: 300_000,
        walkUpAvgMs: 60_000,
        serviceAvgMs: 600_000,
      }),
    ]);
    expect(stats.total).toMatchObject({ label: '合计', served: 1 });
    const byOperator = await admin.call('queue.stats', { from: '2026-03-02', to: '2026-03-02', by: 'operator' });
    expect(byOperator.rows.map((r) => r.label)).toEqual(['王柜员']);
  });
});
