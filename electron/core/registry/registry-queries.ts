import type { Database } from 'better-sqlite3';
import { maskIdNumber, maskPhone } from '#shared/domain/identity/masking';
import type { EmployerSummary, PersonDetail, PersonSummary } from '#shared/api/registry';
import { prefixEnd, type SearchQuery } from './search';

export interface PersonRow {
  id: string;
  id_number: string;
  id_kind: string;
  name: string;
  name_initials: string;
  sex: 'male' | 'female' | null;
  birth_date: string | null;
  phone: string | null;
  address: string | null;
  card_number: string | null;
  employer_id: string | null;
  version: number;
  field_versions: string;
  created_at: string;
  updated_at: string;
  employer_name?: string | null;
}

export interface EmployerRow {
  id: string;
  credit_code: string;
  name: string;
  name_initials: string;
  legal_rep: string | null;
  phone: string | null;
  address: string | null;
  risk_class: number | null;
  version: number;
  field_versions: string;
  created_at: string;
  updated_at: string;
}

export function toPersonSummary(row: PersonRow): PersonSummary {
  return {
    id: row.id,
    name: row.name,
    idNumberMasked: maskIdNumber(row.id_number),
    sex: row.sex,
    birthDate: row.birth_date,
    phoneMasked: row.phone && maskPhone(row.phone),
    cardNumber: row.card_number,
    employerName: row.employer_name ?? null,
  };
}

export function toPersonDetail(row: PersonRow): PersonDetail {
  return {
    ...toPersonSummary(row),
    idKind: row.id_kind,
    address: row.address,
    phone: row.phone,
    employerId: row.employer_id,
    version: row.version,
  };
}

export function toEmployer(row: EmployerRow): EmployerSummary {
  return {
    id: row.id,
    creditCode: row.credit_code,
    name: row.name,
    legalRep: row.legal_rep,
    phone: row.phone,
    address: row.address,
    riskClass: row.risk_class,
    version: row.version,
  };
}

const PERSON = 'SELECT p.*, e.name AS employer_name FROM person p LEFT JOIN employer e ON e.id = p.employer_id';

/** Reads of the registry; every search kind uses an index (no scans on a million persons). */
export function registryQueries(db: Database) {
  const person = {
    byId: db.prepare<[string], PersonRow>(`${PERSON} WHERE p.id = ?`),
    byIdNumber: db.prepare<[string], PersonRow>(`${PERSON} WHERE p.id_number = ?`),
    byCard: db.prepare<[string], PersonRow>(`${PERSON} WHERE p.card_number = ?`),
    byPhone: db.prepare<[string, number], PersonRow>(`${PERSON} WHERE p.phone = ? LIMIT ?`),
    idPrefix: db.prepare<[string, string, number], PersonRow>(
      `${PERSON} WHERE p.id_number >= ? AND p.id_number < ? ORDER BY p.id_number LIMIT ?`,
    ),
    namePrefix: db.prepare<[string, string, number], PersonRow>(`${PERSON} WHERE p.name >= ? AND p.name < ? ORDER BY p.name LIMIT ?`),
    initials: db.prepare<[string, string, number], PersonRow>(
      `${PERSON} WHERE p.name_initials >= ? AND p.name_initials < ? ORDER BY p.name_initials LIMIT ?`,
    ),
  };
  const employer = {
    byId: db.prepare<[string], EmployerRow>('SELECT * FROM employer WHERE id = ?'),
    byCode: db.prepare<[string], EmployerRow>('SELECT * FROM employer WHERE credit_code = ?'),
    namePrefix: db.prepare<[string, string, number], EmployerRow>(
      'SELECT * FROM employer WHERE name >= ? AND name < ? ORDER BY name LIMIT ?',
    ),
    initials: db.prepare<[string, string, number], EmployerRow>(
      'SELECT * FROM employer WHERE name_initials >= ? AND name_initials < ? ORDER BY name_initials LIMIT ?',
    ),
  };

  function search(q: SearchQuery, limit: number): { persons: PersonRow[]; employers: EmployerRow[] } {
    const range = (v: string): [string, string, number] => [v, prefixEnd(v), limit];
    const one = <T>(row: T | undefined): T[] => (row ? [row] : []);
    switch (q.kind) {
      case 'id_number':
        return { persons: one(person.byIdNumber.get(q.value)), employers: [] };
      case 'id_prefix':
        return { persons: person.idPrefix.all(...range(q.value)), employers: [] };
      case 'card_number':
        return { persons: one(person.byCard.get(q.value)), employers: [] };
      case 'phone':
        return { persons: person.byPhone.all(q.value, limit), employers: [] };
      case 'credit_code':
        return { persons: [], employers: one(employer.byCode.get(q.value)) };
      case 'name_prefix':
        return { persons: person.namePrefix.all(...range(q.value)), employers: employer.namePrefix.all(...range(q.value)) };
      case 'initials':
        return { persons: person.initials.all(...range(q.value)), employers: employer.initials.all(...range(q.value)) };
    }
  }

  return {
    search,
    person: (id: string) => person.byId.get(id),
    personByIdNumber: (idNumber: string) => person.byIdNumber.get(idNumber),
    personByCard: (card: string) => person.byCard.get(card),
    employer: (id: string) => employer.byId.get(id),
    employerByCode: (code: string) => employer.byCode.get(code),
  };
}
export type RegistryQueries = ReturnType<typeof registryQueries>;
