import { join } from 'node:path';
import { rmSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOLIDAYS_2026 } from '#shared/domain/calendar/holidays-2026';
import { isWorkingDay, type HolidayYear } from '#shared/domain/calendar/working-days';
import { DEFAULT_CATEGORIES } from '#shared/domain/queue/categories';
import type { ReferenceKind, ReferenceVersion } from '#shared/sync/reference';
import type { PullResponse } from '#shared/sync/protocol';
import { CHECKSUM_MODULUS } from '#shared/sync/signing';
import { createMemoryLogger } from '../platform/logger';
import { stationQueries } from '../station/station';
import { openStore } from '../store/open';
import { tempDir } from '../testing/fixture';
import { pageApplier } from './apply-page';
import { inboxStore } from './inbox';
import { changeDigest } from './node-crypto';
import { calendarInForce, datePerTurn, rebuiltOnChange, referenceInForce, type ReferenceInForce } from './reference-in-force';
import { syncStore } from './sync-store';

const YEAR_2027: HolidayYear = {
  year: 2027,
  source: '测试',
  holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }],
  makeUpWorkdays: [],
};

let dir: string;
let db: Database;
let logger: ReturnType<typeof createMemoryLogger>;
let reference: ReferenceInForce;
let applyPage: (response: PullResponse) => unknown;
let seq = 0;
let checksum = 0;

