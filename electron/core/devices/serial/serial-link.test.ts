import { afterEach, describe, expect, it } from 'vitest';

import type { DecodeEvent, FrameDecoder } from './frame-decoder';
import { SerialLink } from './serial-link';
import { SimulatedSerialPort } from './simulated-serial-port';

/** Every byte is a frame: enough to see which answer an exchange took. */
class ByteDecoder implements FrameDecoder<number> {
  readonly pending = 0;
  push(chunk: Uint8Array): DecodeEvent<number>[] {
    return Array.from(chunk, (frame) => ({ type: 'frame' as const, frame }));
  }
  reset(): void {}
}

let serial = 0;
const links: SerialLink[] = [];
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.close()));
});

/** A device that echoes each request byte after the delay given for that byte. */
async function echoDevice(delays: Record<number, number>) {
  const path = `/dev/ttyLINK${serial++}`;
  const port: SimulatedSerialPort = new SimulatedSerialPort(path, (bytes) => {
    for (const b of bytes) setTimeout(() => void port.send(Uint8Array.of(b)), delays[b] ?? 0);
  });
  const link = new SerialLink({ path, baudRate: 9600, binding: port.binding, quietMs: 100 });
  links.push(link);
  await link.open();
  return { port, link };
}

describe('SerialLink', () => {
  it('discards an answer that comes after its request timed out, instead of taking it for the next answer', async () => {
    // Answer 1 comes 60 ms after the 100 ms timeout; answer 2 comes 100 ms after its request. Sent
    // at once, request 2 would receive answer 1: the link waits for the line to be quiet first.
    const { link } = await echoDevice({ 1: 160, 2: 100 });
    await expect(link.exchange(Uint8Array.of(1), new ByteDecoder(), 100)).rejects.toMatchObject({ code: 'DEVICE_TIMEOUT' });
    await expect(link.exchange(Uint8Array.of(2), new ByteDecoder(), 400)).resolves.toBe(2);
  });

  it('runs exchanges one at a time', async () => {
    const { link } = await echoDevice({ 1: 30, 2: 0 });
    const answers = await Promise.all([1, 2].map((n) => link.exchange(Uint8Array.of(n), new ByteDecoder(), 200)));
    expect(answers).toEqual([1, 2]);
  });

  it('reports an unplugged port, fails the exchange in flight, and opens again once plugged back', async () => {
    const { port, link } = await echoDevice({ 1: 1000 });
    const disconnected = new Promise((resolve) => link.once('disconnect', resolve));
    const inFlight = link.exchange(Uint8Array.of(1), new ByteDecoder(), 2000);
    setTimeout(() => port.unplug(), 20);
    await expect(inFlight).rejects.toMatchObject({ code: 'DEVICE_OFFLINE' });
    await disconnected;
    expect(link.isOpen).toBe(false);
    await expect(link.open()).rejects.toMatchObject({ code: 'DEVICE_OFFLINE' });
    port.replug();
    await link.open();
    await expect(link.exchange(Uint8Array.of(7), new ByteDecoder(), 200)).resolves.toBe(7);
  });
});
