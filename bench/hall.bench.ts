import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHost } from '../electron/host/server';
import { connectWs } from '../electron/host/node-ws-client';
import { startTestCore, tempDir } from '#core/testing/fixture';
import { enrolDevice, pairDevice } from '#core/testing/hall-devices';
import { runGroup } from './harness';

const WAITING = 500;

/**
 * The hall: issuing a ticket, calling next with 500 people waiting (at the host, and from a counter PC over the hall
 * link), and how soon a call reaches a display's socket on loopback (the path a LAN display takes).
 */
export async function hallBench(): Promise<string> {
  const t = await startTestCore();
  const staticDir = tempDir('yichuang-bench-');
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  const host = await startHost({ core: t.core, staticDir, port: 0, host: '127.0.0.1', logger: t.logger });
  const clients: { close(): void }[] = [];
  let disposeCounter: (() => void) | undefined;
  try {
    const admin = await t.loggedIn('admin', 3);
    // The bench issues thousands of tickets in one day: widen the demo's 999-number ranges.
    const settings = await admin.call('queue.settings', {});
    await admin.call('queue.updateSettings', { ...settings, categories: settings.categories.map((c) => ({ ...c, numberTo: 9999 })) });
    const kiosk = await pairDevice(admin, t.client(), 'kiosk');
    for (let i = 0; i < WAITING; i += 1) await kiosk.call('queue.issue', { categoryCode: i % 4 === 0 ? 'B' : 'A' });
    const teller = await t.loggedIn('teller', 1);
    let current = (await teller.call('queue.callNext', {})).current!;

    // A teller and a display on the LAN socket: one ticket stays called at window 2 and is recalled.
    const lanTeller = await connectWs(host.url);
    const display = await connectWs(host.url);
    clients.push(lanTeller, display);
    await lanTeller.call('auth.login', { username: 'teller', password: 'teller123', windowNo: 2 });
    await pairDevice(admin, display, 'display');
    await display.call('queue.subscribe', {});
    const atTwo = (await lanTeller.call('queue.callNext', {})).current!;
    // A counter PC of window 3 with its own core, linked to the host: its calls cross the LAN socket to the host.
    const counterPc = await startTestCore();
    disposeCounter = counterPc.dispose;
    const counterAdmin = await counterPc.loggedIn('admin', 3);
    const counterTeller = await counterPc.loggedIn('teller', 3);
    const online = new Promise<void>((done) => counterTeller.onEvent((e) => e.type === 'hall.link' && e.status.state === 'online' && done()));
    await counterAdmin.call('hall.setLink', { url: host.url, key: await enrolDevice(admin, 'counter', 3) });
    await online;
    let atThree = (await counterTeller.call('queue.callNext', {})).current!;
    let announced: (() => void) | undefined;
    display.onEvent((e) => {
      if (e.type === 'queue.called' && e.windowNo === 2) announced?.();
    });

    return await runGroup(
      'Hall',
      [
        { name: 'issue a ticket (kiosk)', fn: () => kiosk.call('queue.issue', { categoryCode: 'A' }), budgetP99Ms: 20 },
        {
          // The window must be free to call: untimed, the ticket before goes back to the end of its queue, keeping 500 waiting.
          name: `call next, ${WAITING} waiting`,
          beforeEach: () => teller.call('queue.transfer', { ticketId: current.id, categoryCode: current.categoryCode, keepPlace: false }),
          fn: async () => {
            current = (await teller.call('queue.callNext', {})).current!;
          },
          baseline: 'issue a ticket (kiosk)',
          budgetP99Ms: 20,
        },
        {
          name: `call next from a linked counter PC, ${WAITING} waiting`,
          beforeEach: () =>
            counterTeller.call('queue.transfer', { ticketId: atThree.id, categoryCode: atThree.categoryCode, keepPlace: false }),
          fn: async () => {
            atThree = (await counterTeller.call('queue.callNext', {})).current!;
          },
          baseline: `call next, ${WAITING} waiting`,
        },
        {
          name: 'recall → queue.called on the display socket',
          fn: async () => {
            const seen = new Promise<void>((done) => (announced = done));
            await lanTeller.call('queue.recall', { ticketId: atTwo.id });
            await seen;
          },
          baseline: 'issue a ticket (kiosk)',
        },
      ],
      { time: 2000, iterations: 50 },
    );
  } finally {
    clients.forEach((c) => c.close());
    disposeCounter?.();
    await host.close();
    t.dispose();
  }
}
