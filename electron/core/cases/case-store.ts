import type { Database } from 'better-sqlite3';
import type { CaseView, DocumentView } from '#shared/api/cases';
import { availableCaseActions, type CaseActor, type CaseSnapshot, type CaseStatus } from '#shared/domain/cases/state-machine';
import type { FormField } from '#shared/domain/catalogue/form-fields';
import type { ReviewLevel } from '#shared/domain/catalogue/schema';
import { maskIdNumber, maskMiddle, maskPhone } from '#shared/domain/identity/masking';
import type { PrintDocument } from '#shared/documents/print-document';
import { registryQueries, toPersonSummary } from '../registry/registry-queries';

export interface CaseRow {
  id: string;
  case_no: string;
  business_date: string;
  item_code: string;
  sub_item_code: string;
  sub_item_name: string;
  person_id: string | null;
  employer_id: string | null;
  status: CaseStatus;
  review_level: ReviewLevel;
  accepted_by: string;
  reviewed_by: string;
  accepted_at: string;
  accepted_window: number | null;
  promised_date: string | null;
  form_json: string;
  materials_json: string;
  amounts_json: string | null;
  last_reason: string | null;
  version: number;
  updated_at: string;
}

interface EventRow {
  action: CaseView['events'][number]['action'];
  from_status: CaseStatus;
  to_status: CaseStatus;
  operator_name: string | null;
  window_no: number | null;
  reason: string | null;
  at: string;
}

export const snapshotOf = (row: CaseRow): CaseSnapshot => ({
  status: row.status,
  reviewLevel: row.review_level,
  acceptedBy: JSON.parse(row.accepted_by) as string[],
  reviewedBy: JSON.parse(row.reviewed_by) as string[],
});

/** Case rows, events and documents: reads, and the writes the case commands make inside their transactions. */
/** Field types whose values are personal numbers: shown masked wherever the full value is not needed. */
const MASKED: Partial<Record<FormField['type'], (v: string) => string>> = {
  id_number: maskIdNumber,
  bank_account: (v) => maskMiddle(v, 4, 4),
  phone: maskPhone,
};

function formEntries(row: CaseRow, fields: readonly FormField[]): CaseView['form'] {
  const values = JSON.parse(row.form_json) as Record<string, unknown>;
  return fields
    .filter((f) => values[f.key] !== undefined)
    .map((f) => {
      const raw = values[f.key];
      const text =
        f.type === 'select'
          ? (f.options?.find((o) => o.value === raw)?.label ?? String(raw))
          : f.type === 'boolean'
            ? raw
              ? '是'
              : '否'
            : String(raw);
      return { key: f.key, label: f.label, value: MASKED[f.type]?.(text) ?? text };
    });
}

