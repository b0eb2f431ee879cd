import { afterEach, describe, expect, it } from 'vitest';

import { demoPeople } from '../demo-people';
import type { DeviceError } from '../errors';
import { createCardBasDriver } from './card-bas/card-bas-driver';
import { SimulatedCardBasLibrary } from './card-bas/simulated-card-bas';
import type { CardRead } from './card-read';
import { CardReaderService, type ReaderStatus } from './card-reader-service';
import { createSamReaderDriver } from './resident-id/sam-reader';
import { SimulatedSamReader } from './resident-id/simulated-sam-reader';
import { createSerialSsReaderDriver } from './social-security/serial-ss-reader';
import { SimulatedSocialSecurityCard } from './social-security/simulated-ss-card';
import { SimulatedSsReader } from './social-security/simulated-ss-reader';
import { CMD_APDU } from './social-security/reader-frame';

const fast = { pollIntervalMs: 10, reconnectIntervalMs: 30, readTimeoutMs: 2000 };
let serial = 0;
const services: CardReaderService[] = [];

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

/** Records every event of a service, and waits for the next one of a kind. */
function watch(service: CardReaderService) {
  const log: string[] = [];
  const cards: CardRead[] = [];
  const errors: DeviceError[] = [];
  service.on('card', (c) => (cards.push(c), log.push(`card:${c.idNumber}`)));
  service.on('removed', () => log.push('removed'));
  service.on('status', (s: ReaderStatus) => log.push(s.state));
  service.on('error', (e) => (errors.push(e), log.push(`error:${e.code}`)));
  const next = <K extends 'card' | 'removed' | 'status' | 'error'>(event: K, ms = 3000) =>
    new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms; saw ${log.join(', ')}`)), ms);
      service.once(event, ((value: unknown) => {
        clearTimeout(timer);
        resolve(value);
      }) as never);
    });
  return { log, cards, errors, next };
}

function start(service: CardReaderService): CardReaderService {
  services.push(service);
  service.start();
  return service;
}

describe('CardReaderService with the social security card reader', () => {
  const holder = demoPeople.find((p) => p.socialSecurity?.generation === 2)!;

  function setUp() {
    const path = `/dev/ttySVC-SS${serial++}`;
    const reader = new SimulatedSsReader(path);
    const service = new CardReaderService(createSerialSsReaderDriver({ path, binding: reader.port.binding, timeoutMs: 100 }), fast);
    return { reader, service, events: watch(service) };
  }

  it('emits the card once while it stays in, and removed when it is taken out', async () => {
    const { reader, service, events } = setUp();
    start(service);
    await events.next('status');
    reader.insert(SimulatedSocialSecurityCard.fromPerson(holder));
    await expect(events.next('card')).resolves.toMatchObject({ kind: 'social_security', idNumber: holder.idNumber, name: holder.name });
    await new Promise((r) => setTimeout(r, 100));
    reader.remove();
    await events.next('removed');
    expect(events.log).toEqual(['connected', `card:${holder.idNumber}`, 'removed']);
  });

  it('turns a garbled answer into an error event and never into a card', async () => {
    const { reader, service, events } = setUp();
    const wrong = { ...holder, idNumber: holder.idNumber.slice(0, 16) + '9' + holder.idNumber[17] };
    reader.insert(SimulatedSocialSecurityCard.fromPerson(wrong));
    reader.failNext('garbage');
    start(service);
    await expect(events.next('error')).resolves.toMatchObject({ code: 'DEVICE_BAD_FRAME' });
    await expect(events.next('error')).resolves.toMatchObject({ code: 'DEVICE_BAD_DATA' });
    await new Promise((r) => setTimeout(r, 150));
    expect(events.cards).toEqual([]);
    // Each failure is reported once, not on every poll.
    expect(events.errors.map((e) => e.code)).toEqual(['DEVICE_BAD_FRAME', 'DEVICE_BAD_DATA']);
  });

  it('reports a card that stops answering mid-read as a timeout', async () => {
    const { reader, service, events } = setUp();
    const card = SimulatedSocialSecurityCard.fromPerson(holder);
    reader.insert(card);
    start(service);
    await events.next('card');
    reader.remove();
    await events.next('removed');
    // The reset answers; the first APDU of the read (SELECT SSSE) does not.
    reader.failNext('silent', CMD_APDU);
    reader.insert(card);
    await expect(events.next('error')).resolves.toMatchObject({ code: 'DEVICE_TIMEOUT' });
    // The next poll reads it again, successfully.
    await expect(events.next('card')).resolves.toMatchObject({ idNumber: holder.idNumber });
  });
});

describe('CardReaderService with the ID card SAM module', () => {
  const person = demoPeople[2]!;

  function setUp() {
    const path = `/dev/ttySVC-SAM${serial++}`;
    const sam = new SimulatedSamReader(path);
    const service = new CardReaderService(createSamReaderDriver({ path, binding: sam.port.binding, timeoutMs: 100 }), fast);
    return { sam, service, events: watch(service) };
  }

  it('emits each presentation of a card once', async () => {
    const { sam, service, events } = setUp();
    start(service);
    sam.place(person);
    await expect(events.next('card')).resolves.toMatchObject({ kind: 'resident_id', idNumber: person.idNumber });
    await new Promise((r) => setTimeout(r, 80));
    expect(events.cards).toHaveLength(1);
    sam.take();
    await new Promise((r) => setTimeout(r, 30));
    sam.place(person);
    await events.next('card');
    expect(events.cards).toHaveLength(2);
  });

  it('notices the reader being unplugged and recovers when it is plugged back in', async () => {
    const { sam, service, events } = setUp();
    start(service);
    await expect(events.next('status')).resolves.toEqual({ state: 'connected' });
    sam.port.unplug();
    await expect(events.next('status')).resolves.toMatchObject({ state: 'disconnected', reason: { code: 'DEVICE_OFFLINE' } });
    await new Promise((r) => setTimeout(r, 100));
    expect(service.status.state).toBe('disconnected');
    sam.port.replug();
    await expect(events.next('status')).resolves.toEqual({ state: 'connected' });
    sam.place(person);
    await expect(events.next('card')).resolves.toMatchObject({ idNumber: person.idNumber });
    expect(events.log).toEqual(['connected', 'disconnected', 'connected', `card:${person.idNumber}`]);
  });

  it('reopens a reader that stops answering', async () => {
    const { sam, service, events } = setUp();
    start(service);
    await events.next('status');
    for (let i = 0; i < 3; i++) sam.failNext('silent');
    await expect(events.next('error')).resolves.toMatchObject({ code: 'DEVICE_TIMEOUT' });
    await expect(events.next('status')).resolves.toMatchObject({ state: 'disconnected', reason: { code: 'DEVICE_TIMEOUT' } });
    await expect(events.next('status')).resolves.toEqual({ state: 'connected' });
  });

  it('keeps running without an error listener', async () => {
    const path = `/dev/ttySVC-SAM${serial++}`;
    const sam = new SimulatedSamReader(path);
    const service = start(new CardReaderService(createSamReaderDriver({ path, binding: sam.port.binding, timeoutMs: 100 }), fast));
    const card = new Promise<CardRead>((resolve) => service.once('card', resolve));
    sam.place(person, new Uint8Array(256));
    await new Promise((r) => setTimeout(r, 60));
    sam.take();
    sam.place(person);
    await expect(card).resolves.toMatchObject({ idNumber: person.idNumber });
  });
});

describe('CardReaderService with an iReadCardBas library', () => {
  it('reports a 3.0 card that needs the HSM once, however often it polls', async () => {
    const library = new SimulatedCardBasLibrary();
    const gen3 = demoPeople.find((p) => p.socialSecurity?.generation === 3)!;
    library.insert(gen3);
    const service = new CardReaderService(createCardBasDriver({ readCardBas: library.readCardBas }), fast);
    const events = watch(service);
    start(service);
    await expect(events.next('error')).resolves.toMatchObject({ code: 'DEVICE_AUTH_REQUIRED' });
    await new Promise((r) => setTimeout(r, 100));
    expect(events.errors).toHaveLength(1);
    expect(events.cards).toHaveLength(0);
  });
});
