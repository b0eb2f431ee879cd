import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { pageFiles } from '#core/archive/page-files';
import { pageFolderOf } from '#core/backup/backup-pages';
import { applyStagedRestore } from '#core/backup/staged-restore';
import { STORE_FILE } from '#core/index';
import { createMemoryLogger } from '#core/platform/logger';
import { DEVICE_KEY_FILE } from '#core/sync/device-key';
import { RECHECK_AFTER_MS } from '#core/sync/file-sync';
import { tempDir } from '#core/testing/fixture';
import { rejection } from '#core/testing/api-error';
import { accepted, acceptD1 } from '#core/testing/cases';
import { makeIdNumber } from '#core/testing/id-numbers';
import type { Send, SignedRequestInit } from '#shared/sync/client';
import type { Client } from '#shared/transport/client';
import { syncClient } from '../../server/src/client/sync-client';
import type { Backend } from '../../server/src/db/store';
import { centralOffice, manualTime, restoreInto, stationCore, type CentralOffice, type ManualTime, type StationCore } from './harness';

/**
 * File sync between a real station core and a real central office (Fastify over SQLite or PostgreSQL, through
 * inject): pages go up after their operations, once per content, resumably over a link that is cut, duplicates and
 * damages chunks; operations written meanwhile go first; a damaged local page comes back from the central office.
 */

const KiB = 1024;
const CHUNK = 16 * KiB;
/** Small chunks, so a page of a few dozen KB is many requests. */
const TUNING = { chunkStartBytes: CHUNK, chunkMinBytes: 4 * KiB, chunkMaxBytes: CHUNK };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** A PDF (kept byte for byte by the station) of `size` bytes of noise. */
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(size - 9)]);
const file = (bytes: Buffer) => ({ name: 'scan.pdf', mime: 'application/pdf', dataBase64: bytes.toString('base64') });

const isChunk = (r: SignedRequestInit) => r.method === 'POST' && r.body instanceof Uint8Array;
const kindOf = (r: SignedRequestInit) =>
  isChunk(r)
    ? 'chunk'
    : r.url.startsWith('/v1/files/status')
      ? 'status'
      : r.url.startsWith('/v1/files/')
        ? 'download'
        : r.url.split('?')[0]!;

/**
 * The link between the station and the central office: records every request it is handed (and the bytes of chunk
 * bodies), and runs `fault` on each chunk, which may deliver it as it is, otherwise, twice, or not at all.
 */
function recordingLink(deliver: Send) {
  const log: { kind: string; url: string; bytes: number; ops?: string[] }[] = [];
  let fault: ((request: SignedRequestInit, deliver: Send) => Promise<{ status: number; body: string }>) | null = null;
  const send: Send = async (request) => {
    const ops =
      request.url === '/v1/sync/push'
        ? (JSON.parse(request.body as string) as { ops: { type: string }[] }).ops.map((o) => o.type)
        : undefined;
    log.push({
      kind: kindOf(request),
      url: request.url,
      bytes: isChunk(request) ? (request.body as Uint8Array).length : 0,
      ...(ops ? { ops } : {}),
    });
    return fault && isChunk(request) ? fault(request, deliver) : deliver(request);
  };
  return {
    send,
    log,
    setFault: (f: typeof fault) => void (fault = f),
    chunkBytes: () => log.reduce((sum, r) => sum + r.bytes, 0),
  };
}

/** A counter enrolled with the central office's first station, its teller (a central account) and a D1 case. */
async function counter(central: CentralOffice, link: { send: Send }, time?: ManualTime) {
  const station = await stationCore(link.send, { tuning: TUNING, bare: true, ...(time ? { time } : {}) });
  await station.enrol(central);
  await (await station.login('admin', 'admin123')).call('sync.now', {});
  const teller = await station.login('zhou_teller', 'zhou-teller-1');
  let n = 0;
  const newCase = async () => {
    const person = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1980-05-20', ++n), name: '陈建国' });
    return accepted(await acceptD1(teller, person.id)).id;
  };
  const caseId = await newCase();
  const attach = (bytes: Buffer, on = caseId) => teller.call('pages.attach', { caseId: on, materialCode: 'ID', file: file(bytes) });
  return { station, teller, newCase, attach };
}

