import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '#shared/transport/client';
import { manualClock, startTestCore } from '../testing/fixture';
import { rejection } from '../testing/api-error';
import { toAuditEntry } from './audit-handlers';
import type { AuditRow } from './verify';

type TestCore = Awaited<ReturnType<typeof startTestCore>>;
let t: TestCore | undefined;
afterEach(() => {
  t?.dispose();
  t = undefined;
});

/** The clock starts on Monday 2026-03-02 09:00 in Shanghai. */
async function setup() {
  const clock = manualClock();
  t = await startTestCore({ clock });
  const admin = await t.loggedIn('admin');
  const ids = Object.fromEntries((await admin.call('accounts.list', {})).map((o) => [o.username, o.id]));
  return { clock, admin, ids, core: t };
}

const everything = async (admin: Client) => (await admin.call('audit.list', { limit: 500 })).entries;

describe('audit API', () => {
  it('is for administrators only', async () => {
    const { core } = await setup();
    const teller = await core.loggedIn('teller');
    for (const call of [
      teller.call('audit.verify', {}),
      teller.call('audit.list', {}),
      teller.call('audit.screen', { from: '2026-03-01', to: '2026-03-02' }),
    ]) {
      expect((await rejection(call)).code).toBe('FORBIDDEN');
    }
    expect((await rejection(core.client().call('audit.verify', {}))).code).toBe('UNAUTHENTICATED');
  });

  it('verifies the chain, and reports where a tampered store breaks', async () => {
    const { admin, core } = await setup();
    const status = await admin.call('system.status', {});
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, entries: status.store.auditEntries });
    const raw = new BetterSqlite3(core.core.storePath);
    raw.prepare("UPDATE audit_log SET action = 'auth.logout' WHERE seq = 2").run();
    raw.close();
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: false, problem: 'modified', firstBadSeq: 2 });
  });

  it('lists entries newest first with the operator name and parsed data', async () => {
    const { admin, ids } = await setup();
    const entries = await everything(admin);
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((a, b) => b - a));
    expect(entries[0]).toMatchObject({
      action: 'auth.login',
      class: 'general',
      operatorId: ids.admin,
      operatorName: '赵管理',
      windowNo: 1,
      stationCode: '330106001',
      after: { windowNo: 1 },
      before: null,
    });
    expect(entries.at(-1)).toMatchObject({ seq: 1, action: 'demo.seed', class: 'key', operatorId: null, operatorName: null });
  });

  it('filters by class, operator, action and business dates in the station zone', async () => {
    const { clock, ids, core } = await setup();
    await core.loggedIn('teller', 2);
    await core
      .client()
      .call('auth.login', { username: 'teller', password: 'wrong', windowNo: 2 })
      .catch(() => undefined);
    // 2026-03-03 00:30 in Shanghai is still 2026-03-02 in UTC.
    clock.advance(15.5 * 3_600_000);
    await core.loggedIn('teller', 2);
    // The first admin session has locked itself meanwhile.
    const admin = await core.loggedIn('admin');

    const keys = (await admin.call('audit.list', { class: 'key' })).entries;
    expect(keys.map((e) => e.action).sort()).toEqual(['auth.login_failed', 'demo.seed']);
    const tellers = (await admin.call('audit.list', { operatorId: ids.teller })).entries;
    expect(tellers.map((e) => e.action)).toEqual(['auth.login', 'auth.login_failed', 'auth.login']);
    const logins = (await admin.call('audit.list', { action: 'auth.login', operatorId: ids.teller })).entries;
    expect(logins).toHaveLength(2);
    const nextDay = (await admin.call('audit.list', { from: '2026-03-03', to: '2026-03-03' })).entries;
    expect(nextDay.map((e) => [e.action, e.operatorName, e.at])).toEqual([
      ['auth.login', '赵管理', '2026-03-02T16:30:00.000Z'],
      ['auth.login', '王柜员', '2026-03-02T16:30:00.000Z'],
    ]);
    const firstDay = (await admin.call('audit.list', { to: '2026-03-02' })).entries;
    expect(firstDay).toHaveLength((await everything(admin)).length - 2);
  });

  it('pages backwards with beforeSeq until the last page', async () => {
    const { admin, core } = await setup();
    await core.loggedIn('teller');
    await core.loggedIn('reviewer');
    const all = await everything(admin);
    const seen: number[] = [];
    let beforeSeq: number | undefined;
    for (;;) {
      const page = await admin.call('audit.list', { limit: 2, ...(beforeSeq && { beforeSeq }) });
      seen.push(...page.entries.map((e) => e.seq));
      if (page.nextBeforeSeq === null) break;
      beforeSeq = page.nextBeforeSeq;
    }
    expect(seen).toEqual(all.map((e) => e.seq));
  });

  it('refuses bad list and screening ranges with a Chinese message', async () => {
    const { admin } = await setup();
    const order = await rejection(admin.call('audit.list', { from: '2026-03-05', to: '2026-03-01' }));
    expect([order.code, order.message]).toEqual(['VALIDATION', '结束日期不能早于开始日期']);
    expect((await rejection(admin.call('audit.list', { limit: 501 }))).message).toBe('每次最多查询500条');
    expect((await rejection(admin.call('audit.list', { class: 'secret' as never }))).code).toBe('VALIDATION');
    const long = await rejection(admin.call('audit.screen', { from: '2025-01-01', to: '2026-03-02' }));
    expect([long.code, long.message]).toEqual(['VALIDATION', '一次筛查的日期范围不超过366天']);
    expect((await rejection(admin.call('audit.screen', { from: '2026-02-30', to: '2026-03-02' }))).code).toBe('VALIDATION');
  });

  it('screens the chosen days: failed logins in a burst and work after hours', async () => {
    const { clock, ids, core } = await setup();
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      await core
        .client()
        .call('auth.login', { username: 'teller', password: 'wrong', windowNo: 1 })
        .catch(() => undefined);
    }
    clock.advance(10 * 3_600_000); // 19:05 in Shanghai
    await core.loggedIn('reviewer');
    // The first admin session has locked itself meanwhile.
    const admin = await core.loggedIn('admin');
    const findings = await admin.call('audit.screen', { from: '2026-03-02', to: '2026-03-02' });
    expect(findings.map((f) => [f.rule, f.severity, f.operatorId, f.seqs.length])).toEqual([
      ['failed_logins', 'high', ids.teller, 5],
      ['off_hours', 'low', ids.reviewer, 1],
      ['off_hours', 'low', ids.admin, 1],
    ]);
    expect(findings[1]!.message).toBe('李复核在2026-03-02工作时间（08:30–17:30）以外有1次操作（19:05）');
    expect(await admin.call('audit.screen', { from: '2026-03-03', to: '2026-03-04' })).toEqual([]);

    const raw = new BetterSqlite3(core.core.storePath);
    raw.prepare(`UPDATE audit_log SET at = at || 'x' WHERE action = 'auth.login' AND operator_id = ?`).run(ids.reviewer);
    raw.close();
    const afterTampering = await admin.call('audit.screen', { from: '2026-03-02', to: '2026-03-02' });
    expect(afterTampering.map((f) => [f.rule, f.operatorId])).toEqual([
      ['failed_logins', ids.teller],
      ['off_hours', ids.admin],
    ]);
  });
});

describe('audit entries as the API shows them', () => {
  const row: AuditRow & { operator_name: string | null } = {
    seq: 7,
    id: 'e7',
    at: '2026-03-02T01:00:00.000Z',
    station_code: '330106001',
    window_no: 1,
    operator_id: 'op-wang',
    operator_name: '王柜员',
    action: 'person.create',
    class: 'general',
    entity_type: 'person',
    entity_id: 'p1',
    before_json: null,
    after_json: JSON.stringify({ name: '张三', idNumber: '11010519491231002X', history: [{ note: '旧证号110105491231002' }] }),
    prev_hash: '0'.repeat(64),
    hash: '1'.repeat(64),
  };

  it('masks personal numbers wherever they sit in the data', () => {
    expect(toAuditEntry(row).after).toEqual({ name: '张三', idNumber: '1101**********002X', history: [{ note: '旧证号1101*******1002' }] });
  });

  it('shows data that no longer parses as its raw text', () => {
    expect(toAuditEntry({ ...row, before_json: '{"broken', after_json: null })).toMatchObject({ before: '{"broken', after: null });
  });
});
