import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_FILE } from '#core/index';
import { DEVICE_KEY_FILE } from '#core/sync/device-key';
import { makeIdNumber } from '#core/testing/id-numbers';
import { tempDir } from '#core/testing/fixture';
import type { Send } from '#shared/sync/client';
import type { Client } from '#shared/transport/client';
import { revokeDevice } from '../../server/src/admin/stations';
import {
  CENTRAL_URL,
  centralOffice,
  centralOps,
  centralStreams,
  cuttableLink,
  registryDifferences,
  restoreInto,
  stationCore,
  stationLedger,
  type CentralOffice,
} from './harness';

let central: CentralOffice;
const dirs: string[] = [];

beforeEach(async () => {
  central = await centralOffice();
});
afterEach(async () => {
  await central.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * The store of an enrolled station is lost after it synced work written since its last backup; the backup is restored
 * (the device key and the backup key survived on the PC) and the station carries on. The central office keeps every
 * operation exactly once, the work lost locally comes back down, and the new work goes up after it.
 */
describe('restoring a backup on an enrolled station', () => {
  it('brings the station back to the central office state with no duplicate and no lost operation', async () => {
    const link = cuttableLink(central.send);
    const before = await stationCore(link.send);
    dirs.push(before.dataDir);
    const deviceId = (await before.enrol(central)).deviceId!;
    const admin = await before.login('admin', 'admin123');
    await admin.call('sync.now', {});
    const teller = await before.login('zhou_teller', 'zhou-teller-1');
    const person = (seed: number, name: string) => ({ idNumber: makeIdNumber('330106', '1980-05-20', seed), name });
    await teller.call('person.create', person(1, '陈建国'));
    await teller.call('sync.now', {});
    const backupDir = tempDir('yc-backups-');
    dirs.push(backupDir);
    await admin.call('backup.updateSettings', { dir: backupDir, intervalHours: 24, keep: 7 });
    const backup = await admin.call('backup.run', {});
    // Kept apart from the PC, as the administrator's guide says.
    const { key } = await admin.call('backup.exportKey', {});

    // Written and synced after the backup: lost with the store, but the central office has it.
    const lost = await teller.call('person.create', person(2, '林小红'));
    await teller.call('person.update', { id: lost.id, baseVersion: lost.version, patch: { phone: '13800000002' } });
    await teller.call('sync.now', {});
    const held = await centralOps(central.store, deviceId);
    before.core.close();

    // The disk is replaced: the backup goes into a fresh folder; the keys were kept on the PC (docs/operations.md).
    const restoredDir = tempDir('yc-restored-');
    dirs.push(restoredDir);
    await restoreInto(restoredDir, { file: backup.file, key: Buffer.from(key, 'base64'), stationCode: central.stationCode });
    copyFileSync(join(before.dataDir, DEVICE_KEY_FILE), join(restoredDir, DEVICE_KEY_FILE));
    const after = await stationCore(link.send, { dataDir: restoredDir });
    const outboxAtRestore = stationLedger(restoredDir).outbox;
    expect(outboxAtRestore.length).toBeLessThan(held.length);

    // New work under numbers the central office already holds from the lost operations.
    const teller2 = await after.login('zhou_teller', 'zhou-teller-1');
    await teller2.call('person.create', person(3, '赵四'));
    expect(await teller2.call('sync.now', {})).toMatchObject({ state: 'online', pendingOps: 0, lastError: null });

    const ops = await centralOps(central.store, deviceId);
    // Gap-free, each operation once, the lost ones untouched, the new ones after them.
    expect(ops.map(([seq]) => seq)).toEqual(ops.map((_, i) => i + 1));
    expect(new Set(ops.map(([, id]) => id)).size).toBe(ops.length);
    expect(ops.slice(0, held.length)).toEqual(held);
    const local = stationLedger(restoredDir);
    expect(local.pending).toBe(0);
    expect(local.outbox.slice(-1)[0]![0]).toBe(ops.at(-1)![0]);
    expect(local.streams).toEqual(await centralStreams(central.store, central.stationCode));
    // The person written after the backup came back down, with the phone set on it.
    expect(await registryDifferences(central.store, central.stationCode, restoredDir)).toEqual([]);
    const found = await teller2.call('registry.search', { query: '林小红' });
    expect(found.persons.map((p) => p.id)).toEqual([lost.id]);
    after.core.close();
  });
});

/**
 * The disk is lost with everything on it, the device key included (it is never in a backup). The backup is restored
 * with the exported backup key, the central administrator revokes the lost device and issues a new code, and the PC
 * is enrolled again as a new device of its station, with a restored outbox holding operations the lost device had
 * already sent (docs/operations.md, "Restore and the central office").
 */
describe('restoring a backup on a station that lost its device key too', () => {
  /** The operation ids a link carried in pushes, in order, while `on` is set. */
  function pushWatch(deliver: Send) {
    const sent: string[] = [];
    let on = false;
    const send: Send = (request) => {
      if (on && request.url === '/v1/sync/push' && typeof request.body === 'string') {
        sent.push(...(JSON.parse(request.body) as { ops: { opId: string }[] }).ops.map((op) => op.opId));
      }
      return deliver(request);
    };
    return { send, sent, watch: () => void (on = true) };
  }

  /** Every local operation with its number and whether the central office acknowledged it, in order. */
  function outboxRows(dataDir: string) {
    const db = new Database(join(dataDir, STORE_FILE), { readonly: true });
    try {
      return db
        .prepare<[], { seq: number; opId: string; pushed: number }>(
          'SELECT seq, op_id AS opId, pushed_at IS NOT NULL AS pushed FROM outbox ORDER BY seq',
        )
        .all();
    } finally {
      db.close();
    }
  }

  /** What the audit entry of the last enrolment says about the outbox. */
  function enrolmentNote(dataDir: string): unknown {
    const db = new Database(join(dataDir, STORE_FILE), { readonly: true });
    try {
      const row = db
        .prepare<[], { after: string }>("SELECT after_json AS after FROM audit_log WHERE action = 'sync.enrol' ORDER BY seq DESC")
        .get();
      return (JSON.parse(row!.after) as { outbox?: unknown }).outbox;
    } finally {
      db.close();
    }
  }

  let seed = 0;
  const register = async (teller: Client, count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      seed += 1;
      ids.push(
        (
          await teller.call('person.create', {
            idNumber: makeIdNumber('330106', '1975-03-04', seed),
            name: `陈${'甲乙丙丁戊己庚辛壬癸'[seed % 10]!}`,
          })
        ).id,
      );
    }
    return ids;
  };

  it('takes it back as a new device: every operation held once, ledgers equal, work since the restore sent once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          pushedBeforeBackup: fc.nat(2),
          pendingAtBackup: fc.nat(2),
          pushedAfterBackup: fc.nat(2),
          neverPushed: fc.nat(1),
          whileBlocked: fc.nat(2),
        }),
        async (plan) => {
          const station = await central.addStation(`恢复站${seed}`);
          const watch = pushWatch(central.send);
          const link = cuttableLink(watch.send);
          const pc = await stationCore(link.send, { bare: true });
          dirs.push(pc.dataDir);
          const oldDevice = (await pc.enrol(station)).deviceId!;
          const admin = await pc.login('admin', 'admin123');
          await admin.call('sync.now', {});
          const teller = await pc.login('teller', 'teller-1');
          const persons = await register(teller, plan.pushedBeforeBackup);
          await teller.call('sync.now', {});

          // Work the central office has not seen yet when the backup is taken.
          link.cut();
          persons.push(...(await register(teller, plan.pendingAtBackup)));
          const backupDir = tempDir('yc-backups-');
          dirs.push(backupDir);
          await admin.call('backup.updateSettings', { dir: backupDir, intervalHours: 24, keep: 7 });
          const backup = await admin.call('backup.run', {});
          const { key } = await admin.call('backup.exportKey', {});
          // The lost device sends it, and more, after the backup; then some work never leaves the PC.
          link.restore();
          persons.push(...(await register(teller, plan.pushedAfterBackup)));
          expect(await teller.call('sync.now', {})).toMatchObject({ state: 'online', pendingOps: 0 });
          link.cut();
          await register(teller, plan.neverPushed);
          const held = await centralOps(central.store, oldDevice);
          pc.core.close();
          rmSync(pc.dataDir, { recursive: true, force: true });

          const restoredDir = tempDir('yc-restored-');
          dirs.push(restoredDir);
          await restoreInto(restoredDir, { file: backup.file, key: Buffer.from(key, 'base64'), stationCode: station.code });
          const acknowledgedAtBackup = outboxRows(restoredDir).filter((r) => r.pushed);
          link.restore();
          const after = await stationCore(link.send, { dataDir: restoredDir });
          const admin2 = await after.login('admin', 'admin123');
          expect(await admin2.call('sync.now', {})).toMatchObject({ state: 'blocked', lastError: { code: 'KEY_MISSING' } });
          // The counters keep working meanwhile.
          const teller2 = await after.login('teller', 'teller-1');
          persons.push(...(await register(teller2, plan.whileBlocked)));

          // The central administrator revokes the lost device and issues a new code; the PC is enrolled again.
          expect(await revokeDevice(central.store, oldDevice, new Date())).toBe(true);
          await admin2.call('sync.reset', { reason: '硬盘损坏，设备密钥随之丢失' });
          const newDevice = (await admin2.call('sync.enrol', { centralUrl: CENTRAL_URL, code: await station.enrolmentCode() })).deviceId!;
          const waiting = outboxRows(restoredDir).filter((r) => !r.pushed).length;
          expect(enrolmentNote(restoredDir)).toBe(
            `本机已有${acknowledgedAtBackup.length}条操作由原设备号上传中心，不再重复上传；其余${waiting}条待上传操作按本机新的设备号从第1号起重新编号后上传，其中原设备号已上传过的，中心确认已收到，不会重复办理`,
          );
          watch.watch();
          expect(await admin2.call('sync.now', {})).toMatchObject({ state: 'online', pendingOps: 0, lastError: null });
          // New work goes up once, under the new device.
          persons.push(...(await register(teller2, 1)));
          expect(await teller2.call('sync.now', {})).toMatchObject({ state: 'online', pendingOps: 0, lastError: null });

          // What the lost device had acknowledged before the backup was not sent again; its op log is untouched.
          expect(watch.sent.filter((id) => acknowledgedAtBackup.some((r) => r.opId === id))).toEqual([]);
          expect(await centralOps(central.store, oldDevice)).toEqual(held);
          // The new device holds the rest of the outbox, from 1 in the PC's order, passing over what the lost device
          // had sent: every local operation is held centrally exactly once.
          const local = outboxRows(restoredDir);
          const ours = local.filter((r) => r.seq > 0);
          expect(ours.map((r) => r.seq)).toEqual(ours.map((_, i) => i + 1));
          expect(local.every((r) => r.pushed)).toBe(true);
          const heldIds = new Set(held.map(([, id]) => id));
          const fresh = ours.filter((r) => !heldIds.has(r.opId));
          expect(await centralOps(central.store, newDevice)).toEqual(fresh.map((r) => [r.seq, r.opId]));
          expect(local.filter((r) => r.seq <= 0).map((r) => r.opId)).toEqual(acknowledgedAtBackup.map((r) => r.opId));
          expect(local.every((r) => heldIds.has(r.opId) !== fresh.includes(r))).toBe(true);
          expect(watch.sent).toEqual(ours.map((r) => r.opId));
          // Everything was applied once (a second registration would have been refused), and both ledgers agree.
          const outcomes = await central.store.db
            .selectFrom('op_log')
            .select('outcome')
            .distinct()
            .where('station_code', '=', station.code)
            .execute();
          expect(outcomes).toEqual([{ outcome: 'applied' }]);
          const registry = await central.store.db.selectFrom('registry').select('id').where('station_code', '=', station.code).execute();
          expect(registry.map((r) => r.id).sort()).toEqual([...persons].sort());
          expect(stationLedger(restoredDir).streams).toEqual(await centralStreams(central.store, station.code));
          expect(await registryDifferences(central.store, station.code, restoredDir)).toEqual([]);
          after.core.close();
        },
      ),
      { numRuns: 6, endOnFailure: true },
    );
  });
});
