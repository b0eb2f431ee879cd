import { createPublicKey, hash, verify, type KeyObject } from 'node:crypto';
import { changeDigestInput } from '#shared/sync/signing';

/** Crypto the server and its device client share: body hashes, Ed25519 keys, change digests. */

export const sha256Hex = (data: string | Uint8Array): string => hash('sha256', data, 'hex');

/** An Ed25519 public key from its 32 raw bytes in base64; throws on anything else. */
export function publicKeyFromBase64(raw: string): KeyObject {
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length !== 32) throw new Error('Ed25519 public keys are 32 bytes');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: bytes.toString('base64url') }, format: 'jwk' });
}

export function verifyEd25519(key: KeyObject, message: string, signatureBase64: string): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  return signature.length === 64 && verify(null, Buffer.from(message), key, signature);
}

/** A change's digest as docs/sync-protocol.md defines it: the first four bytes of SHA-256, big-endian. */
export function changeDigest(change: { entity: string; id: string; dataJson: string }): number {
  return (hash('sha256', changeDigestInput(change), 'buffer') as Buffer).readUInt32BE(0);
}
