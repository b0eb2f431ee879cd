import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '#core/testing/id-numbers';
import type { Client } from '#shared/transport/client';
import type { Send } from '#shared/sync/client';
import {
  centralOffice,
  centralOps,
  centralStreams,
  manualTime,
  registryDifferences,
  stationCore,
  stationLedger,
  type CentralOffice,
  type StationCore,
} from './harness';

/**
 * Fifty stations and one central office for a simulated week, with partitions drawn by fast-check: some stations are
 * cut off for the whole week, some flap (up, down, or dropping the answer to a request that did reach the central
 * office), and now and then the central office itself is unreachable. Every station keeps working offline — logins,
 * registrations and edits, cases, tickets called and served, a day close every evening — and after the network heals,
 * everything converges: the central office holds every operation exactly once, every station's per-stream counts and
 * checksums equal the central office's, its registry is the central one, no operation is left waiting, and every
 * day closed offline has been reconciled.
 *
 * The stations are real cores (store, commands, day gate, sync engine with its timers, backoff and appliers), one data
 * folder each, talking to one real central office (Fastify over SQLite, in process through inject). What makes fifty
 * real cores affordable: they start bare (installBare in the harness; a core starts in about 15 ms when it does not hash
 * the demo accounts' passwords at full scrypt cost) and their accounts have quick verifiers. Time is one manual clock
 * for the central office and every core: sessions are hours apart and a week passes in seconds; the engines' own
 * timers (debounce, poll, backoff) decide when each station syncs, as in the field. Small batches and pages make a
 * station that was offline all week push and pull in many steps, so the partitions cut rounds in the middle.
 */

const STATIONS = 50;
const DAYS = 7;
/** Two working sessions a day, at 09:00 and 14:00. */
const SESSION_HOURS = [9, 14];
const SESSIONS = DAYS * SESSION_HOURS.length;
const TUNING = { batchOps: 8, pageLimit: 8 };
const HOUR = 3_600_000;
/** Monday 2 March 2026, 09:00 in the stations' time zone. */
const START = new Date('2026-03-02T09:00:00+08:00');
/**
 * Half-minute steps after healing within which the stations must have converged: the poll is 30 s and the backoff at
 * most a minute, and a station may need a second round for what the central office derived from its first.
 */
const HEALING_STEPS = 6;

type LinkState = 'up' | 'down' | 'cut';
const WORK = ['register', 'edit', 'case', 'ticket', 'serve'] as const;
type Work = (typeof WORK)[number];

interface Session {
  /** The link of a flapping station during this session; `cut` drops the answer to request `cutAfter` + 1, then goes down. */
  flap: LinkState;
  cutAfter: number;
  work: Work[];
  /** Picks the person an edit or a case is about, and the value written. */
  pick: number;
}
interface Plan {
  kind: 'steady' | 'week' | 'flapping';
  sessions: Session[];
}
interface Schedule {
  stations: Plan[];
  /** Sessions during which the central office cannot be reached by anyone. */
  outages: number[];
}

const sessionArb: fc.Arbitrary<Session> = fc.record({
  flap: fc.constantFrom<LinkState>('up', 'down', 'cut'),
  cutAfter: fc.nat({ max: 3 }),
  work: fc.array(fc.constantFrom(...WORK), { maxLength: 3 }),
  pick: fc.nat(),
});
const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  stations: fc
    .array(
      fc.record({
        kind: fc.constantFrom<Plan['kind']>('steady', 'week', 'flapping'),
        sessions: fc.array(sessionArb, { minLength: SESSIONS, maxLength: SESSIONS }),
      }),
      { minLength: STATIONS, maxLength: STATIONS },
    )
    // Fifty draws of three kinds almost never miss one, but the property is about all three together.
    .filter((plans) => (['steady', 'week', 'flapping'] as const).every((k) => plans.some((p) => p.kind === k))),
  outages: fc.uniqueArray(fc.nat({ max: SESSIONS - 1 }), { maxLength: 2 }),
});

