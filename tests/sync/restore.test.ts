import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreBackup } from '#core/backup/restore';
import { STORE_FILE } from '#core/index';
import { systemClock } from '#core/platform/deps';
import { createMemoryLogger } from '#core/platform/logger';
import { DEVICE_KEY_FILE } from '#core/sync/device-key';
import { makeIdNumber } from '#core/testing/id-numbers';
import { tempDir } from '#core/testing/fixture';
import {
  centralOffice,
  centralOps,
  centralStreams,
  cuttableLink,
  registryDifferences,
  stationCore,
  stationLedger,
  type CentralOffice,
} from './harness';

/**
 * The store of an enrolled station is lost after it synced work written since its last backup; the backup is restored
 * (the device key and the backup key survived on the PC) and the station carries on. The central office keeps every
 * operation exactly once, the work lost locally comes back down, and the new work goes up after it.
 */
describe('restoring a backup on an enrolled station', () => {
  let central: CentralOffice;
  const dirs: string[] = [];

  beforeEach(async () => {
    central = await centralOffice();
  });
  afterEach(async () => {
    await central.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

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
    await restoreBackup({
      file: backup.file,
      key: Buffer.from(key, 'base64'),
      dataDir: restoredDir,
      stationCode: central.stationCode,
      storeFile: STORE_FILE,
      actor: { operatorId: null, windowNo: null },
      deps: { clock: systemClock, newId: () => crypto.randomUUID(), logger: createMemoryLogger() },
    });
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
