import type { z } from 'zod';
import {
  dayCloseResponseSchema,
  enrolResponseSchema,
  errorBodySchema,
  pullResponseSchema,
  pushResponseSchema,
  type DayCloseRequest,
  type DayCloseResponse,
  type EnrolRequest,
  type EnrolResponse,
  type ErrorBody,
  type OpEnvelope,
  type PullQuery,
  type PullResponse,
  type PushResponse,
} from './protocol';
import {
  chunkResponseSchema,
  chunkUrl,
  downloadResponseSchema,
  downloadUrl,
  fileStatusResponseSchema,
  type ChunkQuery,
  type ChunkResponse,
  type DownloadQuery,
  type DownloadResponse,
  type FileRef,
  type FileStatusResponse,
} from './files';
import { canonicalRequest, SIGNED_HEADERS } from './signing';

/**
 * The device side of the sync protocol (docs/sync-protocol.md): enrolment, then signed push, pull and day close.
 * Free of Node and of any crypto library: whoever runs it (the station's core, the server's tests and bench) brings
 * SHA-256, random nonces and the device's Ed25519 signer.
 */

export interface SyncCrypto {
  /** Lower-case hex SHA-256 of the bytes (a string counts as its UTF-8 bytes). */
  sha256Hex(data: string | Uint8Array): string;
  /** 16 to 48 fresh random bytes in base64url without padding. */
  randomNonce(): string;
}

/** A device as the client signs for it. */
export interface DeviceCredentials {
  deviceId: string;
  /** The Ed25519 signature of the UTF-8 text with the device's private key, in standard base64. */
  sign(text: string): string;
  /** Server clock minus device clock; every answer carrying the server's time refreshes it. */
  clockOffsetMs: number;
}

