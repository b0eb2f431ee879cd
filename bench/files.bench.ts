import { createHash, randomBytes } from 'node:crypto';
import { constants, cpSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { createCore, STORE_FILE } from '#core/index';
import { createMemoryLogger } from '#core/platform/logger';
import type { SyncTimers } from '#core/sync/sync-engine';
import { accepted, acceptD1 } from '#core/testing/cases';
import { startTestCore, tempDir } from '#core/testing/fixture';
import { makeIdNumber } from '#core/testing/id-numbers';
import { fetchTransport, type Send, type SignedRequestInit } from '#shared/sync/client';
import { createClient, type Client } from '#shared/transport/client';
import { memoryTransport } from '#shared/transport/memory';
import { gateway, inertTimers, listening, median, tellerOf, type Teller } from './sync.bench';

/**
 * File sync (issue 10) from a real station core to the real central gateway (`buildServer` over SQLite, on a loopback
 * port, every request signed and every chunk and file hashed): 200 material pages of about 300 KB (60 MB) attached
 * through `pages.attach`, then one round of the station's engine. Baseline in the same run: the same bytes in the same
 * chunks POSTed with a bare `fetch` loop to a bare Node http server that writes each chunk at its offset and fdatasyncs it.
 * Then the same engine on a link throttled to 1 Mbit/s, while a teller accepts cases: how long each operation waits for
 * the central office's acknowledgement, and the chunk sizes the engine chose.
 */

const PAGES = 200;
const REPETITIONS = 3;
/** 1 Mbit/s, each way. */
const LINK_BYTES_PER_S = 125_000;
/** The throttled run uploads only the first pages (about 3 MB), so it lasts about half a minute. */
const THROTTLED_PAGES = 10;
const WRITE_EVERY_MS = 3000;
/** An operation should wait about one chunk (0.5 s at the shipped tuning) plus its own push: at most this. */
const ACK_BUDGET_MS = 2000;

const MB = 1_000_000;

/**
 * A PDF as a scanner's driver writes it, as far as the station looks (the type comes from the magic number; PDFs are
 * stored byte for byte): the header and trailer around incompressible bytes, 280–320 KB, 300 KB on average.
 */
function pdfPage(serial: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n');
  const tail = Buffer.from('\n%%EOF\n');
  const size = 280_000 + (serial % 5) * 10_000;
  return Buffer.concat([head, randomBytes(size - head.length - tail.length), tail]);
}

/** A demo station whose teller accepted a D1 case and attached `pages` to it; unenrolled, copied for every run. */
async function stationWithPages(pages: readonly Buffer[]): Promise<{ dir: string; teller: Teller; personId: string }> {
  const t = await startTestCore({ dataDir: tempDir('yc-bench-files-') });
  const teller = await t.loggedIn('teller', 1);
  const person = await teller.call('person.create', { idNumber: makeIdNumber('330106', '1980-05-20', 1), name: '陈建国' });
  const caseId = accepted(await acceptD1(teller, person.id)).id;
  for (const bytes of pages) {
    await teller.call('pages.attach', {
      caseId,
      materialCode: 'ID',
      file: { name: 'scan.pdf', mime: 'application/pdf', dataBase64: bytes.toString('base64') },
    });
  }
  t.core.close();
  return { dir: t.dataDir, teller: tellerOf(t.dataDir), personId: person.id };
}

/** A station core on a copy of `template`, its sync going through `send`; `timers` omitted: the loop runs on its own. */
async function stationOn(template: string, send: Send, timers?: SyncTimers) {
  const dataDir = tempDir('yc-bench-files-run-');
  cpSync(template, dataDir, { recursive: true });
  const core = await createCore({
    dataDir,
    appVersion: 'bench',
    logger: createMemoryLogger(),
    demo: true,
    sync: { sendFor: () => send, ...(timers ? { timers } : {}) },
  });
  const login = async (username: string, password: string): Promise<Client> => {
    const client = createClient(memoryTransport(core.connect({ kind: 'memory' })));
    await client.call('auth.login', { username, password, windowNo: 1 });
    return client;
  };
  return {
    dataDir,
    login,
    close() {
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Bytes a server has read from its sockets so far, HTTP request lines and headers included: what the client sent. */
function bytesReceived(server: Server): () => number {
  const sockets = new Set<Socket>();
  let closed = 0;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      closed += socket.bytesRead;
      sockets.delete(socket);
    });
  });
  return () => closed + [...sockets].reduce((sum, s) => sum + s.bytesRead, 0);
}

