import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../store/migrate';
import { MIGRATIONS } from '../store/migrations/index';
import { fileSyncStore } from './file-sync-store';

const hash = (c: string) => c.repeat(64);
const T0 = '2026-11-01T08:00:00.000Z';
const T1 = '2026-11-02T08:00:00.000Z';
const T2 = '2026-11-03T08:00:00.000Z';

/**
 * A store at version 10 with three files, each held by a page (foreign keys off: the pages need no case here): `a`
 * stored at T1, `b` stored at T0, `c` not stored; then migrated to the current version.
 */
function storeWithFiles() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = OFF');
  migrate(db, MIGRATIONS.slice(0, 10));
  const blob = db.prepare("INSERT INTO page_blob (sha256, mime, size, created_at) VALUES (?, 'application/pdf', 100, ?)");
  const page = db.prepare(
    "INSERT INTO case_page (id, case_id, material_code, seq, sha256, name, attached_by, attached_at) VALUES (?, 'k', 'ID', 1, ?, 'p.pdf', 'o', ?)",
  );
  const upload = db.prepare('INSERT INTO page_upload (sha256, stored_at, updated_at) VALUES (?, ?, ?)');
  for (const [c, stored] of [
    ['a', T1],
    ['b', T0],
    ['c', null],
  ] as const) {
    blob.run(hash(c), T0);
    page.run(c, hash(c), T0);
    upload.run(hash(c), stored, T0);
  }
  migrate(db, MIGRATIONS);
  return db;
}

const checkedAt = (db: Database.Database) =>
  db
    .prepare<[], { sha256: string; stored_at: string | null; checked_at: string | null; confirmed_bytes: number }>(
      'SELECT sha256, stored_at, checked_at, confirmed_bytes FROM page_upload ORDER BY sha256',
    )
    .all();

describe('the re-check of stored files', () => {
  it('counts files stored before migration 11 as confirmed when they were stored', () => {
    const db = storeWithFiles();
    expect(checkedAt(db).map((r) => r.checked_at)).toEqual([T1, T0, null]);
  });

  it('takes stored files confirmed before the cutoff, oldest first, at most the limit', () => {
    const store = fileSyncStore(storeWithFiles());
    expect(store.toRecheck(T2, 10).map((f) => f.sha256)).toEqual([hash('b'), hash('a')]);
    expect(store.toRecheck(T2, 1).map((f) => f.sha256)).toEqual([hash('b')]);
    expect(store.toRecheck(T1, 10).map((f) => f.sha256)).toEqual([hash('b')]);
    expect(store.toRecheck(T0, 10)).toEqual([]);
  });

  it('puts a file the central office lost back in the queue at its offset, and moves the others on a day', () => {
    const db = storeWithFiles();
    const store = fileSyncStore(db);
    store.rechecked(
      [
        { sha256: hash('a'), state: 'stored', offset: 100 },
        { sha256: hash('b'), state: 'partial', offset: 40 },
      ],
      T2,
    );
    expect(checkedAt(db).slice(0, 2)).toEqual([
      { sha256: hash('a'), stored_at: T1, checked_at: T2, confirmed_bytes: 0 },
      { sha256: hash('b'), stored_at: null, checked_at: null, confirmed_bytes: 40 },
    ]);
    expect(store.toRecheck('9999', 10)).toEqual([{ sha256: hash('a'), mime: 'application/pdf', size: 100, damaged: false }]);
    // Stored again: confirmed with it.
    store.stored(hash('b'), T2);
    expect(checkedAt(db)[1]).toMatchObject({ stored_at: T2, checked_at: T2, confirmed_bytes: 100 });
  });
});
