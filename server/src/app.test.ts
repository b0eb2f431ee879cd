import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpEnvelope, PushResponse } from '#shared/sync/protocol';
import { buildServer } from './app';
import { fetchTransport, syncClient } from './client/sync-client';
import type { Store } from './db/store';
import {
  BACKENDS,
  centralOn,
  loginOp,
  outbox,
  personCreated,
  rawOp,
  silentLogger,
  testDatabase,
  TEST_DATABASE_URL,
  type Central,
} from './testing/central';
import { centralSuite } from './testing/suite';

const logins = (from: number, to: number, operatorId: string): OpEnvelope[] =>
  Array.from({ length: to - from + 1 }, (_, i) => loginOp(from + i, operatorId));

describe.each(BACKENDS)('operations of the gateway on %s', (backend) => {
  const suite = centralSuite(backend);

  it('answers /healthz and /readyz, and counts applied, refused and conflicted operations at /metrics', async () => {
    expect((await suite.central.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await suite.central.app.inject('/readyz')).json()).toEqual({ status: 'ready', backend });
    const s = await suite.central.station();
    const op = outbox();
    const personId = uuidv7();
    const teller = { operatorId: s.operators.teller };
    await suite.central.client.push(s.device, [
      op('person.created', personCreated(personId, '330106198507120011'), teller),
      op('person.patched', { personId, baseVersion: 1, patch: { phone: '13812345678' } }, teller),
      op('operator.login', { operatorId: s.operators.teller, windowNo: 1 }, teller),
    ]);
    const second = await s.enrolDevice();
    await suite.central.client.push(second, [
      outbox()('person.patched', { personId, baseVersion: 1, patch: { phone: '13900000000' } }, teller),
      rawOp(2, 'operator.login', {}),
    ]);
    await suite.central.client.push(second, logins(5, 5, s.operators.teller));
    const metrics = (await suite.central.app.inject('/metrics')).body;
    expect(metrics).toMatch(/yc_ops_total\{outcome="applied"\} [3-9]/);
    expect(metrics).toMatch(/yc_ops_total\{outcome="refused"\} [1-9]/);
    expect(metrics).toMatch(/yc_ops_total\{outcome="conflicted"\} [1-9]/);
    expect(metrics).toMatch(/yc_push_batches_total\{result="SEQUENCE_GAP"\} [1-9]/);
  });

  it('answers unknown paths with the documented error body', async () => {
    const res = await suite.central.app.inject('/v1/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('on shutdown stops taking requests but lets the batch in flight commit and answer', async () => {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The store holds the batch at the start of its transaction until the test has begun the shutdown.
    const held: Store = {
      ...suite.db.store,
      transaction: async (body) => {
        entered();
        await gate;
        return suite.db.store.transaction(body);
      },
    };
    const app = await buildServer({ store: held, blobs: suite.db.blobs, logger: silentLogger() });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const s = await suite.central.station();
    const client = syncClient(fetchTransport(base));
    const pushing = client.push(s.device, logins(1, 300, s.operators.teller));
    await inside;
    const closing = app.close();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    release();
    const res = await pushing;
    await closing;
    expect(res.ok && (res.body as PushResponse).lastAppliedSeq).toBe(300);
    const { n } = await suite.db.store.db
      .selectFrom('op_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('device_id', '=', s.device.deviceId)
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(300);
  });
});

describe('several instances on one PostgreSQL database', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let a: Central;
  let b: Central;
  beforeAll(async () => {
    db = await testDatabase('postgres');
    a = await centralOn(db.store, { blobs: db.blobs });
    b = await centralOn(await db.open(), { blobs: db.blobs });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.dispose();
  });

  it('applies every batch once when devices push to both instances, even the same batch to both at once', async () => {
    const stations = await Promise.all([a.station(), a.station(), a.station()]);
    await Promise.all(
      stations.map(async (s, k) => {
        for (let from = 1; from <= 200; from += 40) {
          const batch = logins(from, from + 39, s.operators.teller);
          // The same batch reaches both instances (a retry through the load balancer); the device lock serialises them.
          const [ra, rb] = await Promise.all([a.client.push(s.device, batch), b.client.push(s.device, batch)]);
          const answers = [ra, rb].filter((r) => r.ok).map((r) => (r.body as PushResponse).results);
          expect(answers.length, `station ${k} batch ${from}`).toBe(2);
          expect(answers[0]).toEqual(answers[1]);
        }
      }),
    );
    for (const s of stations) {
      const rows = await db.store.db.selectFrom('op_log').select('seq').where('device_id', '=', s.device.deviceId).orderBy('seq').execute();
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    }
    // Each instance sees what the other applied: the change logs agree.
    const pa = await a.client.pull(stations[0]!.device);
    const pb = await b.client.pull(stations[0]!.device);
    expect(pa.ok && pa.body.streams.reference.checkpoint).toEqual(pb.ok && pb.body.streams.reference.checkpoint);
  });
});

describe('npm run central', () => {
  /** Starts the real entry point and waits for its "ready" log line; returns the base URL and a stopper. */
  async function start(env: Record<string, string>) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    const base = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const url = /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(log)?.[1];
        if (url && log.includes('central sync gateway ready')) resolve(url);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${log}`)));
    });
    const stop = () =>
      new Promise<number | null>((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      });
    return { base, stop, log: () => log };
  }

  it('starts on an empty data folder with SQLite, answers, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'yc-central-main-'));
    rmSync(dataDir, { recursive: true });
    try {
      const server = await start({ DATA_DIR: dataDir, DATABASE_URL: '' });
      expect(await (await fetch(`${server.base}/readyz`)).json()).toEqual({ status: 'ready', backend: 'sqlite' });
      expect(await server.stop()).toBe(0);
      expect(server.log()).toContain('"msg":"stopped"');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('starts on PostgreSQL when DATABASE_URL is set', async () => {
    const schema = `yc_main_${uuidv7().replaceAll('-', '').slice(-12)}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    // Files are kept on disk whatever the database: BLOB_DIR, else DATA_DIR/blobs.
    const blobDir = mkdtempSync(join(tmpdir(), 'yc-central-blobs-'));
    try {
      const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      const server = await start({ DATABASE_URL: url, BLOB_DIR: blobDir });
      expect(await (await fetch(`${server.base}/readyz`)).json()).toEqual({ status: 'ready', backend: 'postgres' });
      expect(await server.stop()).toBe(0);
      const tables = await admin.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`, [schema]);
      expect(tables.rows[0].n).toBeGreaterThan(10);
      expect(server.log()).toContain(`"blobDir":"${blobDir}"`);
    } finally {
      rmSync(blobDir, { recursive: true, force: true });
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });
});
