import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import type { Role } from '#shared/domain/roles';
import { RIGHTS, type OperatorAccount } from '#shared/sync/reference';
import { change, stationReferenceScope, type ChangeDraft } from '../changes/append';
import type { OperatorRow } from '../db/schema';

/** Rights an account gets from its role unless the central office lists others. */
export const DEFAULT_RIGHTS: Readonly<Record<Role, readonly (typeof RIGHTS)[number][]>> = {
  teller: ['accept', 'deliver', 'registry_edit', 'reveal_id_number', 'day_close'],
  reviewer: ['review'],
  approver: ['approve'],
  admin: RIGHTS,
};

function operatorAccount(row: OperatorRow): OperatorAccount {
  return {
    id: row.id,
    stationCode: row.station_code,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    rights: JSON.parse(row.rights) as OperatorAccount['rights'],
    passwordVerifier: row.password_verifier,
    disabled: row.disabled === 1,
    version: row.version,
  };
}

/** Accounts travel in the reference stream, scoped to their station. */
export const operatorChange = (row: OperatorRow): ChangeDraft =>
  change('reference', stationReferenceScope(row.station_code), 'operator', row.id, operatorAccount(row));

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * A password verifier in the format the station's login checks (`scrypt$N$r$p$salt$key`, N=2^15, r=8, p=1, 32-byte
 * key, NFC-normalised password), so an account created centrally logs in at any counter of its station.
 */
export async function passwordVerifier(password: string): Promise<string> {
  const [N, r, p] = [32768, 8, 1];
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize('NFC'), salt, 32, { N, r, p, maxmem: 128 * N * r * 2 });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}
