import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '#core/testing/api-error';
import { deviceKeyPath } from '#core/sync/device-key';
import { accepted, acceptD1 } from '#core/testing/cases';
import { makeIdNumber } from '#core/testing/id-numbers';
import { syncClient } from '../../server/src/client/sync-client';
import { outbox } from '../../server/src/testing/central';
import { centralOffice, cuttableLink, stationCore, type CentralOffice, type StationCore } from './harness';

/** A real station core syncing with a real central office through Fastify's inject. */
describe('a station syncing with the central office', () => {
  let central: CentralOffice;
  let link: ReturnType<typeof cuttableLink>;
  let station: StationCore;

  beforeEach(async () => {
    central = await centralOffice();
    link = cuttableLink(central.send);
    station = await stationCore(link.send);
  });
  afterEach(async () => {
    station.dispose();
    await central.close();
  });

  const opLog = () =>
    central.store.db.selectFrom('op_log').select(['seq', 'op_id', 'type', 'operator_id', 'outcome']).orderBy('seq').execute();

  it('refuses a wrong enrolment code with a Chinese message and stays unenrolled', async () => {
    const admin = await station.login('admin', 'admin123');
    const e = await rejection(admin.call('sync.enrol', { centralUrl: 'http://central.test', code: 'AAAA-BBBB-CCCC-DDDD' }));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('注册码无效');
    expect(await admin.call('sync.status', {})).toMatchObject({ state: 'never_enrolled', deviceId: null });
  });

  it('says plainly when the central office cannot be reached at enrolment', async () => {
    link.cut();
    const admin = await station.login('admin', 'admin123');
    const e = await rejection(admin.call('sync.enrol', { centralUrl: 'http://central.test', code: await central.enrolmentCode() }));
    expect(e.message).toContain('无法连接中心');
  });

  it('enrols once, keeps the key in a 0600 file, takes the central station code, and refuses a second enrolment', async () => {
    const status = await station.enrol(central);
    expect(status).toMatchObject({ stationCode: central.stationCode, centralUrl: 'http://central.test' });
    expect(status.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    if (process.platform !== 'win32') expect(statSync(deviceKeyPath(station.dataDir)).mode & 0o777).toBe(0o600);
    const admin = await station.login('admin', 'admin123');
    expect(await admin.call('station.get', {})).toMatchObject({ code: central.stationCode, regionCode: '330106' });
    const again = await rejection(admin.call('sync.enrol', { centralUrl: 'http://central.test', code: await central.enrolmentCode() }));
    expect(again.code).toBe('CONFLICT');
    const { entries } = await admin.call('audit.list', { action: 'sync.enrol' });
    expect(entries).toHaveLength(1);
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true });
  });

  it('pushes every operation exactly once with its actor, pulls the central accounts, and a teller registers a person', async () => {
    await station.enrol(central);
    const admin = await station.login('admin', 'admin123');
    const first = await admin.call('sync.now', {});
    expect(first).toMatchObject({ state: 'online', pendingOps: 0, lastError: null });
    expect(first.lastSyncAt).not.toBeNull();

    const teller = await station.login('zhou_teller', 'zhou-teller-1', 2);
    const person = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1985-07-12', 1), name: '王小明' });
    await teller.call('person.update', { id: person.id, baseVersion: person.version, patch: { phone: '13800000001' } });
    expect((await teller.call('sync.status', {})).pendingOps).toBeGreaterThanOrEqual(3);
    expect(await teller.call('sync.now', {})).toMatchObject({ state: 'online', pendingOps: 0 });

    const ops = await opLog();
    expect(ops.map((o) => Number(o.seq))).toEqual(ops.map((_, i) => i + 1));
    const tellerOps = ops.filter((o) => o.operator_id === central.accounts.zhou_teller);
    expect(tellerOps.map((o) => [o.type, o.outcome])).toEqual([
      ['operator.login', 'applied'],
      ['person.created', 'applied'],
      ['person.patched', 'applied'],
    ]);
    const record = await central.store.db
      .selectFrom('registry')
      .select(['fields', 'version'])
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(record.fields)).toMatchObject({ name: '王小明', phone: '13800000001' });
    expect(await teller.call('person.get', { id: person.id })).toMatchObject({ phone: '13800000001', version: record.version });
  });

  it("a field both sides changed becomes an inbox conflict with both values; a reviewer sends this PC's value again", async () => {
    await station.enrol(central);
    // The central accounts arrive with the first sync.
    await (await station.login('admin', 'admin123')).call('sync.now', {});
    const teller = await station.login('zhou_teller', 'zhou-teller-1');
    const person = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1985-07-12', 2), name: '王小明' });
    await teller.call('sync.now', {});

    // Another counter changes the phone centrally while this PC, offline, changes it to something else.
    const other = syncClient(central.send);
    const { device } = await other.enrol(await central.enrolmentCode(), '2号窗口');
    const op = outbox();
    const patch = { personId: person.id, baseVersion: 1, patch: { phone: '13900000009' } };
    expect((await other.push(device, [op('person.patched', patch, { operatorId: central.accounts.zhou_teller!, windowNo: 2 })])).ok).toBe(
      true,
    );
    link.cut();
    await teller.call('person.update', { id: person.id, baseVersion: 1, patch: { phone: '13800000001' } });
    await teller.call('sync.now', {});
    link.restore();

    const status = await teller.call('sync.now', {});
    expect(status).toMatchObject({ state: 'online', pendingOps: 0 });
    // The central value stands on screen: never last-writer-wins, never a silent overwrite of either side.
    expect(await teller.call('person.get', { id: person.id })).toMatchObject({ phone: '13900000009' });
    const reviewer = await station.login('wu_reviewer', 'wu-reviewer-1');
    const inbox = await reviewer.call('sync.inbox', {});
    // Besides the demo seed's station settings, refused for naming the demo station code instead of the central one.
    expect(inbox.map((i) => i.code ?? i.kind)).toEqual(['STATION_MISMATCH', 'conflict']);
    const conflict = inbox.find((i) => i.kind === 'conflict');
    expect(conflict).toMatchObject({
      kind: 'conflict',
      entity: 'person',
      entityId: person.id,
      field: 'phone',
      serverValue: '13900000009',
      deviceValue: '13800000001',
    });
    expect(conflict!.message).toContain('联系电话');

    await reviewer.call('sync.resolveInbox', { id: conflict!.id, resolution: 'resend_device' });
    expect(await reviewer.call('sync.now', {})).toMatchObject({ pendingOps: 0, openInbox: 1 });
    // Audited as the reviewer's decision; sent as the teller's edit, which the central office accepts.
    expect((await reviewer.call('sync.inbox', { includeResolved: true })).find((i) => i.id === conflict!.id)).toMatchObject({
      resolution: 'resend_device',
      resolvedBy: central.accounts.wu_reviewer,
    });
    const record = await central.store.db.selectFrom('registry').select('fields').where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(JSON.parse(record.fields)).toMatchObject({ phone: '13800000001' });
    expect(await teller.call('person.get', { id: person.id })).toMatchObject({ phone: '13800000001' });
  });

  it('reports the progress of a round while it runs, and none once it is over', async () => {
    await station.enrol(central);
    await (await station.login('admin', 'admin123')).call('sync.now', {});
    const teller = await station.login('zhou_teller', 'zhou-teller-1');
    for (let i = 0; i < 3; i += 1)
      await teller.call('person.create', { idNumber: makeIdNumber('330106', '1990-01-01', 10 + i), name: '进度测试' });
    const seen: unknown[] = [];
    teller.onEvent((e) => e.type === 'sync.status' && e.status.progress && seen.push(e.status.progress));
    const after = await teller.call('sync.now', {});
    expect(after.progress).toBeNull();
    const waiting = (seen[0] as { toPush: number }).toPush;
    expect(waiting).toBeGreaterThanOrEqual(3);
    expect(seen).toContainEqual({ pushed: waiting, toPush: waiting, pulled: 0 });
    expect((seen.at(-1) as { pulled: number }).pulled).toBeGreaterThan(0);
  });

  it('a decision of the central back office flows down to the case at the station', async () => {
    await station.enrol(central);
    await (await station.login('admin', 'admin123')).call('sync.now', {});
    const teller = await station.login('zhou_teller', 'zhou-teller-1');
    const person = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1985-07-12', 4), name: '陈建国' });
    const caseView = accepted(await acceptD1(teller, person.id));
    expect(caseView.status).toBe('pending_review');
    await teller.call('sync.now', {});

    // A reviewer of the district's back office rejects it from a central workstation.
    const backOffice = await central.backOffice();
    const op = outbox();
    const intent = {
      caseId: caseView.id,
      caseNo: caseView.caseNo,
      action: 'reject' as const,
      reason: '证明材料与户籍信息不符',
      fromStatus: 'pending_review' as const,
      steps: ['reject' as const],
      at: new Date().toISOString(),
    };
    const pushed = await backOffice.client.push(backOffice.device, [
      op('case.intent', intent, { operatorId: backOffice.reviewerId, windowNo: null }),
    ]);
    expect(pushed.ok && pushed.body.results[0]?.outcome).toBe('applied');

    await teller.call('sync.now', {});
    const after = await teller.call('case.get', { id: caseView.id });
    expect(after).toMatchObject({ status: 'rejected', lastReason: '证明材料与户籍信息不符' });
    expect(after.events.at(-1)).toMatchObject({ action: 'reject', toStatus: 'rejected' });
  });

  it('a centrally disabled operator cannot log in after the next sync; offline login works with the last verifiers', async () => {
    await station.enrol(central);
    const admin = await station.login('admin', 'admin123');
    await admin.call('sync.now', {});

    link.cut();
    const offline = await station.login('zhou_teller', 'zhou-teller-1');
    const status = await offline.call('sync.now', {});
    expect(status.state).toBe('offline');
    expect(status.lastError?.message).toContain('无法连接中心');
    expect(status.pendingOps).toBeGreaterThan(0);
    expect(status.nextAttemptAt).not.toBeNull();

    link.restore();
    await central.putAccount('zhou_teller', { disabled: true });
    await admin.call('sync.now', {});
    const refused = await rejection(station.login('zhou_teller', 'zhou-teller-1'));
    expect(refused.code).toBe('UNAUTHENTICATED');
    expect(refused.message).toContain('停用');
    // A session already open ends at its next call.
    expect((await rejection(offline.call('sync.status', {}))).code).toBe('UNAUTHENTICATED');
  });

  it('measures the clock skew of a PC a day behind and still signs requests the central office accepts', async () => {
    station.dispose();
    station = await stationCore(link.send, { clockOffsetMs: -86_400_000 });
    await station.enrol(central);
    const admin = await station.login('admin', 'admin123');
    const status = await admin.call('sync.now', {});
    expect(status.state).toBe('online');
    expect(Math.abs(status.clockSkewMs! - 86_400_000)).toBeLessThan(60_000);
  });

  it('an admin resets the enrolment (audited) and the PC enrols again with a new code', async () => {
    await station.enrol(central);
    const admin = await station.login('admin', 'admin123');
    const reset = await admin.call('sync.reset', { reason: '更换中心服务器' });
    expect(reset).toMatchObject({ state: 'never_enrolled', deviceId: null });
    expect((await admin.call('audit.list', { action: 'sync.reset' })).entries).toHaveLength(1);
    const again = await admin.call('sync.enrol', { centralUrl: 'http://central.test', code: await central.enrolmentCode() });
    expect(again.deviceId).not.toBeNull();
  });
});
