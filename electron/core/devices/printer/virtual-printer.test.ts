import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { concatBytes, fromHex } from '../bytes';
import { demoPeople } from '../demo-people';
import type { PrintDocument } from '#shared/documents/print-document';
import { renderDocument } from './render-document';
import { VirtualPrinter } from './virtual-printer';

const ticket: PrintDocument = {
  blocks: [
    { type: 'text', text: '温州市鹿城区社保服务大厅', style: { align: 'center', bold: true } },
    { type: 'text', text: 'A012', style: { align: 'center', width: 3, height: 3 } },
    { type: 'separator', char: '=' },
    { type: 'row', label: '业务类型', value: '城乡居民养老' },
    { type: 'row', label: '等候人数', value: '5 人' },
    { type: 'text', text: '过号请重新取号，谢谢配合！' },
    { type: 'qr', data: 'T-20240501-A012', align: 'center' },
  ],
};

describe('VirtualPrinter round trip', () => {
  it('decodes our bytes back to the same lines, styles, QR and cut', async () => {
    const printer = new VirtualPrinter({ columns: 32 });
    await printer.write(renderDocument(ticket, { columns: 32 }));
    const [job] = printer.jobs;
    expect(job?.startsWithInitAndChineseMode).toBe(true);
    expect(job?.text.split('\n')).toEqual([
      '温州市鹿城区社保服务大厅',
      'A012',
      '='.repeat(32),
      '业务类型' + ' '.repeat(12) + '城乡居民养老', // 8 + 12 + 12 columns
      '等候人数' + ' '.repeat(20) + '5 人', // 8 + 20 + 4 columns
      '过号请重新取号，谢谢配合！',
    ]);
    expect(job?.lines[0]).toMatchObject({ align: 'center', runs: [{ bold: true, width: 1, height: 1 }] });
    expect(job?.lines[1]).toMatchObject({ align: 'center', runs: [{ text: 'A012', bold: false, width: 3, height: 3 }] });
    expect(job?.lines[2]?.align).toBe('left');
    expect(job?.qrCodes).toEqual([
      expect.objectContaining({ data: 'T-20240501-A012', moduleSize: 6, errorCorrection: 'M', align: 'center' }),
    ]);
    expect(job?.cuts).toBe(1);
    expect(job?.unknownCommands).toBe(0);
  });

  it('tells listeners about each printed job until they unsubscribe, and can forget its jobs', async () => {
    const printer = new VirtualPrinter();
    const seen: number[] = [];
    const unsubscribe = printer.onJob((job) => seen.push(job.sequence));
    await printer.write(renderDocument(ticket, { columns: 32 }));
    unsubscribe();
    await printer.write(renderDocument(ticket, { columns: 32 }));
    expect(seen).toEqual([1]);
    expect(printer.jobs.map((j) => j.sequence)).toEqual([1, 2]);
    printer.clear();
    expect(printer.jobs).toHaveLength(0);
  });

  it('prints every demo name, including 堃 喆 䶮 𠮷, exactly', async () => {
    const printer = new VirtualPrinter();
    const names = demoPeople.map((p) => p.name);
    expect(names.join('')).toMatch(/堃/);
    for (const name of [...names, '喆', '䶮', '𠮷']) {
      await printer.write(renderDocument({ blocks: [{ type: 'row', label: '姓名', value: name }] }, { columns: 48 }));
    }
    const printed = printer.jobs.map((j) => j.text.replace(/^姓名\s+/, ''));
    expect(printed).toEqual([...names, '喆', '䶮', '𠮷']);
  });

  it('garbles hanzi when a job forgets FS & — which is why every job sends it', async () => {
    const printer = new VirtualPrinter();
    await printer.write(fromHex('1B 40 D5C5 0A'));
    expect(printer.jobs[0]?.text).not.toBe('张');
    expect(printer.jobs[0]?.startsWithInitAndChineseMode).toBe(false);
  });
});