const isChunk = (r: SignedRequestInit): r is SignedRequestInit & { body: Uint8Array } =>
  r.method === 'POST' && r.body instanceof Uint8Array;

/** One chunk as the engine sent it: which file (of what size), from where, how many bytes. */
interface Chunk {
  sha256: string;
  size: number;
  offset: number;
  length: number;
}

function chunkOf(request: SignedRequestInit & { body: Uint8Array }): Chunk {
  const [path, query] = request.url.split('?') as [string, string];
  const q = new URLSearchParams(query);
  return { sha256: path.split('/').at(-1)!, size: Number(q.get('size')), offset: Number(q.get('offset')), length: request.body.length };
}

async function refusedOps(central: Awaited<ReturnType<typeof gateway>>): Promise<number> {
  const rows = await central.store.db.selectFrom('op_log').select('seq').where('outcome', '!=', 'applied').execute();
  return rows.length;
}

/** Ours, once: enrol a fresh copy of the station with a fresh gateway and time the file phase of one round. */
async function engineUpload(template: string, teller: Teller, fileBytes: number) {
  const central = await gateway(teller);
  const received = bytesReceived(central.server);
  const http = fetchTransport(central.url, fetch);
  let phase: { at: number; bytes: number } | null = null;
  const chunks: Chunk[] = [];
  const send: Send = (request) => {
    // The file phase starts with its first status request, after the round's push and pull.
    if (phase === null && request.url.startsWith('/v1/files/status')) phase = { at: performance.now(), bytes: received() };
    if (isChunk(request)) chunks.push(chunkOf(request));
    return http(request);
  };
  const station = await stationOn(template, send, inertTimers);
  try {
    const admin = await station.login('admin', 'admin123');
    await admin.call('sync.enrol', { centralUrl: central.url, code: await central.code() });
    const status = await admin.call('sync.now', {});
    const ms = performance.now() - phase!.at;
    const sent = received() - phase!.bytes;
    if (status.lastError || status.pendingOps !== 0 || status.files.pendingPages !== 0 || status.files.sentBytes !== fileBytes)
      throw new Error(`the upload did not complete: ${JSON.stringify(status)}`);
    const blobs = await central.store.db.selectFrom('blob').select('sha256').execute();
    if (blobs.length !== PAGES) throw new Error(`the central office holds ${blobs.length} files, not ${PAGES}`);
    const refused = await refusedOps(central);
    if (refused > 0) throw new Error(`the central office did not apply ${refused} operations`);
    return { ms, sent, chunks };
  } finally {
    station.close();
    await central.close();
  }
}

