import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixture';
import { migrate, StoreTooNewError, type Migration } from './migrate';
import { MIGRATIONS } from './migrations/index';
import { openStore } from './open';

const dirs: string[] = [];
const file = () => {
  const d = tempDir();
  dirs.push(d);
  return join(d, 'store.db');
};
afterEach(() => dirs.splice(0));

const tables = (db: BetterSqlite3.Database) =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);

describe('migrations', () => {
  it('run from empty to the latest version with WAL and foreign keys on', () => {
    const db = openStore(file());
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(expect.arrayContaining(['audit_log', 'meta', 'operator', 'outbox', 'station']));
    db.close();
  });

  it('are idempotent: reopening applies nothing and keeps the data', () => {
    const path = file();
    const first = openStore(path);
    first.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    const schema = first.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
    first.close();
    const again = openStore(path);
    expect(migrate(again, MIGRATIONS)).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length });
    expect(again.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    expect(again.prepare("SELECT value FROM meta WHERE key = 'k'").get()).toEqual({ value: 'v' });
    again.close();
  });

  it('refuse a database written by a newer version and leave it untouched', () => {
    const path = file();
    const raw = new BetterSqlite3(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openStore(path)).toThrow(StoreTooNewError);
    const check = new BetterSqlite3(path);
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
    expect(tables(check)).toEqual([]);
    check.close();
  });

  it('roll back a failing migration whole, keeping the previous version', () => {
    const path = file();
    const broken: Migration[] = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => openStore(path, broken)).toThrow(/nowhere/);
    const db = openStore(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(tables(db)).not.toContain('half');
    db.close();
  });

  it('reject a list whose versions are not consecutive', () => {
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'skip', sql: '' }])).toThrow(/expected 1/);
    db.close();
  });
});
