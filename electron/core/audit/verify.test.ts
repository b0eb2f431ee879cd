import BetterSqlite3, { type Database } from 'better-sqlite3';
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_CLASSES } from '#shared/api/audit';
import { createMemoryLogger } from '../platform/logger';
import { createCommandRunner } from '../store/command';
import { openStore } from '../store/open';
import { manualClock, startTestCore } from '../testing/fixture';
import { GENESIS_HASH, auditHash } from './chain';
import { auditFieldsOf, verifyAuditChain, type AuditRow } from './verify';

type TestCore = Awaited<ReturnType<typeof startTestCore>>;
let t: TestCore | undefined;
let raw: Database | undefined;
afterEach(() => {
  raw?.close();
  t?.dispose();
  raw = t = undefined;
});

/** A demo core with a few days' worth of real commands, and a second connection to tamper with its store. */
async function chainFromCore(): Promise<Database> {
  const clock = manualClock();
  t = await startTestCore({ clock });
  const admin = await t.loggedIn('admin');
  clock.advance(60_000);
  const teller = await t.loggedIn('teller', 2);
  clock.advance(60_000);
  await t
    .client()
    .call('auth.login', { username: 'teller', password: 'wrong', windowNo: 1 })
    .catch(() => undefined);
  const station = await admin.call('station.get', {});
  await admin.call('station.update', { ...station, name: '西湖区文新街道社保服务站（改）' });
  await admin.call('accounts.create', { username: 'teller2', displayName: '钱柜员', role: 'teller', password: 'secret123' });
  await teller.call('auth.logout', {});
  raw = new BetterSqlite3(t.core.storePath);
  return raw;
}

const rows = (db: Database) => db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').all();
const seqOf = (db: Database, action: string) =>
  db.prepare<[string], { seq: number }>('SELECT seq FROM audit_log WHERE action = ?').get(action)!.seq;

function swapSeqs(db: Database, a: number, b: number): void {
  db.prepare('UPDATE audit_log SET seq = -1 WHERE seq = ?').run(a);
  db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(a, b);
  db.prepare('UPDATE audit_log SET seq = ? WHERE seq = -1').run(b);
}

/** Inserts a forged entry at `seq`, moving the later ones up, hashed on `prevHash` so it is consistent in itself. */
function insertForged(db: Database, seq: number, prevHash: string): void {
  db.prepare('UPDATE audit_log SET seq = -seq WHERE seq >= ?').run(seq);
  db.prepare('UPDATE audit_log SET seq = 1 - seq WHERE seq < 0').run();
  const forged: AuditRow = {
    seq,
    id: `forged-${seq}`,
    at: '2026-03-02T01:30:00.000Z',
    station_code: '330106001',
    window_no: 1,
    operator_id: null,
    action: 'case.approve',
    class: 'key',
    entity_type: 'case',
    entity_id: 'case-1',
    before_json: null,
    after_json: '{"status":"approved"}',
    prev_hash: prevHash,
    hash: '',
  };
  forged.hash = auditHash(prevHash, auditFieldsOf(forged));
  db.prepare(
    `INSERT INTO audit_log VALUES (@seq, @id, @at, @station_code, @window_no, @operator_id, @action, @class, @entity_type, @entity_id,
       @before_json, @after_json, @prev_hash, @hash)`,
  ).run(forged);
}

const hashAt = (db: Database, seq: number) =>
  seq < 1 ? GENESIS_HASH : db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?').get(seq)!.hash;