/** Syncs until business data and pages are all up, or fails after a few rounds. */
async function syncAll(client: Client) {
  let status = await client.call('sync.now', {});
  for (let i = 0; i < 8 && (status.state !== 'online' || status.pendingOps > 0 || status.files.pendingPages > 0); i++) {
    status = await client.call('sync.now', {});
  }
  expect(status).toMatchObject({ state: 'online', pendingOps: 0, lastError: null, files: { pendingPages: 0, corruptPages: 0 } });
  return status;
}

/** What the central office holds of a file, read through a device of the station (the server hashes it whole first). */
async function centralCopy(central: CentralOffice, hash: string): Promise<Buffer | string> {
  const client = syncClient(central.send);
  const { device } = await client.enrol(await central.enrolmentCode(), '核对');
  const parts: Buffer[] = [];
  for (let offset = 0, size = 1; offset < size;) {
    const res = await client.download(device, hash, { offset, length: 1024 * KiB });
    if (!res.ok) return res.body.error.code;
    parts.push(Buffer.from(res.body.dataBase64, 'base64'));
    size = res.body.size;
    offset += parts.at(-1)!.length;
  }
  return Buffer.concat(parts);
}

const blobs = (central: CentralOffice) => central.store.db.selectFrom('blob').select(['sha256', 'size']).orderBy('sha256').execute();

