import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '#core/testing/fixture';
import type { SignedRequestInit } from '#shared/sync/client';
import type { OpEnvelope } from '#shared/sync/protocol';
import {
  CENTRAL_ACCOUNTS,
  centralOffice,
  centralOps,
  centralStreams,
  registryDifferences,
  stationLedger,
  type CentralOffice,
} from './harness';
import type { StationProcessOptions } from './station-process';

/**
 * A station killed with SIGKILL in the middle of syncing loses nothing and duplicates nothing. A real core runs in a
 * child process (station-process.ts: a teller working back to back, syncing over real HTTP with small batches and
 * pages) and is killed at random points: while a push is on the way (delivered to the central office, its answer never
 * read; or never delivered), a few milliseconds after a pull page was answered (while the page is read and applied in
 * its transaction, or around it), or at any moment of the work. The next child carries on in the same data folder,
 * kill after kill; a last one syncs until nothing is waiting. Then the central office holds every operation the
 * station committed exactly once (every acknowledged registration and case among them), and the station's streams
 * and registry equal the central office's.
 *
 * Between the station and the central office (Fastify over SQLite, in this process) sits a loopback HTTP relay that
 * counts what arrives: in every life of the station, only the first push may repeat operations the central office
 * already holds, at most one batch of them — and after a push whose answer was lost, exactly that batch.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STATION = fileURLToPath(new URL('./station-process.ts', import.meta.url));
/** Small batches and pages: a round has many steps to be killed in. */
const TUNING = { batchOps: 16, pageLimit: 16 };
/** A Monday morning, for the whole test (see station-process.ts). */
const CLOCK_BASE = Date.parse('2026-03-02T10:00:00+08:00');
/** Where the station's clock starts from, in real time. */
const EPOCH = Date.now();
/** Each life numbers its persons from its own thousand, so ID numbers never repeat. */
const ROUNDS_PER_LIFE = 1000;
/** A moment that has not come by then (the child syncs every few dozen commands) is a failure, not a wait. */
const MOMENT_TIMEOUT_MS = 30_000;

type Moment =
  | { kind: 'push'; nth: number; delivered: boolean }
  | { kind: 'pull'; nth: number; afterMs: number }
  | { kind: 'anywhere'; afterReadyMs: number };

const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));
const MOMENTS: Moment[] = [
  // Each restart costs a second or more (the core's modules load through tsx): eight kills, most of them in a round.
  ...Array.from({ length: 2 }, (): Moment => ({ kind: 'push', nth: between(1, 6), delivered: true })),
  { kind: 'push', nth: between(1, 6), delivered: false },
  // A page of 16 changes is parsed, checked and applied in a few milliseconds.
  ...Array.from({ length: 4 }, (): Moment => ({ kind: 'pull', nth: between(1, 6), afterMs: between(0, 8) })),
  { kind: 'anywhere', afterReadyMs: between(0, 400) },
];
const label = (m: Moment) =>
  m.kind === 'push'
    ? `at push ${m.nth} (${m.delivered ? 'delivered, answer lost' : 'not delivered'})`
    : m.kind === 'pull'
      ? `${m.afterMs} ms after answering pull ${m.nth}`
      : `${m.afterReadyMs} ms into the work`;