describe('VirtualPrinter misbehaviour', () => {
  it('answers DLE EOT with the documented bytes', () => {
    const printer = new VirtualPrinter();
    expect(printer.statusByteFor(4)).toBe(0x12);
    printer.paper = 'near_end';
    expect(printer.statusByteFor(4)).toBe(0x1e);
    printer.paper = 'out';
    expect(printer.statusByteFor(4)).toBe(0x72);
    expect(printer.statusByteFor(1) & 0x08).toBe(0x08);
  });

  it('refuses a job when out of paper or offline, and keeps nothing', async () => {
    const printer = new VirtualPrinter();
    const bytes = renderDocument(ticket, { columns: 32 });
    printer.paper = 'out';
    await expect(printer.status()).resolves.toMatchObject({ state: 'paper_out', checkedBy: 'dle_eot' });
    await expect(printer.write(bytes)).rejects.toMatchObject({ code: 'DEVICE_PAPER_OUT', detail: { maybePrinted: false } });
    printer.paper = 'ok';
    printer.offline = true;
    await expect(printer.status()).resolves.toMatchObject({ state: 'offline' });
    await expect(printer.write(bytes)).rejects.toMatchObject({ code: 'DEVICE_OFFLINE' });
    expect(printer.jobs).toHaveLength(0);
    printer.offline = false;
    await printer.write(bytes);
    expect(printer.jobs).toHaveLength(1);
  });

  it('reports paper near end while still printing', async () => {
    const printer = new VirtualPrinter();
    printer.paper = 'near_end';
    await expect(printer.status()).resolves.toEqual({ state: 'online', paperNearEnd: true, checkedBy: 'dle_eot' });
  });

  it('can be slow', async () => {
    const printer = new VirtualPrinter();
    printer.latencyMs = 60;
    const started = Date.now();
    await printer.write(renderDocument({ blocks: [] }, { columns: 32 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('VirtualPrinter sessions', () => {
  it('cuts a byte stream into jobs at ESC @ with the exact bytes of each, in any fragmentation', () => {
    const first = renderDocument({ blocks: [{ type: 'text', text: '第一张' }] }, { columns: 32 });
    const second = renderDocument({ blocks: [{ type: 'text', text: '第二张' }] }, { columns: 32 });
    const stream = concatBytes([fromHex('10 04 04'), first, second]);
    const printer = new VirtualPrinter();
    const session = printer.openSession();
    const replies: number[] = [];
    for (let i = 0; i < stream.length; i += 3) replies.push(...session.push(stream.subarray(i, i + 3)));
    session.end();
    expect(replies).toEqual([0x12]);
    expect(printer.jobs.map((j) => j.text)).toEqual(['第一张', '第二张']);
    expect(Buffer.from(printer.jobs[1]?.bytes ?? []).equals(second)).toBe(true);
    expect(Buffer.from(printer.jobs[0]?.bytes ?? []).equals(concatBytes([fromHex('10 04 04'), first]))).toBe(true);
  });

  it('drops a streamed job that arrives while out of paper', () => {
    const printer = new VirtualPrinter();
    printer.paper = 'out';
    const session = printer.openSession();
    session.push(renderDocument(ticket, { columns: 32 }));
    session.end();
    expect(printer.jobs).toHaveLength(0);
    expect(printer.droppedJobs).toBe(1);
  });

  it('ignores a connection that only asks for status', () => {
    const printer = new VirtualPrinter();
    const session = printer.openSession();
    expect(Array.from(session.push(fromHex('10 04 01 10 04 04')))).toEqual([0x12, 0x12]);
    session.end();
    expect(printer.jobs).toHaveLength(0);
  });
});

describe('VirtualPrinter output folder', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the raw bytes, the decoded text and a PNG of each job', async () => {
    dir = await mkdtemp(join(tmpdir(), 'yichuang-printer-'));
    const printer = new VirtualPrinter({ name: 'counter-3', columns: 48 });
    const bytes = renderDocument(ticket, { columns: 48 });
    await printer.write(bytes);
    const files = await printer.writeJobs(dir);
    expect(files.map((f) => f.slice(dir!.length + 1))).toEqual([
      'virtual_counter-3-0001.bin',
      'virtual_counter-3-0001.txt',
      'virtual_counter-3-0001.png',
    ]);
    expect((await readFile(files[0]!)).equals(bytes)).toBe(true);
    expect(await readFile(files[1]!, 'utf8')).toContain('[QR] T-20240501-A012');
    const png = await readFile(files[2]!);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR width: 48 columns × 12 dots + 2 × 16 margin.
    expect(png.readUInt32BE(16)).toBe(48 * 12 + 32);
  });
});