export interface SignedRequestInit {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/v1/sync/pull?station=0&reference=0`. */
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** How a request reaches the server: fetch over HTTP, Fastify's inject in tests, or a faulty link in fault tests. */
export type Send = (request: SignedRequestInit) => Promise<{ status: number; body: string }>;

export type Answer<T> = { status: number; ok: true; body: T } | { status: number; ok: false; body: ErrorBody };

/** Not an error of the protocol: the answer could not be read (a proxy's page, a truncated body). */
export const BAD_RESPONSE = 'BAD_RESPONSE';

/** Signs a request at device time `at`: method, path with query, body hash, timestamp and a fresh nonce. */
export function signRequest(
  crypto: SyncCrypto,
  device: Pick<DeviceCredentials, 'deviceId' | 'sign'>,
  request: { method: 'GET' | 'POST'; url: string; body?: string | Uint8Array; contentType?: string },
  at: number,
): SignedRequestInit {
  const nonce = crypto.randomNonce();
  const text = canonicalRequest({
    method: request.method,
    pathAndQuery: request.url,
    timestamp: at,
    nonce,
    deviceId: device.deviceId,
    bodySha256Hex: crypto.sha256Hex(request.body ?? ''),
  });
  const headers: Record<string, string> = {
    [SIGNED_HEADERS.device]: device.deviceId,
    [SIGNED_HEADERS.timestamp]: String(at),
    [SIGNED_HEADERS.nonce]: nonce,
    [SIGNED_HEADERS.signature]: device.sign(text),
  };
  if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
  return { method: request.method, url: request.url, headers, ...(request.body !== undefined ? { body: request.body } : {}) };
}

/** The part of WHATWG fetch the HTTP transport needs; Node and browsers both have it. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string | Uint8Array | null },
) => Promise<{ status: number; text(): Promise<string> }>;

export const fetchTransport =
  (baseUrl: string, fetchImpl: FetchLike): Send =>
  async (request) => {
    const res = await fetchImpl(baseUrl.replace(/\/+$/, '') + request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
    });
    return { status: res.status, body: await res.text() };
  };

function readAnswer<T>(res: { status: number; body: string }, schema: z.ZodType<T>): Answer<T> {
  const unreadable: Answer<T> = {
    status: res.status,
    ok: false,
    body: { error: { code: BAD_RESPONSE, message: `中心返回的内容无法识别（HTTP ${res.status}）` } },
  };
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    return unreadable;
  }
  // What comes over the network is checked like any other input before anyone acts on it.
  if (res.status < 300) {
    const parsed = schema.safeParse(json);
    return parsed.success ? { status: res.status, ok: true, body: parsed.data } : unreadable;
  }
  const error = errorBodySchema.safeParse(json);
  return error.success ? { status: res.status, ok: false, body: error.data } : unreadable;
}

const serverTimeOf = (answer: Answer<unknown>): string | undefined =>
  answer.ok
    ? ((answer.body as { serverTime?: unknown }).serverTime as string | undefined)
    : answer.body.error.code === 'STALE_TIMESTAMP'
      ? answer.body.error.serverTime
      : undefined;

/** A device's view of the protocol. `now` is the device clock in milliseconds since the epoch. */
export function syncClient(options: { send: Send; crypto: SyncCrypto; now: () => number }) {
  const { send, crypto, now } = options;

  /**
   * Sends a signed request and learns the server's clock from the answer. On STALE_TIMESTAMP (the device clock is
   * more than 5 minutes off) it signs once more with the corrected offset and a new nonce.
   */
  async function signed<T>(
    device: DeviceCredentials,
    method: 'GET' | 'POST',
    url: string,
    schema: z.ZodType<T>,
    body?: { bytes: string | Uint8Array; contentType: string },
  ) {
    const attempt = async () => {
      const request = signRequest(
        crypto,
        device,
        { method, url, ...(body !== undefined ? { body: body.bytes, contentType: body.contentType } : {}) },
        now() + device.clockOffsetMs,
      );
      const res = readAnswer(await send(request), schema);
      const serverTime = serverTimeOf(res);
      const parsed = serverTime === undefined ? NaN : Date.parse(serverTime);
      if (!Number.isNaN(parsed)) device.clockOffsetMs = parsed - now();
      return res;
    };
    const res = await attempt();
    return !res.ok && res.body.error.code === 'STALE_TIMESTAMP' && res.body.error.serverTime ? attempt() : res;
  }
  const json = (value: unknown) => ({ bytes: JSON.stringify(value), contentType: 'application/json' });

  return {
    /** Exchanges a one-time code for a device identity; the request is not signed (the code is the credential). */
    async enrol(request: EnrolRequest): Promise<Answer<EnrolResponse>> {
      const res = await send({
        method: 'POST',
        url: '/v1/enrol',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      return readAnswer(res, enrolResponseSchema);
    },
    push: (device: DeviceCredentials, ops: OpEnvelope[]): Promise<Answer<PushResponse>> =>
      signed(device, 'POST', '/v1/sync/push', pushResponseSchema, json({ ops })),
    pull: (device: DeviceCredentials, query: Partial<PullQuery> = {}): Promise<Answer<PullResponse>> => {
      const search = Object.entries(query)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&');
      return signed(device, 'GET', search ? `/v1/sync/pull?${search}` : '/v1/sync/pull', pullResponseSchema);
    },
    dayClose: (device: DeviceCredentials, request: DayCloseRequest): Promise<Answer<DayCloseResponse>> =>
      signed(device, 'POST', '/v1/sync/day-close', dayCloseResponseSchema, json(request)),
    /** Which of these files the central office holds, and where an interrupted upload of each stands. */
    fileStatus: (device: DeviceCredentials, files: FileRef[]): Promise<Answer<FileStatusResponse>> =>
      signed(device, 'POST', '/v1/files/status', fileStatusResponseSchema, json({ files })),
    /** One chunk of a file, from `query.offset`; `query.chunk` is the chunk's own SHA-256. */
    uploadChunk: (device: DeviceCredentials, sha256: string, query: ChunkQuery, bytes: Uint8Array): Promise<Answer<ChunkResponse>> =>
      signed(device, 'POST', chunkUrl(sha256, query), chunkResponseSchema, { bytes, contentType: 'application/octet-stream' }),
    /** A part of a file the central office holds, for a PC that lost or damaged its copy. */
    download: (device: DeviceCredentials, sha256: string, query: DownloadQuery): Promise<Answer<DownloadResponse>> =>
      signed(device, 'GET', downloadUrl(sha256, query), downloadResponseSchema),
  };
}
export type SyncClient = ReturnType<typeof syncClient>;
