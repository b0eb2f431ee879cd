import { afterEach, describe, expect, it } from 'vitest';

import { demoPeople } from '../../demo-people';
import type { CardReaderDriver } from '../card-reader-driver';
import { createSerialSsReaderDriver } from './serial-ss-reader';
import { SimulatedSocialSecurityCard } from './simulated-ss-card';
import { SimulatedSsReader } from './simulated-ss-reader';

const holder = demoPeople.find((p) => p.socialSecurity?.generation === 2)!;
let serial = 0;
let driver: CardReaderDriver | undefined;

async function setUp(): Promise<{ reader: SimulatedSsReader; driver: CardReaderDriver }> {
  const path = `/dev/ttySS${serial++}`;
  const reader = new SimulatedSsReader(path);
  driver = createSerialSsReaderDriver({ path, binding: reader.port.binding, timeoutMs: 150 });
  await driver.connect();
  return { reader, driver };
}

async function readPresent(d: CardReaderDriver) {
  const result = await d.poll();
  if (!result.present) throw new Error('no card');
  return result.read();
}

afterEach(async () => {
  await driver?.disconnect();
  driver = undefined;
});

describe('serial social security card reader, against the simulated reader over MockBinding', () => {
  it('sees an empty slot, then reads an inserted card', async () => {
    const { reader, driver } = await setUp();
    await expect(driver.poll()).resolves.toEqual({ present: false });
    reader.insert(SimulatedSocialSecurityCard.fromPerson(holder));
    await expect(readPresent(driver)).resolves.toMatchObject({ idNumber: holder.idNumber, name: holder.name });
  });

  it('reads correctly when every answer arrives in 3-byte fragments', async () => {
    const { reader, driver } = await setUp();
    reader.port.delivery = { chunkSize: 3, chunkDelayMs: 1, latencyMs: 2 };
    reader.insert(SimulatedSocialSecurityCard.fromPerson(holder));
    await expect(readPresent(driver)).resolves.toMatchObject({ idNumber: holder.idNumber });
  });

  it('turns a bad BCC into DEVICE_BAD_FRAME, and recovers on the next exchange', async () => {
    const { reader, driver } = await setUp();
    reader.insert(SimulatedSocialSecurityCard.fromPerson(holder));
    reader.failNext('checksum');
    await expect(driver.poll()).rejects.toMatchObject({ code: 'DEVICE_BAD_FRAME' });
    await expect(readPresent(driver)).resolves.toMatchObject({ idNumber: holder.idNumber });
  });

  it('turns a truncated answer or noise into DEVICE_BAD_FRAME and silence into DEVICE_TIMEOUT', async () => {
    const { reader, driver } = await setUp();
    reader.failNext('truncate');
    await expect(driver.poll()).rejects.toMatchObject({ code: 'DEVICE_BAD_FRAME' });
    reader.failNext('garbage');
    await expect(driver.poll()).rejects.toMatchObject({ code: 'DEVICE_BAD_FRAME' });
    reader.failNext('silent');
    await expect(driver.poll()).rejects.toMatchObject({ code: 'DEVICE_TIMEOUT' });
    await expect(driver.poll()).resolves.toEqual({ present: false });
  });

  it('fails the read when the reader reports an error state mid-read (card pulled out)', async () => {
    const { reader, driver } = await setUp();
    reader.insert(SimulatedSocialSecurityCard.fromPerson(holder));
    const result = await driver.poll();
    expect(result.present).toBe(true);
    reader.failNextWithState(0x02);
    if (result.present) await expect(result.read()).rejects.toMatchObject({ code: 'DEVICE_CARD_ERROR' });
  });

  it('reports an unplugged reader as offline', async () => {
    const { reader, driver } = await setUp();
    reader.port.unplug();
    await expect(driver.poll()).rejects.toMatchObject({ code: 'DEVICE_OFFLINE' });
    await driver.disconnect();
    await expect(driver.connect()).rejects.toMatchObject({ code: 'DEVICE_OFFLINE' });
    reader.port.replug();
    await driver.connect();
    await expect(driver.poll()).resolves.toEqual({ present: false });
  });
});
