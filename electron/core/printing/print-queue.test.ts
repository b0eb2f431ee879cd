import { createServer } from 'node:net';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResultOf } from '#shared/api/contract';
import { ApiError } from '#shared/api/errors';
import type { Client } from '#shared/transport/client';
import { serveVirtualPrinter, VirtualPrinter, type DecodedJob, type VirtualPrinterServer } from '../devices/index';
import { STORE_FILE } from '../index';
import { makeIdNumber } from '../testing/id-numbers';
import { DEMO_DEVICES } from '../system/devices';
import { eventsOf, startDeviceCore } from './testing/device-core';

type DeviceCore = Awaited<ReturnType<typeof startDeviceCore>>;
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function core(options: Parameters<typeof startDeviceCore>[0] = {}): Promise<DeviceCore> {
  const c = await startDeviceCore(options);
  cleanups.push(() => c.dispose());
  return c;
}

async function serve(printer: VirtualPrinter, port?: number): Promise<VirtualPrinterServer> {
  const server = await serveVirtualPrinter(printer, { port });
  cleanups.push(() => server.close());
  return server;
}

/** A local port nothing listens on: a network printer that is unplugged. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

let people = 0;
/** Registers a person and accepts D1 (two-level, with a receipt) for them; returns the receipt's document id and case number. */
async function acceptCase(teller: Client): Promise<{ documentId: string; caseNo: string }> {
  const person = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1980-05-20', 100 + people++), name: '陈建国' });
  const r = await teller.call('case.accept', {
    subItemCode: 'D1',
    personId: person.id,
    materials: [
      { code: 'ID', status: 'received' },
      { code: 'PROOF', status: 'data_check' },
    ],
    form: { changedField: 'name', oldValue: '陈建囯', newValue: '陈建国' },
  });
  if (r.outcome !== 'accepted') throw new Error('not accepted');
  return { documentId: r.documents[0]!.id, caseNo: r.case.caseNo };
}

type Job = ResultOf<'print.queue'>['jobs'][number];
const jobOf = async (client: Client, documentId: string): Promise<Job[]> =>
  (await client.call('print.queue', {})).jobs.filter((j) => j.documentId === documentId);

const nextJob = (printer: VirtualPrinter) => new Promise<DecodedJob>((resolve) => printer.onJob(resolve));

/** Resolves once the printer has received `count` jobs (a network printer finishes a job when its connection closes). */
const received = (printer: VirtualPrinter, count: number) =>
  new Promise<void>((resolve) => {
    if (printer.jobs.length >= count) return resolve();
    const off = printer.onJob(() => printer.jobs.length >= count && (off(), resolve()));
  });

async function useNetworkPrinter(c: DeviceCore, uri: string): Promise<void> {
  const admin = await c.loggedIn('admin', 3);
  await admin.call('devices.saveSettings', { ...DEMO_DEVICES, printerUri: uri });
}