describe('audit chain verification', () => {
  it('passes an untouched chain written by real commands and names its head', async () => {
    const db = await chainFromCore();
    const all = rows(db);
    expect(all.length).toBeGreaterThanOrEqual(7);
    const result = verifyAuditChain(db);
    expect(result).toMatchObject({ ok: true, entries: all.length, headSeq: all.at(-1)!.seq, headHash: all.at(-1)!.hash });
    expect(result.message).toBe(`审计链完整：共${all.length}条记录，逐条校验通过`);
    expect(result.firstBadSeq).toBeUndefined();
  });

  it('finds a field changed with raw SQL', async () => {
    const db = await chainFromCore();
    const seq = seqOf(db, 'station.update');
    db.prepare(`UPDATE audit_log SET after_json = replace(after_json, '（改）', '') WHERE seq = ?`).run(seq);
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, problem: 'modified', firstBadSeq: seq, headSeq: null });
    expect(verifyAuditChain(db).message).toBe(`审计链已损坏：第${seq}条记录的内容与其哈希不符，已被修改`);
  });

  it('finds a changed operator, a changed stored hash and a changed link alike', async () => {
    const db = await chainFromCore();
    const login = seqOf(db, 'auth.login_failed');
    db.prepare('UPDATE audit_log SET operator_id = NULL WHERE seq = ?').run(login);
    expect(verifyAuditChain(db)).toMatchObject({ problem: 'modified', firstBadSeq: login });
    db.prepare('UPDATE audit_log SET hash = ? WHERE seq = 2').run('f'.repeat(64));
    expect(verifyAuditChain(db)).toMatchObject({ problem: 'modified', firstBadSeq: 2 });
    db.prepare('UPDATE audit_log SET prev_hash = ? WHERE seq = 1').run('e'.repeat(64));
    expect(verifyAuditChain(db)).toMatchObject({ problem: 'modified', firstBadSeq: 1 });
  });

  it('finds a deleted entry by the gap it leaves, also at the start and for several in a row', async () => {
    const db = await chainFromCore();
    const seq = seqOf(db, 'accounts.create');
    db.prepare('DELETE FROM audit_log WHERE seq IN (?, ?)').run(seq - 1, seq);
    const result = verifyAuditChain(db);
    expect(result).toMatchObject({ ok: false, problem: 'deleted', firstBadSeq: seq - 1, entries: rows(db).length });
    expect(result.message).toContain(`第${seq - 1}至${seq}条记录已被删除`);
    db.prepare('DELETE FROM audit_log WHERE seq = 1').run();
    expect(verifyAuditChain(db)).toMatchObject({ problem: 'deleted', firstBadSeq: 1, message: '审计链已损坏：第1条记录已被删除' });
  });

  it('finds two entries whose places were swapped, next to each other or apart', async () => {
    const db = await chainFromCore();
    swapSeqs(db, 3, 4);
    expect(verifyAuditChain(db)).toMatchObject({
      ok: false,
      problem: 'reordered',
      firstBadSeq: 3,
      message: '审计链已损坏：第3条与第4条记录的顺序被调换',
    });
    swapSeqs(db, 3, 4);
    expect(verifyAuditChain(db).ok).toBe(true);
    swapSeqs(db, 2, 6);
    expect(verifyAuditChain(db)).toMatchObject({ problem: 'reordered', firstBadSeq: 2 });
    expect(verifyAuditChain(db).message).toContain('本应位于第1条之后的记录现为第6条');
  });

  it('finds a forged entry inserted in the middle even though its own hash is right', async () => {
    const db = await chainFromCore();
    insertForged(db, 4, hashAt(db, 3));
    const result = verifyAuditChain(db);
    expect(result).toMatchObject({ ok: false, problem: 'inserted', firstBadSeq: 4 });
    expect(result.message).toContain('第4条记录是插入的');
  });

  it('finds a forged first entry', async () => {
    const db = await chainFromCore();
    insertForged(db, 1, GENESIS_HASH);
    expect(verifyAuditChain(db)).toMatchObject({ problem: 'inserted', firstBadSeq: 1 });
  });

  it('finds a forged entry that links to nothing', async () => {
    const db = await chainFromCore();
    insertForged(db, 3, 'a'.repeat(64));
    expect(verifyAuditChain(db)).toMatchObject({ problem: 'inserted', firstBadSeq: 3 });
  });

  it('finds an entry changed and re-hashed by the break in the link after it', async () => {
    const db = await chainFromCore();
    const seq = seqOf(db, 'station.update');
    const row = db.prepare<[number], AuditRow>('SELECT * FROM audit_log WHERE seq = ?').get(seq)!;
    const after_json = row.after_json!.replace('（改）', '');
    const hash = auditHash(row.prev_hash, auditFieldsOf({ ...row, after_json }));
    db.prepare('UPDATE audit_log SET after_json = ?, hash = ? WHERE seq = ?').run(after_json, hash, seq);
    const result = verifyAuditChain(db);
    expect(result).toMatchObject({ ok: false, problem: 'unlinked', firstBadSeq: seq });
    expect(result.message).toContain(`第${seq}条可能被修改后重新计算了哈希`);
  });

  it('cannot tell that the newest entries were cut off: the documented limit', async () => {
    const db = await chainFromCore();
    const head = rows(db).at(-1)!;
    db.prepare('DELETE FROM audit_log WHERE seq = ?').run(head.seq);
    const result = verifyAuditChain(db);
    expect(result.ok).toBe(true);
    // Only a head recorded elsewhere (a printout, the central office) shows the loss.
    expect(result.headSeq).toBe(head.seq - 1);
    expect(result.headHash).not.toBe(head.hash);
  });

  it('reports an empty log as intact', () => {
    raw = openStore(':memory:');
    expect(verifyAuditChain(raw)).toEqual({ ok: true, entries: 0, headSeq: null, headHash: null, message: '审计日志为空' });
  });
});

