/**
 * The signature scheme of the sync protocol (docs/sync-protocol.md, "Signed requests"). This module only builds the
 * canonical text; hashing and Ed25519 live with whoever has a crypto library (the server, the station's sync engine).
 */
export const SIGNATURE_SCHEME = 'YC-SYNC-1';

/** Request headers of a signed request, lower-case as HTTP/1.1 and HTTP/2 carry them. */
export const SIGNED_HEADERS = {
  device: 'x-yc-device',
  timestamp: 'x-yc-timestamp',
  nonce: 'x-yc-nonce',
  signature: 'x-yc-signature',
} as const;

/** A request whose timestamp is further than this from the server's clock is refused as stale. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** 16 to 48 random bytes in base64url without padding. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

export interface SignedRequestParts {
  /** Upper-case HTTP method. */
  method: string;
  /** Path and query exactly as sent on the request line, e.g. `/v1/sync/pull?station=0&reference=0`. */
  pathAndQuery: string;
  /** Milliseconds since the Unix epoch, as sent in `x-yc-timestamp`. */
  timestamp: number;
  nonce: string;
  deviceId: string;
  /** Lower-case hex SHA-256 of the body bytes; of the empty string when there is no body. */
  bodySha256Hex: string;
}

/** The text a device signs: one field a line, no trailing newline. */
export function canonicalRequest(parts: SignedRequestParts): string {
  return [
    SIGNATURE_SCHEME,
    parts.method.toUpperCase(),
    parts.pathAndQuery,
    String(parts.timestamp),
    parts.nonce,
    parts.deviceId,
    parts.bodySha256Hex,
  ].join('\n');
}

/**
 * The text whose SHA-256 gives a change's digest for checkpoints: entity, id and the data exactly as delivered
 * (the `data` JSON text of the change). Checksums are the sum of the first four bytes of each digest, read as a
 * big-endian unsigned integer, modulo 2^32.
 */
export function changeDigestInput(change: { entity: string; id: string; dataJson: string }): string {
  return `${change.entity}\n${change.id}\n${change.dataJson}`;
}

export const CHECKSUM_MODULUS = 2 ** 32;

/** A change's digest from the lower-case hex SHA-256 of its `changeDigestInput`: its first four bytes, big-endian. */
export const changeDigestFromSha256Hex = (hex: string): number => parseInt(hex.slice(0, 8), 16);
