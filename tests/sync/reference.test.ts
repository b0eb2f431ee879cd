import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_FILE } from '#core/index';
import { pairDevice } from '#core/testing/hall-devices';
import { accepted, acceptD1 } from '#core/testing/cases';
import { makeIdNumber } from '#core/testing/id-numbers';
import type { CoreEvent } from '#shared/api/events';
import { HOLIDAYS_2026 } from '#shared/domain/calendar/holidays-2026';
import type { Catalogue } from '#shared/domain/catalogue/schema';
import { DEFAULT_CATEGORIES, type TicketCategory } from '#shared/domain/queue/categories';
import type { Client } from '#shared/transport/client';
import defaultCatalogue from '../../resources/catalogue/default.json';
import demoParameters from '../../resources/reference/contribution-parameters.demo.json';
import { centralOffice, manualTime, stationCore, type CentralOffice, type ManualTime, type StationCore } from './harness';

/**
 * Reference data the central office publishes (as `npm run central -- publish` does) reaches a real station core
 * through a sync round, and the station's modules use it: the catalogue, the contribution parameters, the working
 * calendar and the hall's ticket categories.
 */

const DAY_MS = 86_400_000;
// 2026-03-02 is a Monday; the shipped 2026 holidays leave that week alone.
const MONDAY = new Date('2026-03-02T09:00:00+08:00');

/** The shipped catalogue with D1 (个人关键信息变更, 5 working days) renamed and given another time limit. */
function catalogueWithD1(name: string, workingDays = 5): Catalogue {
  const catalogue = structuredClone(defaultCatalogue) as Catalogue;
  const d1 = catalogue.items.flatMap((item) => item.subItems).find((sub) => sub.code === 'D1')!;
  d1.name = name;
  d1.timeLimit = { kind: 'promised', workingDays };
  return { ...catalogue, version: '2026.2' };
}

/** The demo rate table with the flexible worker's pension at 18% instead of 20%. */
const RATES_18 = demoParameters.rates.map((r) => (r.scheme === 'flexible' ? { ...r, ratePpm: 180_000 } : r));
/** Base limits from an average wage of 96,000 yuan: floor 4,800.00, ceiling 24,000.00 a month. */
const WAGES_96K = [
  { region: '330000', effectiveFrom: '2019-05', floorFen: 480_000, ceilingFen: 2_400_000, annualAverageWageFen: 9_600_000 },
];
/** 2026 as shipped, plus a local holiday on Thursday and Friday of the first week of March. */
const HOLIDAYS_WITH_MARCH = {
  ...HOLIDAYS_2026,
  holidays: [...HOLIDAYS_2026.holidays, { name: '测试假日', from: '2026-03-05', to: '2026-03-06' }],
};
/** The default categories without 政策咨询 (C), plus 退役军人服务 (V) at window 2 and a window this station lacks. */
const CATEGORIES_WITH_V: TicketCategory[] = [
  ...DEFAULT_CATEGORIES.filter((c) => c.code !== 'C'),
  { ...DEFAULT_CATEGORIES[0]!, code: 'V', name: '退役军人服务', windows: [2, 9] },
];

const C2_FORM = { phone: '13812345678', address: '杭州市西湖区', baseGrade: '60', startMonth: '2026-12' };

/** The next event of a type a client is pushed. */
function nextEvent<T extends CoreEvent['type']>(client: Client, type: T): Promise<Extract<CoreEvent, { type: T }>> {
  return new Promise((resolve) => {
    const off = client.onEvent((e) => {
      if (e.type !== type) return;
      off();
      resolve(e as Extract<CoreEvent, { type: T }>);
    });
  });
}

