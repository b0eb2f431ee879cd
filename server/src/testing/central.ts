import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '#shared/domain/roles';
import type { OpActor, OpEnvelope } from '#shared/sync/protocol';
import type { OperationPayload, OperationType } from '#shared/sync/operations';
import { createStation, issueEnrolmentCode } from '../admin/stations';
import { buildServer, type ServerDeps } from '../app';
import type { DeviceCredentials } from '../client/device';
import { syncClient, type Send } from '../client/sync-client';
import { openStore, type Backend, type Store } from '../db/store';
import { diskBlobStore } from '../files/blob-store';
import { putOperator } from '../reference/publish';

/** Both engines run the same tests; PostgreSQL at TEST_DATABASE_URL, by default the local `test` database. */
export const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A verifier in the stations' format (scrypt of a throw-away password): tests and the bench skip the slow hash. */
export const TEST_VERIFIER = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';

/**
 * A fresh database of the given engine: a temporary folder for SQLite, a schema of its own for PostgreSQL, dropped
 * with everything in it by `dispose`; with a blob store in a temporary folder (`blobDir`), removed with it. `open`
 * opens further stores on the same database (several instances; they share the blob folder, as instances must).
 */
export async function testDatabase(backend: Backend, poolSize?: number) {
  const stores: Store[] = [];
  const blobDir = mkdtempSync(join(tmpdir(), 'yc-blobs-'));
  let dispose: () => Promise<void>;
  let options: Parameters<typeof openStore>[0];
  if (backend === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'yc-central-'));
    options = { dataDir };
    dispose = async () => rmSync(dataDir, { recursive: true, force: true });
  } else {
    const schema = `yc_test_${uuidv7().replaceAll('-', '').slice(-16)}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    options = { databaseUrl: TEST_DATABASE_URL, schema, poolSize };
    dispose = async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    };
  }
  const open = async () => {
    const store = await openStore(options);
    stores.push(store);
    return store;
  };
  return {
    store: await open(),
    blobs: diskBlobStore(blobDir),
    blobDir,
    open,
    async dispose() {
      for (const s of stores) await s.close();
      await dispose();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

/** Fastify's in-process requests as the client's transport. */
export const injectTransport =
  (app: FastifyInstance): Send =>
  async (request) => {
    const res = await app.inject({
      method: request.method,
      url: request.url,
      headers: request.headers,
      // inject serialises any object that is not a Buffer as JSON: raw bytes must be a Buffer.
      ...(request.body !== undefined ? { payload: typeof request.body === 'string' ? request.body : Buffer.from(request.body) } : {}),
    });
    return { status: res.statusCode, body: res.body };
  };

export const silentLogger = () => pino({ level: 'silent' });

let stationCounter = 0;
/** Station codes unique within a test run, so tests can share one database. */
export function nextStationCode(): string {
  stationCounter += 1;
  return `33010${String(stationCounter).padStart(4, '0')}`;
}

export type Operators = Record<Role, string>;

/**
 * A central office on one database, with helpers to set up a station (its accounts published centrally, one device
 * enrolled) and to write operations the way a station's outbox does.
 */
export async function centralOn(store: Store, deps: Partial<ServerDeps> & Pick<ServerDeps, 'blobs'>) {
  const app = await buildServer({ store, logger: silentLogger(), ...deps });
  const client = syncClient(injectTransport(app));
  const now = () => (deps.now ?? (() => new Date()))();

  async function station(options: { region?: string; kind?: 'station' | 'central'; code?: string } = {}) {
    const code = options.code ?? nextStationCode();
    const region = options.region ?? '330106';
    await createStation(store, { code, name: `测试站点${code}`, regionCode: region, kind: options.kind ?? 'station' }, now());
    const operators = {} as Operators;
    for (const role of ['teller', 'reviewer', 'approver', 'admin'] as const) {
      const row = await putOperator(
        store,
        { stationCode: code, username: `${role}_${code}`.slice(0, 32), displayName: `测试${role}`, role, passwordVerifier: TEST_VERIFIER },
        now(),
        uuidv7,
      );
      operators[role] = row.id;
    }
    const enrolDevice = async (name = '1号窗口') => {
      const { code: enrolment } = await issueEnrolmentCode(store, code, now());
      return (await client.enrol(enrolment, name)).device;
    };
    return { code, region, operators, device: await enrolDevice(), enrolDevice };
  }

  return { app, client, store, station, close: () => app.close() };
}
export type Central = Awaited<ReturnType<typeof centralOn>>;

/** Writes operations as a device's outbox does: gap-free sequence from 1, a UUIDv7 per operation. */
export function outbox(startSeq = 1) {
  let seq = startSeq;
  return function op<T extends OperationType>(type: T, payload: OperationPayload<T>, actor: Partial<OpActor> = {}): OpEnvelope {
    return {
      seq: seq++,
      opId: uuidv7(),
      type,
      payload,
      createdAt: new Date().toISOString(),
      actor: { operatorId: null, windowNo: 1, ...actor },
    };
  };
}

/** A `person.created` payload as the station writes it, for a person born 1985-07-12. */
export function personCreated(
  id: string,
  idNumber: string,
  fields: Partial<OperationPayload<'person.created'>> = {},
): OperationPayload<'person.created'> {
  const at = new Date().toISOString();
  return {
    id,
    id_number: idNumber,
    id_kind: 'resident_id_18',
    name: '王小明',
    sex: 'male',
    birth_date: '1985-07-12',
    phone: null,
    address: null,
    card_number: null,
    employer_id: null,
    created_at: at,
    updated_at: at,
    ...fields,
  };
}

/** Any operation, typed or not (unknown types, broken payloads). */
export function rawOp(seq: number, type: string, payload: unknown, actor: Partial<OpActor> = {}): OpEnvelope {
  return { seq, opId: uuidv7(), type, payload, createdAt: new Date().toISOString(), actor: { operatorId: null, windowNo: 1, ...actor } };
}

/** A fact any station writes: a login at window 1. */
export const loginOp = (seq: number, operatorId: string) => rawOp(seq, 'operator.login', { operatorId, windowNo: 1 }, { operatorId });

export type Device = DeviceCredentials;

/** Rows a test checks to prove a refused request changed nothing. */
export async function footprint(store: Store) {
  const count = async (table: 'op_log' | 'change' | 'case_file' | 'registry' | 'conflict') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const seqs = await store.db.selectFrom('device').select(['id', 'last_seq']).orderBy('id').execute();
  return {
    ops: await count('op_log'),
    changes: await count('change'),
    cases: await count('case_file'),
    records: await count('registry'),
    conflicts: await count('conflict'),
    seqs,
  };
}