type Tampering =
  | { kind: 'modify'; seq: number; field: (typeof MODIFIABLE)[number] }
  | { kind: 'delete'; seq: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'insert'; seq: number; linked: boolean };

const MODIFIABLE = [
  'id',
  'at',
  'station_code',
  'window_no',
  'operator_id',
  'action',
  'class',
  'entity_type',
  'entity_id',
  'before_json',
  'after_json',
  'prev_hash',
  'hash',
] as const;

const entryArb = fc.record({
  operatorId: fc.constantFrom(null, 'op-teller', 'op-admin'),
  windowNo: fc.constantFrom(null, 1, 2),
  action: fc.constantFrom('auth.login', 'person.update', 'case.accept', 'case.review', 'security.sod_refused'),
  class: fc.constantFrom(...AUDIT_CLASSES),
  entityId: fc.option(fc.uuid(), { nil: undefined }),
  before: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  after: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  gapMs: fc.integer({ min: 0, max: 3_600_000 }),
});

/** The last entry can be deleted or a forged one appended unnoticed (see the limit above), so neither is drawn. */
const tamperingArb = (n: number): fc.Arbitrary<Tampering> =>
  fc.oneof(
    fc.record({ kind: fc.constant('modify' as const), seq: fc.integer({ min: 1, max: n }), field: fc.constantFrom(...MODIFIABLE) }),
    fc.record({ kind: fc.constant('delete' as const), seq: fc.integer({ min: 1, max: n - 1 }) }),
    fc
      .uniqueArray(fc.integer({ min: 1, max: n }), { minLength: 2, maxLength: 2 })
      .map(([x, y]) => ({ kind: 'swap' as const, a: Math.min(x!, y!), b: Math.max(x!, y!) })),
    fc.record({ kind: fc.constant('insert' as const), seq: fc.integer({ min: 1, max: n }), linked: fc.boolean() }),
  );

function modifiedValue(row: AuditRow, field: (typeof MODIFIABLE)[number]): string | number {
  if (field === 'window_no') return (row.window_no ?? 0) + 1;
  if (field === 'class') return AUDIT_CLASSES[(AUDIT_CLASSES.indexOf(row.class) + 1) % AUDIT_CLASSES.length]!;
  return `${row[field] ?? ''}x`;
}

function tamper(db: Database, change: Tampering): { problem: string; firstBadSeq: number } {
  switch (change.kind) {
    case 'modify': {
      const row = db.prepare<[number], AuditRow>('SELECT * FROM audit_log WHERE seq = ?').get(change.seq)!;
      db.prepare(`UPDATE audit_log SET ${change.field} = ? WHERE seq = ?`).run(modifiedValue(row, change.field), change.seq);
      return { problem: 'modified', firstBadSeq: change.seq };
    }
    case 'delete':
      db.prepare('DELETE FROM audit_log WHERE seq = ?').run(change.seq);
      return { problem: 'deleted', firstBadSeq: change.seq };
    case 'swap':
      swapSeqs(db, change.a, change.b);
      return { problem: 'reordered', firstBadSeq: change.a };
    case 'insert':
      insertForged(db, change.seq, change.linked ? hashAt(db, change.seq - 1) : 'b'.repeat(64));
      return { problem: 'inserted', firstBadSeq: change.seq };
  }
}

describe('audit chain verification, property', () => {
  it('detects any single tampering of a random chain, with its kind and seq', () => {
    const scenario = fc
      .array(entryArb, { minLength: 2, maxLength: 16 })
      .chain((entries) => fc.tuple(fc.constant(entries), tamperingArb(entries.length)));
    fc.assert(
      fc.property(scenario, ([entries, change]) => {
        const db = openStore(':memory:');
        try {
          const clock = manualClock();
          const runner = createCommandRunner(db, { clock, newId: uuidv7, logger: createMemoryLogger() }, () => '330106001');
          for (const e of entries) {
            clock.advance(e.gapMs);
            runner.run({ operatorId: e.operatorId, windowNo: e.windowNo }, () => ({
              result: null,
              audit: { action: e.action, class: e.class, entityType: 'test', entityId: e.entityId, before: e.before, after: e.after },
              outbox: { type: e.action, payload: null },
            }));
          }
          expect(verifyAuditChain(db).ok).toBe(true);
          const expected = tamper(db, change);
          expect(verifyAuditChain(db)).toMatchObject({ ok: false, ...expected });
        } finally {
          db.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
