import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { signRequest as signWith, type DeviceCredentials, type SignedRequestInit, type SyncCrypto } from '#shared/sync/client';
import { sha256Hex } from '../crypto';

/**
 * node:crypto under the protocol client of shared/sync/client.ts, for the server's tests and bench: key generation,
 * a signer holding the private key, and request signing at the device's corrected clock.
 */
export type { DeviceCredentials, SignedRequestInit };

export const nodeSyncCrypto: SyncCrypto = { sha256Hex, randomNonce: () => randomBytes(18).toString('base64url') };

export interface DeviceKeys {
  /** 32 raw bytes of the Ed25519 public key in base64: what the enrolment sends. */
  publicKey: string;
  privateKey: KeyObject;
}

export function generateDeviceKeys(): DeviceKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { publicKey: Buffer.from(jwk.x!, 'base64url').toString('base64'), privateKey };
}

export const ed25519Signer =
  (privateKey: KeyObject) =>
  (text: string): string =>
    sign(null, Buffer.from(text), privateKey).toString('base64');

export const deviceCredentials = (deviceId: string, privateKey: KeyObject, clockOffsetMs: number): DeviceCredentials => ({
  deviceId,
  sign: ed25519Signer(privateKey),
  clockOffsetMs,
});

/** Signs a request as the device would now (or at `at`, device time plus offset). */
export function signRequest(
  device: DeviceCredentials,
  request: { method: 'GET' | 'POST'; url: string; body?: string | Uint8Array; contentType?: string },
  at: number = Date.now() + device.clockOffsetMs,
): SignedRequestInit {
  return signWith(nodeSyncCrypto, device, request, at);
}
