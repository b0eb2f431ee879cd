import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, tempDir } from '#core/testing/fixture';
import { serveAll } from '#core/testing/serve-all';
import { pairDevice } from '#core/testing/hall-devices';
import { connectWs } from './node-ws-client';
import { startHost, type Host } from './server';

let host: Host | undefined;
let disposeCore: (() => void) | undefined;
afterEach(async () => {
  await host?.close();
  disposeCore?.();
});

const TICKETS = 120;

describe('the hall host', () => {
  it('never gives the same ticket to two counters calling at the same instant over the LAN socket', async () => {
    const t = await startTestCore();
    disposeCore = t.dispose;
    const staticDir = tempDir();
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>一窗通</title>');
    host = await startHost({ core: t.core, staticDir, port: 0, host: '127.0.0.1', logger: t.logger });

    const admin = await connectWs(host.url);
    await admin.call('auth.login', { username: 'admin', password: 'admin123', windowNo: 3 });
    const kiosk = await pairDevice(admin, await connectWs(host.url), 'kiosk');
    const display = await pairDevice(admin, await connectWs(host.url), 'display');
    await display.call('queue.subscribe', {});
    const announced: string[] = [];
    const allAnnounced = new Promise<void>((done) =>
      display.onEvent((e) => {
        if (e.type === 'queue.called' && announced.push(e.ticketNo) === TICKETS) done();
      }),
    );
    for (let i = 0; i < TICKETS; i += 1) await kiosk.call('queue.issue', { categoryCode: i % 3 === 0 ? 'B' : 'A' });

    const [one, two] = await Promise.all([connectWs(host.url), connectWs(host.url)]);
    await one.call('auth.login', { username: 'teller', password: 'teller123', windowNo: 1 });
    await two.call('auth.login', { username: 'teller', password: 'teller123', windowNo: 2 });
    const [byOne, byTwo] = await Promise.all([serveAll(one), serveAll(two)]);

    const all = [...byOne, ...byTwo];
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(TICKETS);
    // Both counters really competed.
    expect(byOne.length).toBeGreaterThan(TICKETS / 4);
    expect(byTwo.length).toBeGreaterThan(TICKETS / 4);
    await allAnnounced;
    expect(announced.sort()).toEqual(all.sort());
    for (const c of [admin, kiosk, display, one, two]) c.close();
  });
});
