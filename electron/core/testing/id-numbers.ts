import { idCheckCharacter } from '#shared/domain/identity/resident-id';

/** A valid 18-character resident ID number for tests and demo data. */
export function makeIdNumber(region: string, birthDate: string, sequence: number): string {
  const body = `${region}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}
