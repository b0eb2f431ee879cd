import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import type { Send } from '#shared/sync/client';
import type { OpEnvelope, PushResponse } from '#shared/sync/protocol';
import { createStation, issueEnrolmentCode } from '../server/src/admin/stations';
import { buildServer } from '../server/src/app';
import { syncClient, type SyncClient } from '../server/src/client/sync-client';
import type { DeviceCredentials } from '../server/src/client/device';
import { inTransaction, type Backend, type Store } from '../server/src/db/store';
import { putOperator } from '../server/src/reference/publish';
import { outbox, personCreated, silentLogger, testDatabase, TEST_VERIFIER } from '../server/src/testing/central';

/**
 * The central gateway under load over loopback (issue 7): 200 stations push 500 operations each at once, with
 * signing and validation on, against a bare loop (Fastify plus batch inserts with the last-sequence rule, nothing
 * else) measured in the same run; then the latency of 250-operation batches while 20 stations push together, once
 * with each station's batch starting at a random moment of every second, once with all 20 released at one instant.
 */
const STATIONS = 200;
const OPS_PER_STATION = 500;
const BATCH = 250;
const LATENCY_STATIONS = 20;
const LATENCY_BATCH = 250;
const LATENCY_ROUNDS = 5;
const ROUND_MS = 1000;
const BUDGET_OPS_PER_S = 20_000;
const BUDGET_P99_MS = 100;

interface Station {
  code: string;
  device: DeviceCredentials;
  ops: OpEnvelope[];
}

