import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkUrl, MAX_CHUNK_BYTES, MAX_DOWNLOAD_BYTES, type ChunkResponse, type FileStatus } from '#shared/sync/files';
import { signRequest } from '../client/device';
import { syncClient, type Answer, type Send } from '../client/sync-client';
import { sha256Hex } from '../crypto';
import { Metrics } from '../metrics';
import { fileOf, randomFile, stationWithCase, upload, type TestFile } from '../testing/archive';
import { BACKENDS, centralOn, injectTransport, testDatabase, type Central, type Device } from '../testing/central';
import { centralSuite } from '../testing/suite';
import { diskBlobStore } from './blob-store';
import { purgeAbandonedUploads } from './files';

type Client = Central['client'];

/** The file sync requests of a device, each answer unwrapped or its error code. */
function device(client: Client, dev: Device) {
  return {
    async status(files: readonly TestFile[]): Promise<FileStatus[]> {
      const res = await client.fileStatus(
        dev,
        files.map((f) => ({ sha256: f.sha256, size: f.size })),
      );
      if (!res.ok) throw new Error(JSON.stringify(res.body));
      return res.body.files;
    },
    /** Bytes `[from, to)` of `file` as one chunk. */
    chunk: (file: TestFile, from: number, to: number) => {
      const bytes = file.bytes.subarray(from, to);
      return client.uploadChunk(dev, file.sha256, { offset: from, size: file.size, chunk: sha256Hex(bytes) }, bytes);
    },
    download: (file: TestFile, offset = 0, length = MAX_DOWNLOAD_BYTES) => client.download(dev, file.sha256, { offset, length }),
  };
}

/** A refused request's status and code; undefined for an answer. */
const refusal = (res: Answer<unknown>) => (res.ok ? undefined : { status: res.status, code: res.body.error.code });

const state = (res: Answer<ChunkResponse>) =>
  res.ok
    ? { state: res.body.state, offset: res.body.offset }
    : { status: res.status, code: res.body.error.code, offset: res.body.error.offset };

/** Where the disk blob store keeps a stored file. */
const blobPath = (dir: string, sha256: string) => join(dir, sha256.slice(0, 2), sha256);

