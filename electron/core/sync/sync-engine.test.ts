import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HOLIDAYS_2026 } from '#shared/domain/calendar/holidays-2026';
import type { Client } from '#shared/transport/client';
import { createCore, type Core } from '../index';
import { createMemoryLogger } from '../platform/logger';
import { rejection } from '../testing/api-error';
import { manualClock, tempDir } from '../testing/fixture';
import { makeIdNumber } from '../testing/id-numbers';
import { enrolWithFake, fakeCentral, type FakeCentral } from './fake-central';
import { manualTimers } from './manual-timers';
import type { SyncTuning } from './sync-engine';

/** Lets the promise chains a fired timer started run to their end. */
const settle = async () => {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
};

const opened: { core: Core; dataDir: string }[] = [];
afterEach(() => {
  for (const { core, dataDir } of opened.splice(0)) {
    core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function setup(tuning: Partial<SyncTuning> = {}) {
  const central = fakeCentral();
  const clock = manualClock(new Date());
  const time = manualTimers(clock);
  const dataDir = tempDir('yc-engine-');
  const core = await createCore({
    dataDir,
    appVersion: 'test',
    logger: createMemoryLogger(),
    clock,
    demo: true,
    sync: { sendFor: () => central.send, timers: time.timers, random: () => 0.5, tuning },
  });
  opened.push({ core, dataDir });
  const { login, admin } = await enrolWithFake(core);
  return { central, clock, time, core, admin, login };
}

const pushes = (central: FakeCentral) => central.requests.filter((r) => r.url === '/v1/sync/push');
const pulls = (central: FakeCentral) => central.requests.filter((r) => r.url.startsWith('/v1/sync/pull'));

/** Cheap commands (no password hashing): each writes one outbox operation. */
async function writeOps(admin: Client, n: number) {
  const station = await admin.call('station.get', {});
  for (let i = 0; i < n; i++) await admin.call('station.update', { ...station, idleLockMinutes: 5 + (i % 10) });
}

describe('the sync engine', () => {
  it('retries with exponential backoff and full jitter while offline, capped, without a busy loop', async () => {
    const { central, time, admin, login } = await setup();
    central.script.down = true;
    const first = await admin.call('sync.now', {});
    expect(first.state).toBe('offline');
    expect(first.lastError?.message).toContain('无法连接中心');
    // random() = 0.5 draws half of each ceiling: 1 s, 2 s, 4 s… up to the 60 s cap.
    expect(time.due()[0]).toBe(500);
    const before = central.requests.length;
    time.advance(499);
    await settle();
    expect(central.requests.length).toBe(before);
    time.advance(1);
    await settle();
    expect(central.requests.length).toBe(before + 1);
    expect(time.due()[0]).toBe(1000);

    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const next = time.due()[0]!;
      delays.push(next);
      time.advance(next);
      await settle();
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000, 30000, 30000]);
    // Ten simulated minutes offline cost a couple of dozen attempts, not thousands.
    const attempts = central.requests.length;
    time.advance(10 * 60_000);
    await settle();
    expect(central.requests.length - attempts).toBeLessThanOrEqual(1);

    central.script.down = false;
    time.advance(time.due()[0]!);
    await settle();
    // The admin's screen locked itself in the simulated quarter of an hour; a fresh session reads the state.
    const viewer = await login('admin');
    expect(await viewer.call('sync.status', {})).toMatchObject({ state: 'online', pendingOps: 1, lastError: null });
    // Online, the new session's login operation wakes the loop after the debounce, well before the 30 s poll.
    expect(time.due()).toEqual([500, 30_000]);
    time.advance(500);
    await settle();
    expect(await viewer.call('sync.status', {})).toMatchObject({ state: 'online', pendingOps: 0 });
    expect(time.due()).toEqual([30_000]);
  });

  it('pushes the outbox in batches, in order, each operation once, with its actor', async () => {
    const { central, admin } = await setup({ batchOps: 10 });
    await writeOps(admin, 23);
    const status = await admin.call('sync.now', {});
    expect(status.pendingOps).toBe(0);
    const sizes = pushes(central).map((r) => r.ops!.length);
    expect(sizes.every((n) => n <= 10)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(central.applied.length);
    expect(central.applied.map((op) => op.seq)).toEqual(central.applied.map((_, i) => i + 1));
    const updates = central.applied.filter((op) => op.type === 'station.updated' && op.actor.operatorId !== null);
    expect(updates).toHaveLength(23);
    expect(updates[0]!.actor).toEqual({ operatorId: expect.any(String), windowNo: 1 });
  });

  it('a lost answer costs one resend, and the central office applies nothing twice', async () => {
    const { central, admin } = await setup();
    await writeOps(admin, 3);
    central.script.loseNextAnswer = true;
    expect((await admin.call('sync.now', {})).state).toBe('offline');
    const applied = central.applied.length;
    expect((await admin.call('sync.status', {})).pendingOps).toBeGreaterThan(0);
    const resent = pushes(central).length;
    expect(await admin.call('sync.now', {})).toMatchObject({ state: 'online', pendingOps: 0 });
    expect(pushes(central).length).toBe(resent + 1);
    expect(central.applied.length).toBe(applied);
  });

  it('applies a pulled page and its cursor in one transaction: a change that does not parse rolls the page back', async () => {
    const { central, admin, login } = await setup();
    await admin.call('sync.now', {});
    const personId = '01a226d8-aeae-7066-84ac-f58293edbb99';
    const person = {
      id: personId,
      stationCode: central.stationCode,
      version: 1,
      fieldVersions: {},
      fields: {
        idNumber: makeIdNumber('330106', '1990-01-01', 7),
        idKind: 'resident_id_18',
        name: '李四',
        sex: 'male',
        birthDate: '1990-01-01',
      },
    };
    central.emit('station', 'person', personId, person);
    const good = central.pageNow({ station: 0, reference: 0 });
    good.streams.station.changes.push({ seq: 999, entity: 'case', id: 'x', data: '{"id":"x"}' });
    central.script.nextPull = good;
    const failed = await admin.call('sync.now', {});
    expect(failed.lastError?.code).toBe('BAD_CHANGE');
    const teller = await login('teller');
    expect((await rejection(teller.call('person.get', { id: personId }))).code).toBe('NOT_FOUND');

    const ok = await admin.call('sync.now', {});
    expect(ok.lastError).toBeNull();
    // The cursor did not move with the rolled-back page: the next pull started from 0 again.
    expect(pulls(central).at(-1)!.url).toContain('station=0');
    expect(await teller.call('person.get', { id: personId })).toMatchObject({ name: '李四', version: 1 });
  });

  it('a checkpoint that disagrees sends the stream back to the start once, then reports the mismatch', async () => {
    const { central, admin } = await setup();
    central.emit('reference', 'reference', 'holidays:330000:1', {
      kind: 'holidays',
      region: '330000',
      version: 1,
      effectiveFrom: '2026-01-01',
      publishedAt: new Date().toISOString(),
      data: HOLIDAYS_2026,
    });
    central.script.badCheckpoint = true;
    const status = await admin.call('sync.now', {});
    expect(status.lastError?.code).toBe('CHECKSUM_MISMATCH');
    expect(pulls(central).map((r) => r.url.includes('reference=0'))).toEqual([true, true]);
    central.script.badCheckpoint = false;
    expect((await admin.call('sync.now', {})).lastError).toBeNull();
  });

  it('files refusals in the inbox; a reviewer acknowledges them in an audited command', async () => {
    const { central, admin, login } = await setup();
    await writeOps(admin, 2);
    for (let seq = 1; seq <= 10; seq++) central.script.refuse.set(seq, { code: 'UNKNOWN_OPERATOR', message: '经办人账号未在中心登记' });
    const status = await admin.call('sync.now', {});
    expect(status.pendingOps).toBe(0);
    expect(status.openInbox).toBe(central.applied.length);

    const reviewer = await login('reviewer');
    const inbox = await reviewer.call('sync.inbox', {});
    expect(inbox[0]).toMatchObject({ kind: 'refusal', code: 'UNKNOWN_OPERATOR', message: '经办人账号未在中心登记', resolvedAt: null });
    const wrong = await rejection(reviewer.call('sync.resolveInbox', { id: inbox[0]!.id, resolution: 'resend_device' }));
    expect(wrong.code).toBe('VALIDATION');
    const resolved = await reviewer.call('sync.resolveInbox', { id: inbox[0]!.id, resolution: 'acknowledge' });
    expect(resolved).toMatchObject({ resolution: 'acknowledge', resolvedBy: expect.any(String) });
    expect((await rejection(reviewer.call('sync.resolveInbox', { id: inbox[0]!.id, resolution: 'acknowledge' }))).code).toBe('CONFLICT');
    expect((await reviewer.call('sync.status', {})).openInbox).toBe(central.applied.length - 1);
    expect((await admin.call('audit.list', { action: 'sync.resolve_inbox' })).entries).toHaveLength(1);
    // Tellers do not resolve refusals.
    expect((await rejection((await login('teller')).call('sync.inbox', {}))).code).toBe('FORBIDDEN');
  });

  it('re-bases a pulled person on the central version and keeps the unsent local edit on screen', async () => {
    const { central, admin, login } = await setup();
    const teller = await login('teller');
    const idNumber = makeIdNumber('330106', '1985-07-12', 3);
    const person = await teller.call('person.create', { idNumber, name: '王小明' });
    await admin.call('sync.now', {});

    // Another counter changed the address centrally (version 2) …
    central.emit('station', 'person', person.id, {
      id: person.id,
      stationCode: central.stationCode,
      version: 2,
      fieldVersions: { address: 2 },
      fields: {
        idNumber,
        idKind: 'resident_id_18',
        name: '王小明',
        sex: 'male',
        birthDate: '1985-07-12',
        phone: null,
        address: '文一路1号',
      },
    });
    // … while this teller edits the phone between the push and the pull: the patch is unsent when the page arrives.
    central.script.beforePull = async () => {
      await teller.call('person.update', { id: person.id, baseVersion: 1, patch: { phone: '13800000002' } });
    };
    const status = await admin.call('sync.now', {});
    expect(status.lastError).toBeNull();
    expect(status.pendingOps).toBe(1);
    expect(await teller.call('person.get', { id: person.id })).toMatchObject({ phone: '13800000002', address: '文一路1号', version: 2 });

    expect(await admin.call('sync.now', {})).toMatchObject({ pendingOps: 0 });
    const patch = central.applied.at(-1)!;
    expect(patch).toMatchObject({
      type: 'person.patched',
      payload: { personId: person.id, baseVersion: 1, patch: { phone: '13800000002' } },
    });
  });

  it('stops cleanly: no timer fires and no answer in flight touches the store after close', async () => {
    const { central, core, time, admin } = await setup();
    await writeOps(admin, 1);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    central.script.beforePull = () => held;
    const round = admin.call('sync.now', {}).catch((err: unknown) => err);
    await settle();
    core.close();
    opened.length = 0;
    release();
    await round;
    time.advance(120_000);
    await settle();
    expect(time.due()).toEqual([]);
  });
});
