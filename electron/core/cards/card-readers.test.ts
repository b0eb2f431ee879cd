import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type Client } from '#shared/transport/client';
import { memoryTransport } from '#shared/transport/memory';
import { demoPeople } from '../devices/index';
import { DEMO_DEVICES } from '../system/devices';
import { eventsOf, startDeviceCore } from '../printing/testing/device-core';
import { parseReaderSetting } from './card-readers';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function counter() {
  const c = await startDeviceCore();
  cleanups.push(() => c.dispose());
  const teller = await c.loggedIn('teller');
  return { c, teller, events: eventsOf(teller) };
}

const gen2 = demoPeople.find((p) => p.socialSecurity?.generation === 2)!;
const gen3 = demoPeople.find((p) => p.socialSecurity?.generation === 3)!;
const permitHolder = demoPeople.find((p) => p.documentType === 'hmt_residence_permit')!;

const register = (teller: Client, person: { idNumber: string; name: string }) =>
  teller.call('person.create', { idNumber: person.idNumber, name: person.name });

describe('card reading through the core', () => {
  it('brings up a registered person from their social security card, once, and says when it is taken out', async () => {
    const { teller, events } = await counter();
    const person = await register(teller, gen2);
    const read = events.next('card.read');
    await teller.call('card.simulate', { action: 'insert', reader: 'social_security', idNumber: gen2.idNumber });
    expect((await read).card).toEqual({
      kind: 'social_security',
      name: gen2.name,
      idNumberMasked: `${gen2.idNumber.slice(0, 4)}**********${gen2.idNumber.slice(-4)}`,
      idNumber: null,
      sex: gen2.sex,
      birthDate: gen2.birthDate,
      cardNumber: gen2.socialSecurity!.cardNumber,
      personId: person.id,
    });
    // F1 with the card still in announces it again.
    const again = events.next('card.read');
    await expect(teller.call('card.read', {})).resolves.toEqual({ found: true });
    expect((await again).card.personId).toBe(person.id);

    const removed = events.next('card.removed');
    await teller.call('card.simulate', { action: 'remove', reader: 'social_security' });
    expect((await removed).kind).toBe('social_security');
  });

  it('offers someone new for registration with the number and name from their ID card', async () => {
    const { teller, events } = await counter();
    const read = events.next('card.read');
    await teller.call('card.simulate', { action: 'insert', reader: 'resident_id', idNumber: permitHolder.idNumber });
    expect((await read).card).toMatchObject({
      kind: 'resident_id',
      personId: null,
      idNumber: permitHolder.idNumber,
      name: permitHolder.name,
    });
  });

  it('turns a garbled answer into a Chinese error, never into a person, and reads the card right afterwards', async () => {
    const { teller, events } = await counter();
    await register(teller, gen2);
    const error = events.next('card.error');
    const read = events.next('card.read');
    await teller.call('card.simulate', { action: 'garble', reader: 'social_security' });
    await teller.call('card.simulate', { action: 'insert', reader: 'social_security', idNumber: gen2.idNumber });
    expect(await error).toMatchObject({ kind: 'social_security', code: 'DEVICE_BAD_FRAME', message: '设备返回的数据不完整或无法识别' });
    // The reader tries the card again: the first person to come out is the right one.
    expect((await read).card.name).toBe(gen2.name);
    expect(events.seen.filter((e) => e.type === 'card.read')).toHaveLength(1);
  });

  it('does not read an ID card from a garbled answer: the error, then the card presented again', async () => {
    const { teller, events } = await counter();
    const error = events.next('card.error');
    await teller.call('card.simulate', { action: 'garble', reader: 'resident_id' });
    await teller.call('card.simulate', { action: 'insert', reader: 'resident_id', idNumber: gen3.idNumber });
    expect(await error).toMatchObject({ kind: 'resident_id', code: 'DEVICE_BAD_FRAME' });
    const read = events.next('card.read');
    await teller.call('card.simulate', { action: 'insert', reader: 'resident_id', idNumber: gen3.idNumber });
    expect((await read).card).toMatchObject({ kind: 'resident_id', idNumber: gen3.idNumber });
    expect(events.seen.filter((e) => e.type === 'card.read')).toHaveLength(1);
  });

  it('explains that a 3.0 social security card needs external authentication', async () => {
    const { teller, events } = await counter();
    const error = events.next('card.error');
    await teller.call('card.simulate', { action: 'insert', reader: 'social_security', idNumber: gen3.idNumber });
    expect(await error).toMatchObject({ code: 'DEVICE_AUTH_REQUIRED', message: expect.stringContaining('外部认证') });
    await expect(
      teller.call('card.simulate', { action: 'insert', reader: 'social_security', idNumber: gen2.idNumber }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: '读卡器中已有卡片，请先取出',
    });
    await teller.call('card.simulate', { action: 'remove', reader: 'social_security' });
    const read = events.next('card.read');
    await teller.call('card.simulate', { action: 'insert', reader: 'social_security', idNumber: gen2.idNumber });
    expect((await read).card.name).toBe(gen2.name);
    expect(events.seen.filter((e) => e.type === 'card.read')).toHaveLength(1);
  });

  it('shows an unplugged reader as disconnected and reconnects when it is plugged back in', async () => {
    const { teller, events } = await counter();
    const reader = (e: { devices: { readers: { kind: string; state: string }[] } }) =>
      e.devices.readers.find((r) => r.kind === 'resident_id')!;
    const gone = events.next('device.status', (e) => reader(e).state === 'disconnected');
    await teller.call('card.simulate', { action: 'unplug', reader: 'resident_id' });
    expect(reader(await gone)).toMatchObject({ name: '模拟读卡器（身份证）', detail: expect.stringMatching(/断开|未连接/) });
    const back = events.next('device.status', (e) => reader(e).state === 'connected');
    await teller.call('card.simulate', { action: 'replug', reader: 'resident_id' });
    await back;
    const status = await teller.call('system.status', {});
    expect(status.devices.map((d) => [d.name, d.state])).toEqual([
      ['虚拟热敏打印机', 'ready'],
      ['模拟读卡器（社保卡）', 'ready'],
      ['模拟读卡器（身份证）', 'ready'],
    ]);
  });

  it('tells only the clients at this PC, not pages elsewhere on the hall network', async () => {
    const { c, teller, events } = await counter();
    const remote = createClient(memoryTransport(c.core.connect({ kind: 'ws', label: '192.168.1.20' })));
    await remote.call('auth.login', { username: 'teller', password: 'teller123', windowNo: 2 });
    const heardRemotely = eventsOf(remote);
    const local = createClient(memoryTransport(c.core.connect({ kind: 'ws', label: '127.0.0.1' })));
    await local.call('auth.login', { username: 'teller', password: 'teller123', windowNo: 3 });
    const heardLocally = eventsOf(local).next('card.read');
    const read = events.next('card.read');
    await teller.call('card.simulate', { action: 'insert', reader: 'resident_id', idNumber: gen2.idNumber });
    await Promise.all([read, heardLocally]);
    // Events go out to every listening client in one pass, so the remote page would have had it by now.
    expect(heardRemotely.seen.filter((e) => e.type === 'card.read')).toEqual([]);
  });

  it('refuses to simulate on a reader that is not simulated', async () => {
    const { c, teller } = await counter();
    const admin = await c.loggedIn('admin', 3);
    await admin.call('devices.saveSettings', { ...DEMO_DEVICES, socialSecurityReader: 'none' });
    await expect(teller.call('card.simulate', { action: 'remove', reader: 'social_security' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await teller.call('devices.overview', {})).readers.map((r) => [r.kind, r.state])).toEqual([
      ['social_security', 'none'],
      ['resident_id', 'connected'],
    ]);
  });
});

describe('reader settings', () => {
  it('accept simulated, none and serial ports, and refuse the rest in Chinese', () => {
    expect(parseReaderSetting('simulated')).toEqual({ kind: 'simulated' });
    expect(parseReaderSetting('none')).toEqual({ kind: 'none' });
    expect(parseReaderSetting('serial:COM5')).toEqual({ kind: 'serial', path: 'COM5' });
    expect(parseReaderSetting('serial:/dev/ttyUSB1?baud=115200')).toEqual({ kind: 'serial', path: '/dev/ttyUSB1', baudRate: 115200 });
    for (const bad of ['serial:COM5?baud=1234', 'COM5', 'usb']) {
      expect(() => parseReaderSetting(bad)).toThrow(
        expect.objectContaining({ code: 'DEVICE_CONFIG', message: expect.stringContaining('读卡器设置') }),
      );
    }
  });
});
