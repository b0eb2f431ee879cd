import { randomInt } from 'node:crypto';
import { stationSchema } from '#shared/api/station';
import { STATION_KINDS, type StationKind } from '#shared/sync/protocol';
import { z } from 'zod';
import { sha256Hex } from '../crypto';
import type { Store } from '../db/store';

/** The central office's administration of stations and devices: the CLI (`npm run central -- …`) calls these. */

export const newStationSchema = z.object({
  code: stationSchema.shape.code,
  name: stationSchema.shape.name,
  regionCode: stationSchema.shape.regionCode,
  kind: z.enum(STATION_KINDS).default('station'),
});

export async function createStation(store: Store, input: z.input<typeof newStationSchema>, now: Date): Promise<void> {
  const s = newStationSchema.parse(input);
  const at = now.toISOString();
  await store.db
    .insertInto('station')
    .values({
      code: s.code,
      name: s.name,
      region_code: s.regionCode,
      kind: s.kind as StationKind,
      settings: '{}',
      created_at: at,
      updated_at: at,
    })
    .execute();
}

// Crockford's base32 without I, L, O, U: nothing a teller reading it aloud can confuse.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Upper case, separators dropped: the form whose hash is stored. */
export const normaliseEnrolmentCode = (code: string) => code.toUpperCase().replace(/[^0-9A-Z]/g, '');

/**
 * A one-time enrolment code for a device of `stationCode` (80 random bits, shown once, stored only as a hash),
 * valid for `hours`.
 */
export async function issueEnrolmentCode(
  store: Store,
  stationCode: string,
  now: Date,
  hours = 72,
): Promise<{ code: string; expiresAt: string }> {
  const station = await store.db.selectFrom('station').select('code').where('code', '=', stationCode).executeTakeFirst();
  if (!station) throw new Error(`没有编码为 ${stationCode} 的站点`);
  const raw = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const expiresAt = new Date(now.getTime() + hours * 3_600_000).toISOString();
  await store.db
    .insertInto('enrolment')
    .values({
      code_hash: sha256Hex(raw),
      station_code: stationCode,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
      device_id: null,
    })
    .execute();
  return { code: raw.match(/.{4}/g)!.join('-'), expiresAt };
}

/** Stops a lost or retired device: its requests are refused from the next one on. */
export async function revokeDevice(store: Store, deviceId: string, now: Date): Promise<boolean> {
  const result = await store.db
    .updateTable('device')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', deviceId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
