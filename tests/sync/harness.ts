import { randomBytes, scryptSync } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { operatorQueries } from '#core/auth/operators';
import { restoreBackup } from '#core/backup/restore';
import { DEMO_STATION } from '#core/demo/seed';
import { createCore, STORE_FILE, type Core } from '#core/index';
import { systemClock } from '#core/platform/deps';
import { createMemoryLogger } from '#core/platform/logger';
import { stationQueries } from '#core/station/station';
import { openStore } from '#core/store/open';
import { manualTimers } from '#core/sync/manual-timers';
import type { SyncTuning } from '#core/sync/sync-engine';
import { manualClock, tempDir } from '#core/testing/fixture';
import { createClient, type Client } from '#shared/transport/client';
import { memoryTransport } from '#shared/transport/memory';
import type { Role } from '#shared/domain/roles';
import type { Send } from '#shared/sync/client';
import type { ReferenceKind } from '#shared/sync/reference';
import type { StreamName } from '#shared/sync/protocol';
import { CHECKSUM_MODULUS } from '#shared/sync/signing';
import { createStation, issueEnrolmentCode } from '../../server/src/admin/stations';
import { buildServer } from '../../server/src/app';
import { regionReferenceScope, stationReferenceScope } from '../../server/src/changes/append';
import type { Backend, Store } from '../../server/src/db/store';
import { coveringRegions } from '../../server/src/reference/regions';
import { publishReference, putOperator } from '../../server/src/reference/publish';
import { syncClient } from '../../server/src/client/sync-client';
import { injectTransport, nextStationCode, silentLogger, TEST_VERIFIER, testDatabase } from '../../server/src/testing/central';

/**
 * A real central office (Fastify over SQLite or PostgreSQL, reached through inject) and real station cores in temporary
 * data folders, joined by a link a test can cut. The cores' sync timers are manual: rounds run when a test says so.
 */

export const CENTRAL_URL = 'http://central.test';

/** Accounts the central office publishes for the station, with passwords the tests log in with. */
export const CENTRAL_ACCOUNTS: readonly { username: string; role: Role; password: string }[] = [
  { username: 'zhou_teller', role: 'teller', password: 'zhou-teller-1' },
  { username: 'wu_reviewer', role: 'reviewer', password: 'wu-reviewer-1' },
  { username: 'sun_admin', role: 'admin', password: 'sun-admin-1' },
];

/**
 * A password verifier in the stations' format (`scrypt$N$r$p$salt$key`) at N=2^10 instead of 2^15: a login against
 * it costs about a millisecond, so tests that run dozens of counters do not spend seconds in scrypt.
 */
