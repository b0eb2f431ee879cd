import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { canonicalRequest, SIGNED_HEADERS } from '#shared/sync/signing';
import { sha256Hex } from '../crypto';

/**
 * The device side of the signature scheme: key generation and request signing. Tests and the bench use it; the
 * station's sync engine follows the same pattern (docs/sync-protocol.md, "Signed requests").
 */
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

export interface DeviceCredentials {
  deviceId: string;
  privateKey: KeyObject;
  /** Server clock minus device clock, learnt from the enrolment answer or a STALE_TIMESTAMP refusal. */
  clockOffsetMs: number;
}

export interface SignedRequestInit {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Signs a request: method, path with query, body hash, timestamp and a fresh nonce. */
export function signRequest(
  device: DeviceCredentials,
  request: { method: 'GET' | 'POST'; url: string; body?: string | Buffer; contentType?: string },
  at: number = Date.now() + device.clockOffsetMs,
): SignedRequestInit {
  const nonce = randomBytes(18).toString('base64url');
  const text = canonicalRequest({
    method: request.method,
    pathAndQuery: request.url,
    timestamp: at,
    nonce,
    deviceId: device.deviceId,
    bodySha256Hex: sha256Hex(request.body ?? ''),
  });
  const headers: Record<string, string> = {
    [SIGNED_HEADERS.device]: device.deviceId,
    [SIGNED_HEADERS.timestamp]: String(at),
    [SIGNED_HEADERS.nonce]: nonce,
    [SIGNED_HEADERS.signature]: sign(null, Buffer.from(text), device.privateKey).toString('base64'),
  };
  if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
  return { method: request.method, url: request.url, headers, ...(request.body !== undefined ? { body: request.body } : {}) };
}