interface Run {
  ops: number;
  seconds: number;
  latencies: number[];
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

/** A counter's day in miniature, ten operations a round: logins, registry, cases through review to delivery, facts. */
function stationDay(code: string, teller: string, reviewer: string, count: number): OpEnvelope[] {
  const op = outbox();
  const ops: OpEnvelope[] = [];
  const day = '20260302';
  const asTeller = { operatorId: teller, windowNo: 1 };
  for (let round = 0; ops.length < count; round += 1) {
    const personId = uuidv7();
    const immediate = uuidv7();
    const reviewed = uuidv7();
    const at = new Date().toISOString();
    const no = (n: number) => `${code}-${day}-${String(round * 2 + n).padStart(4, '0')}`;
    const idNumber = `3${code.slice(-5)}19850712${String(round).padStart(3, '0')}X`; // unique across stations: no duplicate registrations
    const form = { name: '王小明', idNumber, phone: '13812345678' };
    ops.push(
      op('operator.login', { operatorId: teller, windowNo: 1 }, asTeller),
      op('person.created', personCreated(personId, idNumber, { phone: '13812345678' }), asTeller),
      op(
        'case.accepted',
        {
          id: immediate,
          caseNo: no(1),
          subItemCode: 'C1',
          personId,
          employerId: null,
          form,
          materials: [
            { code: 'ADDFORM', name: '参保登记表', status: 'received' },
            { code: 'IDCOPY', name: '身份证复印件', status: 'data_check' },
          ],
          steps: ['accept', 'complete', 'deliver'],
          at,
        },
        asTeller,
      ),
      op(
        'case.accepted',
        {
          id: reviewed,
          caseNo: no(2),
          subItemCode: 'D1',
          personId,
          employerId: null,
          form,
          materials: [
            { code: 'ID', name: '居民身份证', status: 'received' },
            { code: 'PROOF', name: '变更证明材料', status: 'received' },
          ],
          steps: ['accept', 'submit_for_review'],
          at,
        },
        asTeller,
      ),
      op('audit.person_revealed', { personId }, asTeller),
      op('person.patched', { personId, baseVersion: 1, patch: { phone: '13912345678' } }, asTeller),
      op('operator.login', { operatorId: reviewer, windowNo: 2 }, { operatorId: reviewer, windowNo: 2 }),
      op(
        'case.intent',
        {
          caseId: reviewed,
          caseNo: no(2),
          action: 'pass_review',
          reason: null,
          fromStatus: 'pending_review',
          steps: ['pass_review', 'mark_ready'],
          at,
        },
        { operatorId: reviewer, windowNo: 2 },
      ),
      op(
        'case.intent',
        { caseId: reviewed, caseNo: no(2), action: 'deliver', reason: null, fromStatus: 'ready_for_pickup', steps: ['deliver'], at },
        asTeller,
      ),
      op('case.notice_issued', { subItemCode: 'D1', personId, missing: ['PROOF'], documentId: uuidv7() }, asTeller),
    );
  }
  return ops.slice(0, count);
}

/** Every station pushes its operations in batches, one after another, all stations at once. */
async function load(stations: readonly Station[], batch: number, push: (s: Station, ops: OpEnvelope[]) => Promise<number>): Promise<Run> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    stations.map(async (s) => {
      for (let i = 0; i < s.ops.length; i += batch) {
        const t = performance.now();
        const last = await push(s, s.ops.slice(i, i + batch));
        latencies.push(performance.now() - t);
        if (last !== s.ops[Math.min(i + batch, s.ops.length) - 1]!.seq) throw new Error(`station ${s.code}: acknowledged up to ${last}`);
      }
    }),
  );
  return {
    ops: stations.reduce((n, s) => n + s.ops.length, 0),
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Rounds of one batch per station. Within a round of `roundMs`, each station starts its batch at a random moment of
 * the first `spreadMs` (0: all at the same instant); the next round starts when the round's time is up and every
 * batch of it is acknowledged.
 */
async function rounds(
  stations: readonly Station[],
  batch: number,
  roundMs: number,
  spreadMs: number,
  push: (s: Station, ops: OpEnvelope[]) => Promise<number>,
): Promise<Run> {
  const latencies: number[] = [];
  const started = performance.now();
  const count = Math.ceil(stations[0]!.ops.length / batch);
  for (let r = 0; r < count; r += 1) {
    const roundStart = performance.now();
    await Promise.all(
      stations.map(async (s) => {
        if (spreadMs > 0) await sleep(Math.random() * spreadMs);
        const t = performance.now();
        await push(s, s.ops.slice(r * batch, (r + 1) * batch));
        latencies.push(performance.now() - t);
      }),
    );
    await sleep(Math.max(0, roundStart + roundMs - performance.now()));
  }
  return {
    ops: stations.reduce((n, s) => n + s.ops.length, 0),
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
  };
}

/**
 * The load generator's HTTP: node:http with kept-alive connections. It shares the server's thread, and undici's fetch
 * (web streams, a Request and a Response object per call) costs that thread several times more per request.
 */
function httpTransport(base: string): Send {
  const { hostname, port } = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: STATIONS });
  return (req) =>
    new Promise((resolve, reject) => {
      const r = request({ host: hostname, port, method: req.method, path: req.url, headers: req.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      r.on('error', reject);
      r.end(req.body);
    });
}

const listen = async (app: FastifyInstance) => {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
};

type BareTables = {
  bare_device: { id: string; last_seq: number };
  bare_op: { op_id: string; device_id: string; seq: number; type: string; payload: string };
};

/** The bare loop: the same HTTP server and batch insert with the last-sequence rule; no signature, no schema, no handlers. */
async function bareLoop(backend: Backend, stations: readonly Station[]): Promise<Run> {
  const db = await testDatabase(backend, 10);
  const { store } = db;
  await store.db.schema
    .createTable('bare_device')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .execute();
  await store.db.schema
    .createTable('bare_op')
    .addColumn('op_id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  const bare = store.db.withTables<BareTables>();
  for (const s of stations) await bare.insertInto('bare_device').values({ id: s.device.deviceId, last_seq: 0 }).execute();
  const app = Fastify({ bodyLimit: 8 * 1024 * 1024 });
  // One plain transaction per batch, as a minimal server would do it (not the gateway's group commit).
  const begin = store.backend === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN';
  app.post<{ Body: { device: string; ops: OpEnvelope[] } }>('/push', async (req) =>
    inTransaction(store.db, begin, async (trx) => {
      const t = trx.withTables<BareTables>();
      let q = t.selectFrom('bare_device').select('last_seq').where('id', '=', req.body.device);
      if (store.backend === 'postgres') q = q.forUpdate();
      const { last_seq } = await q.executeTakeFirstOrThrow();
      const fresh = req.body.ops.filter((op) => op.seq > last_seq);
      if (fresh.length > 0 && fresh[0]!.seq !== last_seq + 1) throw new Error('gap');
      if (fresh.length === 0) return { lastAppliedSeq: last_seq };
      await t
        .insertInto('bare_op')
        .values(
          fresh.map((op) => ({
            op_id: op.opId,
            device_id: req.body.device,
            seq: op.seq,
            type: op.type,
            payload: JSON.stringify(op.payload),
          })),
        )
        .execute();
      const lastAppliedSeq = fresh.at(-1)!.seq;
      await t.updateTable('bare_device').set({ last_seq: lastAppliedSeq }).where('id', '=', req.body.device).execute();
      return { lastAppliedSeq };
    }),
  );
  const send = httpTransport(await listen(app));
  try {
    return await load(stations, BATCH, async (s, ops) => {
      const res = await send({
        method: 'POST',
        url: '/push',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ device: s.device.deviceId, ops }),
      });
      return (JSON.parse(res.body) as { lastAppliedSeq: number }).lastAppliedSeq;
    });
  } finally {
    await app.close();
    await db.dispose();
  }
}

/** Stations with their accounts published and one device each, enrolled over HTTP like a real counter. */
async function enrolStations(store: Store, client: SyncClient, count: number, opsEach: number, prefix: string): Promise<Station[]> {
  const now = new Date();
  const stations: Station[] = [];
  for (let i = 0; i < count; i += 1) {
    const code = `${prefix}${String(i).padStart(4, '0')}`;
    await createStation(store, { code, name: `压测站点${i}`, regionCode: '330106' }, now);
    const [teller, reviewer] = [
      await putOperator(
        store,
        { stationCode: code, username: `teller_${code}`, displayName: '压测柜员', role: 'teller', passwordVerifier: TEST_VERIFIER },
        now,
        uuidv7,
      ),
      await putOperator(
        store,
        { stationCode: code, username: `reviewer_${code}`, displayName: '压测复核', role: 'reviewer', passwordVerifier: TEST_VERIFIER },
        now,
        uuidv7,
      ),
    ];
    const { code: enrolment } = await issueEnrolmentCode(store, code, now);
    const { device } = await client.enrol(enrolment, '1号窗口');
    stations.push({ code, device, ops: stationDay(code, teller.id, reviewer.id, opsEach) });
  }
  return stations;
}

