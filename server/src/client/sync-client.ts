import { fetchTransport as fetchWith, syncClient as sharedSyncClient, type Send } from '#shared/sync/client';
import type { EnrolResponse } from '#shared/sync/protocol';
import { deviceCredentials, generateDeviceKeys, nodeSyncCrypto, type DeviceCredentials } from './device';

export type { Answer, Send } from '#shared/sync/client';

export const fetchTransport = (baseUrl: string): Send => fetchWith(baseUrl, fetch);

/** The shared protocol client on node:crypto and the real clock; `enrol` also makes the device's key pair. */
export function syncClient(send: Send) {
  const client = sharedSyncClient({ send, crypto: nodeSyncCrypto, now: Date.now });
  return {
    ...client,
    async enrol(code: string, deviceName: string): Promise<{ device: DeviceCredentials; answer: EnrolResponse }> {
      const keys = generateDeviceKeys();
      const res = await client.enrol({ code, publicKey: keys.publicKey, deviceName });
      if (!res.ok) throw new Error(`enrolment refused: ${res.body.error.code}`);
      const device = deviceCredentials(res.body.deviceId, keys.privateKey, Date.parse(res.body.serverTime) - Date.now());
      return { device, answer: res.body };
    },
  };
}
export type SyncClient = ReturnType<typeof syncClient>;