describe.each(BACKENDS)('file sync on %s', (backend) => {
  const suite = centralSuite(backend);
  const db = () => suite.db.store.db;
  const stored = (f: TestFile) => readFileSync(blobPath(suite.db.blobDir, f.sha256));
  const blobRows = (f: TestFile) => db().selectFrom('blob').selectAll().where('sha256', '=', f.sha256).execute();
  const uploadRows = (f: TestFile) => db().selectFrom('blob_upload').selectAll().where('sha256', '=', f.sha256).execute();
  const metric = async (line: string) => {
    const text = (await suite.central.app.inject('/metrics')).body;
    return Number(new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  };

  it('answers for each file: unreferenced, missing, partial with its offset, or stored', async () => {
    const c = await stationWithCase(suite.central);
    const d = device(suite.central.client, c.s.device);
    const [missing, partial, whole, unknown, sized, removed] = [1000, 5000, 3000, 700, 800, 900].map(randomFile) as TestFile[];
    for (const f of [missing!, partial!, whole!, removed!]) await c.attach(f);
    await c.attach({ sha256: sized!.sha256, size: sized!.size + 1 });
    await c.remove(await c.attach({ sha256: removed!.sha256, size: removed!.size }));
    expect(state(await d.chunk(partial!, 0, 1200))).toEqual({ state: 'partial', offset: 1200 });
    expect(state(await upload(suite.central.client, c.s.device, whole!))).toEqual({ state: 'stored', offset: 3000 });

    expect(await d.status([missing!, partial!, whole!, unknown!, sized!])).toEqual([
      { sha256: missing!.sha256, state: 'missing', offset: 0 },
      { sha256: partial!.sha256, state: 'partial', offset: 1200 },
      { sha256: whole!.sha256, state: 'stored', offset: 3000 },
      { sha256: unknown!.sha256, state: 'unreferenced', offset: 0 },
      // Referenced with another size: not this file.
      { sha256: sized!.sha256, state: 'unreferenced', offset: 0 },
    ]);
    // One of its pages removed, another still names it.
    expect((await d.status([removed!]))[0]!.state).toBe('missing');
    await c.remove(
      (
        await db()
          .selectFrom('page')
          .select('id')
          .where('sha256', '=', removed!.sha256)
          .where('removed_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).id,
    );
    expect((await d.status([removed!]))[0]!.state).toBe('unreferenced');

    // A stored file gone from the disk is forgotten, so the station sends it again.
    rmSync(blobPath(suite.db.blobDir, whole!.sha256));
    expect((await d.status([whole!]))[0]).toEqual({ sha256: whole!.sha256, state: 'missing', offset: 0 });
    expect(await blobRows(whole!)).toEqual([]);
  });

  it('takes a file in chunks, verifies it whole, keeps it once, and serves it back in ranges', async () => {
    const c = await stationWithCase(suite.central);
    const d = device(suite.central.client, c.s.device);
    const file = randomFile(300_000);
    await c.attach(file, 'PROOF', 'application/pdf');
    const [bytesBefore, storedBefore] = [await metric('yc_file_bytes_received_total'), await metric('yc_files_stored_total')];
    const answers = [];
    for (let from = 0; from < file.size; from += 64 * 1024)
      answers.push(state(await d.chunk(file, from, Math.min(from + 64 * 1024, file.size))));
    expect(answers).toEqual([
      { state: 'partial', offset: 65_536 },
      { state: 'partial', offset: 131_072 },
      { state: 'partial', offset: 196_608 },
      { state: 'partial', offset: 262_144 },
      { state: 'stored', offset: 300_000 },
    ]);
    expect(stored(file).equals(file.bytes)).toBe(true);
    expect(await blobRows(file)).toMatchObject([{ sha256: file.sha256, size: 300_000, mime: 'application/pdf' }]);
    expect(await uploadRows(file)).toEqual([]);
    expect(readdirSync(join(suite.db.blobDir, 'partial')).some((name) => name.includes(file.sha256))).toBe(false);
    expect(await metric('yc_file_bytes_received_total')).toBe(bytesBefore + 300_000);
    expect(await metric('yc_files_stored_total')).toBe(storedBefore + 1);
    // Stored: a chunk sent again changes nothing.
    expect(state(await d.chunk(file, 0, 10))).toEqual({ state: 'stored', offset: 300_000 });

    const parts: Buffer[] = [];
    for (let offset = 0; offset < file.size; offset += 100_000) {
      const res = await d.download(file, offset, 100_000);
      if (!res.ok) throw new Error(JSON.stringify(res.body));
      expect(res.body).toMatchObject({ sha256: file.sha256, size: 300_000, offset });
      parts.push(Buffer.from(res.body.dataBase64, 'base64'));
    }
    expect(Buffer.concat(parts).equals(file.bytes)).toBe(true);
    expect(refusal(await d.download(file, 300_000))).toEqual({ status: 400, code: 'INVALID_REQUEST' });
  });

  it('resumes after the link is cut at any byte, from the offset the server gives, never taking a byte twice', async () => {
    const c = await stationWithCase(suite.central);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.integer({ min: 2048, max: 40_000 }), { minLength: 1, maxLength: 5 }),
        // Where the link goes down (a fraction of the file), and whether the chunk under way got there (its answer lost).
        fc.array(fc.record({ at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), arrived: fc.boolean() }), {
          maxLength: 4,
        }),
        async (size, chunkSizes, cuts) => {
          const file = randomFile(size);
          await c.attach(file);
          const d = device(suite.central.client, c.s.device);
          const pending = cuts.map((cut) => Math.floor(cut.at * size)).map((at, i) => ({ at, arrived: cuts[i]!.arrived }));
          let offset = 0;
          let delivered = 0;
          for (let round = 0; ; round += 1) {
            const chunkSize = chunkSizes[round % chunkSizes.length]!;
            const to = Math.min(offset + chunkSize, size);
            const cut = pending.findIndex((p) => p.at >= offset && p.at < to);
            if (cut >= 0) {
              const { arrived } = pending.splice(cut, 1)[0]!;
              if (arrived) {
                await d.chunk(file, offset, to);
                delivered += to - offset;
              }
              // The device does not know what became of the chunk: it asks where to go on from.
              const [s] = await d.status([file]);
              expect(s!.state).not.toBe('unreferenced');
              if (s!.state === 'stored') break;
              offset = s!.offset;
              continue;
            }
            const res = await d.chunk(file, offset, to);
            delivered += to - offset;
            if (!res.ok) throw new Error(JSON.stringify(res.body));
            if (res.body.state === 'stored') break;
            offset = res.body.offset;
          }
          expect(delivered).toBe(size);
          expect(stored(file).equals(file.bytes)).toBe(true);
          expect((await d.status([file]))[0]!.state).toBe('stored');
        },
      ),
      { numRuns: 12 },
    );
  }, 60_000);

  it('takes a chunk sent twice, or overlapping what it has, writing only what is new', async () => {
    const c = await stationWithCase(suite.central);
    const d = device(suite.central.client, c.s.device);
    const file = randomFile(10_000);
    await c.attach(file);
    expect(state(await d.chunk(file, 0, 4000))).toEqual({ state: 'partial', offset: 4000 });
    expect(state(await d.chunk(file, 0, 4000))).toEqual({ state: 'partial', offset: 4000 });
    expect(state(await d.chunk(file, 2000, 6000))).toEqual({ state: 'partial', offset: 6000 });
    expect(state(await d.chunk(file, 1000, 3000))).toEqual({ state: 'partial', offset: 6000 });
    // Beyond what the server has: it says where to go on from.
    expect(state(await d.chunk(file, 7000, 8000))).toEqual({ status: 409, code: 'OFFSET_MISMATCH', offset: 6000 });
    expect(state(await d.chunk(file, 6000, 10_000))).toEqual({ state: 'stored', offset: 10_000 });
    expect(stored(file).equals(file.bytes)).toBe(true);
  });

  it('refuses a chunk damaged on the way without writing it, and takes it sent again; the declared hash is signed', async () => {
    const c = await stationWithCase(suite.central);
    const d = device(suite.central.client, c.s.device);
    const file = randomFile(20_000);
    await c.attach(file);
    const deliver = injectTransport(suite.central.app);
    // The link flips a bit of the body after the device signed it.
    const flipping: Send = (request) => {
      const body = Buffer.from(request.body as Uint8Array);
      body[body.length >> 1]! ^= 0x04;
      return deliver({ ...request, body });
    };
    const refusedBefore = await metric('yc_file_chunks_refused_total{code="CHUNK_CORRUPT"}');
    expect(state(await d.chunk(file, 0, 8000))).toEqual({ state: 'partial', offset: 8000 });
    const bytes = file.bytes.subarray(8000, 16_000);
    const damaged = await syncClient(flipping).uploadChunk(
      c.s.device,
      file.sha256,
      { offset: 8000, size: 20_000, chunk: sha256Hex(bytes) },
      bytes,
    );
    expect(state(damaged)).toEqual({ status: 422, code: 'CHUNK_CORRUPT', offset: undefined });
    expect((await d.status([file]))[0]).toMatchObject({ state: 'partial', offset: 8000 });
    expect(await metric('yc_file_chunks_refused_total{code="CHUNK_CORRUPT"}')).toBe(refusedBefore + 1);

    // Another chunk hash in the query than the one signed: a forged request, not a damaged chunk.
    const forged: Send = (request) => deliver({ ...request, url: request.url.replace(/chunk=[0-9a-f]+/, `chunk=${sha256Hex('other')}`) });
    expect(
      state(await syncClient(forged).uploadChunk(c.s.device, file.sha256, { offset: 8000, size: 20_000, chunk: sha256Hex(bytes) }, bytes)),
    ).toMatchObject({
      status: 401,
      code: 'BAD_SIGNATURE',
    });

    expect(state(await upload(suite.central.client, c.s.device, file, { offset: 8000, chunkSize: 8000 }))).toEqual({
      state: 'stored',
      offset: 20_000,
    });
    expect(stored(file).equals(file.bytes)).toBe(true);
  });

  it('discards a file whose bytes do not hash to its name once complete, and takes the right bytes after', async () => {
    const c = await stationWithCase(suite.central);
    const d = device(suite.central.client, c.s.device);
    const file = randomFile(12_000);
    const impostor = { ...randomFile(12_000), sha256: file.sha256 };
    await c.attach(file);
    // Each chunk is intact (its own hash checks out), but they are not the file's bytes.
    const res = await upload(suite.central.client, c.s.device, impostor, { chunkSize: 5000 });
    expect(state(res)).toEqual({ status: 422, code: 'FILE_CORRUPT', offset: undefined });
    expect((await d.status([file]))[0]).toEqual({ sha256: file.sha256, state: 'missing', offset: 0 });
    expect(await blobRows(file)).toEqual([]);
    expect(await uploadRows(file)).toEqual([]);
    expect(existsSync(blobPath(suite.db.blobDir, file.sha256))).toBe(false);
    expect(state(await upload(suite.central.client, c.s.device, file, { chunkSize: 5000 }))).toEqual({ state: 'stored', offset: 12_000 });
    expect(stored(file).equals(file.bytes)).toBe(true);
  });

  it('takes only files a page of the station names, and shows a station nothing of another station’s uploads', async () => {
    const a = await stationWithCase(suite.central);
    const b = await stationWithCase(suite.central);
    const da = device(suite.central.client, a.s.device);
    const db2 = device(suite.central.client, b.s.device);
    const [shared, half] = [randomFile(9000), randomFile(9000)];
    await a.attach(shared);
    await a.attach(half);
    expect(state(await upload(suite.central.client, a.s.device, shared))).toEqual({ state: 'stored', offset: 9000 });
    expect(state(await da.chunk(half, 0, 3000))).toEqual({ state: 'partial', offset: 3000 });

    expect(await db2.status([shared, half])).toEqual([
      { sha256: shared.sha256, state: 'unreferenced', offset: 0 },
      { sha256: half.sha256, state: 'unreferenced', offset: 0 },
    ]);
    expect(state(await db2.chunk(half, 3000, 6000))).toMatchObject({ status: 409, code: 'FILE_NOT_REFERENCED' });
    expect(state(await db2.chunk(half, 0, 3000))).toMatchObject({ status: 409, code: 'FILE_NOT_REFERENCED' });
    expect(refusal(await db2.download(shared))).toEqual({ status: 404, code: 'FILE_NOT_FOUND' });

    // The same bytes attached at the other station: stored already (never sent again); its own upload of the other
    // starts from nothing.
    await b.attach(shared);
    await b.attach(half);
    expect(await db2.status([shared, half])).toEqual([
      { sha256: shared.sha256, state: 'stored', offset: 9000 },
      { sha256: half.sha256, state: 'missing', offset: 0 },
    ]);
    const fetched = await db2.download(shared);
    expect(fetched.ok && Buffer.from(fetched.body.dataBase64, 'base64').equals(shared.bytes)).toBe(true);
    expect((await da.status([half]))[0]).toMatchObject({ state: 'partial', offset: 3000 });
  });

  it('refuses a replayed chunk request, and chunks of the wrong type, size or place', async () => {
    const c = await stationWithCase(suite.central);
    const d = device(suite.central.client, c.s.device);
    const file = randomFile(5000);
    await c.attach(file);
    const bytes = file.bytes.subarray(0, 2000);
    const url = chunkUrl(file.sha256, { offset: 0, size: 5000, chunk: sha256Hex(bytes) });
    const send = injectTransport(suite.central.app);
    const signed = signRequest(c.s.device, { method: 'POST', url, body: bytes, contentType: 'application/octet-stream' });
    expect((await send(signed)).status).toBe(200);
    const replayed = await send(signed);
    expect(replayed.status).toBe(401);
    expect(JSON.parse(replayed.body)).toMatchObject({ error: { code: 'REPLAYED_NONCE' } });

    const post = async (target: string, body: Buffer | string, contentType: string) => {
      const res = await send(signRequest(c.s.device, { method: 'POST', url: target, body, contentType }));
      return { status: res.status, code: (JSON.parse(res.body) as { error?: { code: string } }).error?.code };
    };
    expect(await post(url, bytes, 'application/json')).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(await post('/v1/sync/push', JSON.stringify({ ops: [] }), 'application/octet-stream')).toEqual({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    const tooBig = Buffer.alloc(MAX_CHUNK_BYTES + 1);
    const big = chunkUrl(file.sha256, { offset: 0, size: 5000, chunk: sha256Hex(tooBig) });
    expect(await post(big, tooBig, 'application/octet-stream')).toEqual({ status: 413, code: 'BODY_TOO_LARGE' });
    const past = file.bytes.subarray(2000, 5000);
    expect(
      await post(chunkUrl(file.sha256, { offset: 2001, size: 5000, chunk: sha256Hex(past) }), past, 'application/octet-stream'),
    ).toEqual({
      status: 400,
      code: 'INVALID_REQUEST',
    });
    expect(await post(chunkUrl('ABC', { offset: 0, size: 5000, chunk: sha256Hex(bytes) }), bytes, 'application/octet-stream')).toEqual({
      status: 400,
      code: 'INVALID_REQUEST',
    });
    expect((await d.status([file]))[0]).toMatchObject({ state: 'partial', offset: 2000 });
  });

  it('never serves a stored file that fails its hash: reports it, puts it aside, and takes it again', async () => {
    const c = await stationWithCase(suite.central);
    const d = device(suite.central.client, c.s.device);
    const file = randomFile(4000);
    await c.attach(file);
    await upload(suite.central.client, c.s.device, file);
    const damaged = Buffer.from(file.bytes);
    damaged[0]! ^= 0xff;
    writeFileSync(blobPath(suite.db.blobDir, file.sha256), damaged);

    expect(refusal(await d.download(file))).toEqual({ status: 404, code: 'FILE_NOT_FOUND' });
    expect(await blobRows(file)).toEqual([]);
    expect(readdirSync(join(suite.db.blobDir, 'quarantine')).some((name) => name.startsWith(file.sha256))).toBe(true);
    expect((await d.status([file]))[0]).toMatchObject({ state: 'missing', offset: 0 });
    expect(state(await upload(suite.central.client, c.s.device, file))).toEqual({ state: 'stored', offset: 4000 });
    const again = await d.download(file);
    expect(again.ok && Buffer.from(again.body.dataBase64, 'base64').equals(file.bytes)).toBe(true);
  });
});

const DAY_MS = 24 * 3600_000;

describe.each(BACKENDS)('abandoned uploads on %s', (backend) => {
  const metrics = new Metrics();
  const suite = centralSuite(backend, { metrics });
  const db = () => suite.db.store.db;
  const logged: { msg: string; station?: string; sha256?: string; received?: number }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
  const purge = () =>
    purgeAbandonedUploads({ store: suite.db.store, blobs: suite.db.blobs, now: () => new Date(), metrics }, log, 7 * DAY_MS);
  const uploadRows = (f: TestFile) => db().selectFrom('blob_upload').selectAll().where('sha256', '=', f.sha256).execute();
  const hasPartial = (f: TestFile) => readdirSync(join(suite.db.blobDir, 'partial')).some((name) => name.includes(f.sha256));
  /** Makes the upload's last progress `days` ago, with another request's lease on it when `leaseMs` is given. */
  const age = (f: TestFile, days: number, leaseMs?: number) =>
    db()
      .updateTable('blob_upload')
      .set({
        updated_at: new Date(Date.now() - days * DAY_MS).toISOString(),
        ...(leaseMs !== undefined ? { lease: 'another-instance', lease_until: Date.now() + leaseMs } : {}),
      })
      .where('sha256', '=', f.sha256)
      .execute();

  it('removes an upload with no progress for the age, row and bytes, and keeps a recent one and one being written', async () => {
    const c = await stationWithCase(suite.central);
    const d = device(suite.central.client, c.s.device);
    const [old, recent, leased, expired] = [randomFile(6000), randomFile(6000), randomFile(6000), randomFile(6000)];
    for (const f of [old, recent, leased, expired]) {
      await c.attach(f);
      expect(state(await d.chunk(f, 0, 3000))).toEqual({ state: 'partial', offset: 3000 });
    }
    await age(old, 8);
    await age(recent, 6);
    await age(leased, 8, 60_000);
    // A lease left by a crashed instance does not keep an upload.
    await age(expired, 8, -1);
    const before = metrics.uploadsPurged;

    expect(await purge()).toBe(2);
    for (const f of [old, expired]) {
      expect(await uploadRows(f)).toEqual([]);
      expect(hasPartial(f)).toBe(false);
    }
    for (const f of [recent, leased]) {
      expect(await uploadRows(f)).toMatchObject([{ received: 3000 }]);
      expect(hasPartial(f)).toBe(true);
    }
    expect(metrics.uploadsPurged).toBe(before + 2);
    const text = (await suite.central.app.inject('/metrics')).body;
    expect(text).toContain(`yc_file_uploads_purged_total ${before + 2}`);
    expect(logged.filter((l) => l.msg === 'abandoned file upload purged').map((l) => l.sha256)).toEqual(
      expect.arrayContaining([old.sha256, expired.sha256]),
    );
    expect(logged.find((l) => l.sha256 === old.sha256)).toMatchObject({ station: c.s.code, received: 3000 });
    expect(await purge()).toBe(0);
  });

  it('has a station whose upload was removed start over from 0, and ends with the file stored and verified', async () => {
    const c = await stationWithCase(suite.central);
    const d = device(suite.central.client, c.s.device);
    const file = randomFile(20_000);
    await c.attach(file);
    expect(state(await d.chunk(file, 0, 8000))).toEqual({ state: 'partial', offset: 8000 });
    await age(file, 30);
    expect(await purge()).toBe(1);

    expect(await d.status([file])).toEqual([{ sha256: file.sha256, state: 'missing', offset: 0 }]);
    // Sent on from where it stopped, without asking: told to start from 0.
    expect(state(await d.chunk(file, 8000, 16_000))).toEqual({ status: 409, code: 'OFFSET_MISMATCH', offset: 0 });
    expect(state(await upload(suite.central.client, c.s.device, file, { chunkSize: 7000 }))).toEqual({ state: 'stored', offset: 20_000 });
    expect(readFileSync(blobPath(suite.db.blobDir, file.sha256)).equals(file.bytes)).toBe(true);
    const fetched = await d.download(file);
    expect(fetched.ok && Buffer.from(fetched.body.dataBase64, 'base64').equals(file.bytes)).toBe(true);
    expect(await uploadRows(file)).toEqual([]);
    expect(hasPartial(file)).toBe(false);
  });
});

describe.each(BACKENDS)('two instances on one %s database', (backend) => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let a: Central;
  let b: Central;
  beforeAll(async () => {
    database = await testDatabase(backend);
    a = await centralOn(database.store, { blobs: database.blobs });
    // Another process would open the shared folder itself.
    b = await centralOn(await database.open(), { blobs: diskBlobStore(database.blobDir) });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.dispose();
  });

  it('end with one verified file when both take the same upload at once', async () => {
    const c = await stationWithCase(a);
    const files = [randomFile(200_000), randomFile(150_000), fileOf(Buffer.alloc(100_000, 7))];
    for (const f of files) await c.attach(f);

    // Each chunk reaches both instances at once (a retry through the load balancer): both answer, alike.
    const first = files[0]!;
    for (let from = 0; from < first.size; from += 50_000) {
      const both = await Promise.all(
        [a, b].map((x) => device(x.client, c.s.device).chunk(first, from, Math.min(from + 50_000, first.size))),
      );
      expect(both.map(state)).toEqual([state(both[0]!), state(both[0]!)]);
      expect(both[0]!.ok).toBe(true);
    }
    // Two uploaders of the whole file, through each instance, with chunks of different sizes.
    for (const f of files.slice(1)) {
      const ends = await Promise.all([
        upload(a.client, c.s.device, f, { chunkSize: 16_384 }),
        upload(b.client, c.s.device, f, { chunkSize: 40_000 }),
      ]);
      expect(ends.map(state)).toEqual([
        { state: 'stored', offset: f.size },
        { state: 'stored', offset: f.size },
      ]);
    }
    for (const f of files) {
      expect(readFileSync(blobPath(database.blobDir, f.sha256)).equals(f.bytes)).toBe(true);
      expect(await database.store.db.selectFrom('blob').select('sha256').where('sha256', '=', f.sha256).execute()).toHaveLength(1);
    }
    expect(await database.store.db.selectFrom('blob_upload').selectAll().execute()).toEqual([]);
    expect(readdirSync(join(database.blobDir, 'partial'))).toEqual([]);
  });
});
