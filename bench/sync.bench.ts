import { cpSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { createCore, STORE_FILE, type Core } from '#core/index';
import { DEMO_STATION } from '#core/demo/seed';
import { createMemoryLogger } from '#core/platform/logger';
import type { SyncTimers } from '#core/sync/sync-engine';
import { startTestCore, tempDir } from '#core/testing/fixture';
import { makeIdNumber } from '#core/testing/id-numbers';
import type { SyncStatus } from '#shared/api/sync';
import { createClient, type Client } from '#shared/transport/client';
import { memoryTransport } from '#shared/transport/memory';
import { fetchTransport, type Send } from '#shared/sync/client';
import { createStation, issueEnrolmentCode } from '../server/src/admin/stations';
import { buildServer } from '../server/src/app';
import type { Store } from '../server/src/db/store';
import { putOperator } from '../server/src/reference/publish';
import { silentLogger, testDatabase } from '../server/src/testing/central';

/**
 * Sync over loopback HTTP (issue 8) against PouchDB in the same run. Ours: a real station core pushes 10,000
 * registrations (person.create commands, each with its audit entry and outbox operation) to the central gateway — signed,
 * checked, applied to SQLite — in one round of its engine; then a second counter of the same station, freshly enrolled,
 * pulls the 10,000 resulting changes and applies them to its store. PouchDB: the same 10,000 person records
 * replicated from a memory database to an express-pouchdb server (memory adapter) and back into a fresh memory
 * database. Each repetition starts from fresh databases on both sides; the table shows medians.
 */

const RECORDS = 10_000;
const REPETITIONS = 5;
const BUDGET_MS = 1000;
const BUDGET_RATIO = 3;

/** No background rounds: the bench starts each round itself and times it. */
export const inertTimers: SyncTimers = { setTimeout: () => null, clearTimeout: () => undefined };

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const listening = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** The teller who registers the persons, as the central office must know it to apply the operations. */
export interface Teller {
  id: string;
  verifier: string;
}

/** A demo-seeded, unenrolled station whose teller registered RECORDS persons; copied for every repetition. */
async function registeredStation(): Promise<{ dir: string; docs: Record<string, unknown>[]; teller: Teller }> {
  const t = await startTestCore({ dataDir: tempDir('yc-bench-sync-') });
  const teller = await t.loggedIn('teller', 1);
  const docs: Record<string, unknown>[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const birth = new Date(Date.UTC(1960, 0, 1 + Math.floor(i / 1000))).toISOString().slice(0, 10);
    const person = await teller.call('person.create', {
      idNumber: makeIdNumber('330106', birth, i % 1000),
      name: '王小明',
      phone: `138${String(i).padStart(8, '0')}`,
      address: `杭州市西湖区文新街道${i % 300}号`,
    });
    docs.push({ _id: person.id, ...person });
  }
  t.core.close();
  return { dir: t.dataDir, docs, teller: tellerOf(t.dataDir) };
}

/** The demo teller of a closed station store, as the central office must publish it. */
export function tellerOf(dataDir: string): Teller {
  const db = new Database(join(dataDir, STORE_FILE), { readonly: true });
  try {
    return db.prepare<[], Teller>(`SELECT id, password_hash AS verifier FROM operator WHERE username = 'teller'`).get()!;
  } finally {
    db.close();
  }
}

/** A station core on a copy of the registered store (or a fresh demo one), syncing over HTTP; the round is split where the first pull goes out. */
async function stationAt(dataDir: string, centralUrl: string) {
  const http = fetchTransport(centralUrl, fetch);
  let firstPullAt: number | null = null;
  const send: Send = (request) => {
    if (firstPullAt === null && request.url.startsWith('/v1/sync/pull')) firstPullAt = performance.now();
    return http(request);
  };
  const core: Core = await createCore({
    dataDir,
    appVersion: 'bench',
    logger: createMemoryLogger(),
    demo: true,
    sync: { sendFor: () => send, timers: inertTimers },
  });
  const admin: Client = createClient(memoryTransport(core.connect({ kind: 'memory' })));
  await admin.call('auth.login', { username: 'admin', password: 'admin123', windowNo: 1 });
  return {
    admin,
    /** One round of the engine: how long it pushed, then how long it pulled and applied. */
    async round(): Promise<{ pushMs: number; pullMs: number; status: SyncStatus }> {
      firstPullAt = null;
      const started = performance.now();
      const status = await admin.call('sync.now', {});
      const ended = performance.now();
      return { pushMs: firstPullAt! - started, pullMs: ended - firstPullAt!, status };
    },
    close: () => core.close(),
  };
}

/** The central gateway as `npm run central` runs it (SQLite, signing and validation on), with the demo station registered. */
export async function gateway(teller: Teller) {
  const db = await testDatabase('sqlite');
  const app: FastifyInstance = await buildServer({ store: db.store, blobs: db.blobs, logger: silentLogger() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const now = new Date();
  await createStation(
    db.store,
    { code: DEMO_STATION.code, name: DEMO_STATION.name, regionCode: DEMO_STATION.regionCode, kind: 'station' },
    now,
  );
  // The station's teller, published centrally under the id the station's operations carry (as an account moved from a station).
  await putOperator(
    db.store,
    { stationCode: DEMO_STATION.code, username: 'teller', displayName: '王柜员', role: 'teller', passwordVerifier: teller.verifier },
    now,
    () => teller.id,
  );
  return {
    url: listening(app.server),
    server: app.server,
    store: db.store,
    code: async () => (await issueEnrolmentCode(db.store, DEMO_STATION.code, new Date())).code,
    close: async () => (await app.close(), await db.dispose()),
  };
}

async function count(store: Store, table: 'op_log' | 'change'): Promise<number> {
  const { n } = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** One repetition of ours: push from a copy of the registered station, pull into a fresh counter. */
async function ours(template: string, teller: Teller) {
  const central = await gateway(teller);
  const dirs = [tempDir('yc-bench-sync-a-'), tempDir('yc-bench-sync-b-')];
  cpSync(template, dirs[0]!, { recursive: true });
  const pusher = await stationAt(dirs[0]!, central.url);
  const puller = await stationAt(dirs[1]!, central.url);
  try {
    await pusher.admin.call('sync.enrol', { centralUrl: central.url, code: await central.code() });
    const push = await pusher.round();
    if (push.status.pendingOps !== 0 || push.status.lastError) throw new Error(`push did not complete: ${JSON.stringify(push.status)}`);
    const ops = await count(central.store, 'op_log');
    const refused = await central.store.db.selectFrom('op_log').select(['seq', 'type', 'code']).where('outcome', '!=', 'applied').execute();
    // A refused operation costs less than an applied one: the figures count only if every operation was applied.
    if (refused.length > 0)
      throw new Error(`the central office did not apply ${refused.length} operations, e.g. ${JSON.stringify(refused[0])}`);

    await puller.admin.call('sync.enrol', { centralUrl: central.url, code: await central.code() });
    const pull = await puller.round();
    if (pull.status.lastError) throw new Error(`pull did not complete: ${JSON.stringify(pull.status)}`);
    const changes = await count(central.store, 'change');
    return { pushMs: push.pushMs, pullMs: pull.pullMs, ops, changes };
  } finally {
    pusher.close();
    puller.close();
    await central.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  }
}

interface PouchDatabase {
  bulkDocs(docs: object[]): Promise<unknown>;
  destroy(): Promise<unknown>;
}
interface PouchConstructor {
  new (name: string, options?: { adapter: string }): PouchDatabase;
  plugin(plugin: unknown): PouchConstructor;
  defaults(options: { adapter: string }): PouchConstructor;
  replicate(source: PouchDatabase, target: PouchDatabase, options?: { batch_size: number }): Promise<{ docs_written: number }>;
}
interface Express {
  use(path: string, handler: unknown): void;
  listen(port: number, host: string, ready: () => void): Server;
}

// The PouchDB packages ship no types of their own: they are loaded through require and described by the interfaces above.
const require = createRequire(import.meta.url);
const PouchDB = (require('pouchdb-core') as PouchConstructor)
  .plugin(require('pouchdb-adapter-memory'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'));
const express = require('express') as () => Express;
const expressPouchDB = require('express-pouchdb') as (pouch: PouchConstructor, options: object) => unknown;

/** PouchDB's batch size, set to our pull page (500) rather than its default of 100: the faster of the two here. */
const POUCH_BATCH = 500;

/**
 * An express-pouchdb server (memory adapter) on loopback. One for the whole bench: its instances would share the
 * memory adapter's databases (its list of databases among them), so each repetition uses databases of its own instead.
 */
async function pouchServer() {
  const app = express();
  // In-memory configuration and a log file outside the work tree: express-pouchdb writes neither next to the code.
  const logDir = tempDir('yc-bench-pouch-');
  app.use(
    '/',
    expressPouchDB(PouchDB.defaults({ adapter: 'memory' }), {
      mode: 'minimumForPouchDB',
      inMemoryConfig: true,
      logPath: join(logDir, 'log.txt'),
    }),
  );
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: listening(server),
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}

/** One repetition of PouchDB: memory database → express-pouchdb over loopback → a fresh memory database. */
async function pouch(serverUrl: string, docs: Record<string, unknown>[], rep: number) {
  const source = new PouchDB(`source${rep}`, { adapter: 'memory' });
  await source.bulkDocs(docs);
  const remote = new PouchDB(`${serverUrl}/persons${rep}`);
  let started = performance.now();
  const pushed = await PouchDB.replicate(source, remote, { batch_size: POUCH_BATCH });
  const pushMs = performance.now() - started;
  const target = new PouchDB(`target${rep}`, { adapter: 'memory' });
  started = performance.now();
  const pulled = await PouchDB.replicate(remote, target, { batch_size: POUCH_BATCH });
  const pullMs = performance.now() - started;
  if (pushed.docs_written !== docs.length || pulled.docs_written !== docs.length)
    throw new Error('PouchDB did not replicate every document');
  // The memory adapter keeps every database until destroyed: left alone, they would weigh on the later repetitions' GC.
  await Promise.all([source, remote, target].map((db) => db.destroy()));
  return { pushMs, pullMs };
}

export async function syncBench(): Promise<string> {
  const started = performance.now();
  const { dir, docs, teller } = await registeredStation();
  const built = ((performance.now() - started) / 1000).toFixed(1);
  const runs: { ours: Awaited<ReturnType<typeof ours>>; pouch: Awaited<ReturnType<typeof pouch>> }[] = [];
  const couch = await pouchServer();
  try {
    // Interleaved, so a change of load on the machine falls on both sides alike.
    for (let rep = 0; rep < REPETITIONS; rep++) runs.push({ ours: await ours(dir, teller), pouch: await pouch(couch.url, docs, rep) });
  } finally {
    await couch.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  const row = (name: string, values: number[], pouchValues: number[] | null) => {
    const m = median(values);
    const all = values.map(fmt).join(', ');
    if (!pouchValues) return `| ${name} | ${fmt(m)} | ${all} | — | — |`;
    const speedup = median(pouchValues) / m;
    const met = m < BUDGET_MS && speedup >= BUDGET_RATIO;
    return `| ${name} | ${fmt(m)} | ${all} | ${speedup.toFixed(1)}× faster | < ${BUDGET_MS} ms and ≥ ${BUDGET_RATIO}× faster: ${met ? 'met' : 'MISSED'} |`;
  };
  const { ops, changes } = runs[0]!.ours;
  return [
    `### Sync over loopback: ${RECORDS.toLocaleString('en')} records, ${REPETITIONS} repetitions (station with ${RECORDS.toLocaleString('en')} registrations built in ${built} s)`,
    '',
    '| row | median | runs | vs PouchDB (median) | budget |',
    '|---|---:|---|---|---|',
    row(
      `push: station engine → gateway, ${ops.toLocaleString('en')} operations`,
      runs.map((r) => r.ours.pushMs),
      runs.map((r) => r.pouch.pushMs),
    ),
    row(
      `pull: gateway → a fresh counter, ${changes.toLocaleString('en')} changes applied`,
      runs.map((r) => r.ours.pullMs),
      runs.map((r) => r.pouch.pullMs),
    ),
    row(
      `PouchDB push: memory → express-pouchdb, ${RECORDS.toLocaleString('en')} documents`,
      runs.map((r) => r.pouch.pushMs),
      null,
    ),
    row(
      `PouchDB pull: express-pouchdb → fresh memory, ${RECORDS.toLocaleString('en')} documents`,
      runs.map((r) => r.pouch.pullMs),
      null,
    ),
  ].join('\n');
}