export function quickVerifier(password: string): string {
  const params = { N: 1024, r: 8, p: 1 };
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Restores a backup into `dataDir` as the restore tool does on a replaced disk (no operator at the PC); the device key,
 * never in a backup, is the caller's to bring.
 */
export function restoreInto(dataDir: string, backup: { file: string; key: Buffer; stationCode: string }) {
  return restoreBackup({
    file: backup.file,
    key: backup.key,
    dataDir,
    stationCode: backup.stationCode,
    storeFile: STORE_FILE,
    actor: { operatorId: null, windowNo: null },
    deps: { clock: systemClock, newId: () => crypto.randomUUID(), logger: createMemoryLogger() },
  });
}

/** `now` is the central office's clock (simulations move it with the stations' manual clock). */
export async function centralOffice(backend: Backend = 'sqlite', options: { now?: () => Date } = {}) {
  const database = await testDatabase(backend);
  const now = options.now ?? (() => new Date());
  // The test database's blob store: a temporary folder, removed with the database by close().
  const app = await buildServer({ store: database.store, blobs: database.blobs, logger: silentLogger(), now });
  const stationCode = nextStationCode();
  await createStation(database.store, { code: stationCode, name: '文新街道社保服务站', regionCode: '330106', kind: 'station' }, new Date());
  const accounts: Record<string, string> = {};
  for (const a of CENTRAL_ACCOUNTS) {
    const row = await putOperator(
      database.store,
      { stationCode, username: a.username, displayName: `测试${a.role}`, role: a.role, password: a.password },
      new Date(),
      uuidv7,
    );
    accounts[a.username] = row.id;
  }
  return {
    app,
    store: database.store,
    /** Where the blob store keeps the files: `<blobDir>/<first 2 hex>/<sha256>` (server/src/files/blob-store.ts). */
    blobDir: database.blobDir,
    stationCode,
    accounts,
    send: injectTransport(app),
    enrolmentCode: async () => (await issueEnrolmentCode(database.store, stationCode, now())).code,
    /**
     * Another station of district 330106 with one teller account (`teller`, password `teller-1`, quick verifier), and
     * a way to issue its enrolment codes.
     */
    async addStation(name: string) {
      const code = nextStationCode();
      await createStation(database.store, { code, name, regionCode: '330106', kind: 'station' }, now());
      const teller = await putOperator(
        database.store,
        { stationCode: code, username: 'teller', displayName: '测试柜员', role: 'teller', passwordVerifier: quickVerifier('teller-1') },
        now(),
        uuidv7,
      );
      return { code, tellerId: teller.id, enrolmentCode: async () => (await issueEnrolmentCode(database.store, code, now())).code };
    },
    /** Changes or disables a central account (matched by username), as `npm run central -- operator put` does. */
    putAccount: (username: string, change: { disabled?: boolean; password?: string }) => {
      const a = CENTRAL_ACCOUNTS.find((x) => x.username === username)!;
      return putOperator(
        database.store,
        { stationCode, username, displayName: `测试${a.role}`, role: a.role, ...change },
        new Date(),
        uuidv7,
      );
    },
    /** Publishes a version of reference data for a region, as `npm run central -- publish` does. */
    publish: (kind: ReferenceKind, region: string, effectiveFrom: string, data: unknown) =>
      publishReference(database.store, { kind, region, effectiveFrom, data }, now()),
    /** A back-office workstation of the district (a `central` station covering 330106) with a reviewer, enrolled. */
    async backOffice() {
      const code = nextStationCode();
      await createStation(database.store, { code, name: '西湖区社保中心后台', regionCode: '330100', kind: 'central' }, new Date());
      const reviewer = await putOperator(
        database.store,
        { stationCode: code, username: 'central_reviewer', displayName: '中心复核', role: 'reviewer', passwordVerifier: TEST_VERIFIER },
        new Date(),
        uuidv7,
      );
      const client = syncClient(injectTransport(app));
      const { device } = await client.enrol((await issueEnrolmentCode(database.store, code, new Date())).code, '后台1号');
      return { client, device, reviewerId: reviewer.id };
    },
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}
export type CentralOffice = Awaited<ReturnType<typeof centralOffice>>;

/** A link that can go down: requests fail as a refused connection would. */
export function cuttableLink(deliver: Send) {
  let up = true;
  const send: Send = async (request) => {
    if (!up) throw new Error('connect ECONNREFUSED');
    return deliver(request);
  };
  return { send, cut: () => void (up = false), restore: () => void (up = true) };
}

/** A manual clock with the timers that fire when it is moved; shared by the cores of a simulation. */
export function manualTime(start: Date) {
  const clock = manualClock(start);
  return { clock, ...manualTimers(clock) };
}
export type ManualTime = ReturnType<typeof manualTime>;

/**
 * What a freshly installed PC holds before anyone uses it: the station record and one local administrator
 * (`admin`/`admin123`, quick verifier), no outbox operation. The demo seed hashes four passwords at full cost (about
 * 0.2 s a PC), which is what makes dozens of demo cores slow to start; enrolment replaces the station's code, region
 * and name, and the accounts come from the central office.
 */
function installBare(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const db = openStore(join(dataDir, STORE_FILE));
  try {
    stationQueries(db).save(DEMO_STATION);
    operatorQueries(db).insert({
      id: uuidv7(),
      username: 'admin',
      display_name: '本机管理员',
      role: 'admin',
      password_hash: quickVerifier('admin123'),
      disabled: 0,
      created_at: new Date().toISOString(),
    });
  } finally {
    db.close();
  }
}

/**
 * A station core whose sync goes through `send`, with a manual clock and manual timers (its own, or `time` shared with
 * other cores). Demo-seeded, or `bare` (see installBare).
 */
export async function stationCore(
  send: Send,
  options: {
    clockOffsetMs?: number;
    dataDir?: string;
    time?: ManualTime;
    bare?: boolean;
    /** Nothing at all: a PC just installed, with no station and no account (it must be enrolled first). */
    fresh?: boolean;
    tuning?: Partial<SyncTuning>;
  } = {},
) {
  const dataDir = options.dataDir ?? tempDir('yc-sync-');
  const time = options.time ?? manualTime(new Date(Date.now() + (options.clockOffsetMs ?? 0)));
  const { clock } = time;
  if (options.bare) installBare(dataDir);
  const core: Core = await createCore({
    dataDir,
    appVersion: 'test',
    logger: createMemoryLogger(),
    clock,
    demo: !options.bare && !options.fresh,
    sync: { sendFor: () => send, timers: time.timers, random: () => 0.5, ...(options.tuning ? { tuning: options.tuning } : {}) },
  });
  /** A client of this core; `('ws', address)` as if it came over the LAN from that address. */
  const client = (kind = 'memory', label?: string): Client =>
    createClient(memoryTransport(core.connect({ kind, ...(label ? { label } : {}) })));
  const login = async (username: string, password: string, windowNo = 1): Promise<Client> => {
    const c = client();
    await c.call('auth.login', { username, password, windowNo });
    return c;
  };
  return {
    core,
    dataDir,
    clock,
    time,
    client,
    login,
    /** Enrols with a fresh code (of the central office's first station unless another is given) through the local administrator. */
    async enrol(central: { enrolmentCode(): Promise<string> }) {
      const admin = await login('admin', 'admin123');
      return admin.call('sync.enrol', { centralUrl: CENTRAL_URL, code: await central.enrolmentCode() });
    },
    dispose() {
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
export type StationCore = Awaited<ReturnType<typeof stationCore>>;

/** Count and checksum of what the central office holds in each stream for a station of 330106 (docs/sync-protocol.md §6.3). */
export async function centralStreams(store: Store, stationCode: string): Promise<Record<StreamName, { count: number; checksum: number }>> {
  const scopes: Record<StreamName, string[]> = {
    station: [stationCode],
    reference: [...coveringRegions('330106').map(regionReferenceScope), stationReferenceScope(stationCode)],
  };
  const totals = {} as Record<StreamName, { count: number; checksum: number }>;
  for (const [stream, inScope] of Object.entries(scopes) as [StreamName, string[]][]) {
    const rows = await store.db.selectFrom('change').select('digest').where('stream', '=', stream).where('scope', 'in', inScope).execute();
    totals[stream] = { count: rows.length, checksum: rows.reduce((sum, r) => (sum + Number(r.digest)) % CHECKSUM_MODULUS, 0) };
  }
  return totals;
}

/** The operations the central office holds from one device, as [seq, opId] in sequence order. */
export async function centralOps(store: Store, deviceId: string): Promise<[number, string][]> {
  const rows = await store.db.selectFrom('op_log').select(['seq', 'op_id']).where('device_id', '=', deviceId).orderBy('seq').execute();
  return rows.map((r) => [Number(r.seq), r.op_id]);
}

/**
 * What a station's store says about its sync, read from the file (a core may be running on it, or killed): its
 * outbox as [seq, opId], the operations not yet acknowledged, and each stream's count and checksum.
 */
export function stationLedger(dataDir: string) {
  const db = new Database(join(dataDir, STORE_FILE), { readonly: true });
  try {
    const outbox = db.prepare<[], [number, string]>('SELECT seq, op_id FROM outbox ORDER BY seq').raw().all();
    const pending = db.prepare<[], number>('SELECT COUNT(*) FROM outbox WHERE pushed_at IS NULL').pluck().get()!;
    const cursors = db
      .prepare<[], { stream: StreamName; count: number; checksum: number }>('SELECT stream, count, checksum FROM sync_cursor')
      .all();
    return { outbox, pending, streams: Object.fromEntries(cursors.map((c) => [c.stream, { count: c.count, checksum: c.checksum }])) };
  } finally {
    db.close();
  }
}

/** The central office's person records of a station that the station's store shows otherwise (phone, address, version). */
export async function registryDifferences(store: Store, stationCode: string, dataDir: string) {
  const records = await store.db
    .selectFrom('registry')
    .select(['id', 'fields', 'version'])
    .where('entity', '=', 'person')
    .where('station_code', '=', stationCode)
    .execute();
  const db = new Database(join(dataDir, STORE_FILE), { readonly: true });
  try {
    const local = db.prepare<[string], { phone: string | null; address: string | null; version: number }>(
      'SELECT phone, address, version FROM person WHERE id = ?',
    );
    return records.flatMap((r) => {
      const fields = JSON.parse(r.fields) as { phone: string | null; address: string | null };
      const central = { phone: fields.phone, address: fields.address, version: Number(r.version) };
      const station = local.get(r.id) ?? null;
      return JSON.stringify(station) === JSON.stringify(central) ? [] : [{ id: r.id, central, station }];
    });
  } finally {
    db.close();
  }
}