/** A link to the central office whose state the schedule sets; it knows whether a request is on the way. */
function partitionedLink(deliver: Send) {
  let state: LinkState = 'up';
  let delivered = 0;
  let cutAfter = 0;
  let inFlight = 0;
  const send: Send = async (request) => {
    if (state === 'down') throw new Error('connect ECONNREFUSED');
    inFlight += 1;
    try {
      const answer = await deliver(request);
      if (state === 'cut' && delivered++ >= cutAfter) {
        state = 'down';
        throw new Error('connection reset before the answer arrived');
      }
      return answer;
    } finally {
      inFlight -= 1;
    }
  };
  return {
    send,
    set(next: LinkState, after = 0) {
      state = next;
      delivered = 0;
      cutAfter = after;
    },
    busy: () => inFlight > 0,
  };
}

interface SimStation {
  core: StationCore;
  link: ReturnType<typeof partitionedLink>;
  code: string;
  deviceId: string;
  index: number;
  persons: string[];
  /** Registrations so far, for distinct ID numbers. */
  registered: number;
}

const hoursUntilNext = (session: number) => {
  const hour = SESSION_HOURS[session % SESSION_HOURS.length]!;
  const next = SESSION_HOURS[(session + 1) % SESSION_HOURS.length]!;
  return next > hour ? next - hour : 24 - hour + next;
};

/** Lets every round and day-close exchange in flight run to its end (no request on any link for a few turns). */
async function settle(stations: readonly SimStation[]): Promise<void> {
  for (let quiet = 0; quiet < 3;) {
    await new Promise((resolve) => setImmediate(resolve));
    quiet = stations.some((s) => s.link.busy()) ? 0 : quiet + 1;
  }
}

/** One session's work at a station's counter, by a teller who has just logged in. */
async function work(s: SimStation, teller: Client, session: Session): Promise<void> {
  const person = () => s.persons[session.pick % s.persons.length];
  const phone = `139${String(session.pick % 1e8).padStart(8, '0')}`;
  for (const w of session.work) {
    if (w === 'register') {
      s.registered += 1;
      // Each station its own birth date: ID numbers never collide across stations (no duplicate registrations).
      const birth = new Date(Date.UTC(1960, 0, 1 + s.index)).toISOString().slice(0, 10);
      const p = await teller.call('person.create', { idNumber: makeIdNumber('330106', birth, s.registered), name: '测试人员' });
      s.persons.push(p.id);
    } else if (w === 'edit' && person()) {
      const current = await teller.call('person.get', { id: person()! });
      const patch = session.pick % 2 === 0 ? { phone } : { address: `文一路${session.pick % 1000}号` };
      await teller.call('person.update', { id: current.id, baseVersion: current.version, patch });
    } else if (w === 'case' && person()) {
      await teller.call(
        'case.accept',
        session.pick % 2 === 0
          ? {
              subItemCode: 'N2',
              personId: person()!,
              materials: [
                { code: 'ID', status: 'received' },
                { code: 'CARD', status: 'received' },
              ],
              form: { cardNumber: `A${String(session.pick % 1e8).padStart(8, '0')}` },
            }
          : {
              subItemCode: 'D1',
              personId: person()!,
              materials: [
                { code: 'ID', status: 'received' },
                { code: 'PROOF', status: 'data_check' },
              ],
              form: { changedField: 'name', oldValue: '测试人貟', newValue: '测试人员' },
            },
      );
    } else if (w === 'ticket') {
      await teller.call('queue.issue', { categoryCode: 'A' });
    } else if (w === 'serve') {
      await teller.call('queue.issue', { categoryCode: 'A' });
      const { current } = await teller.call('queue.callNext', {});
      await teller.call('queue.start', { ticketId: current!.id });
      await teller.call('queue.end', { ticketId: current!.id, outcome: 'consulted' });
    }
  }
}

/** What still differs between a station and the central office; empty once they agree. */
async function divergence(central: CentralOffice, s: SimStation) {
  const ledger = stationLedger(s.core.dataDir);
  const problems: string[] = [];
  if (ledger.pending > 0) problems.push(`${ledger.pending} operations waiting`);
  if (JSON.stringify(await centralOps(central.store, s.deviceId)) !== JSON.stringify(ledger.outbox)) problems.push('op log ≠ outbox');
  const streams = await centralStreams(central.store, s.code);
  if (JSON.stringify(ledger.streams) !== JSON.stringify(streams))
    problems.push(`streams ${JSON.stringify(ledger.streams)} ≠ ${JSON.stringify(streams)}`);
  const registry = await registryDifferences(central.store, s.code, s.core.dataDir);
  if (registry.length > 0) problems.push(`${registry.length} registry records differ`);
  return problems;
}

