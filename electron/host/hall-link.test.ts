import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HallLinkStatus } from '#shared/api/queue';
import type { Client } from '#shared/transport/client';
import { startTestCore, tempDir } from '#core/testing/fixture';
import { serveAll } from '#core/testing/serve-all';
import { enrolDevice, pairDevice } from '#core/testing/hall-devices';
import { startHost, type Host } from './server';

type TestCore = Awaited<ReturnType<typeof startTestCore>>;
const FAST_LINK = { requestTimeoutMs: 2_000, heartbeatMs: 500, retryMinMs: 50, retryMaxMs: 200 };
const staticDir = tempDir();
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>一窗通</title>');

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function hallHost(dataDir?: string, port = 0): Promise<{ t: TestCore; host: Host; port: number }> {
  const t = await startTestCore(dataDir ? { dataDir } : {});
  const host = await startHost({ core: t.core, staticDir, port, host: '127.0.0.1', logger: t.logger });
  return { t, host, port: Number(new URL(host.url).port) };
}

/** A counter PC: its own core and store, linked to the host as the counter device of `windowNo`. */
async function linkedCounter(hostUrl: string, key: string, windowNo: number) {
  const t = await startTestCore({ hallLinkTiming: FAST_LINK });
  cleanup.push(() => t.dispose());
  const admin = await t.loggedIn('admin', windowNo);
  const teller = await t.loggedIn('teller', windowNo);
  const online = linkState(teller, 'online');
  await admin.call('hall.setLink', { url: hostUrl, key });
  await online;
  return { t, admin, teller };
}

/** Resolves when the link reports `state` (and, optionally, no visit left to hand over). */
function linkState(client: Client, state: HallLinkStatus['state'], drained = false): Promise<HallLinkStatus> {
  return new Promise((resolve) => {
    const off = client.onEvent((e) => {
      if (e.type === 'hall.link' && e.status.state === state && (!drained || e.status.pendingVisits === 0)) {
        off();
        resolve(e.status);
      }
    });
  });
}

describe('the hall link between counter PCs and the hall host', () => {
  it('lets two counters with their own cores call from one queue over the LAN, never the same ticket twice', async () => {
    const { t: hostCore, host } = await hallHost();
    cleanup.push(
      () => hostCore.dispose(),
      () => host.close(),
    );
    const hostAdmin = await hostCore.loggedIn('admin', 3);
    const kiosk = await pairDevice(hostAdmin, hostCore.client(), 'kiosk');
    const one = await linkedCounter(host.url, await enrolDevice(hostAdmin, 'counter', 1), 1);
    const two = await linkedCounter(host.url, await enrolDevice(hostAdmin, 'counter', 2), 2);
    expect((await hostAdmin.call('hall.devices', {})).filter((d) => d.kind === 'counter' && d.online)).toHaveLength(2);

    const TICKETS = 60;
    for (let i = 0; i < TICKETS; i += 1) await kiosk.call('queue.issue', { categoryCode: i % 3 === 0 ? 'B' : 'A' });
    // A counter sees the host's queue, not its own (empty) store.
    expect((await one.teller.call('queue.window', {})).waiting.length).toBeGreaterThan(0);

    const [byOne, byTwo] = await Promise.all([serveAll(one.teller), serveAll(two.teller)]);
    const all = [...byOne, ...byTwo];
    expect(new Set(all).size).toBe(TICKETS);
    expect(all).toHaveLength(TICKETS);
    expect(byOne.length).toBeGreaterThan(TICKETS / 4);
    expect(byTwo.length).toBeGreaterThan(TICKETS / 4);
    // The host holds the whole story, with the tellers as the host knows them.
    const stats = await hostAdmin.call('queue.stats', { from: '2020-01-01', to: '2099-12-31', by: 'window' });
    expect(stats.total.served).toBe(TICKETS);
    expect(stats.rows.map((r) => r.served).sort()).toEqual([byOne.length, byTwo.length].sort());

    // A counter can only act for the window it was enrolled for, and cannot change the hall's rules.
    const wrongWindow = await one.t.loggedIn('teller', 2);
    await expect(wrongWindow.call('queue.callNext', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const settings = await one.admin.call('queue.settings', {});
    await expect(one.admin.call('queue.updateSettings', settings)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('serves walk-ins while the host is down, says so, and hands them over exactly once when it is back', async () => {
    const dataDir = tempDir();
    let hall = await hallHost(dataDir);
    const { port } = hall;
    const hostAdmin = await hall.t.loggedIn('admin', 3);
    const key = await enrolDevice(hostAdmin, 'counter', 1);
    const { teller, admin: counterAdmin, t: counterCore } = await linkedCounter(hall.host.url, key, 1);

    const offline = linkState(teller, 'offline');
    await hall.host.close();
    hall.t.core.close();
    expect((await offline).error).not.toBeNull();
    await expect(teller.call('queue.callNext', {})).rejects.toMatchObject({ code: 'HALL_OFFLINE' });

    // Two walk-ins, served here in the counter's own store, numbered so they never collide with the host's.
    const served: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const view = await teller.call('queue.walkIn', { categoryCode: 'A' });
      served.push(view.current!.ticketNo);
      await expect(teller.call('queue.callNext', {})).rejects.toMatchObject({ code: 'CONFLICT' });
      await teller.call('queue.end', { ticketId: view.current!.id, outcome: 'completed' });
    }
    expect(served).toEqual(['W1-001', 'W1-002']);
    expect((await teller.call('hall.link', {})).pendingVisits).toBe(2);

    const drained = linkState(teller, 'online', true);
    hall = await hallHost(dataDir, port);
    cleanup.push(
      () => hall.t.dispose(),
      () => hall.host.close(),
    );
    await drained;

    const { default: Database } = await import('better-sqlite3');
    const db = new Database(hall.t.core.storePath, { readonly: true });
    cleanup.push(() => db.close());
    const handed = () =>
      db
        .prepare(
          `SELECT t.ticket_no, t.status, t.window_no, COUNT(e.id) AS events FROM ticket t JOIN queue_event e ON e.ticket_id = t.id
           WHERE t.ticket_no LIKE 'W%' GROUP BY t.id ORDER BY t.ticket_no`,
        )
        .all();
    expect(handed()).toEqual([
      { ticket_no: 'W1-001', status: 'done', window_no: 1, events: 4 },
      { ticket_no: 'W1-002', status: 'done', window_no: 1, events: 4 },
    ]);

    // The host's answer lost on the way: the counter never recorded the hand-over, so it sends the visits again.
    const counterDb = new Database(counterCore.core.storePath);
    expect(counterDb.prepare('DELETE FROM hall_handed_over').run().changes).toBe(2);
    counterDb.close();
    const again = linkState(teller, 'online', true);
    await counterAdmin.call('hall.setLink', { url: hall.host.url, key });
    await again;
    expect(handed()).toHaveLength(2);
    expect(
      db.prepare(`SELECT COUNT(*) AS n FROM queue_event e JOIN ticket t ON t.id = e.ticket_id WHERE t.ticket_no LIKE 'W%'`).get(),
    ).toEqual({
      n: 8,
    });

    // Calling works again through the host.
    await expect(teller.call('queue.callNext', {})).rejects.toMatchObject({ code: 'NOT_FOUND', message: '当前没有等候本窗口的号码' });
  });
});