describe('file sync with the central office', () => {
  let central: CentralOffice;
  const stations: StationCore[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of stations.splice(0)) s.dispose();
    await central?.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** `time`: the station's manual clock and timers, which the central office's clock then follows too. */
  async function start(backend: Backend = 'sqlite', time?: ManualTime) {
    central = await centralOffice(backend, time ? { now: () => time.clock.now() } : {});
    const link = recordingLink(central.send);
    const c = await counter(central, link, time);
    stations.push(c.station);
    return { link, ...c };
  }

  /** Closes a station's core and keeps its data folder for the test to look into; removed after the test. */
  function shutDown(station: StationCore) {
    stations.splice(stations.indexOf(station), 1);
    station.core.close();
    dirs.push(station.dataDir);
  }

  /** A backup folder with a backup of the station taken now, and the key exported as the administrator's guide says. */
  async function backUp(station: StationCore) {
    const admin = await station.login('admin', 'admin123');
    const dir = tempDir('yc-backups-');
    dirs.push(dir);
    await admin.call('backup.updateSettings', { dir, intervalHours: 24, keep: 7 });
    const key = Buffer.from((await admin.call('backup.exportKey', {})).key, 'base64');
    return { admin, key, pageFile: (hash: string) => join(dir, pageFolderOf(key), hash.slice(0, 2), `${hash}.ycpg`) };
  }

  /** Every page is on disk whole and pages.get serves it. */
  async function allServed(client: Client, dataDir: string, pages: { id: string; sha256: string }[], bytes: Buffer[]) {
    for (const [i, page] of pages.entries()) {
      expect(pageFiles(dataDir).read(page.sha256, 'application/pdf')).toEqual(bytes[i]);
      const got = await client.call('pages.get', { pageId: page.id });
      expect(Buffer.from(got.dataUrl.split(',')[1]!, 'base64')).toEqual(bytes[i]);
    }
  }

  it.each(['sqlite', 'postgres'] as const)(
    'uploads pages after the operations that name them, held centrally and verified (%s)',
    async (backend) => {
      const { link, attach, teller } = await start(backend);
      const pages = [pdf(40 * KiB), pdf(7 * KiB)];
      for (const bytes of pages) await attach(bytes);
      link.log.length = 0;
      const status = await syncAll(teller);
      expect(status.files.sentBytes).toBe(pages[0]!.length + pages[1]!.length);
      const kinds = link.log.map((r) => r.kind);
      const attachedPush = link.log.findIndex((r) => r.ops?.includes('case.page_attached'));
      expect(attachedPush).toBeGreaterThanOrEqual(0);
      expect(kinds.indexOf('status')).toBeGreaterThan(attachedPush);
      expect(kinds.indexOf('chunk')).toBeGreaterThan(kinds.indexOf('status'));
      expect(link.chunkBytes()).toBe(pages[0]!.length + pages[1]!.length);
      const expected = pages.map((p) => ({ sha256: sha256(p), size: p.length })).sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
      expect((await blobs(central)).map((b) => ({ sha256: b.sha256, size: Number(b.size) }))).toEqual(expected);
      for (const bytes of pages) expect(await centralCopy(central, sha256(bytes))).toEqual(bytes);
    },
    60_000,
  );

  it('sends the same bytes once for two cases; a second station holding them sends nothing and fetches only its own', async () => {
    const { link, attach, newCase, teller } = await start();
    const shared = pdf(30 * KiB);
    await attach(shared);
    await attach(shared, await newCase());
    await syncAll(teller);
    expect(link.chunkBytes()).toBe(shared.length);

    const other = await central.addStation('古荡街道社保服务站');
    const otherLink = recordingLink(central.send);
    const second = await stationCore(otherLink.send, { tuning: TUNING, bare: true });
    stations.push(second);
    await second.enrol(other);
    // The first round brings the station's accounts.
    await (await second.login('admin', 'admin123')).call('sync.now', {});
    const otherTeller = await second.login('teller', 'teller-1');
    const person = await otherTeller.call('person.create', { idNumber: makeIdNumber('330106', '1975-03-03', 9), name: '王芳' });
    const kase = accepted(await acceptD1(otherTeller, person.id));
    await otherTeller.call('pages.attach', { caseId: kase.id, materialCode: 'ID', file: file(shared) });
    await syncAll(otherTeller);
    expect(otherLink.chunkBytes()).toBe(0);
    expect(otherLink.log.some((r) => r.kind === 'status')).toBe(true);

    // Its own devices fetch what its own pages name, and nothing another station's pages alone name.
    const own = pdf(12 * KiB);
    await attach(own);
    await syncAll(teller);
    const device = await syncClient(central.send).enrol(await other.enrolmentCode(), '核对');
    const fetch = (hash: string) => syncClient(central.send).download(device.device, hash, { offset: 0, length: 1024 * KiB });
    expect((await fetch(sha256(shared))).ok).toBe(true);
    expect(await fetch(sha256(own))).toMatchObject({ ok: false, body: { error: { code: 'FILE_NOT_FOUND' } } });
  }, 60_000);

  it('a link cut at random byte offsets: every page ends stored once and verified, sending at most the files plus the chunks in flight', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1 * KiB, max: 60 * KiB }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ after: fc.integer({ min: 0, max: 150 * KiB }), lose: fc.constantFrom('request', 'answer') }), {
          maxLength: 4,
        }),
        async (sizes, cutList) => {
          const { link, attach, teller, station } = await start();
          try {
            const pages = sizes.map(pdf);
            for (const bytes of pages) await attach(bytes);
            const cuts = [...cutList].sort((a, b) => a.after - b.after);
            let handed = 0;
            let inFlight = 0;
            link.setFault(async (request, deliver) => {
              const bytes = (request.body as Uint8Array).length;
              handed += bytes;
              const cut = cuts[0];
              if (!cut || handed <= cut.after) return deliver(request);
              cuts.shift();
              inFlight += bytes;
              if (cut.lose === 'answer') await deliver(request);
              throw new Error('the line went down');
            });
            for (let i = 0; i < cutList.length + 1; i++) await teller.call('sync.now', {});
            await syncAll(teller);
            const total = pages.reduce((sum, p) => sum + p.length, 0);
            expect(link.chunkBytes()).toBeLessThanOrEqual(total + inFlight);
            expect(link.chunkBytes()).toBeGreaterThanOrEqual(total);
            const held = await blobs(central);
            expect(held.map((b) => b.sha256).sort()).toEqual(pages.map(sha256).sort());
            for (const bytes of pages) expect(await centralCopy(central, sha256(bytes))).toEqual(bytes);
            expect(await central.store.db.selectFrom('blob_upload').select('sha256').execute()).toEqual([]);
          } finally {
            stations.splice(stations.indexOf(station), 1);
            station.dispose();
            await central.close();
          }
        },
      ),
      { numRuns: 10, endOnFailure: true },
    );
    central = undefined as unknown as CentralOffice;
  }, 180_000);

  it('chunks delivered twice change nothing; a chunk damaged on the way is sent again; the file ends verified', async () => {
    const { link, attach, teller } = await start();
    const bytes = pdf(50 * KiB);
    await attach(bytes);
    let n = 0;
    link.setFault(async (request, deliver) => {
      n += 1;
      if (n === 2) {
        const answer = await deliver(request);
        await deliver(request);
        return answer;
      }
      if (n === 3) {
        const flipped = Buffer.from(request.body as Uint8Array);
        flipped[100] = flipped[100]! ^ 0x01;
        return deliver({ ...request, body: flipped });
      }
      // The last chunk arrives twice and only the copy's answer (a replayed nonce) comes back: the round fails.
      if (n === 5) {
        await deliver(request);
        return deliver(request);
      }
      return deliver(request);
    });
    const failed = await teller.call('sync.now', {});
    expect(failed).toMatchObject({ state: 'offline', lastError: { code: 'REPLAYED_NONCE' }, files: { pendingPages: 1 } });
    // The next round finds the file stored and sends nothing more.
    await syncAll(teller);
    const offsets = link.log.filter((r) => r.kind === 'chunk').map((r) => Number(new URLSearchParams(r.url.split('?')[1]).get('offset')));
    expect(offsets).toEqual([0, CHUNK, 2 * CHUNK, 2 * CHUNK, 3 * CHUNK]);
    expect(await centralCopy(central, sha256(bytes))).toEqual(bytes);
  }, 60_000);

  it('operations written during a long upload are pushed before the upload continues', async () => {
    const { link, attach, teller } = await start();
    await attach(pdf(120 * KiB));
    let chunks = 0;
    link.setFault(async (request, deliver) => {
      const answer = await deliver(request);
      if (++chunks === 3) await teller.call('person.create', { idNumber: makeIdNumber('330106', '1990-02-02', 77), name: '李四' });
      return answer;
    });
    await syncAll(teller);
    let seen = 0;
    const afterThird = link.log.slice(link.log.findIndex((r) => r.kind === 'chunk' && ++seen === 3) + 1);
    // The next request after the third chunk is the push of the new operation; the upload goes on after the pull.
    expect(afterThird[0]).toMatchObject({ kind: '/v1/sync/push', ops: ['person.created'] });
    expect(afterThird.map((r) => r.kind).slice(0, 4)).toEqual(['/v1/sync/push', '/v1/sync/pull', 'status', 'chunk']);
    expect(link.chunkBytes()).toBe(120 * KiB);
  }, 60_000);

  it('a damaged local page is refused, fetched again from the central office, verified and shown', async () => {
    const { attach, teller, station } = await start();
    const bytes = pdf(45 * KiB);
    const page = await attach(bytes);
    await syncAll(teller);
    writeFileSync(
      pageFiles(station.dataDir).pathOf(page.sha256, 'application/pdf'),
      Buffer.concat([bytes.subarray(0, 1000), Buffer.alloc(7)]),
    );
    expect(await rejection(teller.call('pages.get', { pageId: page.id }))).toMatchObject({ code: 'CONFLICT', reason: 'page_corrupt' });
    expect((await teller.call('sync.status', {})).files.corruptPages).toBe(1);
    await syncAll(teller);
    const got = await teller.call('pages.get', { pageId: page.id });
    expect(Buffer.from(got.dataUrl.split(',')[1]!, 'base64')).toEqual(bytes);
  }, 60_000);

  it('restored by the script from a backup missing one page and holding another damaged, the first round fetches both', async () => {
    const { link, attach, teller, station } = await start();
    const { key, pageFile, admin } = await backUp(station);
    const bytes = [pdf(30 * KiB), pdf(20 * KiB), pdf(10 * KiB)];
    const lost = await attach(bytes[0]!);
    const whole = await attach(bytes[2]!);
    await syncAll(teller);
    // The second page's operation goes up before the backup but its file only after: the restored store does not
    // know the central office holds it.
    const second = await attach(bytes[1]!);
    link.setFault(() => Promise.reject(new Error('the line went down')));
    expect(await teller.call('sync.now', {})).toMatchObject({ state: 'offline', pendingOps: 0, files: { pendingPages: 1 } });
    const backup = await admin.call('backup.run', {});
    link.setFault(null);
    await syncAll(teller);
    shutDown(station);

    rmSync(pageFile(lost.sha256));
    const sealed = readFileSync(pageFile(second.sha256));
    sealed[sealed.length - 1] = sealed.at(-1)! ^ 0x01;
    writeFileSync(pageFile(second.sha256), sealed);
    const restoredDir = tempDir('yc-restored-');
    const { pages: report } = await restoreInto(restoredDir, { file: backup.file, key, stationCode: central.stationCode });
    expect(report).toMatchObject({ total: 3, restored: 1, missing: 1, damaged: 1 });
    // The device key stayed on the PC (docs/operations.md).
    copyFileSync(join(station.dataDir, DEVICE_KEY_FILE), join(restoredDir, DEVICE_KEY_FILE));

    const after = await stationCore(link.send, { dataDir: restoredDir, tuning: TUNING });
    stations.push(after);
    const teller2 = await after.login('zhou_teller', 'zhou-teller-1');
    // Known at start, before anyone opened them.
    expect((await teller2.call('sync.status', {})).files).toMatchObject({ corruptPages: 2, pendingPages: 0 });
    link.log.length = 0;
    expect(await teller2.call('sync.now', {})).toMatchObject({
      state: 'online',
      lastError: null,
      files: { corruptPages: 0, pendingPages: 0 },
    });
    expect(link.chunkBytes()).toBe(0);
    expect([...new Set(link.log.filter((r) => r.kind === 'download').map((r) => r.url.split('?')[0]))].sort()).toEqual(
      [lost.sha256, second.sha256].map((h) => `/v1/files/${h}`).sort(),
    );
    await allServed(teller2, restoredDir, [lost, second, whole], bytes);
  }, 60_000);

  it('restored from the backup page, a page lost both here and from the backup comes back in the first round after the switch', async () => {
    const { link, attach, teller, station } = await start();
    const { pageFile, admin } = await backUp(station);
    const bytes = [pdf(25 * KiB), pdf(8 * KiB)];
    const pages = [await attach(bytes[0]!), await attach(bytes[1]!)];
    await syncAll(teller);
    const backup = await admin.call('backup.run', {});
    rmSync(pageFiles(station.dataDir).pathOf(pages[0]!.sha256, 'application/pdf'));
    rmSync(pageFile(pages[0]!.sha256));
    expect((await admin.call('backup.restore', { file: backup.file })).pages).toMatchObject({ missing: 1, present: 1 });
    shutDown(station);

    applyStagedRestore(station.dataDir, STORE_FILE, createMemoryLogger());
    const after = await stationCore(link.send, { dataDir: station.dataDir, tuning: TUNING });
    stations.push(after);
    dirs.splice(dirs.indexOf(station.dataDir), 1);
    const teller2 = await after.login('zhou_teller', 'zhou-teller-1');
    expect((await teller2.call('sync.status', {})).files.corruptPages).toBe(1);
    expect(await teller2.call('sync.now', {})).toMatchObject({ state: 'online', files: { corruptPages: 0 } });
    await allServed(teller2, station.dataDir, pages, bytes);
  }, 60_000);

  it('files the central office lost (damaged, cut short, removed) are sent again once the daily re-check finds them gone', async () => {
    const time = manualTime(new Date());
    const { link, attach, teller, station } = await start('sqlite', time);
    const bytes = [pdf(20 * KiB), pdf(30 * KiB), pdf(10 * KiB)];
    const [flipped, cut, removed] = [await attach(bytes[0]!), await attach(bytes[1]!), await attach(bytes[2]!)];
    await syncAll(teller);
    const blobPath = (hash: string) => join(central.blobDir, hash.slice(0, 2), hash);
    const changed = readFileSync(blobPath(flipped.sha256));
    changed[100] = changed[100]! ^ 0x01;
    writeFileSync(blobPath(flipped.sha256), changed);
    truncateSync(blobPath(cut.sha256), 1000);
    rmSync(blobPath(removed.sha256));
    // A reader at the central office (a reviewer, another counter) meets the damaged one: it is put aside.
    expect(await centralCopy(central, flipped.sha256)).toBe('FILE_NOT_FOUND');

    link.log.length = 0;
    await teller.call('sync.now', {});
    expect(link.log.filter((r) => r.kind === 'status' || r.kind === 'chunk')).toEqual([]);

    time.clock.advance(RECHECK_AFTER_MS + 60_000);
    // Idle sessions locked meanwhile.
    const teller2 = await station.login('zhou_teller', 'zhou-teller-1');
    await syncAll(teller2);
    expect(link.log.filter((r) => r.kind === 'status')).toHaveLength(1);
    expect(link.chunkBytes()).toBe(bytes.reduce((sum, b) => sum + b.length, 0));
    for (const [i, page] of [flipped, cut, removed].entries()) expect(await centralCopy(central, page.sha256)).toEqual(bytes[i]);
    // Confirmed again: nothing more is asked until another day has passed.
    link.log.length = 0;
    await teller2.call('sync.now', {});
    expect(link.log.filter((r) => r.kind === 'status')).toEqual([]);
  }, 60_000);
});