export function caseStore(db: Database, fieldsOf: (subItemCode: string) => readonly FormField[]) {
  const registry = registryQueries(db);
  const byId = db.prepare<[string], CaseRow>('SELECT * FROM case_file WHERE id = ?');
  const byNo = db.prepare<[string], CaseRow>('SELECT * FROM case_file WHERE case_no = ?');
  const byStatus = db.prepare<[string], CaseRow>('SELECT * FROM case_file WHERE status = ? ORDER BY accepted_at LIMIT 500');
  const events = db.prepare<[string], EventRow>(
    `SELECT e.action, e.from_status, e.to_status, o.display_name AS operator_name, e.window_no, e.reason, e.at
       FROM case_event e LEFT JOIN operator o ON o.id = e.operator_id WHERE e.case_id = ? ORDER BY e.seq`,
  );
  const docsOfCase = db.prepare<[string], { id: string; kind: string; title: string; created_at: string }>(
    'SELECT id, kind, title, created_at FROM document WHERE case_id = ? ORDER BY created_at',
  );
  const docById = db.prepare<
    [string],
    { id: string; kind: string; title: string; case_id: string | null; model_json: string; created_at: string }
  >('SELECT * FROM document WHERE id = ?');
  const operatorName = db.prepare<[string], { display_name: string }>('SELECT display_name FROM operator WHERE id = ?');
  const employerName = db.prepare<[string], { name: string }>('SELECT name FROM employer WHERE id = ?');
  const insertCase = db.prepare(
    `INSERT INTO case_file (id, case_no, business_date, item_code, sub_item_code, sub_item_name, person_id, employer_id, status, review_level,
       accepted_by, reviewed_by, accepted_at, accepted_window, promised_date, form_json, materials_json, amounts_json, updated_at)
     VALUES (@id, @case_no, @business_date, @item_code, @sub_item_code, @sub_item_name, @person_id, @employer_id, @status, @review_level,
       @accepted_by, @reviewed_by, @accepted_at, @accepted_window, @promised_date, @form_json, @materials_json, @amounts_json, @updated_at)`,
  );
  const updateState = db.prepare(
    `UPDATE case_file SET status = @status, accepted_by = @accepted_by, reviewed_by = @reviewed_by, last_reason = COALESCE(@reason, last_reason),
       version = version + 1, updated_at = @at WHERE id = @id AND version = @version`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO case_event (id, case_id, seq, action, from_status, to_status, operator_id, window_no, reason, at)
     VALUES (@id, @case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_event WHERE case_id = @case_id), @action, @from_status, @to_status,
       @operator_id, @window_no, @reason, @at)`,
  );
  const insertDoc = db.prepare(
    `INSERT INTO document (id, kind, title, case_id, person_id, model_json, created_at, operator_id)
     VALUES (@id, @kind, @title, @case_id, @person_id, @model_json, @created_at, @operator_id)`,
  );

  function view(row: CaseRow, actor: CaseActor): CaseView {
    const person = row.person_id ? registry.person(row.person_id) : undefined;
    const acceptor = (JSON.parse(row.accepted_by) as string[])[0];
    return {
      id: row.id,
      caseNo: row.case_no,
      itemCode: row.item_code,
      subItemCode: row.sub_item_code,
      subItemName: row.sub_item_name,
      status: row.status,
      reviewLevel: row.review_level,
      person: person ? toPersonSummary(person) : null,
      employerName: row.employer_id ? (employerName.get(row.employer_id)?.name ?? null) : null,
      acceptedAt: row.accepted_at,
      acceptedByName: (acceptor && operatorName.get(acceptor)?.display_name) || '—',
      acceptedWindow: row.accepted_window,
      promisedDate: row.promised_date,
      form: formEntries(row, fieldsOf(row.sub_item_code)),
      materials: JSON.parse(row.materials_json) as CaseView['materials'],
      amounts: row.amounts_json ? (JSON.parse(row.amounts_json) as CaseView['amounts']) : null,
      lastReason: row.last_reason,
      events: events.all(row.id).map((e) => ({
        action: e.action,
        fromStatus: e.from_status,
        toStatus: e.to_status,
        operatorName: e.operator_name ?? '—',
        windowNo: e.window_no,
        reason: e.reason,
        at: e.at,
      })),
      availableActions: availableCaseActions(snapshotOf(row), actor),
      documents: docsOfCase.all(row.id).map((d) => ({ id: d.id, kind: d.kind, title: d.title, createdAt: d.created_at })),
    };
  }

  return {
    byId: (id: string) => byId.get(id),
    byNo: (caseNo: string) => byNo.get(caseNo),
    byStatus: (status: CaseStatus) => byStatus.all(status),
    view,
    insertCase: (row: Omit<CaseRow, 'version' | 'last_reason'>) => insertCase.run(row),
    /** Fails (returns false) when the row changed since it was read: the caller's transaction must abort. */
    updateState: (row: CaseRow, next: CaseSnapshot, reason: string | null, at: string) =>
      updateState.run({
        id: row.id,
        version: row.version,
        status: next.status,
        accepted_by: JSON.stringify(next.acceptedBy),
        reviewed_by: JSON.stringify(next.reviewedBy),
        reason,
        at,
      }).changes === 1,
    insertEvent: (e: {
      id: string;
      case_id: string;
      action: string;
      from_status: string;
      to_status: string;
      operator_id: string;
      window_no: number | null;
      reason: string | null;
      at: string;
    }) => insertEvent.run(e),
    insertDocument(d: {
      id: string;
      kind: string;
      title: string;
      case_id: string | null;
      person_id: string | null;
      document: PrintDocument;
      created_at: string;
      operator_id: string | null;
    }): DocumentView {
      insertDoc.run({ ...d, model_json: JSON.stringify(d.document) });
      return {
        id: d.id,
        kind: d.kind,
        title: d.title,
        caseId: d.case_id,
        createdAt: d.created_at,
        blocks: d.document.blocks as unknown as DocumentView['blocks'],
      };
    },
    document(id: string): DocumentView | undefined {
      const d = docById.get(id);
      return (
        d && {
          id: d.id,
          kind: d.kind,
          title: d.title,
          caseId: d.case_id,
          createdAt: d.created_at,
          blocks: (JSON.parse(d.model_json) as PrintDocument).blocks as unknown as DocumentView['blocks'],
        }
      );
    },
  };
}
export type CaseStore = ReturnType<typeof caseStore>;
