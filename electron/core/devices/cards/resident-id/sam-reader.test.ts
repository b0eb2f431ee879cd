import { afterEach, describe, expect, it } from 'vitest';

import { demoPeople } from '../../demo-people';
import type { CardReaderDriver } from '../card-reader-driver';
import { encodeIdText } from './id-text';
import { createSamReaderDriver } from './sam-reader';
import { READ_TEXT_PHOTO, SW3 } from './sam-frame';
import { SimulatedSamReader } from './simulated-sam-reader';

const person = demoPeople.find((p) => p.name === '杨𠮷')!;
let serial = 0;
let driver: CardReaderDriver | undefined;

async function setUp(): Promise<{ sam: SimulatedSamReader; driver: CardReaderDriver }> {
  const path = `/dev/ttySAM${serial++}`;
  const sam = new SimulatedSamReader(path);
  driver = createSamReaderDriver({ path, binding: sam.port.binding, timeoutMs: 150 });
  await driver.connect();
  return { sam, driver };
}

async function readPresent(d: CardReaderDriver) {
  const result = await d.poll();
  if (!result.present) throw new Error('no card found');
  return result.read();
}

afterEach(async () => {
  await driver?.disconnect();
  driver = undefined;
});

describe('SAM reader driver against the simulated module over MockBinding', () => {
  it('finds, selects and reads a card', async () => {
    const { sam, driver } = await setUp();
    await expect(driver.poll()).resolves.toEqual({ present: false });
    sam.place(person);
    await expect(readPresent(driver)).resolves.toMatchObject({
      kind: 'resident_id',
      source: 'sam',
      name: '杨𠮷',
      idNumber: person.idNumber,
    });
  });

  it('cannot find a card it has read until the card leaves the field and comes back', async () => {
    const { sam, driver } = await setUp();
    sam.place(person);
    await readPresent(driver);
    await expect(driver.poll()).resolves.toEqual({ present: false });
    sam.take();
    sam.place(person);
    await expect(readPresent(driver)).resolves.toMatchObject({ idNumber: person.idNumber });
  });

  it('reads the 1295-byte answer delivered in 7-byte fragments', async () => {
    const { sam, driver } = await setUp();
    sam.port.delivery = { chunkSize: 7, chunkDelayMs: 0, latencyMs: 1 };
    sam.place(person);
    await expect(readPresent(driver)).resolves.toMatchObject({ name: '杨𠮷' });
  });

  it('rejects a corrupted, truncated or noisy read answer instead of reading a person', async () => {
    for (const fault of ['checksum', 'truncate', 'garbage'] as const) {
      const { sam, driver } = await setUp();
      sam.place(person);
      const found = await driver.poll();
      if (!found.present) throw new Error('card not found');
      sam.failNext(fault, READ_TEXT_PHOTO);
      await expect(found.read(), fault).rejects.toMatchObject({ code: 'DEVICE_BAD_FRAME' });
      await driver.disconnect();
    }
  });

  it('times out on a module that stops answering', async () => {
    const { sam, driver } = await setUp();
    sam.failNext('silent');
    await expect(driver.poll()).rejects.toMatchObject({ code: 'DEVICE_TIMEOUT' });
  });

  it('passes the module status codes on as Chinese errors', async () => {
    const { sam, driver } = await setUp();
    sam.place(person);
    const found = await driver.poll();
    sam.failNextWithStatus(SW3.SELECT_FAILED);
    if (found.present)
      await expect(found.read()).rejects.toMatchObject({ code: 'DEVICE_CARD_ERROR', message: '选取证件失败，请将证件放稳后重试' });
  });

  it('refuses a card whose text does not add up', async () => {
    const { sam, driver } = await setUp();
    sam.place(person, encodeIdText({ name: person.name, sex: '1', birthDate: '20010930', idNumber: person.idNumber }));
    await expect(readPresent(driver)).rejects.toMatchObject({ code: 'DEVICE_BAD_DATA' });
  });

  it('does not connect to a port with no working module behind it', async () => {
    const path = `/dev/ttySAM${serial++}`;
    const sam = new SimulatedSamReader(path);
    sam.failNextWithStatus(SW3.SELF_TEST_FAILED);
    const d = createSamReaderDriver({ path, binding: sam.port.binding, timeoutMs: 150 });
    await expect(d.connect()).rejects.toMatchObject({ code: 'DEVICE_CARD_ERROR', message: '安全模块自检失败' });
  });
});
