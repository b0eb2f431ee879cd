import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canonicalRequest, MAX_CLOCK_SKEW_MS, NONCE_PATTERN, SIGNED_HEADERS } from '#shared/sync/signing';
import { publicKeyFromBase64, sha256Hex, verifyEd25519 } from '../crypto';
import type { DB, DeviceRow, StationRow } from '../db/schema';
import type { Store } from '../db/store';
import { SyncError } from '../http/errors';

/** A request whose signature checked out: the device, its station, and the nonce still to be consumed. */
export interface AuthenticatedDevice {
  device: DeviceRow;
  station: StationRow;
  nonce: string;
  timestamp: number;
}

export interface SignedRequest {
  method: string;
  /** Path and query as on the request line. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body bytes, or undefined for a request without a body. */
  body: Buffer | undefined;
  /**
   * The body hash the signature covers, when it is not the body's own: a file chunk is signed over the hash it
   * declares in its query, so a chunk damaged on the way is told apart from a forged request (CHUNK_CORRUPT).
   */
  bodySha256Hex?: string;
}

const header = (req: SignedRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{86}==$/;
const TIMESTAMP_PATTERN = /^\d{1,16}$/;

/**
 * Checks a signed request against the device's enrolled public key. It reads but never writes: the nonce is
 * consumed by the route in the same transaction as the request's effect (see consumeNonce).
 */
export function deviceAuthenticator(store: Store, now: () => Date) {
  // Public keys parsed once per device; the row is still read on every request, so a revocation applies at once.
  const keys = new Map<string, { raw: string; key: KeyObject }>();
  const keyOf = (device: DeviceRow): KeyObject => {
    const cached = keys.get(device.id);
    if (cached && cached.raw === device.public_key) return cached.key;
    const key = publicKeyFromBase64(device.public_key);
    if (keys.size >= 10_000) keys.clear();
    keys.set(device.id, { raw: device.public_key, key });
    return key;
  };

  return async function authenticate(req: SignedRequest): Promise<AuthenticatedDevice> {
    const deviceId = header(req, SIGNED_HEADERS.device);
    const timestampText = header(req, SIGNED_HEADERS.timestamp);
    const nonce = header(req, SIGNED_HEADERS.nonce);
    const signature = header(req, SIGNED_HEADERS.signature);
    if (!deviceId || !timestampText || !nonce || !signature) throw new SyncError('UNSIGNED');
    if (
      deviceId.length > 64 ||
      !TIMESTAMP_PATTERN.test(timestampText) ||
      !NONCE_PATTERN.test(nonce) ||
      !SIGNATURE_PATTERN.test(signature)
    ) {
      throw new SyncError('BAD_SIGNATURE');
    }
    const timestamp = Number(timestampText);
    const serverNow = now();
    if (Math.abs(serverNow.getTime() - timestamp) > MAX_CLOCK_SKEW_MS) {
      throw new SyncError('STALE_TIMESTAMP', { serverTime: serverNow.toISOString() });
    }
    const row = await store.reader
      .selectFrom('device')
      .innerJoin('station', 'station.code', 'device.station_code')
      .selectAll('device')
      .select([
        'station.name as station_name',
        'station.region_code',
        'station.kind',
        'station.settings',
        'station.created_at as station_created_at',
        'station.updated_at as station_updated_at',
      ])
      .where('device.id', '=', deviceId)
      .executeTakeFirst();
    if (!row) throw new SyncError('UNKNOWN_DEVICE');
    const message = canonicalRequest({
      method: req.method,
      pathAndQuery: req.url,
      timestamp,
      nonce,
      deviceId,
      bodySha256Hex: req.bodySha256Hex ?? sha256Hex(req.body ?? ''),
    });
    if (!verifyEd25519(keyOf(row), message, signature)) throw new SyncError('BAD_SIGNATURE');
    if (row.revoked_at) throw new SyncError('DEVICE_REVOKED');
    const { station_name, region_code, kind, settings, station_created_at, station_updated_at, ...device } = row;
    return {
      device,
      station: {
        code: device.station_code,
        name: station_name,
        region_code,
        kind,
        settings,
        created_at: station_created_at,
        updated_at: station_updated_at,
      },
      nonce,
      timestamp,
    };
  };
}

/** Nonces are remembered until their request's timestamp could no longer pass the freshness check. */
export const NONCE_TTL_MS = 2 * MAX_CLOCK_SKEW_MS;

/** Records the request's nonce; a nonce seen before means a replayed request, refused before it changes anything. */
export async function consumeNonce(db: Kysely<DB>, auth: AuthenticatedDevice): Promise<void> {
  const result = await db
    .insertInto('nonce')
    .values({ device_id: auth.device.id, nonce: auth.nonce, expires_at: auth.timestamp + NONCE_TTL_MS })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) throw new SyncError('REPLAYED_NONCE');
}

/** Forgets nonces whose requests are stale anyway. */
export async function purgeNonces(db: Kysely<DB>, nowMs: number): Promise<void> {
  await db.deleteFrom('nonce').where('expires_at', '<', nowMs).execute();
}
