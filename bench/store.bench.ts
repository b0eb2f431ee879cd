import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { createCommandRunner } from '#core/store/command';
import { openStore } from '#core/store/open';
import { createMemoryLogger } from '#core/platform/logger';
import { systemClock } from '#core/platform/deps';
import { tempDir } from '#core/testing/fixture';
import { runGroup } from './harness';

/** The foundation's write path: opening the store, and one command versus a raw insert. */
export async function storeBench(): Promise<string> {
  const dir = tempDir('yichuang-bench-');
  let n = 0;
  const fresh = () => join(dir, `open-${n++}.db`);

  const store = openStore(join(dir, 'cmd.db'));
  const runner = createCommandRunner(store, { clock: systemClock, newId: uuidv7, logger: createMemoryLogger() }, () => '330106001');
  // The baseline: the same row into the same kind of database (WAL, synchronous=FULL), no audit, no outbox.
  const raw = new BetterSqlite3(join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT');
  const rawInsert = raw.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  let k = 0;

  return runGroup('Store', [
    {
      name: 'raw open + WAL + one table',
      fn: () => {
        const db = new BetterSqlite3(fresh());
        db.pragma('journal_mode = WAL');
        db.exec('CREATE TABLE t (x INTEGER)');
        db.close();
      },
    },
    { name: 'open store, all migrations', fn: () => openStore(fresh()).close(), baseline: 'raw open + WAL + one table' },
    { name: 'raw insert (durable commit)', fn: () => rawInsert.run(`raw-${k++}`, 'v') },
    {
      name: 'command: insert + audit + outbox',
      baseline: 'raw insert (durable commit)',
      fn: () =>
        runner.run({ operatorId: 'bench', windowNo: 1 }, (db) => {
          const key = `cmd-${k++}`;
          db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(key, 'v');
          return {
            result: null,
            audit: { action: 'bench.set', class: 'general', entityId: key, after: { v: 'v' } },
            outbox: { type: 'bench.set', payload: { key } },
          };
        }),
    },
  ]);
}
