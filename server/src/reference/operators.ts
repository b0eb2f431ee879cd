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
