import { createPrivateKey, generateKeyPairSync, hash, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { SyncCrypto } from '#shared/sync/client';
import { changeDigestFromSha256Hex, changeDigestInput } from '#shared/sync/signing';

/** node:crypto under the shared protocol client: hashing, nonces, the device's Ed25519 key. */
export const nodeSyncCrypto: SyncCrypto = {
  sha256Hex: (data) => hash('sha256', data, 'hex'),
  randomNonce: () => randomBytes(18).toString('base64url'),
};

/** A change's digest for the per-stream checksum (docs/sync-protocol.md §6.3). */
export const changeDigest = (change: { entity: string; id: string; dataJson: string }): number =>
  changeDigestFromSha256Hex(nodeSyncCrypto.sha256Hex(changeDigestInput(change)));

export interface DeviceKeyPair {
  /** 32 raw bytes of the Ed25519 public key in standard base64, as the enrolment sends it. */
  publicKey: string;
  /** PKCS#8 PEM, for the key file. */
  privateKeyPem: string;
}

export function generateDeviceKeyPair(): DeviceKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return {
    publicKey: Buffer.from(x, 'base64url').toString('base64'),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

export function ed25519Signer(privateKeyPem: string): (text: string) => string {
  const key: KeyObject = createPrivateKey(privateKeyPem);
  return (text) => sign(null, Buffer.from(text), key).toString('base64');
}
