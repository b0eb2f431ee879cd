import type { Send } from '#shared/sync/client';
import { chunkQuerySchema, downloadQuerySchema, fileStatusRequestSchema, type FileStatus } from '#shared/sync/files';
import { sha256Hex } from '../archive/page-files';
import type { FakeCentral } from './fake-central';

/**
 * The file endpoints of the central office (docs/sync-protocol.md, "File sync") beside fake-central.ts, for the
 * engine's unit tests: files referenced by the `case.page_attached` operations the fake applied, kept in memory,
 * resumable by offset and verified by hash as the contract says. Every request is recorded, in order.
 */
export function fakeFileCentral(central: FakeCentral) {
  const files = new Map<string, { size: number; received: Buffer; stored: boolean }>();
  const requests: { method: string; path: string; offset?: number; bytes?: number }[] = [];
  const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });
  const refusal = (status: number, code: string, extra: Record<string, unknown> = {}) =>
    json(status, { error: { code, message: code, ...extra } });
  const serverTime = () => new Date().toISOString();

  const referenced = (sha256: string, size: number) =>
    central.applied.some((op) => {
      const p = op.payload as { sha256?: string; size?: number };
      return op.type === 'case.page_attached' && p.sha256 === sha256 && p.size === size;
    });
  const entry = (sha256: string, size: number) => {
    const found = files.get(sha256) ?? { size, received: Buffer.alloc(0), stored: false };
    files.set(sha256, found);
    return found;
  };
  const statusOf = (sha256: string, size: number): FileStatus => {
    const f = files.get(sha256);
    if (f?.stored) return { sha256, state: 'stored', offset: f.size };
    if (!referenced(sha256, size)) return { sha256, state: 'unreferenced', offset: 0 };
    const offset = f?.received.length ?? 0;
    return { sha256, state: offset > 0 ? 'partial' : 'missing', offset };
  };

  const send: Send = async (request) => {
    const [path = '', search = ''] = request.url.split('?');
    if (!path.startsWith('/v1/files')) {
      requests.push({ method: request.method, path });
      return central.send(request);
    }
    if (central.script.down) throw new Error('connect ECONNREFUSED');
    const query = Object.fromEntries(new URLSearchParams(search));
    if (path === '/v1/files/status') {
      requests.push({ method: 'POST', path });
      const body = fileStatusRequestSchema.parse(JSON.parse(request.body as string));
      return json(200, { serverTime: serverTime(), files: body.files.map((f) => statusOf(f.sha256, f.size)) });
    }
    const sha256 = path.slice('/v1/files/'.length);
    if (request.method === 'GET') {
      const q = downloadQuerySchema.parse(query);
      requests.push({ method: 'GET', path, offset: q.offset });
      const f = files.get(sha256);
      if (!f?.stored || !referenced(sha256, f.size)) return refusal(404, 'FILE_NOT_FOUND');
      const data = f.received.subarray(q.offset, q.offset + q.length);
      return json(200, { serverTime: serverTime(), sha256, size: f.size, offset: q.offset, dataBase64: data.toString('base64') });
    }
    const q = chunkQuerySchema.parse(query);
    const chunk = Buffer.from(request.body as Uint8Array);
    requests.push({ method: 'POST', path, offset: q.offset, bytes: chunk.length });
    if (!referenced(sha256, q.size)) return refusal(409, 'FILE_NOT_REFERENCED');
    if (sha256Hex(chunk) !== q.chunk) return refusal(422, 'CHUNK_CORRUPT');
    const f = entry(sha256, q.size);
    if (f.stored) return json(200, { serverTime: serverTime(), sha256, state: 'stored', offset: f.size });
    if (q.offset !== f.received.length) return refusal(409, 'OFFSET_MISMATCH', { offset: f.received.length });
    f.received = Buffer.concat([f.received, chunk]);
    if (f.received.length < f.size) return json(200, { serverTime: serverTime(), sha256, state: 'partial', offset: f.received.length });
    if (f.received.length > f.size || sha256Hex(f.received) !== sha256) {
      f.received = Buffer.alloc(0);
      return refusal(422, 'FILE_CORRUPT');
    }
    f.stored = true;
    return json(200, { serverTime: serverTime(), sha256, state: 'stored', offset: f.size });
  };

  return {
    send,
    files,
    requests,
    /** Bytes of chunks that reached the fake. */
    chunkBytes: () => requests.reduce((sum, r) => sum + (r.bytes ?? 0), 0),
    /** The chunk uploads that reached the fake, in order. */
    chunks: () => requests.filter((r) => r.bytes !== undefined),
    /** A file the central office already holds (another counter of the station sent it). */
    hold(bytes: Buffer) {
      files.set(sha256Hex(bytes), { size: bytes.length, received: Buffer.from(bytes), stored: true });
    },
  };
}
export type FakeFileCentral = ReturnType<typeof fakeFileCentral>;
