import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SelectQueryBuilder, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import { migrate } from './migrations';
import type { DB } from './schema';

export type Backend = 'sqlite' | 'postgres';

/** The central store: one Kysely query layer over whichever engine the deployment chose. */
export interface Store {
  readonly db: Kysely<DB>;
  /** For reads outside a transaction: on SQLite a second connection, so they need not wait for the writer. */
  readonly reader: Kysely<DB>;
  readonly backend: Backend;
  /** Locks the selected rows until the transaction ends (PostgreSQL; SQLite transactions hold the whole database). */
  forUpdate<Q extends SelectQueryBuilder<DB, keyof DB, unknown>>(query: Q): Q;
  /**
   * Runs `body` atomically and durably: on PostgreSQL in a transaction of its own, run again when the engine reports
   * a lost race (deadlock, duplicate key); on SQLite in a savepoint of a group commit (see groupCommit).
   */
  transaction<T>(body: (trx: Kysely<DB>) => Promise<T>): Promise<T>;
  /**
   * Settles once everything committed so far is on disk. A reader that answers a device with what it read waits for
   * it, so no device learns of a change a power cut could still take back (SQLite; at once on PostgreSQL).
   */
  durable(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL connection string; SQLite in `dataDir` when absent. */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** PostgreSQL schema to work in (tests use one each); `public` when absent. */
  schema?: string | undefined;
  poolSize?: number | undefined;
}

const SQLITE_FILE = 'central.db';

// Kysely's SQLite driver prepares every query anew; the batch statements repeat, so prepared ones are kept.
function cachingDatabase(db: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(text) {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = db.prepare(text) as unknown as SqliteStatement;
        if (cache.size >= 500) cache.delete(cache.keys().next().value!);
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

// PostgreSQL errors after which the whole transaction is run again: serialization failure, deadlock and unique
// violation (two requests creating the same row at once: the retry sees the winner's row).
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 4;

function isRetryable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && RETRYABLE.has(String((err as { code?: unknown }).code));
}

/** Whether `err` is either engine's report of a duplicate value in the unique column `table.column`. */
export function violatesUnique(err: unknown, table: string, column: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  return e.code === '23505'
    ? e.constraint === `${table}_${column}_key`
    : e.code === 'SQLITE_CONSTRAINT_UNIQUE' && String(e.message).includes(`${table}.${column}`);
}

/** One transaction on one connection: `begin`, the body, COMMIT; ROLLBACK when anything fails. */
export function inTransaction<T>(db: Kysely<DB>, begin: 'BEGIN' | 'BEGIN IMMEDIATE', body: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(begin).execute(conn);
    try {
      const result = await body(conn);
      await sql.raw('COMMIT').execute(conn);
      return result;
    } catch (err) {
      await sql.raw('ROLLBACK').execute(conn);
      throw err;
    }
  });
}

/** PostgreSQL: one transaction per call on a pooled connection, run again when it lost a race. */
function retryingTransactions(db: Kysely<DB>): Store['transaction'] {
  return async (body) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await inTransaction(db, 'BEGIN', body);
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) throw err;
      }
    }
  };
}

// Enough batches to spread one fsync thin, few enough that the first in a group is not kept waiting long.
const MAX_GROUP = 16;

/**
 * SQLite has one writer and a durable commit costs an fsync, which would serialise every batch behind the disk.
 * Calls that arrive while a commit is under way wait and then run together: each in its own savepoint (it commits
 * whole or not at all, whatever the others do), all under one commit, and none is answered before that commit is
 * on disk.
 *
 * The group's COMMIT itself does not wait for the disk (synchronous=NORMAL for that one commit): its write-ahead log
 * is flushed with fdatasync on libuv's thread pool right after it, and only then are the group's callers answered.
 * The result is as durable as synchronous=FULL, but the event loop keeps parsing, checking and validating the
 * batches of the next group while the disk works, instead of stalling in the fsync. Readers can see a commit
 * before its flush ends: `durable()` lets them wait for it before they answer (see pull).
 */
