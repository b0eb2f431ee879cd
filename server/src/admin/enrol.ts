import type { EnrolRequest, EnrolResponse } from '#shared/sync/protocol';
import { sha256Hex } from '../crypto';
import type { Store } from '../db/store';
import { SyncError } from '../http/errors';
import { normaliseEnrolmentCode } from './stations';

/**
 * Exchanges a one-time code for a device identity: the device's own Ed25519 public key is kept, the code is spent in
 * the same transaction, so it enrols exactly one device however many requests race with it.
 */
export async function enrolDevice(store: Store, request: EnrolRequest, now: Date, newId: () => string): Promise<EnrolResponse> {
  const at = now.toISOString();
  const deviceId = newId();
  return store.transaction(async (db) => {
    const spent = await db
      .updateTable('enrolment')
      .set({ used_at: at, device_id: deviceId })
      .where('code_hash', '=', sha256Hex(normaliseEnrolmentCode(request.code)))
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .returning('station_code')
      .executeTakeFirst();
    if (!spent) throw new SyncError('ENROLMENT_CODE_INVALID');
    const station = await db.selectFrom('station').selectAll().where('code', '=', spent.station_code).executeTakeFirstOrThrow();
    await db
      .insertInto('device')
      .values({
        id: deviceId,
        station_code: station.code,
        name: request.deviceName,
        public_key: request.publicKey,
        enrolled_at: at,
        revoked_at: null,
        last_seq: 0,
        last_seen_at: null,
      })
      .execute();
    return {
      deviceId,
      station: { code: station.code, name: station.name, regionCode: station.region_code, kind: station.kind },
      serverTime: at,
    };
  });
}
