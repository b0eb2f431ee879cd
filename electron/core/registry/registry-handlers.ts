import type { Database } from 'better-sqlite3';
import { ApiError } from '#shared/api/errors';
import type { EmployerPatch, PersonPatch } from '#shared/api/registry';
import { CASE_STATUS_LABELS, type CaseStatus } from '#shared/domain/cases/state-machine';
import { RECEIPT_KIND_LABELS, type ReceiptKind } from '#shared/domain/catalogue/schema';
import { validateIdNumber } from '#shared/domain/identity/resident-id';
import { formatYuan } from '#shared/domain/money/fen';
import { TICKET_STATUS_LABELS, type TicketStatus } from '#shared/domain/queue/ticket';
import type { Handlers } from '../api/handlers';
import type { CoreDeps } from '../platform/deps';
import { businessDateAt } from '../platform/business-date';
import type { CommandRunner } from '../store/command';
import { planPatch } from './field-patch';
import { nameInitials } from './initials';
import { registryQueries, toEmployer, toPersonDetail, toPersonSummary, type EmployerRow, type PersonRow } from './registry-queries';
import { classifyQuery } from './search';

const PERSON_FIELDS: Record<keyof PersonPatch & string, { column: string; label: string }> = {
  name: { column: 'name', label: '姓名' },
  phone: { column: 'phone', label: '联系电话' },
  address: { column: 'address', label: '地址' },
  cardNumber: { column: 'card_number', label: '社会保障卡卡号' },
  employerId: { column: 'employer_id', label: '所在单位' },
};
const EMPLOYER_FIELDS: Record<keyof EmployerPatch & string, { column: string; label: string }> = {
  name: { column: 'name', label: '单位名称' },
  legalRep: { column: 'legal_rep', label: '法定代表人' },
  phone: { column: 'phone', label: '联系电话' },
  address: { column: 'address', label: '地址' },
  riskClass: { column: 'risk_class', label: '行业风险类别' },
};

const labelsOf = <K extends string>(fields: Record<K, { label: string }>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, (v as { label: string }).label])) as Record<K, string>;

/** Reads a row's patchable fields under their API names. */
const fieldsOf = <K extends string>(row: object, fields: Record<K, { column: string }>) =>
  Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, (row as Record<string, unknown>)[(v as { column: string }).column] ?? null]),
  ) as Record<K, unknown>;

export function registryHandlers(
  deps: CoreDeps & { db: Database; commands: CommandRunner },
): Pick<
  Handlers,
  | 'registry.search'
  | 'person.get'
  | 'person.byIdNumber'
  | 'person.reveal'
  | 'person.history'
  | 'person.create'
  | 'person.update'
  | 'employer.get'
  | 'employer.create'
  | 'employer.update'
