import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Send } from '#shared/sync/client';
import type { Client } from '#shared/transport/client';
import { pageFiles, sha256Hex } from '../archive/page-files';
import { createCore, type Core } from '../index';
import { createMemoryLogger } from '../platform/logger';
import { rejection } from '../testing/api-error';
import { accepted, acceptD1 } from '../testing/cases';
import { manualClock, tempDir } from '../testing/fixture';
import { makeIdNumber } from '../testing/id-numbers';
import { enrolWithFake, fakeCentral } from './fake-central';
import { DEFAULT_CHUNK_TUNING, nextChunkBytes, RECHECK_AFTER_MS } from './file-sync';
import { fakeFileCentral, type FakeFileCentral } from './file-sync-fake';
import { manualTimers } from './manual-timers';
import type { SyncTuning } from './sync-engine';

const settle = async () => {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** Waits until the round a fired timer started has ended. */
async function idle(client: Client) {
  for (let i = 0; i < 200; i++) {
    await settle();
    if ((await client.call('sync.status', {})).state !== 'syncing') return;
  }
  throw new Error('the round did not end');
}

const opened: { core: Core; dataDir: string }[] = [];
afterEach(() => {
  for (const { core, dataDir } of opened.splice(0)) {
    core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

const KiB = 1024;
/** A PDF (stored byte for byte) of about `size` bytes of noise. */
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(size - 9)]);
const file = (bytes: Buffer) => ({ name: 'scan.pdf', mime: 'application/pdf', dataBase64: bytes.toString('base64') });

/**
 * A demo core enrolled with the fake central office (with its file endpoints), a teller with a D1 case, and `link`:
 * what the engine's requests go through (the fake by default; tests wrap it with faults or a slow line).
 */
async function setup(tuning: Partial<SyncTuning> = {}) {
  const central = fakeCentral();
  const files = fakeFileCentral(central);
  const clock = manualClock(new Date());
  const time = manualTimers(clock);
  const dataDir = tempDir('yc-files-');
  const logger = createMemoryLogger();
  const line = { send: files.send as Send, ms: 0 };
  const core = await createCore({
    dataDir,
    appVersion: 'test',
    logger,
    clock,
    demo: true,
    sync: {
      sendFor: () => (request) => line.send(request),
      timers: time.timers,
      random: () => 0.5,
      monotonic: () => line.ms,
      tuning: { chunkStartBytes: 16 * KiB, chunkMinBytes: 4 * KiB, chunkMaxBytes: 16 * KiB, ...tuning },
    },
  });
  opened.push({ core, dataDir });
  const { login, admin } = await enrolWithFake(core);
  const teller = await login('teller');
  let n = 0;
  const newCase = async () => {
    const person = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1980-05-20', ++n), name: '陈建国' });
    return accepted(await acceptD1(teller, person.id));
  };
  const kase = await newCase();
  const attach = (bytes: Buffer, caseId = kase.id) => teller.call('pages.attach', { caseId, materialCode: 'ID', file: file(bytes) });
  return { central, files, line, clock, time, dataDir, logger, login, admin, teller, kase, newCase, attach };
}

const paths = (files: FakeFileCentral) =>
  files.requests.map((r) => `${r.method} ${r.path.startsWith('/v1/files/') && r.path !== '/v1/files/status' ? '/v1/files/<sha>' : r.path}`);
const errorLogged = (logger: ReturnType<typeof createMemoryLogger>, msg: string) =>
  logger.lines.some((l) => l.level === 'error' && l.msg.endsWith(msg));

describe('chunk sizes', () => {
  it('aim at half a second on the wire, at most doubling, within the bounds', () => {
    const t = DEFAULT_CHUNK_TUNING;
    // 1 Mbit/s carries 62.5 KB in half a second.
    expect(nextChunkBytes(64 * KiB, 64 * KiB, (64 * KiB * 8) / 1000, t)).toBe(62_500);
    expect(nextChunkBytes(64 * KiB, 64 * KiB, 1, t)).toBe(128 * KiB);
    expect(nextChunkBytes(512 * KiB, 512 * KiB, 0, t)).toBe(t.chunkMaxBytes);
    expect(nextChunkBytes(64 * KiB, 64 * KiB, 60_000, t)).toBe(16 * KiB);
  });

  it('settle near 62.5 KB on a 1 Mbit/s link, so an operation written meanwhile waits one chunk', async () => {
    const { line, files, attach, admin, teller, time } = await setup({
      chunkStartBytes: 64 * KiB,
      chunkMinBytes: 16 * KiB,
      chunkMaxBytes: 1024 * KiB,
    });
    const inner = line.send;
    let onChunk: (() => Promise<void>) | null = null;
    line.send = async (request) => {
      const bytes = request.body instanceof Uint8Array ? request.body.length : 0;
      line.ms += (bytes * 8) / 1000 + 5;
      const answer = await inner(request);
      if (bytes > 0 && files.chunks().length === 3) await onChunk?.();
      return answer;
    };
    await attach(pdf(600 * KiB));
    let pushedAfter = -1;
    onChunk = async () => {
      onChunk = null;
      await teller.call('person.create', { idNumber: makeIdNumber('330106', '1990-01-01', 99), name: '李四' });
      pushedAfter = files.chunks().length;
    };
    await admin.call('sync.now', {});
    // The round gave way after the chunk in flight; the next one pushes the person first, then the file continues.
    expect(files.chunks()).toHaveLength(pushedAfter);
    time.advance(0);
    await idle(admin);
    const sizes = files.chunks().map((c) => c.bytes!);
    expect(sizes[0]).toBe(64 * KiB);
    for (const size of sizes.slice(1, -1)) expect(Math.abs(size - 62_500)).toBeLessThan(3_000);
    const order = paths(files);
    const push = order.lastIndexOf('POST /v1/sync/push');
    expect(order.slice(0, push).filter((p) => p === 'POST /v1/files/<sha>')).toHaveLength(pushedAfter);
    expect(order.slice(push)).toContain('POST /v1/files/<sha>');
    expect((await admin.call('sync.status', {})).files).toMatchObject({ pendingPages: 0, pendingBytes: 0 });
  });
});

describe('file sync', () => {
  it('sends a page only after the central office acknowledged its operation, in chunks, and counts what waits', async () => {
    const { central, files, attach, admin } = await setup();
    const bytes = pdf(40 * KiB);
    central.script.down = true;
    await attach(bytes);
    const offline = await admin.call('sync.now', {});
    expect(offline.state).toBe('offline');
    expect(offline.files).toMatchObject({ pendingPages: 1, pendingBytes: bytes.length, corruptPages: 0, active: false });
    expect(files.requests.filter((r) => r.path.startsWith('/v1/files'))).toEqual([]);

    central.script.down = false;
    const status = await admin.call('sync.now', {});
    expect(status).toMatchObject({ state: 'online', pendingOps: 0, lastError: null });
    expect(status.files).toMatchObject({ pendingPages: 0, pendingBytes: 0, sentBytes: bytes.length });
    const order = paths(files);
    expect(order.indexOf('POST /v1/files/status')).toBeGreaterThan(order.lastIndexOf('POST /v1/sync/push'));
    expect(files.chunks().map((c) => [c.offset, c.bytes])).toEqual([
      [0, 16 * KiB],
      [16 * KiB, 16 * KiB],
      [32 * KiB, bytes.length - 32 * KiB],
    ]);
    expect(files.files.get(sha256Hex(bytes))?.received.equals(bytes)).toBe(true);

    // Held centrally: later rounds neither ask about it nor send it again.
    const before = files.requests.length;
    await admin.call('sync.now', {});
    expect(files.requests.slice(before).filter((r) => r.path.startsWith('/v1/files'))).toEqual([]);
  });

  it('sends the same bytes once whatever cases hold them, and never what the central office already has', async () => {
    const { files, attach, newCase, admin } = await setup();
    const shared = pdf(20 * KiB);
    const held = pdf(20 * KiB);
    files.hold(held);
    await attach(shared);
    await attach(shared, (await newCase()).id);
    await attach(held);
    const status = await admin.call('sync.now', {});
    expect(status.files).toMatchObject({ pendingPages: 0, sentBytes: shared.length });
    expect(files.chunkBytes()).toBe(shared.length);
    expect(new Set(files.requests.filter((r) => r.bytes).map((r) => r.path))).toEqual(new Set([`/v1/files/${sha256Hex(shared)}`]));
  });

  it('resumes an interrupted upload from the central office’s offset, never resending confirmed bytes', async () => {
    const { line, files, attach, admin } = await setup();
    const bytes = pdf(60 * KiB);
    await attach(bytes);
    const inner = line.send;
    let budget = 2;
    line.send = async (request) => {
      if (request.body instanceof Uint8Array && budget-- <= 0) throw new Error('socket hang up');
      return inner(request);
    };
    const cut = await admin.call('sync.now', {});
    expect(cut).toMatchObject({ state: 'offline', pendingOps: 0, lastError: { code: 'UNREACHABLE' } });
    // Business data went through before the link failed.
    expect(cut.lastSyncAt).not.toBeNull();
    expect(cut.files).toMatchObject({ pendingPages: 1, pendingBytes: bytes.length - 32 * KiB });

    line.send = inner;
    expect((await admin.call('sync.now', {})).files).toMatchObject({ pendingPages: 0 });
    expect(files.chunks().map((c) => c.offset)).toEqual([0, 16 * KiB, 32 * KiB, 48 * KiB]);
    expect(files.chunkBytes()).toBe(bytes.length);
  });

  it('continues where the central office says after a duplicated chunk, and resends a chunk damaged on the way', async () => {
    const { line, files, attach, admin } = await setup();
    const bytes = pdf(50 * KiB);
    await attach(bytes);
    const inner = line.send;
    let n = 0;
    line.send = async (request) => {
      if (!(request.body instanceof Uint8Array)) return inner(request);
      n += 1;
      // The first chunk arrives twice (the second answer is the one read); the third arrives with a byte flipped.
      if (n === 1) await inner(request);
      if (n === 3) {
        const flipped = Buffer.from(request.body);
        flipped[5] = flipped[5]! ^ 0xff;
        return inner({ ...request, body: flipped });
      }
      return inner(request);
    };
    const status = await admin.call('sync.now', {});
    expect(status.files).toMatchObject({ pendingPages: 0, problem: null });
    expect(files.files.get(sha256Hex(bytes))).toMatchObject({ stored: true });
    expect(files.files.get(sha256Hex(bytes))!.received.equals(bytes)).toBe(true);
  });

  it('gives up on a chunk after a few damaged resends and on a file that fails centrally twice, for this round', async () => {
    const { line, files, attach, admin } = await setup();
    const bytes = pdf(20 * KiB);
    await attach(bytes);
    const inner = line.send;
    line.send = async (request) => {
      if (!(request.body instanceof Uint8Array)) return inner(request);
      const flipped = Buffer.from(request.body);
      flipped[0] = flipped[0]! ^ 0xff;
      return inner({ ...request, body: flipped });
    };
    const status = await admin.call('sync.now', {});
    expect(status).toMatchObject({ state: 'online', lastError: null });
    expect(status.files).toMatchObject({ pendingPages: 1, problem: expect.stringContaining('多次在传输中损坏') });
    expect(files.chunks()).toHaveLength(4);

    // Now chunks pass their own hash but the assembled file does not: dropped, sent once more from 0, then left.
    line.send = async (request) => {
      if (!(request.body instanceof Uint8Array)) return inner(request);
      const flipped = Buffer.from(request.body);
      flipped[0] = flipped[0]! ^ 0xff;
      const [path] = request.url.split('?');
      const query = new URLSearchParams(request.url.split('?')[1]);
      query.set('chunk', sha256Hex(flipped));
      return inner({ ...request, url: `${path}?${query.toString()}`, body: flipped });
    };
    const before = files.chunks().length;
    const again = await admin.call('sync.now', {});
    expect(again.files.problem).toContain('中心校验仍不符');
    expect(
      files
        .chunks()
        .slice(before)
        .map((c) => c.offset),
    ).toEqual([0, 16 * KiB, 0, 16 * KiB]);

    line.send = inner;
    expect((await admin.call('sync.now', {})).files).toMatchObject({ pendingPages: 0, problem: null });
  });

  it('never uploads a page that fails its hash, reports it, and repairs it once the central office has it', async () => {
    const { files, attach, admin, teller, dataDir, logger } = await setup();
    const bytes = pdf(20 * KiB);
    const page = await attach(bytes);
    const path = pageFiles(dataDir).pathOf(page.sha256, 'application/pdf');
    writeFileSync(path, Buffer.concat([bytes.subarray(0, 100), Buffer.alloc(10)]));
    const status = await admin.call('sync.now', {});
    expect(status.files).toMatchObject({ pendingPages: 0, corruptPages: 1, problem: expect.stringContaining('校验失败') });
    expect(files.chunks()).toEqual([]);
    expect(errorLogged(logger, 'page file failed its hash; not uploaded')).toBe(true);

    // Another counter of the station sent the same page: the next round fetches it and the page shows again.
    files.hold(bytes);
    const repaired = await admin.call('sync.now', {});
    expect(repaired.files).toMatchObject({ corruptPages: 0, problem: null });
    const got = await teller.call('pages.get', { pageId: page.id });
    expect(Buffer.from(got.dataUrl.split(',')[1]!, 'base64').equals(bytes)).toBe(true);
    expect(readdirSync(join(dataDir, 'pages', page.sha256.slice(0, 2)))).toEqual([`${page.sha256}.pdf`]);
  });

  it('fetches a page that pages.get found damaged, resuming an interrupted download, and serves it again', async () => {
    const { line, files, attach, admin, teller, dataDir } = await setup();
    const bytes = pdf(40 * KiB);
    const page = await attach(bytes);
    await admin.call('sync.now', {});
    const path = pageFiles(dataDir).pathOf(page.sha256, 'application/pdf');
    rmSync(path);
    const refused = await rejection(teller.call('pages.get', { pageId: page.id }));
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'page_corrupt' });
    expect(refused.message).toContain('从中心取回');
    expect((await admin.call('sync.status', {})).files.corruptPages).toBe(1);

    const inner = line.send;
    let downloads = 0;
    line.send = async (request) => {
      if (request.method === 'GET' && request.url.startsWith('/v1/files/') && ++downloads === 2) throw new Error('socket hang up');
      return inner(request);
    };
    expect((await admin.call('sync.now', {})).state).toBe('offline');
    expect(existsSync(`${path}.download`)).toBe(true);
    expect(existsSync(path)).toBe(false);

    line.send = inner;
    expect((await admin.call('sync.now', {})).files).toMatchObject({ corruptPages: 0 });
    // The cut request never arrived; the next round went on from the 16 KiB already on disk.
    expect(files.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/files/')).map((r) => r.offset)).toEqual([
      0,
      16 * KiB,
      32 * KiB,
    ]);
    const got = await teller.call('pages.get', { pageId: page.id });
    expect(Buffer.from(got.dataUrl.split(',')[1]!, 'base64').equals(bytes)).toBe(true);
    expect(existsSync(`${path}.download`)).toBe(false);
  });

  it('keeps a damaged page reported when the central office does not have it, and a new capture repairs it', async () => {
    const { attach, admin, teller, dataDir } = await setup();
    const bytes = pdf(10 * KiB);
    const page = await attach(bytes);
    rmSync(pageFiles(dataDir).pathOf(page.sha256, 'application/pdf'));
    expect((await admin.call('sync.now', {})).files).toMatchObject({ corruptPages: 1, pendingPages: 0 });
    expect((await rejection(teller.call('pages.get', { pageId: page.id }))).reason).toBe('page_corrupt');
    await attach(bytes);
    expect((await admin.call('sync.status', {})).files.corruptPages).toBe(0);
    expect((await teller.call('pages.get', { pageId: page.id })).page.id).toBe(page.id);
  });

  it('never asks about a file whose operation the central office refused, nor one whose pages were all removed', async () => {
    const { central, files, attach, admin, teller, time } = await setup();
    await admin.call('sync.now', {});
    await attach(pdf(30 * KiB));
    central.script.refuse.set(central.applied.length + 1, { code: 'UNKNOWN_OPERATOR', message: '经办人账号未在中心登记' });
    const removed = await attach(pdf(30 * KiB));
    await teller.call('pages.remove', { pageId: removed.id });
    const status = await admin.call('sync.now', {});
    expect(status.files.pendingPages).toBe(1);
    expect(files.requests.filter((r) => r.path.startsWith('/v1/files'))).toEqual([]);
    // Nothing to do for the file phase is no reason to come back at once.
    expect(time.due()).not.toContain(0);
  });

  it('asks again, a day later, about files the central office stored, and sends those it lost from where it stands', async () => {
    const { files, line, clock, kase, attach, login } = await setup();
    /** A round run by an administrator signing in afresh (hours pass between rounds, and idle sessions lock). */
    const syncNow = async () => (await login('admin')).call('sync.now', {});
    const inner = line.send;
    const asked: string[][] = [];
    line.send = (request) => {
      if (request.url === '/v1/files/status')
        asked.push((JSON.parse(request.body as string) as { files: { sha256: string }[] }).files.map((f) => f.sha256));
      return inner(request);
    };
    const [first, second, third] = [pdf(20 * KiB), pdf(20 * KiB), pdf(40 * KiB)] as [Buffer, Buffer, Buffer];
    await attach(first);
    await syncNow();
    clock.advance(10 * 3600_000);
    const teller = await login('teller');
    for (const bytes of [second, third]) await teller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(bytes) });
    await syncNow();
    asked.length = 0;
    const sent = () => files.chunks().length;
    const before = sent();

    // The central office loses the first file, and keeps only a part of the third (an upload that began again).
    files.files.delete(sha256Hex(first));
    files.files.set(sha256Hex(third), { size: third.length, received: third.subarray(0, 16 * KiB), stored: false });
    clock.advance(RECHECK_AFTER_MS - 10 * 3600_000 - 1000);
    await syncNow();
    expect(asked).toEqual([]);

    // A day after it was stored, the first file is asked about, alone, and sent whole in the same round.
    clock.advance(2000);
    expect((await syncNow()).files).toMatchObject({ pendingPages: 0 });
    expect(asked).toEqual([[sha256Hex(first)]]);
    expect(
      files
        .chunks()
        .slice(before)
        .map((c) => [c.path, c.offset]),
    ).toEqual([
      [`/v1/files/${sha256Hex(first)}`, 0],
      [`/v1/files/${sha256Hex(first)}`, 16 * KiB],
    ]);
    expect(files.files.get(sha256Hex(first))?.received.equals(first)).toBe(true);
    // Confirmed again just now: the next round asks about nothing.
    await syncNow();
    expect(asked).toHaveLength(1);

    // A day after the others were stored: one request for both; the third continues from the part held.
    clock.advance(10 * 3600_000);
    const later = sent();
    await syncNow();
    expect(asked.slice(1)).toEqual([[sha256Hex(second), sha256Hex(third)].sort()]);
    expect(
      files
        .chunks()
        .slice(later)
        .map((c) => c.offset),
    ).toEqual([16 * KiB, 32 * KiB]);
    expect(files.files.get(sha256Hex(third))).toMatchObject({ stored: true });
    expect(files.files.get(sha256Hex(third))!.received.equals(third)).toBe(true);
  });
});
