import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, startTestCore } from '../testing/fixture';
import { rejection } from '../testing/api-error';

type TestCore = Awaited<ReturnType<typeof startTestCore>>;
let t: TestCore;
afterEach(() => t?.dispose());

describe('dispatch', () => {
  it('answers VALIDATION with field issues for invalid params, and changes nothing', async () => {
    t = await startTestCore();
    const admin = await t.loggedIn('admin');
    const before = await admin.call('system.status', {});
    const e = await rejection(
      admin.call('station.update', { code: 'x', name: '站', regionCode: '33', windows: [1, 1], idleLockMinutes: 0 }),
    );
    expect(e.code).toBe('VALIDATION');
    expect(e.issues?.map((i) => i.path).sort()).toEqual(['code', 'idleLockMinutes', 'name', 'regionCode', 'windows']);
    expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    const after = await admin.call('system.status', {});
    expect(after.store.auditEntries).toBe(before.store.auditEntries);
    expect(after.store.outboxPending).toBe(before.store.outboxPending);
    expect((await admin.call('station.get', {})).code).toBe('330106001');
  });

  it('rejects unknown keys rather than ignoring them', async () => {
    t = await startTestCore();
    const e = await rejection(
      t.client().call('auth.login', { username: 'teller', password: 'teller123', windowNo: 1, role: 'admin' } as never),
    );
    expect(e.code).toBe('VALIDATION');
  });

  it('gives FORBIDDEN to a teller calling an admin method, and writes nothing', async () => {
    t = await startTestCore();
    const teller = await t.loggedIn('teller');
    const before = (await teller.call('system.status', {})).store;
    for (const call of [
      teller.call('accounts.list', {}),
      teller.call('accounts.create', { username: 'mallory', displayName: '马某', role: 'admin', password: 'secret123' }),
      teller.call('station.update', { code: '330106001', name: '改名站', regionCode: '330106', windows: [1], idleLockMinutes: 5 }),
    ]) {
      expect((await rejection(call)).code).toBe('FORBIDDEN');
    }
    const after = (await teller.call('system.status', {})).store;
    expect(after.auditEntries).toBe(before.auditEntries);
    expect((await teller.call('station.get', {})).name).toBe('西湖区文新街道社保服务站');
  });

  it('gives UNAUTHENTICATED without a session and NOT_FOUND for an unknown method', async () => {
    t = await startTestCore();
    const c = t.client();
    expect((await rejection(c.call('system.status', {}))).code).toBe('UNAUTHENTICATED');
    expect((await rejection(c.call('no.such' as never, {} as never))).code).toBe('NOT_FOUND');
  });

  it('lets an admin do what a teller may not', async () => {
    t = await startTestCore();
    const admin = await t.loggedIn('admin');
    const created = await admin.call('accounts.create', {
      username: 'teller2',
      displayName: '钱柜员',
      role: 'teller',
      password: 'secret123',
    });
    expect(created).toEqual({ id: expect.any(String), username: 'teller2', displayName: '钱柜员', role: 'teller', disabled: false });
    expect(JSON.stringify(await admin.call('accounts.list', {}))).not.toMatch(/scrypt/);
    const again = await rejection(
      admin.call('accounts.create', { username: 'teller2', displayName: '钱柜员', role: 'teller', password: 'secret123' }),
    );
    expect(again.code).toBe('CONFLICT');
  });
});

