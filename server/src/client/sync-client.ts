import type {
  DayCloseRequest,
  DayCloseResponse,
  EnrolResponse,
  ErrorBody,
  OpEnvelope,
  PullQuery,
  PullResponse,
  PushResponse,
} from '#shared/sync/protocol';
import { generateDeviceKeys, signRequest, type DeviceCredentials, type SignedRequestInit } from './device';

export type Answer<T> = { status: number; ok: true; body: T } | { status: number; ok: false; body: ErrorBody };

/** How a request reaches the server: fetch over HTTP, or Fastify's inject in tests. */
export type Send = (request: SignedRequestInit) => Promise<{ status: number; body: string }>;

export const fetchTransport =
  (baseUrl: string): Send =>
  async (request) => {
    const res = await fetch(baseUrl + request.url, { method: request.method, headers: request.headers, body: request.body ?? null });
    return { status: res.status, body: await res.text() };
  };

const answer = <T>(res: { status: number; body: string }): Answer<T> => {
  const body = JSON.parse(res.body) as unknown;
  return res.status < 300 ? { status: res.status, ok: true, body: body as T } : { status: res.status, ok: false, body: body as ErrorBody };
};

/** A device's view of the protocol: enrol once, then signed push, pull and day close. */
export function syncClient(send: Send) {
  /** Sends a signed request; on STALE_TIMESTAMP it adopts the server's clock and signs once more. */
  async function signed<T>(device: DeviceCredentials, method: 'GET' | 'POST', url: string, body?: unknown): Promise<Answer<T>> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    let res = answer<T>(await send(signRequest(device, { method, url, ...(text !== undefined ? { body: text } : {}) })));
    if (!res.ok && res.body.error.code === 'STALE_TIMESTAMP' && res.body.error.serverTime) {
      device.clockOffsetMs = Date.parse(res.body.error.serverTime) - Date.now();
      res = answer<T>(await send(signRequest(device, { method, url, ...(text !== undefined ? { body: text } : {}) })));
    }
    return res;
  }

  return {
    /** Generates the device's key pair and exchanges the one-time code for a device identity. */
    async enrol(code: string, deviceName: string): Promise<{ device: DeviceCredentials; answer: EnrolResponse }> {
      const keys = generateDeviceKeys();
      const res = answer<EnrolResponse>(
        await send({
          method: 'POST',
          url: '/v1/enrol',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code, publicKey: keys.publicKey, deviceName }),
        }),
      );
      if (!res.ok) throw new Error(`enrolment refused: ${res.body.error.code}`);
      const device = {
        deviceId: res.body.deviceId,
        privateKey: keys.privateKey,
        clockOffsetMs: Date.parse(res.body.serverTime) - Date.now(),
      };
      return { device, answer: res.body };
    },
    push: (device: DeviceCredentials, ops: OpEnvelope[]) => signed<PushResponse>(device, 'POST', '/v1/sync/push', { ops }),
    pull: (device: DeviceCredentials, query: Partial<PullQuery> = {}) => {
      const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
      const search = params.toString();
      return signed<PullResponse>(device, 'GET', search ? `/v1/sync/pull?${search}` : '/v1/sync/pull');
    },
    dayClose: (device: DeviceCredentials, request: DayCloseRequest) =>
      signed<DayCloseResponse>(device, 'POST', '/v1/sync/day-close', request),
  };
}
export type SyncClient = ReturnType<typeof syncClient>;