/** The gateway as `npm run central` runs it, over loopback, with a fresh database. */
async function gateway(backend: Backend) {
  const db = await testDatabase(backend, 10);
  const app = await buildServer({ store: db.store, blobs: db.blobs, logger: silentLogger(), bodyLimit: 8 * 1024 * 1024 });
  const client = syncClient(httpTransport(await listen(app)));
  const push = async (s: Station, ops: OpEnvelope[]) => {
    const res = await client.push(s.device, ops);
    if (!res.ok) throw new Error(`push refused: ${JSON.stringify(res.body)}`);
    const refused = (res.body as PushResponse).results.find((r) => r.outcome !== 'applied');
    if (refused) throw new Error(`operation not applied: ${JSON.stringify(refused)}`);
    return res.body.lastAppliedSeq;
  };
  return { db, client, push, close: async () => (await app.close(), await db.dispose()) };
}

/** Proves every operation of these stations was acknowledged and applied exactly once. */
async function checkApplied(store: Store, stations: readonly Station[]) {
  const ids = stations.map((s) => s.device.deviceId);
  const expected = stations.reduce((n, s) => n + s.ops.length, 0);
  const { n } = await store.db
    .selectFrom('op_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('device_id', 'in', ids)
    .executeTakeFirstOrThrow();
  const devices = await store.db.selectFrom('device').select(['id', 'last_seq']).where('id', 'in', ids).execute();
  const short = devices.filter((d) => d.last_seq !== stations.find((s) => s.device.deviceId === d.id)!.ops.length);
  if (Number(n) !== expected || short.length > 0) throw new Error(`expected ${expected} operations applied once each, found ${n}`);
  const cases = await store.db
    .selectFrom('case_file')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { ops: Number(n), cases: Number(cases.n) };
}

export async function centralBench(): Promise<string> {
  const lines = [
    `### Central gateway — ${STATIONS} stations × ${OPS_PER_STATION} operations over loopback (batches of ${BATCH}); ${LATENCY_STATIONS} stations × ${LATENCY_ROUNDS} batches of ${LATENCY_BATCH}`,
    '',
    '| backend | row | operations | wall | ops/s | batch p50 | batch p99 | vs baseline (ops/s) | budget |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
  ];
  const row = (backend: string, name: string, r: Run, vs: string, budget: string) =>
    `| ${backend} | ${name} | ${r.ops} | ${r.seconds.toFixed(2)} s | ${Math.round(r.ops / r.seconds)} | ${percentile(r.latencies, 50).toFixed(1)} ms | ${percentile(r.latencies, 99).toFixed(1)} ms | ${vs} | ${budget} |`;

  for (const backend of ['sqlite', 'postgres'] as const) {
    const g = await gateway(backend);
    try {
      const stations = await enrolStations(g.db.store, g.client, STATIONS, OPS_PER_STATION, '3301');
      const baseline = await bareLoop(backend, stations);
      lines.push(row(backend, 'bare loop (no signing, no validation, no handlers)', baseline, '—', '—'));
      const full = await load(stations, BATCH, g.push);
      const applied = await checkApplied(g.db.store, stations);
      const rate = full.ops / full.seconds;
      lines.push(
        row(
          backend,
          `gateway: signed, validated, applied (${applied.cases} cases)`,
          full,
          `${(rate / (baseline.ops / baseline.seconds)).toFixed(2)}× bare loop`,
          `≥ ${BUDGET_OPS_PER_S} ops/s: ${rate >= BUDGET_OPS_PER_S ? 'met' : 'MISSED'}`,
        ),
      );
      const budget = (r: Run) => `p99 < ${BUDGET_P99_MS} ms: ${percentile(r.latencies, 99) < BUDGET_P99_MS ? 'met' : 'MISSED'}`;
      const paced = await rounds(
        await enrolStations(g.db.store, g.client, LATENCY_STATIONS, LATENCY_BATCH * LATENCY_ROUNDS, '3302'),
        LATENCY_BATCH,
        ROUND_MS,
        ROUND_MS,
        g.push,
      );
      lines.push(
        row(backend, `gateway: ${LATENCY_STATIONS} stations, a batch of ${LATENCY_BATCH} each per second`, paced, '—', budget(paced)),
      );
      const burst = await rounds(
        await enrolStations(g.db.store, g.client, LATENCY_STATIONS, LATENCY_BATCH * LATENCY_ROUNDS, '3303'),
        LATENCY_BATCH,
        0,
        0,
        g.push,
      );
      lines.push(
        row(backend, `gateway: ${LATENCY_STATIONS} batches of ${LATENCY_BATCH} released at one instant`, burst, '—', budget(burst)),
      );
    } finally {
      await g.close();
    }
  }
  return lines.join('\n');
}
