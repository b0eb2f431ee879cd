/**
 * The victim of the SIGKILL test (kill.test.ts), run as `node --import tsx station-process.ts '<options as JSON>'`: a
 * real demo-seeded core syncing over HTTP with real timers. Given an enrolment code (an empty folder), it enrols first.
 * It imports the core only, not the test harness, so that each of the many restarts comes up quickly.
 *
 * - mode `work`: a teller registers persons, edits them, accepts cases and issues tickets back to back, with a sync
 *   round every ten rounds of work besides the engine's own (debounced) ones, until it is killed. `ack <kind> <id>` is
 *   written only after the command returned, that is after its transaction committed.
 * - mode `heal`: syncs until nothing is waiting, writes `settled <state> <operations waiting>`, and exits.
 *
 * The clock is `clockBase + (now − epoch)`: one business day for the whole test (the day gate would refuse work after
 * midnight until the day is closed), moving forward across restarts.
 */
import { createCore } from '#core/index';
import { createMemoryLogger } from '#core/platform/logger';
import type { SyncTuning } from '#core/sync/sync-engine';
import { makeIdNumber } from '#core/testing/id-numbers';
import { createClient, type Client } from '#shared/transport/client';
import { memoryTransport } from '#shared/transport/memory';

export interface StationProcessOptions {
  dataDir: string;
  centralUrl: string;
  /** A one-time enrolment code for the first start; null once enrolled. */
  code: string | null;
  clockBase: number;
  epoch: number;
  /** Rounds number the persons: each life starts from its own, so ID numbers never repeat. */
  firstRound: number;
  /** The rounds of one life at most; the parent kills long before. */
  rounds: number;
  mode: 'work' | 'heal';
  tuning: Partial<SyncTuning>;
  /** A central teller account (it arrives with the first round). */
  teller: { username: string; password: string };
}

/** Rounds a healing life syncs at most before it says how it ended. */
const HEAL_ROUNDS = 10;

const options = JSON.parse(process.argv[2] ?? 'null') as StationProcessOptions | null;
if (!options) throw new Error("usage: station-process.ts '<StationProcessOptions as JSON>'");
const clock = { now: () => new Date(options.clockBase + Date.now() - options.epoch) };
const core = await createCore({
  dataDir: options.dataDir,
  appVersion: 'test',
  logger: createMemoryLogger(),
  clock,
  demo: true,
  sync: { tuning: options.tuning },
});
const login = async (username: string, password: string): Promise<Client> => {
  const c = createClient(memoryTransport(core.connect({ kind: 'memory' })));
  await c.call('auth.login', { username, password, windowNo: 1 });
  return c;
};

if (options.code) {
  const admin = await login('admin', 'admin123');
  const { deviceId } = await admin.call('sync.enrol', { centralUrl: options.centralUrl, code: options.code });
  process.stdout.write(`enrolled ${deviceId}\n`);
}
/** The central teller account comes down with a round: an administrator syncs first where none has completed yet. */
async function tellerSession(): Promise<Client> {
  const { username, password } = options!.teller;
  try {
    return await login(username, password);
  } catch {
    await (await login('admin', 'admin123')).call('sync.now', {});
    return login(username, password);
  }
}
const teller = await tellerSession();
process.stdout.write('ready\n');

if (options.mode === 'heal') {
  let status = await teller.call('sync.now', {});
  for (let i = 1; i < HEAL_ROUNDS && (status.pendingOps > 0 || status.state !== 'online'); i++) status = await teller.call('sync.now', {});
  process.stdout.write(`settled ${status.state} ${status.pendingOps}\n`);
  core.close();
  process.exit(0);
}

const ack = (kind: 'person' | 'case', id: string) => process.stdout.write(`ack ${kind} ${id}\n`);
for (let round = options.firstRound; round < options.firstRound + options.rounds; round++) {
  // One person per round, each with a distinct valid ID number: 1000 sequence numbers per birth date.
  const birth = new Date(Date.UTC(1970, 0, 1 + Math.floor(round / 1000))).toISOString().slice(0, 10);
  const person = await teller.call('person.create', { idNumber: makeIdNumber('330106', birth, round % 1000), name: '测试人员' });
  ack('person', person.id);
  if (round % 2 === 0)
    await teller.call('person.update', {
      id: person.id,
      baseVersion: person.version,
      patch: { phone: `138${String(round).padStart(8, '0')}` },
    });
  if (round % 3 === 0) {
    const r = await teller.call('case.accept', {
      subItemCode: 'D1',
      personId: person.id,
      materials: [
        { code: 'ID', status: 'received' },
        { code: 'PROOF', status: 'data_check' },
      ],
      form: { changedField: 'name', oldValue: '测试人貟', newValue: '测试人员' },
    });
    if (r.outcome === 'accepted') ack('case', r.case.id);
  }
  if (round % 4 === 0) await teller.call('queue.issue', { categoryCode: 'A' });
  if (round % 10 === 9) await teller.call('sync.now', {});
}
core.close();