let central: CentralOffice | undefined;
let stations: SimStation[] = [];

async function dispose(): Promise<void> {
  stations.forEach((s) => s.core.dispose());
  stations = [];
  await central?.close();
  central = undefined;
}

async function simulate(schedule: Schedule): Promise<void> {
  const time = manualTime(START);
  central = await centralOffice('sqlite', { now: () => time.clock.now() });
  for (const [index] of schedule.stations.entries()) {
    const site = await central.addStation(`第${index + 1}服务站`);
    const link = partitionedLink(central.send);
    const core = await stationCore(link.send, { time, bare: true, tuning: TUNING });
    const { deviceId } = await core.enrol(site);
    stations.push({ core, link, code: site.code, deviceId: deviceId!, index, persons: [], registered: 0 });
  }
  // The first round brings the central accounts; then the week starts.
  time.advance(1000);
  await settle(stations);

  for (let session = 0; session < SESSIONS; session += 1) {
    const outage = schedule.outages.includes(session);
    for (const s of stations) {
      const plan = schedule.stations[s.index]!;
      const { flap, cutAfter } = plan.sessions[session]!;
      const state: LinkState = outage || plan.kind === 'week' ? 'down' : plan.kind === 'steady' ? 'up' : flap;
      s.link.set(state, cutAfter);
      await work(s, await s.core.login('teller', 'teller-1'), plan.sessions[session]!);
    }
    if (session % SESSION_HOURS.length === SESSION_HOURS.length - 1) {
      // Evening: every station closes its day, reachable or not (an unreachable one closes locally).
      const today = time.clock.now().toISOString().slice(0, 10);
      for (const s of stations) await (await s.core.login('admin', 'admin123')).call('day.close', { businessDate: today });
    }
    time.advance(hoursUntilNext(session) * HOUR);
    await settle(stations);
  }

  // The network heals; the engines find out by themselves (poll and backoff timers), half a minute at a time. The
  // supervisors who check the outcome log in first: a login is an operation too, and must be among those converged.
  stations.forEach((s) => s.link.set('up'));
  const admins = await Promise.all(stations.map((s) => s.core.login('admin', 'admin123')));
  let lagging = stations;
  for (let step = 0; step < HEALING_STEPS && lagging.length > 0; step += 1) {
    time.advance(30_000);
    await settle(stations);
    const checked = await Promise.all(stations.map(async (s) => ((await divergence(central!, s)).length > 0 ? [s] : [])));
    lagging = checked.flat();
  }
  const report = await Promise.all(
    lagging.map(async (s) => `${s.code} (${schedule.stations[s.index]!.kind}): ${(await divergence(central!, s)).join('; ')}`),
  );
  expect(report).toEqual([]);

  // Exactly once overall too: nothing in the op log that no outbox wrote.
  const held = await central.store.db
    .selectFrom('op_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  expect(Number(held.n)).toBe(stations.reduce((n, s) => n + stationLedger(s.core.dataDir).outbox.length, 0));

  for (const [i, s] of stations.entries()) {
    const admin = admins[i]!;
    expect(await admin.call('sync.status', {}), s.code).toMatchObject({ state: 'online', pendingOps: 0, lastError: null });
    // Every evening's close, online or not, ends matched with the central office.
    const { recent } = await admin.call('day.overview', {});
    expect(
      recent.map((d) => [d.businessDate, d.state, d.reconciliation]),
      s.code,
    ).toEqual(Array.from({ length: DAYS }, (_, d) => [businessDate(DAYS - 1 - d), 'closed', 'matched']));
  }
}

const businessDate = (day: number) => new Date(START.getTime() + day * 24 * HOUR).toISOString().slice(0, 10);

describe('fifty stations through a week of partitions', () => {
  it('converge once the network heals: every operation once, equal checksums, nothing waiting, every day reconciled', async () => {
    await fc.assert(
      fc.asyncProperty(scheduleArb, async (schedule) => {
        try {
          await simulate(schedule);
        } finally {
          await dispose();
        }
      }),
      { numRuns: 2, seed: 20261129, endOnFailure: true },
    );
  }, 120_000);
});
