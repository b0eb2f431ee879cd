import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted, acceptC2, acceptD1 } from '#core/testing/cases';
import { makeIdNumber } from '#core/testing/id-numbers';
import { centralOffice, cuttableLink, stationCore, type CentralOffice, type StationCore } from './harness';

const DAY_MS = 24 * 3_600_000;

/** The day close of an enrolled station against a real central office (Fastify over SQLite, through inject). */
describe('the day close with the central office', () => {
  let central: CentralOffice;
  let link: ReturnType<typeof cuttableLink>;
  let station: StationCore;

  beforeEach(async () => {
    central = await centralOffice();
    link = cuttableLink(central.send);
    station = await stationCore(link.send);
    await station.enrol(central);
    await (await station.login('admin', 'admin123')).call('sync.now', {});
  });
  afterEach(async () => {
    station.dispose();
    await central.close();
  });

  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(station.clock.now());

  /** A teller's day: a flexible-employment registration (with an amount) and a pending name change. */
  async function work(seed: number) {
    const teller = await station.login('zhou_teller', 'zhou-teller-1');
    const a = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1980-05-20', seed), name: '陈建国' });
    const b = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1975-01-02', seed), name: '林小红' });
    accepted(await acceptC2(teller, a.id));
    accepted(await acceptD1(teller, b.id));
    return teller;
  }

  it('pushes the frozen day and matches the central office, which records the close', async () => {
    await work(1);
    const reviewer = await station.login('wu_reviewer', 'wu-reviewer-1', 2);
    expect((await reviewer.call('sync.status', {})).pendingOps).toBeGreaterThan(0);
    const { day } = await reviewer.call('day.close', { businessDate: today() });
    expect(day).toMatchObject({ state: 'closed', reconciliation: 'matched', differences: [], message: `${today()}日结与中心核对一致` });
    expect((await reviewer.call('sync.status', {})).pendingOps).toBe(0);
    const closes = await central.store.db.selectFrom('day_close').select(['business_date', 'status']).execute();
    expect(closes).toEqual([{ business_date: today(), status: 'matched' }]);
  });

  it('does not open the next day until the last is closed or carried over, on an enrolled PC', async () => {
    await work(2);
    const first = today();
    station.clock.advance(DAY_MS);
    const teller = await station.login('zhou_teller', 'zhou-teller-1');
    const blocked = teller.call('person.create', { idNumber: makeIdNumber('330106', '1990-03-03', 2), name: '赵四' });
    await expect(blocked).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `上一营业日（${first}）尚未日结，请主管先日结或结转后再办理业务`,
    });
    const reviewer = await station.login('wu_reviewer', 'wu-reviewer-1', 2);
    expect(await reviewer.call('day.overview', {})).toMatchObject({ today: today(), unclosed: first });
    await reviewer.call('day.carryOver', { businessDate: first, reason: '停电，次日补做日结' });
    await teller.call('person.create', { idNumber: makeIdNumber('330106', '1990-03-03', 2), name: '赵四' });
    // Closing the carried-over day later is still possible, and matches.
    expect((await reviewer.call('day.close', { businessDate: first })).day).toMatchObject({ state: 'closed', reconciliation: 'matched' });
  });

  it('closes locally while the central office is unreachable and reconciles after the next good round', async () => {
    await work(3);
    link.cut();
    const reviewer = await station.login('wu_reviewer', 'wu-reviewer-1', 2);
    const { day } = await reviewer.call('day.close', { businessDate: today() });
    expect(day).toMatchObject({ state: 'closed', reconciliation: 'offline' });
    link.restore();
    await reviewer.call('sync.now', {});
    await expect.poll(async () => (await reviewer.call('day.overview', {})).todayState?.reconciliation).toBe('matched');
  });

  it('keeps the day frozen and lists the differences when the central office counts otherwise', async () => {
    await work(4);
    const reviewer = await station.login('wu_reviewer', 'wu-reviewer-1', 2);
    await reviewer.call('sync.now', {});
    // The central office lost a case (say, a restore on its side): the station's totals no longer match.
    await central.store.db.deleteFrom('case_file').where('sub_item_code', '=', 'D1').execute();
    const { day } = await reviewer.call('day.close', { businessDate: today() });
    expect(day).toMatchObject({ state: 'frozen', reconciliation: 'mismatched' });
    expect(day.differences).toEqual([
      { operatorName: '测试teller', subItemCode: 'D1', station: { count: 1, amountFen: 0 }, server: { count: 0, amountFen: 0 } },
    ]);
    const teller = await station.login('zhou_teller', 'zhou-teller-1');
    await expect(teller.call('person.create', { idNumber: makeIdNumber('330106', '1990-03-03', 4), name: '赵四' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});