/** One life of the station process, as the relay and its output saw it. */
interface Life {
  moment: Moment | null;
  /** For each push request, how many of its operations the central office already held when it arrived. */
  resent: number[];
  /** Operations of the push delivered at the kill (whose answer the station never read). */
  lostBatch: number | null;
  pulls: number;
  kill: () => void;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The loopback relay between the station process and the central office, watching the current life. */
async function relay(central: CentralOffice) {
  let life: Life | null = null;
  const lastApplied = async (deviceId: string) =>
    Number((await central.store.db.selectFrom('device').select('last_seq').where('id', '=', deviceId).executeTakeFirst())?.last_seq ?? 0);
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const request: SignedRequestInit = { method: req.method as 'GET' | 'POST', url: req.url!, headers, ...(body ? { body } : {}) };
      const current = life;
      if (current && request.url === '/v1/sync/push') {
        const { ops } = JSON.parse(body) as { ops: OpEnvelope[] };
        const held = await lastApplied(headers['x-yc-device']!);
        current.resent.push(ops.filter((op) => op.seq <= held).length);
        const m = current.moment;
        if (m?.kind === 'push' && current.resent.length === m.nth) {
          if (m.delivered) {
            await central.send(request);
            current.lostBatch = ops.length;
          }
          current.kill();
          res.destroy();
          return;
        }
      }
      const answer = await central.send(request);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      if (current && request.url.startsWith('/v1/sync/pull')) {
        current.pulls += 1;
        const m = current.moment;
        if (m?.kind === 'pull' && current.pulls === m.nth) setTimeout(current.kill, m.afterMs);
      }
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    watch: (next: Life | null) => void (life = next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Ack {
  kind: 'person' | 'case';
  id: string;
}

/** Runs the station process until the moment comes and it is killed (or, with no moment, until it settles). */
function live(
  link: Awaited<ReturnType<typeof relay>>,
  options: Pick<StationProcessOptions, 'dataDir' | 'code' | 'firstRound'>,
  moment: Moment | null,
): Promise<{ life: Life; acks: Ack[]; deviceId: string | null; settled: string | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const args: StationProcessOptions = {
      ...options,
      centralUrl: link.url,
      clockBase: CLOCK_BASE,
      epoch: EPOCH,
      rounds: ROUNDS_PER_LIFE,
      mode: moment ? 'work' : 'heal',
      tuning: TUNING,
      teller: CENTRAL_ACCOUNTS.find((a) => a.role === 'teller')!,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', STATION, JSON.stringify(args)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const life: Life = { moment, resent: [], lostBatch: null, pulls: 0, kill: () => child.kill('SIGKILL') };
    link.watch(life);
    const timeout = setTimeout(() => child.kill('SIGTERM'), MOMENT_TIMEOUT_MS);
    const acks: Ack[] = [];
    let deviceId: string | null = null;
    let settled: string | null = null;
    let partial = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        const [tag, a, b] = line.split(' ');
        if (tag === 'enrolled') deviceId = a!;
        if (tag === 'ready' && moment?.kind === 'anywhere') setTimeout(life.kill, moment.afterReadyMs);
        if (tag === 'ack') acks.push({ kind: a as Ack['kind'], id: b! });
        if (tag === 'settled') settled = `${a} ${b}`;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // 'close' comes after stdout is drained: acknowledgements written just before the kill are counted too.
    child.on('close', (_code, signal) => {
      clearTimeout(timeout);
      link.watch(null);
      resolve({ life, acks, deviceId, settled, signal, stderr });
    });
  });
}

let central: CentralOffice;
let link: Awaited<ReturnType<typeof relay>>;
const dataDir = tempDir('yc-kill-');

beforeAll(async () => {
  central = await centralOffice();
  link = await relay(central);
});
afterAll(async () => {
  await link.close();
  await central.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a station killed with SIGKILL while it syncs', () => {
  it(
    `loses and duplicates nothing, ${MOMENTS.length} kills in a row, and resends at most one batch after each`,
    { timeout: 180_000 },
    async () => {
      const acked: Ack[] = [];
      const lives: Life[] = [];
      let deviceId: string | null = null;
      for (const [i, moment] of MOMENTS.entries()) {
        const context = `kill ${i + 1} of ${MOMENTS.length}, ${label(moment)}`;
        const run = await live(
          link,
          { dataDir, code: deviceId ? null : await central.enrolmentCode(), firstRound: i * ROUNDS_PER_LIFE },
          moment,
        );
        expect(run.signal, `${context}: the station was not killed by the moment:\n${run.stderr}`).toBe('SIGKILL');
        deviceId ??= run.deviceId;
        acked.push(...run.acks);
        lives.push(run.life);
      }
      const healing = await live(link, { dataDir, code: null, firstRound: MOMENTS.length * ROUNDS_PER_LIFE }, null);
      expect(healing.settled, healing.stderr).toBe('online 0');
      lives.push(healing.life);

      for (const [i, life] of lives.entries()) {
        const context = `life ${i + 1}, after ${i === 0 ? 'nothing' : label(MOMENTS[i - 1]!)}`;
        // Only the first push of a life may repeat what the central office holds, and no more than one batch of it.
        expect(
          life.resent.slice(1).every((n) => n === 0),
          `${context}: ${JSON.stringify(life.resent)}`,
        ).toBe(true);
        expect(life.resent[0] ?? 0, context).toBeLessThanOrEqual(TUNING.batchOps);
        // After a lost answer, that very batch is what comes again.
        const before = lives[i - 1];
        if (before?.lostBatch) expect(life.resent[0], context).toBe(before.lostBatch);
      }
      expect(lives.filter((l) => l.lostBatch).length).toBe(MOMENTS.filter((m) => m.kind === 'push' && m.delivered).length);

      // Every committed operation exactly once, at its own sequence; the acknowledged commands among them.
      const ledger = stationLedger(dataDir);
      expect(ledger.pending).toBe(0);
      expect(await centralOps(central.store, deviceId!)).toEqual(ledger.outbox);
      const held = await central.store.db
        .selectFrom('op_log')
        .select(['type', 'payload'])
        .where('device_id', '=', deviceId!)
        .where('type', 'in', ['person.created', 'case.accepted'])
        .execute();
      const created = held.map((o) => `${o.type === 'person.created' ? 'person' : 'case'} ${(JSON.parse(o.payload) as { id: string }).id}`);
      expect(new Set(created).size).toBe(created.length);
      const present = new Set(created);
      expect(acked.filter((a) => !present.has(`${a.kind} ${a.id}`))).toEqual([]);

      expect(ledger.streams).toEqual(await centralStreams(central.store, central.stationCode));
      expect(await registryDifferences(central.store, central.stationCode, dataDir)).toEqual([]);
      // The kills came while the station was busy: a run that never got going would prove little.
      expect(acked.length).toBeGreaterThan(MOMENTS.length);
    },
  );
});