function groupCommit(db: Kysely<DB>, walFile: string) {
  type Job = { body: (trx: Kysely<DB>) => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };
  const queue: Job[] = [];
  let draining = false;
  let wal: FileHandle | undefined;
  /** Settles once every commit made so far is on disk. */
  let flushed: Promise<void> = Promise.resolve();

  const runGroup = (group: Job[]) =>
    db.connection().execute(async (conn) => {
      const run = (text: string) => sql.raw(text).execute(conn);
      await run('PRAGMA synchronous = NORMAL');
      // IMMEDIATE takes the write lock up front, so a read inside cannot go stale before the write.
      await run('BEGIN IMMEDIATE');
      const settled: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      for (const job of group) {
        await run('SAVEPOINT batch');
        try {
          settled.push({ ok: true, value: await job.body(conn) });
          await run('RELEASE batch');
        } catch (error) {
          await run('ROLLBACK TO batch');
          await run('RELEASE batch');
          settled.push({ ok: false, error });
        }
      }
      // Set before COMMIT: a reader that sees this commit finds the flush it must wait for.
      let done!: (error?: unknown) => void;
      flushed = new Promise<void>((resolve, reject) => (done = (error) => (error === undefined ? resolve() : reject(error))));
      // A failed flush fails this group's callers and the readers waiting on it, not the process.
      flushed.catch(() => undefined);
      try {
        await run('COMMIT');
      } catch (error) {
        await run('ROLLBACK').catch(() => undefined);
        done();
        throw error;
      } finally {
        // Every other write of this connection (outside groups) stays synchronous=FULL.
        await run('PRAGMA synchronous = FULL');
      }
      try {
        wal ??= await open(walFile, 'r+');
        await wal.datasync();
        done();
      } catch (error) {
        done(error);
        throw error;
      }
      group.forEach((job, i) => {
        const outcome = settled[i]!;
        if (outcome.ok) job.resolve(outcome.value);
        else job.reject(outcome.error);
      });
    });

  async function drain() {
    // Let the requests whose bytes have already arrived reach the queue first: they join this group.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (queue.length > 0) {
        const group = queue.splice(0, MAX_GROUP);
        await runGroup(group).catch((error: unknown) => group.forEach((job) => job.reject(error)));
      }
    } finally {
      draining = false;
    }
  }

  return {
    transaction: <T>(body: (trx: Kysely<DB>) => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        queue.push({ body, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) {
          draining = true;
          void drain();
        }
      }),
    durable: () => flushed,
    close: async () => wal?.close(),
  };
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const backend: Backend = options.databaseUrl ? 'postgres' : 'sqlite';
  let db: Kysely<DB>;
  let reader: Kysely<DB>;
  let sqliteGroups: ReturnType<typeof groupCommit> | undefined;
  if (backend === 'postgres') {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
      // Counters and sequences are bigint; every value the server keeps fits a double, so read them as numbers.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 20 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    db = reader = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  } else {
    if (!options.dataDir) throw new Error('dataDir is required for the SQLite store');
    mkdirSync(options.dataDir, { recursive: true });
    const open = () => {
      const file = new BetterSqlite3(join(options.dataDir!, SQLITE_FILE));
      file.pragma('journal_mode = WAL');
      // An acknowledged batch must survive a power cut, as the station's own store does.
      file.pragma('synchronous = FULL');
      file.pragma('busy_timeout = 5000');
      // Checkpoints copy the log into the database and fsync it; rarer, larger ones write each hot page fewer times.
      file.pragma('wal_autocheckpoint = 10000');
      return new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingDatabase(file) }) });
    };
    db = open();
    reader = open();
    sqliteGroups = groupCommit(db, join(options.dataDir, `${SQLITE_FILE}-wal`));
  }

  const store: Store = {
    db,
    reader,
    backend,
    forUpdate: (query) => (backend === 'postgres' ? (query.forUpdate() as typeof query) : query),
    transaction: sqliteGroups?.transaction ?? retryingTransactions(db),
    durable: sqliteGroups?.durable ?? (() => Promise.resolve()),
    close: async () => {
      await sqliteGroups?.close();
      await db.destroy();
      if (reader !== db) await reader.destroy();
    },
  };
  await migrate(store, options.schema);
  return store;
}