/** The raw peer: a bare http server writing each chunk at its offset of a file named by the URL, durably (fdatasync, as the gateway). */
async function rawPeer() {
  const dir = tempDir('yc-bench-files-raw-');
  const write = async (url: string, body: Buffer) => {
    const { pathname, searchParams } = new URL(url, 'http://raw');
    const name = pathname.slice(1);
    if (!/^[0-9a-f]{64}$/.test(name)) throw new Error(`bad name ${name}`);
    const handle = await open(join(dir, name), constants.O_RDWR | constants.O_CREAT, 0o600);
    try {
      await handle.write(body, 0, body.length, Number(searchParams.get('offset')));
      await handle.datasync();
    } finally {
      await handle.close();
    }
  };
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      write(req.url ?? '', Buffer.concat(parts)).then(
        () => res.end('{"ok":true}'),
        (err: unknown) => {
          res.statusCode = 500;
          res.end(String(err));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: listening(server),
    received: bytesReceived(server),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The baseline, once: the engine's chunks, in its order and sizes, POSTed one after the other to a fresh raw peer. */
async function rawUpload(chunks: readonly Chunk[], files: ReadonlyMap<string, Buffer>) {
  const peer = await rawPeer();
  try {
    const started = performance.now();
    for (const c of chunks) {
      const res = await fetch(`${peer.url}/${c.sha256}?offset=${c.offset}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: files.get(c.sha256)!.subarray(c.offset, c.offset + c.length),
      });
      if (res.status !== 200) throw new Error(`raw peer answered ${res.status}: ${await res.text()}`);
      await res.text();
    }
    return { ms: performance.now() - started, sent: peer.received() };
  } finally {
    await peer.close();
  }
}

/** A link of `bytesPerS` each way: a request waits for its bytes (line, signed headers, body) to cross, its answer likewise. */
function throttled(deliver: Send, bytesPerS: number): Send {
  const cross = (bytes: number) => sleep((bytes / bytesPerS) * 1000);
  return async (request) => {
    const headers = Object.entries(request.headers).reduce((sum, [k, v]) => sum + k.length + v.length + 4, 0);
    const body = request.body === undefined ? 0 : typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.length;
    await cross(request.method.length + request.url.length + headers + body);
    const answer = await deliver(request);
    await cross(Buffer.byteLength(answer.body));
    return answer;
  };
}

/**
 * The throttled run: the engine's own loop (real timers) uploads the pages over a 1 Mbit/s link while the teller
 * accepts a case every WRITE_EVERY_MS; each operation's wait is from its outbox row's `created_at` to its `pushed_at`
 * (set when the central office's answer acknowledging it is applied).
 */
async function throttledUpload(template: string, teller: Teller, personId: string) {
  const central = await gateway(teller);
  const link = throttled(fetchTransport(central.url, fetch), LINK_BYTES_PER_S);
  const chunks: Chunk[] = [];
  let firstChunkAt: number | null = null;
  let lastChunkAt = 0;
  const send: Send = async (request) => {
    if (!isChunk(request)) return link(request);
    chunks.push(chunkOf(request));
    firstChunkAt ??= performance.now();
    const answer = await link(request);
    lastChunkAt = performance.now();
    return answer;
  };
  const station = await stationOn(template, send);
  try {
    const admin = await station.login('admin', 'admin123');
    const counter = await station.login('teller', 'teller123');
    await admin.call('sync.enrol', { centralUrl: central.url, code: await central.code() });
    while (firstChunkAt === null) await sleep(50);
    const writesFrom = new Date().toISOString();
    let writes = 0;
    for (;;) {
      await sleep(WRITE_EVERY_MS);
      if ((await admin.call('sync.status', {})).files.pendingPages === 0) break;
      accepted(await acceptD1(counter, personId));
      writes += 1;
    }
    const deadline = performance.now() + 30_000;
    while ((await admin.call('sync.status', {})).pendingOps > 0) {
      if (performance.now() > deadline) throw new Error('the operations were not acknowledged within 30 s of the upload');
      await sleep(50);
    }
    const refused = await refusedOps(central);
    if (refused > 0) throw new Error(`the central office did not apply ${refused} operations`);
    const db = new Database(join(station.dataDir, STORE_FILE), { readonly: true });
    let waits: number[];
    try {
      // Only the counter writes after the enrolment: its acceptances and nothing else.
      waits = db
        .prepare<[string], { created_at: string; pushed_at: string }>(
          'SELECT created_at, pushed_at FROM outbox WHERE created_at > ? ORDER BY seq',
        )
        .all(writesFrom)
        .map((r) => Date.parse(r.pushed_at) - Date.parse(r.created_at));
    } finally {
      db.close();
    }
    if (writes === 0 || waits.length !== writes) throw new Error(`${writes} acceptances wrote ${waits.length} operations`);
    return { uploadMs: lastChunkAt - firstChunkAt, chunks, writes, waits };
  } finally {
    station.close();
    await central.close();
  }
}

const fmtMs = (ms: number) => `${ms.toFixed(0)} ms`;
const fmtBytes = (n: number) => `${n.toLocaleString('en')} B`;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export async function filesBench(): Promise<string> {
  const started = performance.now();
  const pages = Array.from({ length: PAGES }, (_, i) => pdfPage(i));
  const fileBytes = pages.reduce((sum, p) => sum + p.length, 0);
  const full = await stationWithPages(pages);
  const subset = await stationWithPages(pages.slice(0, THROTTLED_PAGES));
  const built = ((performance.now() - started) / 1000).toFixed(1);
  const files = new Map(pages.map((p) => [sha256(p), p]));
  const runs: { ours: Awaited<ReturnType<typeof engineUpload>>; raw: Awaited<ReturnType<typeof rawUpload>> }[] = [];
  let slow: Awaited<ReturnType<typeof throttledUpload>>;
  try {
    // Interleaved, so a change of load on the machine falls on both alike.
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const ours = await engineUpload(full.dir, full.teller, fileBytes);
      runs.push({ ours, raw: await rawUpload(ours.chunks, files) });
    }
    slow = await throttledUpload(subset.dir, subset.teller, subset.personId);
  } finally {
    for (const s of [full, subset]) rmSync(s.dir, { recursive: true, force: true });
  }

  const row = (name: string, of: (r: (typeof runs)[number]) => { ms: number; sent: number }, baseline: boolean) => {
    const ms = median(runs.map((r) => of(r).ms));
    const sent = median(runs.map((r) => of(r).sent));
    const vs = baseline ? `${(ms / median(runs.map((r) => r.raw.ms))).toFixed(2)}× raw` : '—';
    const overhead = `${fmtBytes(sent)} (+${(((sent - fileBytes) / fileBytes) * 100).toFixed(2)} %)`;
    const rate = `${(fileBytes / MB / (ms / 1000)).toFixed(1)} MB/s, ${(PAGES / (ms / 1000)).toFixed(0)} pages/s`;
    return `| ${name} | ${fmtMs(ms)} | ${runs.map((r) => fmtMs(of(r).ms)).join(', ')} | ${rate} | ${overhead} | ${vs} |`;
  };
  const chunks = runs[0]!.ours.chunks;
  const subsetBytes = pages.slice(0, THROTTLED_PAGES).reduce((sum, p) => sum + p.length, 0);
  // The first chunks find the link's speed; a file's last chunk is only what remains of it.
  const sizes = slow.chunks.filter((c) => c.offset + c.length < c.size).map((c) => c.length);
  const settled = sizes.slice(3);
  const waitMax = Math.max(...slow.waits);
  return [
    `### Archive: file sync over loopback, ${PAGES} pages (${(fileBytes / MB).toFixed(1)} MB), ${REPETITIONS} repetitions (stations built in ${built} s)`,
    '',
    '| row | median | runs | rate (median) | sent on the wire vs file bytes (median) | vs raw (median) |',
    '|---|---:|---|---|---|---|',
    row(`station engine → gateway, file phase (${chunks.length} chunks)`, (r) => r.ours, true),
    row('raw: the same chunks, fetch → bare http server, fdatasync per chunk', (r) => r.raw, false),
    '',
    `### Archive: file sync on a 1 Mbit/s link, the first ${THROTTLED_PAGES} pages (${(subsetBytes / MB).toFixed(1)} MB), a case accepted every ${WRITE_EVERY_MS / 1000} s`,
    '',
    '| row | value | budget |',
    '|---|---|---|',
    `| upload, first chunk sent → last chunk answered | ${(slow.uploadMs / 1000).toFixed(1)} s, ${(subsetBytes / 1000 / (slow.uploadMs / 1000)).toFixed(0)} KB/s of ${LINK_BYTES_PER_S / 1000} KB/s | — |`,
    `| written during the upload | ${slow.writes} case acceptances, ${slow.waits.length} operations | — |`,
    `| write → acknowledged by the central office | median ${fmtMs(median(slow.waits))}, max ${fmtMs(waitMax)} (${slow.waits.map(fmtMs).join(', ')}) | max < ${ACK_BUDGET_MS / 1000} s: ${waitMax < ACK_BUDGET_MS ? 'met' : 'MISSED'} |`,
    `| chunk sizes chosen (${sizes.length} chunks, files' last chunks left out) | first ${sizes.slice(0, 3).map(fmtBytes).join(', ')}; then median ${fmtBytes(median(settled))}, ${fmtBytes(Math.min(...settled))}–${fmtBytes(Math.max(...settled))} | — |`,
  ].join('\n');
}
