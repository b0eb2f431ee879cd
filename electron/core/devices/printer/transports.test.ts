import { createServer, type Server } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { concatBytes } from '../bytes';
import { SimulatedSerialPort } from '../serial/simulated-serial-port';
import type { PrintDocument } from '#shared/documents/print-document';
import { renderDocument } from './render-document';
import { createPrinterTransport, parsePrinterUri } from './transport-uri';
import { VirtualPrinter } from './virtual-printer';
import { serveVirtualPrinter } from './virtual-printer-server';

const doc: PrintDocument = {
  blocks: [
    { type: 'text', text: '取号凭条', style: { align: 'center', bold: true, width: 2, height: 2 } },
    { type: 'row', label: '姓名', value: '张堃' },
    { type: 'qr', data: 'A012' },
  ],
};
const job = renderDocument(doc, { columns: 32 });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A raw port-9100 printer that records every connection's bytes and answers DLE EOT n with `answer(n)`. */
async function captureServer(answer: (n: number) => number | undefined) {
  const connections: Buffer[] = [];
  const server: Server = createServer((socket) => {
    const index = connections.push(Buffer.alloc(0)) - 1;
    socket.on('data', (chunk) => {
      connections[index] = Buffer.concat([connections[index]!, chunk]);
      for (let i = 0; i + 2 < chunk.length; i++) {
        if (chunk[i] === 0x10 && chunk[i + 1] === 0x04) {
          const reply = answer(chunk[i + 2]!);
          if (reply !== undefined) socket.write(Buffer.of(reply));
        }
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { uri: `tcp://127.0.0.1:${port}`, connections };
}

describe('tcp:// transport (node-thermal-printer network interface)', () => {
  it('delivers exactly our bytes, after checking status with DLE EOT', async () => {
    const printer = await captureServer(() => 0x12);
    const transport = createPrinterTransport(printer.uri);
    await expect(transport.status()).resolves.toEqual({ state: 'online', paperNearEnd: false, checkedBy: 'dle_eot' });
    await transport.write(job);
    await expect.poll(() => printer.connections.some((c) => c.equals(job))).toBe(true);
    // Status checks went on their own connections, so the job connection holds the job alone.
    expect(printer.connections.filter((c) => c[0] === 0x10).map((c) => c.toString('hex'))).toContain('100404');
  });

  it('refuses to send a job to a printer that answers paper out, and sends nothing', async () => {
    const printer = await captureServer((n) => (n === 4 ? 0x72 : 0x1a));
    const transport = createPrinterTransport(printer.uri);
    await expect(transport.status()).resolves.toMatchObject({ state: 'paper_out' });
    await expect(transport.write(job)).rejects.toMatchObject({ code: 'DEVICE_PAPER_OUT', detail: { maybePrinted: false } });
    expect(printer.connections.length).toBeGreaterThan(0);
    expect(printer.connections.some((c) => c.includes(job))).toBe(false);
  });

  it('reports the offline bit of DLE EOT 1', async () => {
    const printer = await captureServer((n) => (n === 1 ? 0x1a : 0x12));
    await expect(createPrinterTransport(printer.uri).status()).resolves.toMatchObject({ state: 'offline', checkedBy: 'dle_eot' });
  });

  it('falls back to "the port answers" when the printer ignores DLE EOT', async () => {
    const printer = await captureServer(() => undefined);
    const transport = createPrinterTransport(printer.uri, { statusTimeoutMs: 100 });
    await expect(transport.status()).resolves.toEqual({ state: 'online', paperNearEnd: false, checkedBy: 'connection' });
  });

  it('reports a refused connection as offline, and a write to it as not printed', async () => {
    const printer = await captureServer(() => 0x12);
    const uri = printer.uri;
    await cleanups.pop()!();
    const transport = createPrinterTransport(uri, { timeoutMs: 500 });
    await expect(transport.status()).resolves.toMatchObject({ state: 'offline', checkedBy: 'connection' });
    await expect(transport.write(job)).rejects.toMatchObject({ code: 'DEVICE_OFFLINE', detail: { maybePrinted: false } });
  });

  it('prints through TCP to the virtual printer, which decodes the same text', async () => {
    const virtual = new VirtualPrinter();
    const server = await serveVirtualPrinter(virtual);
    cleanups.push(() => server.close());
    await createPrinterTransport(server.uri).write(job);
    await expect.poll(() => virtual.jobs.length).toBe(1);
    expect(virtual.jobs[0]?.text.split('\n')).toEqual(['取号凭条', '姓名' + ' '.repeat(24) + '张堃']);
    expect(virtual.jobs[0]?.qrCodes[0]?.data).toBe('A012');
  });
});

describe('serial: transport (custom node-thermal-printer interface over serialport)', () => {
  it('sends the job and asks DLE EOT on the same line', async () => {
    const virtual = new VirtualPrinter();
    const session = virtual.openSession();
    const received: Uint8Array[] = [];
    const port = new SimulatedSerialPort('/dev/ttyPRN0', (bytes) => {
      received.push(bytes);
      const reply = session.push(bytes);
      if (reply.length > 0) void port.send(reply);
    });
    const transport = createPrinterTransport('serial:/dev/ttyPRN0?baud=115200', { serialBinding: port.binding });
    cleanups.push(() => transport.close());
    virtual.paper = 'near_end';
    await expect(transport.status()).resolves.toEqual({ state: 'online', paperNearEnd: true, checkedBy: 'dle_eot' });
    await transport.write(job);
    // The far end sees the bytes once they have crossed the (simulated) line.
    await expect.poll(() => Buffer.from(concatBytes(received)).includes(job)).toBe(true);
    session.end();
    expect(virtual.jobs.map((j) => j.text)).toEqual(['取号凭条\n姓名' + ' '.repeat(24) + '张堃']);
    virtual.paper = 'out';
    await expect(transport.write(job)).rejects.toMatchObject({ code: 'DEVICE_PAPER_OUT' });
  });

  it('is offline when the port cannot be opened', async () => {
    const port = new SimulatedSerialPort('/dev/ttyPRN1', () => {});
    port.unplug();
    const transport = createPrinterTransport('serial:/dev/ttyPRN1', { serialBinding: port.binding });
    await expect(transport.status()).resolves.toMatchObject({ state: 'offline' });
    await expect(transport.write(job)).rejects.toMatchObject({ code: 'DEVICE_OFFLINE', detail: { maybePrinted: false } });
  });
});

describe('device or file path transport', () => {
  it('appends each job to an existing path and never creates a missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yichuang-lp-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'lp0');
    await writeFile(path, '');
    const transport = createPrinterTransport(path);
    await expect(transport.status()).resolves.toEqual({ state: 'online', paperNearEnd: false, checkedBy: 'connection' });
    await transport.write(job);
    await transport.write(job);
    expect((await readFile(path)).equals(Buffer.concat([job, job]))).toBe(true);

    const missing = createPrinterTransport(join(dir, 'lp1'));
    await expect(missing.status()).resolves.toMatchObject({ state: 'offline' });
    await expect(missing.write(job)).rejects.toMatchObject({ code: 'DEVICE_OFFLINE' });
    await expect(readFile(join(dir, 'lp1'))).rejects.toThrow();
  });
});

describe('printer addresses', () => {
  it('parses the supported forms', () => {
    expect(parsePrinterUri('tcp://192.168.1.50:9100')).toEqual({ kind: 'tcp', host: '192.168.1.50', port: 9100 });
    expect(parsePrinterUri('tcp://printer.local')).toEqual({ kind: 'tcp', host: 'printer.local', port: 9100 });
    expect(parsePrinterUri('serial:COM3?baud=9600')).toEqual({ kind: 'serial', path: 'COM3', baudRate: 9600 });
    expect(parsePrinterUri('serial:/dev/ttyUSB0')).toEqual({ kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 });
    expect(parsePrinterUri('/dev/usb/lp0')).toEqual({ kind: 'file', path: '/dev/usb/lp0' });
    expect(parsePrinterUri('\\\\.\\USB001')).toEqual({ kind: 'file', path: '\\\\.\\USB001' });
    expect(parsePrinterUri('C:\\tickets\\out.bin')).toEqual({ kind: 'file', path: 'C:\\tickets\\out.bin' });
    expect(parsePrinterUri('file:///var/spool/ticket%201.bin')).toEqual({ kind: 'file', path: '/var/spool/ticket 1.bin' });
    expect(parsePrinterUri('virtual')).toEqual({ kind: 'virtual', name: 'printer' });
    expect(parsePrinterUri('virtual:counter-3')).toEqual({ kind: 'virtual', name: 'counter-3' });
  });

  it('refuses the rest with a Chinese DEVICE_CONFIG error', () => {
    for (const uri of ['printer:EPSON', 'serial:COM3?baud=1234', 'serial:', 'tcp://host:99999', 'lpt1', '']) {
      expect(() => parsePrinterUri(uri), uri).toThrow(
        expect.objectContaining({ code: 'DEVICE_CONFIG', message: expect.stringContaining('打印机地址') }),
      );
    }
  });

  it('hands out the same virtual printer for the same name', () => {
    const virtualPrinters = new Map<string, VirtualPrinter>();
    const a = createPrinterTransport('virtual:hall', { virtualPrinters });
    expect(createPrinterTransport('virtual:hall', { virtualPrinters })).toBe(a);
    expect(virtualPrinters.get('hall')).toBe(a);
  });
});