describe('sessions', () => {
  it('refuses a wrong password with a Chinese message and no session', async () => {
    t = await startTestCore();
    const c = t.client();
    const e = await rejection(c.call('auth.login', { username: 'teller', password: 'wrong-password', windowNo: 1 }));
    expect(e).toMatchObject({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
    expect(await c.call('auth.session', {})).toBeNull();
    const unknown = await rejection(c.call('auth.login', { username: 'nobody', password: 'x', windowNo: 1 }));
    expect(unknown.message).toBe(e.message);
  });

  it('binds a session to its connection only', async () => {
    t = await startTestCore();
    const teller = await t.loggedIn('teller', 2);
    expect(await teller.call('auth.session', {})).toMatchObject({
      operator: { username: 'teller', role: 'teller' },
      windowNo: 2,
      locked: false,
    });
    expect(await t.client().call('auth.session', {})).toBeNull();
  });

  it('locks after the idle time and needs the password again', async () => {
    const clock = manualClock();
    t = await startTestCore({ clock });
    const teller = await t.loggedIn('teller');
    const events: unknown[] = [];
    teller.onEvent((e) => events.push(e));
    clock.advance(4 * 60_000);
    await teller.call('system.status', {});
    clock.advance(5 * 60_000);
    const locked = await rejection(teller.call('system.status', {}));
    expect(locked).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'locked' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'session.changed', session: expect.objectContaining({ locked: true }) }));
    expect((await rejection(teller.call('auth.unlock', { password: 'nope' }))).reason).toBe('locked');
    expect((await rejection(teller.call('system.status', {}))).reason).toBe('locked');
    expect(await teller.call('auth.unlock', { password: 'teller123' })).toMatchObject({ locked: false });
    await expect(teller.call('system.status', {})).resolves.toMatchObject({ appVersion: 'test' });
  });

  it('locks on request and logs out', async () => {
    t = await startTestCore();
    const teller = await t.loggedIn('teller');
    expect(await teller.call('auth.lock', {})).toMatchObject({ locked: true });
    expect((await rejection(teller.call('system.status', {}))).reason).toBe('locked');
    await teller.call('auth.logout', {});
    expect(await teller.call('auth.session', {})).toBeNull();
    expect((await rejection(teller.call('system.status', {}))).code).toBe('UNAUTHENTICATED');
  });

  it('audits login, failed login and logout', async () => {
    t = await startTestCore();
    const c = t.client();
    await rejection(c.call('auth.login', { username: 'teller', password: 'bad', windowNo: 1 }));
    await c.call('auth.login', { username: 'teller', password: 'teller123', windowNo: 1 });
    await c.call('auth.logout', {});
    const admin = await t.loggedIn('admin');
    const status = await admin.call('system.status', {});
    // seed + failed login + login + logout + admin login
    expect(status.store.auditEntries).toBe(5);
    expect(status.store.outboxPending).toBe(5);
  });

  it('refuses a window the station does not have', async () => {
    t = await startTestCore();
    const e = await rejection(t.client().call('auth.login', { username: 'teller', password: 'teller123', windowNo: 9 }));
    expect(e.code).toBe('VALIDATION');
  });
});

describe('unexpected errors', () => {
  it('reach the caller only as INTERNAL and are logged with their stack', async () => {
    t = await startTestCore();
    const admin = await t.loggedIn('admin');
    // Another process breaks the schema under the core: the next query fails unexpectedly.
    const raw = new BetterSqlite3(t.core.storePath);
    raw.exec('ALTER TABLE operator RENAME TO operator_gone');
    raw.close();
    const e = await rejection(admin.call('accounts.list', {}));
    expect(e).toMatchObject({ code: 'INTERNAL', message: '系统内部错误，请联系管理员' });
    const logged = t.logger.lines.find((l) => l.level === 'error');
    expect(JSON.stringify(logged?.fields)).toMatch(/no such table: operator[\s\S]*stack/);
    expect(JSON.stringify(e)).not.toMatch(/operator/);
  });
});

describe('validation messages', () => {
  it('are Chinese even for type errors the schemas do not word themselves', async () => {
    t = await startTestCore();
    const e = await rejection(t.client().call('auth.login', { username: 'teller', password: 'teller123', windowNo: '一' } as never));
    expect(e.code).toBe('VALIDATION');
    expect(e.issues?.[0]).toMatchObject({ path: 'windowNo', message: expect.stringMatching(/[\u4e00-\u9fff]/) });
  });
});