describe('reference data from the central office', () => {
  let time: ManualTime;
  let central: CentralOffice;
  let station: StationCore;
  let admin: Client;
  let teller: Client;

  beforeEach(async () => {
    time = manualTime(MONDAY);
    central = await centralOffice('sqlite', { now: () => time.clock.now() });
    station = await stationCore(central.send, { time });
    await station.enrol(central);
    admin = await station.login('admin', 'admin123');
    await admin.call('sync.now', {});
    teller = await station.login('zhou_teller', 'zhou-teller-1', 2);
  });
  afterEach(async () => {
    station.dispose();
    await central.close();
  });

  /** A new business day: the clock moves (no sync round runs) and the sessions, locked by the idle time, sign in again. */
  async function nextDays(days: number) {
    time.clock.advance(days * DAY_MS);
    admin = await station.login('admin', 'admin123');
    teller = await station.login('zhou_teller', 'zhou-teller-1', 2);
  }

  const d1 = () => teller.call('catalogue.subItem', { code: 'D1' });
  const categoryCodes = async () => (await teller.call('queue.settings', {})).categories.map((c) => c.code);
  const newPerson = async (serial: number) =>
    (await teller.call('person.create', { idNumber: makeIdNumber('330106', '1985-07-12', serial), name: '王小明' })).id;
  const quoteC2 = (personId: string) => teller.call('case.quote', { subItemCode: 'C2', personId, form: C2_FORM });

  it('after a sync round the catalogue, amounts, calendar and ticket categories are the published ones', async () => {
    // Read first, so whatever the station caches is stale once the versions arrive.
    expect(await d1()).toMatchObject({ name: '个人关键信息变更', timeLimit: { kind: 'promised', workingDays: 5 } });
    const personId = await newPerson(1);
    expect(await quoteC2(personId)).toMatchObject({ totalFen: 90_000 });
    const settings = await admin.call('queue.settings', {});
    await admin.call('queue.updateSettings', { ...settings, waitTargetMinutes: 25 });

    await central.publish('catalogue', '330000', '2026-03-01', catalogueWithD1('个人关键信息变更（新）', 6));
    await central.publish('rates', '330000', '2026-01-01', RATES_18);
    await central.publish('average_wages', '330000', '2026-01-01', WAGES_96K);
    await central.publish('holidays', '330000', '2026-01-01', HOLIDAYS_WITH_MARCH);
    await central.publish('ticket_categories', '330000', '2026-03-01', CATEGORIES_WITH_V);
    const kiosk = await pairDevice(admin, station.client(), 'kiosk');
    await kiosk.call('queue.subscribe', {});
    const pushed = nextEvent(kiosk, 'queue.snapshot');
    expect(await admin.call('sync.now', {})).toMatchObject({ state: 'online', lastError: null });

    // The catalogue: the list and the sub-item show the new name and time limit.
    expect(await d1()).toMatchObject({ name: '个人关键信息变更（新）', timeLimit: { kind: 'promised', workingDays: 6 } });
    expect((await teller.call('catalogue.list', {})).find((s) => s.code === 'D1')).toMatchObject({
      name: '个人关键信息变更（新）',
      timeLimit: '6个工作日',
    });

    // The amounts: 60% of 96,000 yuan a year is 4,800.00 a month, at 18%.
    const quote = await quoteC2(personId);
    expect(quote).toMatchObject({ lines: [{ label: '养老保险（个人）每月', fen: 86_400 }], totalFen: 86_400 });
    expect(quote!.note).toContain('费率按中心下发第1版（330000，2026-01-01起）');

    // The calendar: 6 working days from Monday 2 March skip Thursday and Friday, now holidays: Thursday 12 March.
    const d1Case = accepted(await acceptD1(teller, personId));
    expect(d1Case).toMatchObject({ subItemName: '个人关键信息变更（新）', promisedDate: '2026-03-12' });

    // The hall: V is served at window 2 (the only one of its windows here), C is gone, the other settings stay.
    const adopted = await admin.call('queue.settings', {});
    expect(adopted.categories.map((c) => [c.code, c.windows])).toEqual([
      ['A', [1, 2, 3]],
      ['B', [1, 2, 3]],
      ['L', [1, 2, 3]],
      ['V', [2]],
    ]);
    expect(adopted.waitTargetMinutes).toBe(25);
    expect((await pushed).snapshot.categories.map((c) => c.code)).toEqual(['A', 'B', 'L', 'V']);
    expect((await kiosk.call('queue.issue', { categoryCode: 'V' })).ticket).toMatchObject({
      ticketNo: 'V001',
      categoryName: '退役军人服务',
    });
    const { entries } = await admin.call('audit.list', { action: 'queue.categories_published' });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.after).toMatchObject({ version: '330000:1', kept: [] });
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true });
    // The central office hears of the hall's new settings like of any change of them.
    expect(await admin.call('sync.now', {})).toMatchObject({ pendingOps: 0 });
    const settingsOps = await central.store.db
      .selectFrom('op_log')
      .select(['operator_id', 'outcome', 'payload'])
      .where('type', '=', 'queue.settings')
      .orderBy('seq')
      .execute();
    expect(settingsOps.at(-1)).toMatchObject({ operator_id: null, outcome: 'applied' });
    expect(JSON.parse(settingsOps.at(-1)!.payload)).toMatchObject({ waitTargetMinutes: 25, categories: adopted.categories });
  });

  it('a version effective from a later day is used from that day on, without another sync', async () => {
    await central.publish('catalogue', '330000', '2026-03-04', catalogueWithD1('个人关键信息变更（三月四日起）'));
    await central.publish('rates', '330000', '2026-03-04', RATES_18);
    await central.publish('ticket_categories', '330000', '2026-03-04', CATEGORIES_WITH_V);
    await admin.call('sync.now', {});

    expect((await d1()).name).toBe('个人关键信息变更');
    const personId = await newPerson(1);
    expect(await quoteC2(personId)).toMatchObject({ totalFen: 90_000 });
    expect(await categoryCodes()).toEqual(['A', 'B', 'C', 'L']);
    await expect(teller.call('queue.issue', { categoryCode: 'V' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await nextDays(1);
    expect((await d1()).name).toBe('个人关键信息变更');

    await nextDays(1);
    expect((await d1()).name).toBe('个人关键信息变更（三月四日起）');
    // 60% of the demo average wage (90,000 yuan) is 4,500.00 a month, now at 18%.
    expect(await quoteC2(personId)).toMatchObject({ totalFen: 81_000 });
    // The first queue command of the day takes the categories over.
    expect((await teller.call('queue.issue', { categoryCode: 'V' })).ticket.ticketNo).toBe('V001');
    expect(await categoryCodes()).toEqual(['A', 'B', 'L', 'V']);
  });

  it('the most specific region in force wins over the province, whatever their versions', async () => {
    await central.publish('catalogue', '330000', '2026-01-01', catalogueWithD1('浙江省名称'));
    await central.publish('catalogue', '330106', '2026-01-01', catalogueWithD1('西湖区名称'));
    await central.publish('catalogue', '330000', '2026-02-01', catalogueWithD1('浙江省第二版'));
    await central.publish('catalogue', '330108', '2026-01-01', catalogueWithD1('滨江区名称'));
    // The city publishes for a later day: the district's version stands until then, and after it too.
    await central.publish('catalogue', '330100', '2026-03-03', catalogueWithD1('杭州市名称'));
    await admin.call('sync.now', {});
    expect((await d1()).name).toBe('西湖区名称');
    await nextDays(1);
    expect((await d1()).name).toBe('西湖区名称');
  });

  it('a category the new version drops keeps its unfinished tickets until the day rolls over', async () => {
    const waiting = (await teller.call('queue.issue', { categoryCode: 'C' })).ticket;
    await central.publish('ticket_categories', '330000', '2026-03-01', CATEGORIES_WITH_V);
    await admin.call('sync.now', {});
    expect(await categoryCodes()).toEqual(['A', 'B', 'L', 'V', 'C']);
    const { entries } = await admin.call('audit.list', { action: 'queue.categories_published' });
    expect(entries.map((e) => e.after)).toMatchObject([{ version: '330000:1', kept: ['C'] }]);

    await nextDays(1);
    await admin.call('day.carryOver', { businessDate: '2026-03-02', reason: '测试：次日再日结' });
    await teller.call('queue.issue', { categoryCode: 'A' });
    expect(await categoryCodes()).toEqual(['A', 'B', 'L', 'V']);
    const db = new Database(join(station.dataDir, STORE_FILE), { readonly: true });
    try {
      expect(db.prepare('SELECT status FROM ticket WHERE id = ?').pluck().get(waiting.id)).toBe('closed');
    } finally {
      db.close();
    }
  });
});
