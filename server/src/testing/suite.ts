import { afterAll, beforeAll } from 'vitest';
import type { ServerDeps } from '../app';
import type { Backend } from '../db/store';
import { centralOn, testDatabase, type Central } from './central';

/**
 * One central office per test file and engine, on a database of its own: opened before the file's tests, closed
 * and dropped after them. Read `db` and `central` inside tests (they are set once beforeAll has run).
 */
export function centralSuite(backend: Backend, deps: Partial<ServerDeps> = {}) {
  const suite = {} as { db: Awaited<ReturnType<typeof testDatabase>>; central: Central };
  beforeAll(async () => {
    suite.db = await testDatabase(backend);
    suite.central = await centralOn(suite.db.store, { blobs: suite.db.blobs, ...deps });
  });
  afterAll(async () => {
    await suite.central?.close();
    await suite.db?.dispose();
  });
  return suite;
}
