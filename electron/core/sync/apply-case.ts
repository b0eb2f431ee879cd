import type { Database } from 'better-sqlite3';
import type { CaseChange } from '#shared/sync/changes';
import type { PendingOps } from './pending-ops';

/**
 * Cases from the station stream: the central office is the authority for case decisions (a reviewer of the back
 * office approves or rejects, and the decision flows down to the window that hands out the result). A case with
 * unsent local intents keeps its local state: the central answer to them comes down after the push. Case events are
 * numbered as the central office numbers them; a local event the central office did not take is replaced.
 */
export function caseApplier(db: Database, pending: PendingOps, newId: () => string) {
  const exists = db.prepare<[string], { id: string }>('SELECT id FROM case_file WHERE id = ?');
  const update = db.prepare(
    `UPDATE case_file SET status = @status, last_reason = @last_reason, accepted_by = @accepted_by, reviewed_by = @reviewed_by,
       version = version + 1, updated_at = @updated_at
     WHERE id = @id AND (status IS NOT @status OR last_reason IS NOT @last_reason OR accepted_by IS NOT @accepted_by OR reviewed_by IS NOT @reviewed_by)`,
  );
  const insert = db.prepare(
    `INSERT INTO case_file (id, case_no, business_date, item_code, sub_item_code, sub_item_name, person_id, employer_id, status, review_level,
       accepted_by, reviewed_by, accepted_at, accepted_window, promised_date, form_json, materials_json, amounts_json, last_reason, updated_at)
     VALUES (@id, @case_no, @business_date, @item_code, @sub_item_code, @sub_item_name, @person_id, @employer_id, @status, @review_level,
       @accepted_by, @reviewed_by, @accepted_at, @accepted_window, NULL, @form_json, @materials_json, @amounts_json, @last_reason, @updated_at)`,
  );
  const event = db.prepare(
    `INSERT INTO case_event (id, case_id, seq, action, from_status, to_status, operator_id, window_no, reason, at)
     VALUES (@id, @case_id, @seq, @action, @from_status, @to_status, @operator_id, @window_no, @reason, @at)
     ON CONFLICT (case_id, seq) DO UPDATE SET action = excluded.action, from_status = excluded.from_status, to_status = excluded.to_status,
       operator_id = excluded.operator_id, window_no = excluded.window_no, reason = excluded.reason, at = excluded.at
     WHERE case_event.action IS NOT excluded.action OR case_event.to_status IS NOT excluded.to_status`,
  );
  const known = db.prepare<[string], { id: string }>('SELECT id FROM person WHERE id = ?');
  const knownEmployer = db.prepare<[string], { id: string }>('SELECT id FROM employer WHERE id = ?');

  return (c: CaseChange): void => {
    const state = {
      id: c.id,
      status: c.status,
      last_reason: c.lastReason,
      accepted_by: JSON.stringify(c.acceptedBy),
      reviewed_by: JSON.stringify(c.reviewedBy),
      updated_at: c.updatedAt,
    };
    if (exists.get(c.id)) {
      if (pending('case.accepted', 'case.intent', 'caseId', c.id).length > 0) return;
      update.run(state);
    } else {
      // A case accepted at another counter of the station: only its first change carries the content.
      if (c.caseNo === undefined) return;
      const first = c.transition?.steps[0]?.action === 'accept' ? c.transition : null;
      insert.run({
        ...state,
        case_no: c.caseNo,
        business_date: c.businessDate,
        item_code: c.itemCode,
        sub_item_code: c.subItemCode,
        sub_item_name: c.subItemName,
        // Rows this PC does not hold (a central workstation sees other stations' cases) cannot be referenced.
        person_id: c.personId && known.get(c.personId) ? c.personId : null,
        employer_id: c.employerId && knownEmployer.get(c.employerId) ? c.employerId : null,
        review_level: c.reviewLevel,
        accepted_at: c.acceptedAt,
        accepted_window: first?.windowNo ?? null,
        form_json: JSON.stringify(c.form ?? {}),
        materials_json: JSON.stringify(c.materials ?? []),
        amounts_json:
          c.amountFen === null || c.amountFen === undefined ? null : JSON.stringify({ lines: [], totalFen: c.amountFen, note: '' }),
      });
    }
    const t = c.transition;
    if (!t) return;
    let from = t.fromStatus;
    t.steps.forEach((step, i) => {
      event.run({
        id: newId(),
        case_id: c.id,
        seq: t.firstSeq + i,
        action: step.action,
        from_status: from,
        to_status: step.toStatus,
        operator_id: t.operatorId ?? '',
        window_no: t.windowNo,
        reason: t.reason,
        at: t.at,
      });
      from = step.toStatus;
    });
  };
}