> {
  const { db, commands } = deps;
  const q = registryQueries(db);
  type HistoryRow = {
    kind: 'case' | 'document' | 'visit';
    at: string;
    title: string;
    code: string;
    state: string;
    fen: number | null;
    case_id: string | null;
  };
  // Cases (with what they cost), notices given without a case, and visits to the hall, newest first.
  const history = db.prepare<[string, string, string], HistoryRow>(
    `SELECT 'case' AS kind, accepted_at AS at, sub_item_name AS title, case_no AS code, status AS state,
            json_extract(amounts_json, '$.totalFen') AS fen, id AS case_id
       FROM case_file WHERE person_id = ?
     UNION ALL
     SELECT 'document', created_at, title, '', kind, NULL, case_id FROM document
      WHERE person_id = ? AND case_id IS NULL AND kind <> 'queue_ticket'
     UNION ALL
     SELECT 'visit', issued_at, '到厅办理 ' || ticket_no, ticket_no, status, NULL, NULL FROM ticket WHERE person_id = ?
     ORDER BY at DESC LIMIT 100`,
  );
  const describe = (r: HistoryRow) => {
    if (r.kind === 'case')
      return `${r.code} · ${CASE_STATUS_LABELS[r.state as CaseStatus] ?? r.state}${r.fen ? ` · ${formatYuan(r.fen)}` : ''}`;
    if (r.kind === 'visit') return TICKET_STATUS_LABELS[r.state as TicketStatus] ?? r.state;
    return RECEIPT_KIND_LABELS[r.state as ReceiptKind] ?? r.state;
  };

  const personOr404 = (id: string): PersonRow => {
    const row = q.person(id);
    if (!row) throw new ApiError('NOT_FOUND', '未找到该参保人');
    return row;
  };
  const employerOr404 = (id: string): EmployerRow => {
    const row = q.employer(id);
    if (!row) throw new ApiError('NOT_FOUND', '未找到该单位');
    return row;
  };
  const now = () => deps.clock.now().toISOString();

  /** Writes the changed columns of a planned patch. Column names come from the fixed maps above, never from input. */
  function writePatch(
    table: 'person' | 'employer',
    id: string,
    columns: Record<string, unknown>,
    version: number,
    fieldVersions: Record<string, number>,
  ) {
    const sets = Object.keys(columns).map((c) => `${c} = @${c}`);
    db.prepare(
      `UPDATE ${table} SET ${[...sets, 'version = @version', 'field_versions = @fv', 'updated_at = @at'].join(', ')} WHERE id = @id`,
    ).run({
      ...columns,
      version,
      fv: JSON.stringify(fieldVersions),
      at: now(),
      id,
    });
  }

  /**
   * Plans and writes a field patch, and describes it for the audit log and the outbox:
   * the central office merges it by the same base-version rule.
   */
  function patchRow<K extends string>(
    table: 'person' | 'employer',
    row: PersonRow | EmployerRow,
    fields: Record<K, { column: string; label: string }>,
    baseVersion: number,
    patch: Partial<Record<K, unknown>>,
  ) {
    const plan = planPatch(fieldsOf(row, fields), JSON.parse(row.field_versions), baseVersion, row.version, patch, labelsOf(fields));
    const columns: Record<string, unknown> = Object.fromEntries(Object.entries(plan.changes).map(([k, v]) => [fields[k as K].column, v]));
    const name = (plan.changes as Record<string, unknown>).name;
    if (typeof name === 'string') columns.name_initials = nameInitials(name);
    writePatch(table, row.id, columns, plan.version, plan.fieldVersions);
    return {
      audit: {
        action: `${table}.update`,
        class: 'general' as const,
        entityType: table,
        entityId: row.id,
        before: plan.before,
        after: plan.changes,
      },
      outbox: { type: `${table}.patched`, payload: { [`${table}Id`]: row.id, baseVersion, patch: plan.changes } },
    };
  }

  return {
    'registry.search'({ query, limit }) {
      const found = q.search(classifyQuery(query), limit);
      return { persons: found.persons.map(toPersonSummary), employers: found.employers.map(toEmployer) };
    },

    'person.get': ({ id }) => toPersonDetail(personOr404(id)),
    'person.byIdNumber': ({ idNumber }) => {
      const row = q.personByIdNumber(idNumber);
      return row ? toPersonDetail(row) : null;
    },

    'person.reveal'({ id }, { actor }) {
      const row = personOr404(id);
      return commands.run(actor, () => ({
        result: { idNumber: row.id_number },
        audit: { action: 'person.reveal', class: 'key', entityType: 'person', entityId: id },
        outbox: { type: 'audit.person_revealed', payload: { personId: id } },
      }));
    },

    'person.history'({ id }) {
      personOr404(id);
      return history.all(id, id, id).map((r) => ({ kind: r.kind, at: r.at, title: r.title, detail: describe(r), caseId: r.case_id }));
    },

    'person.create'({ idNumber, name, phone, address, cardNumber, employerId }, { actor }) {
      const info = validateIdNumber(idNumber, { today: businessDateAt(deps.clock.now()) });
      if (!info.ok) throw new ApiError('VALIDATION', info.message, { issues: [{ path: 'idNumber', message: info.message }] });
      if (q.personByIdNumber(info.value.idNumber)) throw new ApiError('CONFLICT', '该证件号码已登记，请直接查询');
      if (cardNumber && q.personByCard(cardNumber)) throw new ApiError('CONFLICT', '该社会保障卡卡号已属于他人');
      if (employerId) employerOr404(employerId);
      const structured = info.value.kind === 'foreign_permanent_residence_2017' ? null : info.value;
      const id = deps.newId();
      const at = now();
      return commands.run(actor, () => {
        const row = {
          id,
          id_number: info.value.idNumber,
          id_kind: info.value.kind,
          name,
          name_initials: nameInitials(name),
          sex: structured?.sex ?? null,
          birth_date: structured?.birthDate ?? null,
          phone: phone ?? null,
          address: address ?? null,
          card_number: cardNumber ?? null,
          employer_id: employerId ?? null,
          created_at: at,
          updated_at: at,
        };
        db.prepare(
          `INSERT INTO person (id, id_number, id_kind, name, name_initials, sex, birth_date, phone, address, card_number, employer_id, created_at, updated_at)
           VALUES (@id, @id_number, @id_kind, @name, @name_initials, @sex, @birth_date, @phone, @address, @card_number, @employer_id, @created_at, @updated_at)`,
        ).run(row);
        const detail = toPersonDetail(q.person(id)!);
        return {
          result: detail,
          audit: {
            action: 'person.create',
            class: 'general',
            entityType: 'person',
            entityId: id,
            after: { ...detail, idNumber: row.id_number },
          },
          outbox: { type: 'person.created', payload: { ...row, name_initials: undefined } },
        };
      });
    },

    'person.update'({ id, baseVersion, patch }, { actor }) {
      if (patch.employerId) employerOr404(patch.employerId);
      return commands.run(actor, () => {
        const row = personOr404(id);
        if (patch.cardNumber) {
          const holder = q.personByCard(patch.cardNumber);
          if (holder && holder.id !== id) throw new ApiError('CONFLICT', '该社会保障卡卡号已属于他人');
        }
        const written = patchRow('person', row, PERSON_FIELDS, baseVersion, patch);
        return { result: toPersonDetail(q.person(id)!), ...written };
      });
    },

    'employer.get': ({ id }) => toEmployer(employerOr404(id)),

    'employer.create'({ creditCode, name, legalRep, phone, address, riskClass }, { actor }) {
      if (q.employerByCode(creditCode)) throw new ApiError('CONFLICT', '该统一社会信用代码已登记');
      const id = deps.newId();
      const at = now();
      return commands.run(actor, () => {
        const row = {
          id,
          credit_code: creditCode,
          name,
          name_initials: nameInitials(name),
          legal_rep: legalRep ?? null,
          phone: phone ?? null,
          address: address ?? null,
          risk_class: riskClass ?? null,
          created_at: at,
          updated_at: at,
        };
        db.prepare(
          `INSERT INTO employer (id, credit_code, name, name_initials, legal_rep, phone, address, risk_class, created_at, updated_at)
           VALUES (@id, @credit_code, @name, @name_initials, @legal_rep, @phone, @address, @risk_class, @created_at, @updated_at)`,
        ).run(row);
        const employer = toEmployer(q.employer(id)!);
        return {
          result: employer,
          audit: { action: 'employer.create', class: 'general', entityType: 'employer', entityId: id, after: employer },
          outbox: { type: 'employer.created', payload: { ...row, name_initials: undefined } },
        };
      });
    },

    'employer.update'({ id, baseVersion, patch }, { actor }) {
      return commands.run(actor, () => {
        const row = employerOr404(id);
        const written = patchRow('employer', row, EMPLOYER_FIELDS, baseVersion, patch);
        return { result: toEmployer(q.employer(id)!), ...written };
      });
    },
  };
}