describe('print queue through the core', () => {
  it('queues the receipt with the accepted case and the virtual printer prints it once', async () => {
    const c = await core();
    const teller = await c.loggedIn('teller');
    const events = eventsOf(teller);
    const printed = events.next('print.job', (e) => e.job.state === 'printed');
    const { documentId, caseNo } = await acceptCase(teller);
    const job = (await printed).job;
    expect(job).toMatchObject({ documentId, documentKind: 'acceptance_receipt', attempts: 1, reprint: false });
    expect(events.seen.filter((e) => e.type === 'print.job').map((e) => e.type === 'print.job' && e.job.state)).toEqual([
      'queued',
      'printing',
      'printed',
    ]);
    const output = await teller.call('printer.lastOutput', {});
    expect(output).toMatchObject({ jobId: job.id, png: expect.stringMatching(/^data:image\/png;base64,/) });
    expect(output!.text).toMatch(new RegExp(`受理编号 +${caseNo}`));
    expect(output!.text).toContain('[二维码] ' + caseNo);
    expect(await jobOf(teller, documentId)).toHaveLength(1);
  });

  it('prints through tcp:// in order, waits while the paper is out, and prints each job once when it is back', async () => {
    const printer = new VirtualPrinter({ columns: 48 });
    const server = await serve(printer);
    const c = await core();
    await useNetworkPrinter(c, server.uri);
    const teller = await c.loggedIn('teller');
    const events = eventsOf(teller);

    const paperOut = events.next('device.status', (e) => e.devices.printer.state === 'paper_out');
    printer.paper = 'out';
    expect((await paperOut).devices.printer).toMatchObject({
      uri: server.uri,
      state: 'paper_out',
      detail: expect.stringContaining('缺纸'),
    });
    const first = events.next('print.job', (e) => e.job.state === 'failed_waiting');
    const a = await acceptCase(teller);
    expect((await first).job).toMatchObject({ documentId: a.documentId, lastError: expect.stringContaining('缺纸') });
    const b = await acceptCase(teller);

    const done = events.next('print.job', (e) => e.job.documentId === b.documentId && e.job.state === 'printed');
    printer.paper = 'ok';
    await done;
    await received(printer, 2);
    expect(printer.jobs.map((j) => j.text.match(/受理编号 +(\S+)/)?.[1])).toEqual([a.caseNo, b.caseNo]);
    expect(printer.droppedJobs).toBe(0);
    expect((await jobOf(teller, a.documentId))[0]).toMatchObject({ state: 'printed', attempts: expect.any(Number) });
  });

  it('keeps a receipt for an unplugged printer across a restart and prints it exactly once afterwards', async () => {
    const port = await freePort();
    const uri = `tcp://127.0.0.1:${port}`;
    const first = await core();
    await useNetworkPrinter(first, uri);
    const teller = await first.loggedIn('teller');
    const events = eventsOf(teller);
    const waiting = events.next('print.job', (e) => e.job.state === 'failed_waiting');
    const { documentId, caseNo } = await acceptCase(teller);
    expect((await waiting).job.lastError).toMatch(/离线|未连接/);
    first.close();

    const printer = new VirtualPrinter({ columns: 48 });
    const arrived = nextJob(printer);
    await serve(printer, port);
    const second = await core({ dataDir: first.dataDir });
    expect((await arrived).text).toMatch(new RegExp(`受理编号 +${caseNo}`));
    const again = await second.loggedIn('teller');
    await expect.poll(async () => (await jobOf(again, documentId)).map((j) => j.state)).toEqual(['printed']);
    expect(printer.jobs).toHaveLength(1);
  });

  it('asks the teller about a job interrupted mid-print, and a reprint is marked 补打 and audited', async () => {
    const first = await core();
    const teller = await first.loggedIn('teller');
    const events = eventsOf(teller);
    const printed = events.next('print.job', (e) => e.job.state === 'printed');
    const { documentId } = await acceptCase(teller);
    const original = (await printed).job;
    first.close();
    // As if the app had died while the bytes were on their way.
    const db = new BetterSqlite3(join(first.dataDir, STORE_FILE));
    db.prepare("UPDATE print_job SET state = 'printing' WHERE id = ?").run(original.id);
    db.close();

    const second = await core({ dataDir: first.dataDir });
    const again = await second.loggedIn('teller');
    const [uncertain] = await jobOf(again, documentId);
    expect(uncertain).toMatchObject({ id: original.id, state: 'uncertain', lastError: expect.stringContaining('无法确认') });
    await expect(again.call('document.reprint', { documentId })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('待确认'),
    });

    const againEvents = eventsOf(again);
    const reprinted = againEvents.next('print.job', (e) => e.job.reprint && e.job.state === 'printed');
    const job = await again.call('print.resolve', { jobId: original.id, action: 'reprint' });
    expect(job).toMatchObject({ documentId, reprint: true, reprintOf: original.id });
    await reprinted;
    const output = await again.call('printer.lastOutput', {});
    expect(output!.text.split('\n').slice(0, 2)).toEqual([
      '【补打】',
      expect.stringMatching(/^补打时间 +\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    ]);
    expect((await jobOf(again, documentId)).map((j) => [j.state, j.reprint])).toEqual([
      ['printed', true],
      ['cancelled', false],
    ]);

    // A printed document can be reprinted deliberately: another 补打 job, audited with who and where.
    const third = await again.call('document.reprint', { documentId });
    expect(third).toMatchObject({ reprint: true, reprintOf: job.id });
    const admin = await second.loggedIn('admin', 3);
    const { entries } = await admin.call('audit.list', { action: 'document.reprint' });
    expect(entries.map((e) => [e.entityType, e.class, e.windowNo])).toEqual([
      ['document', 'key', 1],
      ['print_job', 'key', 1],
    ]);
    expect(entries[0]!.after).toMatchObject({ jobId: third.id, reprintOf: job.id });
  });

  it('lets the teller confirm an uncertain job as printed, once', async () => {
    const first = await core();
    const teller = await first.loggedIn('teller');
    const events = eventsOf(teller);
    const printed = events.next('print.job', (e) => e.job.state === 'printed');
    const { documentId } = await acceptCase(teller);
    const original = (await printed).job;
    first.close();
    const db = new BetterSqlite3(join(first.dataDir, STORE_FILE));
    db.prepare("UPDATE print_job SET state = 'printing' WHERE id = ?").run(original.id);
    db.close();

    const second = await core({ dataDir: first.dataDir });
    const again = await second.loggedIn('teller');
    await expect(again.call('print.resolve', { jobId: original.id, action: 'printed' })).resolves.toMatchObject({ state: 'printed' });
    await expect(again.call('print.resolve', { jobId: original.id, action: 'printed' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await jobOf(again, documentId)).toHaveLength(1);
  });

  it('blocks a receipt whose name the printer cannot print, names the character, and prints nothing of it', async () => {
    const c = await core();
    const teller = await c.loggedIn('teller');
    const events = eventsOf(teller);
    const person = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1975-01-01', 7), name: '王一' });
    // A name carried over from a legacy system that used a private-use code for a rare character.
    const db = new BetterSqlite3(join(c.dataDir, STORE_FILE));
    db.prepare('UPDATE person SET name = ? WHERE id = ?').run('王\uE0A1', person.id);
    db.close();

    const blocked = events.next('print.job', (e) => e.job.state === 'blocked');
    await teller.call('case.accept', {
      subItemCode: 'D1',
      personId: person.id,
      materials: [
        { code: 'ID', status: 'received' },
        { code: 'PROOF', status: 'data_check' },
      ],
      form: { changedField: 'name', oldValue: '王一', newValue: '王二' },
    });
    const { job } = await blocked;
    expect(job.lastError).toBe('单据含有打印机无法打印的字符：“\uE0A1”（U+E0A1，自造字，打印机无此字形）。请核对姓名等信息，更正后补打。');
    expect(job.attempts).toBe(0);

    // The queue goes on with the next citizen; the blocked job waits for the teller.
    const next = events.next('print.job', (e) => e.job.state === 'printed');
    const other = await acceptCase(teller);
    expect((await next).job.documentId).toBe(other.documentId);
    expect((await teller.call('printer.lastOutput', {}))!.text).not.toContain('?');
    await expect(teller.call('print.resolve', { jobId: job.id, action: 'cancel' })).resolves.toMatchObject({ state: 'cancelled' });
    const admin = await c.loggedIn('admin', 3);
    expect((await admin.call('audit.list', { action: 'print.cancel' })).entries).toHaveLength(1);
  });
});

describe('printer settings', () => {
  it('are the admin’s, checked, audited, and a test page shows the configured width', async () => {
    const c = await core();
    const teller = await c.loggedIn('teller');
    const admin = await c.loggedIn('admin', 3);
    await expect(teller.call('devices.saveSettings', { ...DEMO_DEVICES, printerUri: 'virtual:x' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const refused = await admin.call('devices.saveSettings', { ...DEMO_DEVICES, printerUri: 'printer:EPSON' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'printerUri', message: expect.stringContaining('打印机地址') }] });
    await expect(admin.call('devices.saveSettings', { ...DEMO_DEVICES, paperMm: 58, columns: 48 })).rejects.toMatchObject({
      code: 'VALIDATION',
    });

    const settings = { ...DEMO_DEVICES, printerUri: 'virtual:counter-3', paperMm: 58 as const, columns: 32 as const, cut: false };
    await expect(admin.call('devices.saveSettings', settings)).resolves.toEqual(settings);
    await expect(admin.call('devices.settings', {})).resolves.toEqual(settings);
    expect((await admin.call('devices.overview', {})).printer).toMatchObject({
      uri: 'virtual:counter-3',
      simulated: true,
      columns: 32,
      paperMm: 58,
    });
    const { entries } = await admin.call('audit.list', { action: 'devices.settings' });
    expect(entries[0]).toMatchObject({ class: 'key', before: { printerUri: 'virtual' }, after: { printerUri: 'virtual:counter-3' } });

    const events = eventsOf(admin);
    const printed = events.next('print.job', (e) => e.job.state === 'printed');
    const job = await admin.call('printer.test', {});
    expect((await printed).job.id).toBe(job.id);
    const lines = (await admin.call('printer.lastOutput', {}))!.text.split('\n');
    expect(lines).toContain('12345678901234567890123456789012');
    expect(lines).toContain('国'.repeat(16));
  });
});