beforeEach(() => {
  dir = tempDir('yc-reference-');
  db = openStore(join(dir, 'store.db'));
  logger = createMemoryLogger();
  reference = referenceInForce({ db, logger, region: () => '330106' });
  applyPage = pageApplier({
    db,
    store: syncStore(db),
    inbox: inboxStore(db, uuidv7),
    station: stationQueries(db),
    logger,
    newId: uuidv7,
    now: () => new Date().toISOString(),
    deviceId: () => 'device',
  });
  seq = 0;
  checksum = 0;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

type Published = Omit<ReferenceVersion, 'publishedAt'>;

/** Applies one pulled page holding these versions, as the sync engine does (with a checkpoint that agrees). */
function pull(...versions: Published[]) {
  const changes = versions.map((v) => {
    const data = JSON.stringify({ ...v, publishedAt: '2025-12-01T00:00:00.000Z' });
    const id = `${v.kind}:${v.region}:${v.version}`;
    checksum = (checksum + changeDigest({ entity: 'reference', id, dataJson: data })) % CHECKSUM_MODULUS;
    return { seq: ++seq, entity: 'reference' as const, id, data };
  });
  const empty = { changes: [], cursor: 0, hasMore: false, checkpoint: { cursor: 0, count: 0, checksum: 0 } };
  applyPage({
    streams: { station: empty, reference: { changes, cursor: seq, hasMore: false, checkpoint: { cursor: seq, count: seq, checksum } } },
    serverTime: new Date().toISOString(),
  });
}

const rates = (region: string, version: number, effectiveFrom: string): Published => ({
  kind: 'rates',
  region,
  version,
  effectiveFrom,
  data: [],
});
const holidays = (region: string, version: number, effectiveFrom: string, data: HolidayYear): Published => ({
  kind: 'holidays',
  region,
  version,
  effectiveFrom,
  data,
});
const categories = (version: number): Published => ({
  kind: 'ticket_categories',
  region: '330000',
  version,
  effectiveFrom: '2026-01-01',
  data: DEFAULT_CATEGORIES,
});
const chosen = (kind: ReferenceKind, date: string) => {
  const v = reference.version(kind, date);
  return v && `${v.region}:${v.version}`;
};

describe('the reference version in force', () => {
  it('is the most specific covering region in force that day, then the latest effective date, then the highest version', () => {
    pull(
      rates('000000', 1, '2026-01-01'),
      rates('330000', 1, '2026-02-01'),
      // A later publication of the province, in force earlier: the version of 1 February still wins from then on.
      rates('330000', 2, '2026-01-15'),
      rates('330100', 1, '2026-04-01'),
      rates('330100', 2, '2026-04-01'),
      // Neither covers 330106.
      rates('330108', 1, '2026-01-01'),
      rates('320000', 1, '2026-01-01'),
    );
    expect(chosen('rates', '2025-12-31')).toBeNull();
    expect(chosen('rates', '2026-01-01')).toBe('000000:1');
    expect(chosen('rates', '2026-01-20')).toBe('330000:2');
    expect(chosen('rates', '2026-02-10')).toBe('330000:1');
    expect(chosen('rates', '2026-04-01')).toBe('330100:2');
    expect(chosen('catalogue', '2026-04-01')).toBeNull();
  });

  it("is chosen per year for holidays, and the calendar lays each year's table over the shipped one", () => {
    let today = '2026-03-02';
    const calendar = calendarInForce(reference, () => today, [HOLIDAYS_2026]);
    expect(isWorkingDay(calendar, '2026-03-05')).toBe(true);

    const march5 = { ...HOLIDAYS_2026, holidays: [...HOLIDAYS_2026.holidays, { name: '测试假日', from: '2026-03-05', to: '2026-03-05' }] };
    const county2027 = { ...YEAR_2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-02' }] };
    pull(
      holidays('330000', 1, '2026-01-01', march5),
      holidays('330000', 2, '2026-12-01', YEAR_2027),
      holidays('330106', 1, '2026-12-01', county2027),
    );
    expect(reference.versions('holidays', today).map((v) => v.data.year)).toEqual([2026]);
    expect(isWorkingDay(calendar, '2026-03-05')).toBe(false);
    expect(calendar.holidays.get('2026-10-01')).toBe('国庆节');
    expect([...calendar.years]).toEqual([2026]);

    today = '2026-12-01';
    expect(reference.versions('holidays', today).map((v) => `${v.data.year}@${v.region}`)).toEqual(['2027@330106', '2026@330000']);
    expect([...calendar.years].sort()).toEqual([2026, 2027]);
    expect(isWorkingDay(calendar, '2027-01-02')).toBe(false);
    expect(isWorkingDay(calendar, '2026-03-05')).toBe(false);
  });

  it('is cached until a page brings versions, and its listeners run inside that page with the new version', () => {
    expect(chosen('ticket_categories', '2026-03-02')).toBeNull();
    pull(categories(1));
    const first = reference.version('ticket_categories', '2026-03-02');
    expect(reference.version('ticket_categories', '2026-03-02')).toBe(first);

    // Written behind its back: the cache does not see it.
    db.prepare(
      `INSERT INTO sync_reference (kind, region, version, effective_from, published_at, data)
       VALUES ('ticket_categories', '330000', 2, '2026-01-01', '', ?)`,
    ).run(JSON.stringify(DEFAULT_CATEGORIES));
    expect(chosen('ticket_categories', '2026-03-02')).toBe('330000:1');

    const seen: { inTransaction: boolean; chosen: string | null }[] = [];
    reference.onChange(() => seen.push({ inTransaction: db.inTransaction, chosen: chosen('ticket_categories', '2026-03-02') }));
    pull(categories(3));
    expect(seen).toEqual([{ inTransaction: true, chosen: '330000:3' }]);
    expect(chosen('ticket_categories', '2026-03-02')).toBe('330000:3');
  });

  it('keeps nothing it read inside a page that rolled back', () => {
    reference.onChange(() => {
      expect(chosen('ticket_categories', '2026-03-02')).toBe('330000:1');
      throw new Error('a consumer failed');
    });
    expect(() => pull(categories(1))).toThrow('a consumer failed');
    expect(chosen('ticket_categories', '2026-03-02')).toBeNull();
  });

  it('passes over a stored version its schema now refuses, whole', () => {
    db.prepare(
      `INSERT INTO sync_reference (kind, region, version, effective_from, published_at, data)
       VALUES ('rates', '330106', 9, '2026-01-01', '', '[{"region":"330106"}]')`,
    ).run();
    pull(rates('330000', 1, '2026-01-01'));
    expect(chosen('rates', '2026-03-02')).toBe('330000:1');
    expect(logger.lines.some((l) => l.level === 'warn' && l.fields?.key === 'rates:330106:9')).toBe(true);
  });
});

describe('helpers for consumers', () => {
  it('datePerTurn holds one date through a synchronous turn, and reads it again in the next', async () => {
    let date = '2026-03-02';
    const today = datePerTurn(() => date);
    expect(today()).toBe('2026-03-02');
    date = '2026-03-03';
    expect(today()).toBe('2026-03-02');
    await new Promise((resolve) => setImmediate(resolve));
    expect(today()).toBe('2026-03-03');
  });

  it('rebuiltOnChange builds again only when one of its inputs is another object', () => {
    let builds = 0;
    const build = rebuiltOnChange((a: object, b: object | null) => ({ a, b, n: ++builds }));
    const [x, y] = [{}, {}];
    expect(build(x, null)).toBe(build(x, null));
    expect(build(x, y).n).toBe(2);
    expect(build(x, { ...y }).n).toBe(3);
  });
});
