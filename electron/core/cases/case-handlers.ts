import type { Database } from 'better-sqlite3';
import type { CaseView, DocumentView, MaterialStatus } from '#shared/api/cases';
import { ApiError } from '#shared/api/errors';
import {
  applyCaseAction,
  CASE_STATUS_LABELS,
  newCase,
  type CaseAction,
  type CaseActor,
  type CaseSnapshot,
  type CaseStatus,
} from '#shared/domain/cases/state-machine';
import { buildFormSchema } from '#shared/domain/catalogue/form-fields';
import type { CatalogueSubItem } from '#shared/domain/catalogue/schema';
import type { BusinessDate } from '#shared/domain/calendar/dates';
import { promisedCompletionDate, type WorkingCalendar } from '#shared/domain/calendar/working-days';
import type { Role } from '#shared/domain/roles';
import type { CallContext, Handlers } from '../api/handlers';
import type { OperatorQueries } from '../auth/operators';
import type { PrintingService } from '../printing/printing-service';
import type { CatalogueRef } from '../catalogue/reference';
import { businessDateAt } from '../platform/business-date';
import type { CoreDeps } from '../platform/deps';
import { registryQueries } from '../registry/registry-queries';
import type { StationQueries } from '../station/station';
import type { CommandRunner } from '../store/command';
import { computeAmounts, type AmountParameters, type Amounts } from './amounts';
import { nextCaseNumber } from './case-numbers';
import { caseStore, snapshotOf, type CaseRow } from './case-store';
import { acceptanceReceipt, completionVoucher, oneTimeNotice, type Applicant, type IssuedAt, type Titled } from './documents';

export interface CaseDeps extends CoreDeps {
  db: Database;
  commands: CommandRunner;
  catalogue: CatalogueRef;
  station: StationQueries;
  operators: OperatorQueries;
  calendar: WorkingCalendar;
  timeZone: string;
  /** The contribution parameters in force on a business date. */
  amounts: (date: BusinessDate) => AmountParameters;
  /** Documents are queued for printing in the command that issues them. */
  printing: Pick<PrintingService, 'enqueue'>;
}

/** Audit action per state-machine action, as the screening rules and the audit page name them. */
const AUDIT_ACTION: Partial<Record<CaseAction, string>> = {
  pass_review: 'case.review',
  approve: 'case.approve',
  reject: 'case.reject',
  return_for_materials: 'case.return',
  withdraw: 'case.withdraw',
  complete: 'case.complete',
  resubmit: 'case.resubmit',
  deliver: 'case.deliver',
};

/** A refusal for separation of duties, carried out of the command's transaction to be audited on its own. */
class SodRefused extends ApiError {
  constructor(
    message: string,
    readonly action: CaseAction,
    readonly caseId: string | null,
  ) {
    super('FORBIDDEN', message);
  }
}

const BACK_OFFICE_ACTIONS: ReadonlySet<CaseAction> = new Set(['pass_review', 'approve', 'reject', 'return_for_materials']);

const QUEUE: Record<'review' | 'approval' | 'pickup' | 'returned', { status: CaseStatus; roles: readonly Role[] }> = {
  review: { status: 'pending_review', roles: ['reviewer', 'admin'] },
  approval: { status: 'pending_approval', roles: ['approver', 'admin'] },
  pickup: { status: 'ready_for_pickup', roles: ['teller', 'admin'] },
  returned: { status: 'returned', roles: ['teller', 'admin'] },
};

export function caseHandlers(
  deps: CaseDeps,
): Pick<
  Handlers,
  | 'catalogue.list'
  | 'catalogue.subItem'
  | 'case.accept'
  | 'case.quote'
  | 'case.get'
  | 'case.byNumber'
  | 'case.queue'
  | 'case.act'
  | 'case.deliver'
  | 'document.get'
> {
  const { db, commands, catalogue } = deps;
  const store = caseStore(db, (code) => catalogue.subItem(code)?.sub.formFields ?? []);
  const registry = registryQueries(db);
  const usage = db.prepare<[string], { sub_item_code: string; n: number }>(
    'SELECT sub_item_code, COUNT(*) AS n FROM case_file WHERE accepted_at >= ? GROUP BY sub_item_code',
  );

  const actorOf = (ctx: CallContext): CaseActor => {
    const id = ctx.actor.operatorId!;
    const row = deps.operators.byId(id);
    return { operatorId: id, roles: row ? [row.role] : [] };
  };
  const operatorName = (id: string) => deps.operators.byId(id)?.display_name ?? '—';
  const localTime = (d: Date) =>
    new Intl.DateTimeFormat('zh-CN', { timeZone: deps.timeZone, dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(d);
  const issuedAt = (ctx: CallContext, now: Date): IssuedAt => ({
    stationName: deps.station.get()?.name ?? '',
    windowNo: ctx.actor.windowNo,
    operatorName: operatorName(ctx.actor.operatorId!),
    localTime: localTime(now),
  });
  const caseOr404 = (id: string): CaseRow => {
    const row = store.byId(id);
    if (!row) throw new ApiError('NOT_FOUND', '未找到该案件');
    return row;
  };
  const applicantOf = (personId: string | null | undefined, form: Record<string, unknown>): Applicant | null => {
    const person = personId ? registry.person(personId) : undefined;
    if (person) return { name: person.name, idNumber: person.id_number };
    return typeof form.name === 'string' ? { name: form.name, idNumber: typeof form.idNumber === 'string' ? form.idNumber : null } : null;
  };

  /** Saves the documents and queues each for printing, in the business command's transaction: all commit, or none. */
  function saveDocs(docs: Titled[], caseId: string | null, personId: string | null, ctx: CallContext, at: string): DocumentView[] {
    return docs.map((d) => {
      const saved = store.insertDocument({
        id: deps.newId(),
        kind: d.kind,
        title: d.title,
        case_id: caseId,
        person_id: personId,
        document: d.document,
        created_at: at,
        operator_id: ctx.actor.operatorId,
      });
      deps.printing.enqueue({ id: saved.id, document: d.document }, { operatorId: ctx.actor.operatorId, at });
      return saved;
    });
  }

  /** The person being served supplies their own ID number and name: the teller never retypes them. */
  function withPerson(personId: string | undefined, form: Record<string, unknown>): Record<string, unknown> {
    const person = personId ? registry.person(personId) : undefined;
    const filled = { ...form };
    if (person) {
      if (filled.idNumber === undefined || filled.idNumber === '') filled.idNumber = person.id_number;
      if (filled.name === undefined || filled.name === '') filled.name = person.name;
    }
    return filled;
  }

  function amountsFor(sub: CatalogueSubItem, form: Record<string, unknown>, today: BusinessDate): Amounts | null {
    const r = computeAmounts(sub, form, { region: deps.station.get()?.regionCode ?? '', today }, deps.amounts(today));
    if (!r.ok) throw new ApiError('VALIDATION', r.message);
    return r.value;
  }

  /** Applies one transition or explains the refusal; an attempt against separation of duties is itself audited. */
  function transition(snapshot: CaseSnapshot, action: CaseAction, ctx: CallContext, caseId: string | null): CaseSnapshot {
    const actor = actorOf(ctx);
    const result = applyCaseAction(snapshot, action, actor);
    if (result.ok) return result.value;
    // A back-office decision on one's own case is an attempt against separation of duties, whatever else is wrong with it.
    const ownCase = snapshot.acceptedBy.includes(actor.operatorId) || snapshot.reviewedBy.includes(actor.operatorId);
    const backOffice = snapshot.status === 'pending_review' || snapshot.status === 'pending_approval';
    if (
      result.reason === 'separation_of_duties' ||
      (result.reason === 'role' && ownCase && backOffice && BACK_OFFICE_ACTIONS.has(action))
    ) {
      throw new SodRefused(
        result.reason === 'separation_of_duties' ? result.message : '受审分离：您经办过该案件，不能对其复核或审批',
        action,
        caseId,
      );
    }
    throw new ApiError(result.reason === 'role' ? 'FORBIDDEN' : 'CONFLICT', result.message);
  }

  /**
   * Runs a case command; a refusal for separation of duties is recorded as its own key
   * audit entry after the command's transaction has rolled back.
   */
  function guarded<T>(ctx: CallContext, run: () => T): T {
    try {
      return run();
    } catch (err) {
      if (err instanceof SodRefused) {
        commands.run(ctx.actor, () => ({
          result: null,
          audit: {
            action: 'security.sod_refused',
            class: 'key',
            entityType: 'case',
            entityId: err.caseId ?? undefined,
            after: { action: err.action, message: err.message },
          },
          outbox: { type: 'audit.sod_refused', payload: { caseId: err.caseId, action: err.action } },
        }));
      }
      throw err;
    }
  }

  /** Records each step of a chain of transitions as an event, returning the final snapshot. */
  function record(
    row: Pick<CaseRow, 'id'>,
    from: CaseSnapshot,
    steps: { action: CaseAction; to: CaseSnapshot }[],
    ctx: CallContext,
    reason: string | null,
    at: string,
  ) {
    let status = from.status;
    for (const step of steps) {
      store.insertEvent({
        id: deps.newId(),
        case_id: row.id,
        action: step.action,
        from_status: status,
        to_status: step.to.status,
        operator_id: ctx.actor.operatorId!,
        window_no: ctx.actor.windowNo,
        reason,
        at,
      });
      status = step.to.status;
    }
  }

  return {
    'catalogue.list'() {
      const since = new Date(deps.clock.now().getTime() - 30 * 86_400_000).toISOString();
      const uses = new Map(usage.all(since).map((u) => [u.sub_item_code, u.n]));
      return catalogue
        .current()
        .items.flatMap((item) =>
          item.subItems.map((sub) => ({
            itemCode: item.code,
            itemName: item.name,
            code: sub.code,
            name: sub.name,
            reviewLevel: sub.reviewLevel,
            timeLimit: sub.timeLimit.kind === 'immediate' ? '即办' : `${sub.timeLimit.workingDays}个工作日`,
            opensCase: sub.opensCase,
            uses: uses.get(sub.code) ?? 0,
          })),
        )
        .sort((a, b) => b.uses - a.uses || a.code.localeCompare(b.code));
    },

    'catalogue.subItem'({ code }) {
      const found = catalogue.subItem(code);
      if (!found) throw new ApiError('NOT_FOUND', `事项目录中没有编码为${code}的事项`);
      return { ...found.sub, itemCode: found.item.code, itemName: found.item.name };
    },

    'case.accept'(params, ctx) {
      const found = catalogue.subItem(params.subItemCode);
      if (!found) throw new ApiError('NOT_FOUND', `事项目录中没有编码为${params.subItemCode}的事项`);
      const { item, sub } = found;
      if (!sub.opensCase) throw new ApiError('VALIDATION', '咨询类事项当场答复，不需要受理立案');
      if (params.personId && !registry.person(params.personId)) throw new ApiError('NOT_FOUND', '未找到该参保人');
      if (params.employerId && !registry.employer(params.employerId)) throw new ApiError('NOT_FOUND', '未找到该单位');

      const given = new Map(params.materials.map((m) => [m.code, m.status]));
      const unknown = params.materials.find((m) => !sub.materials.some((s) => s.code === m.code));
      if (unknown) throw new ApiError('VALIDATION', `材料编码${unknown.code}不属于该事项`);
      const materials = sub.materials.map((m) => {
        const status: MaterialStatus = given.get(m.code) ?? 'missing';
        if (status === 'data_check' && !m.dataCheckReplaceable)
          throw new ApiError('VALIDATION', `“${m.name}”不能以数据核验代替，请收取材料`);
        return { code: m.code, name: m.name, status, required: m.required };
      });
      const now = deps.clock.now();
      const at = now.toISOString();
      const today = businessDateAt(now, deps.timeZone);
      const applicant = applicantOf(params.personId, params.form);
      const missing = sub.materials.filter((m) => m.required && given.get(m.code) !== 'received' && given.get(m.code) !== 'data_check');

      if (missing.length > 0) {
        return commands.run(ctx.actor, () => {
          const notice = oneTimeNotice({ sub, applicant, missing, catalogueVersion: catalogue.current().version, at: issuedAt(ctx, now) });
          const documents = saveDocs([notice], null, params.personId ?? null, ctx, at);
          return {
            result: { outcome: 'notice' as const, missing: missing.map((m) => m.name), documents },
            audit: {
              action: 'case.notice',
              class: 'general',
              entityType: 'sub_item',
              entityId: sub.code,
              after: { missing: missing.map((m) => m.code), personId: params.personId },
            },
            outbox: {
              type: 'case.notice_issued',
              payload: {
                subItemCode: sub.code,
                personId: params.personId ?? null,
                missing: missing.map((m) => m.code),
                documentId: documents[0]!.id,
              },
            },
          };
        });
      }

      const form = buildFormSchema(sub.formFields, { today }).safeParse(withPerson(params.personId, params.form));
      if (!form.success) {
        const issues = form.error.issues.map((i) => ({ path: ['form', ...i.path].join('.'), message: i.message }));
        throw new ApiError('VALIDATION', issues[0]?.message, { issues });
      }

      const amounts = amountsFor(sub, form.data, today);

      return commands.run(ctx.actor, () => {
        const station = deps.station.get()!;
        const caseNo = nextCaseNumber(db, station.code, today);
        const id = deps.newId();
        const start = newCase(sub.reviewLevel);
        const steps: { action: CaseAction; to: CaseSnapshot }[] = [];
        const step = (action: CaseAction) => {
          const from = steps.at(-1)?.to ?? start;
          steps.push({ action, to: transition(from, action, ctx, null) });
        };
        step('accept');
        const limit = sub.timeLimit;
        const immediate = limit.kind === 'immediate';
        // 即办件 of level 1 are finished and handed over on the spot; level 2/3 go to the back office at once.
        if (sub.reviewLevel === 1 && immediate) {
          step('complete');
          step('deliver');
        } else if (sub.reviewLevel > 1) {
          step('submit_for_review');
        }
        const promised = limit.kind === 'immediate' ? null : promisedCompletionDate(deps.calendar, today, limit.workingDays);
        const final = steps.at(-1)!.to;
        const materialsView = materials.map(({ code, name, status }) => ({ code, name, status }));
        store.insertCase({
          id,
          case_no: caseNo,
          business_date: today,
          item_code: item.code,
          sub_item_code: sub.code,
          sub_item_name: sub.name,
          person_id: params.personId ?? null,
          employer_id: params.employerId ?? null,
          status: final.status,
          review_level: sub.reviewLevel,
          accepted_by: JSON.stringify(final.acceptedBy),
          reviewed_by: JSON.stringify(final.reviewedBy),
          accepted_at: at,
          accepted_window: ctx.actor.windowNo,
          promised_date: promised?.date ?? (immediate ? today : null),
          form_json: JSON.stringify(form.data),
          materials_json: JSON.stringify(materialsView),
          amounts_json: amounts && JSON.stringify(amounts),
          updated_at: at,
        });
        record({ id }, start, steps, ctx, null, at);
        const received = materials
          .filter((m) => m.status !== 'missing')
          .map((m) => (m.status === 'data_check' ? `${m.name}（数据核验）` : m.name));
        const doc =
          final.status === 'delivered'
            ? completionVoucher({ caseNo, sub, applicant, result: '已办结', amounts, at: issuedAt(ctx, now) })
            : acceptanceReceipt({
                caseNo,
                sub,
                applicant,
                materials: received,
                promisedDate: promised?.date ?? null,
                provisional: promised?.provisional ?? false,
                amounts,
                at: issuedAt(ctx, now),
              });
        const documents = saveDocs([doc], id, params.personId ?? null, ctx, at);
        const view = store.view(store.byId(id)!, actorOf(ctx));
        return {
          result: { outcome: 'accepted' as const, case: view, documents },
          audit: {
            action: 'case.accept',
            class: 'key',
            entityType: 'case',
            entityId: id,
            after: { caseNo, itemCode: item.code, subItemCode: sub.code, status: final.status, personId: params.personId },
          },
          outbox: {
            type: 'case.accepted',
            payload: {
              id,
              caseNo,
              subItemCode: sub.code,
              personId: params.personId ?? null,
              employerId: params.employerId ?? null,
              form: form.data,
              materials: materialsView,
              steps: steps.map((s) => s.action),
              at,
              // The central office counts the day's amounts from these in the day close.
              amounts,
            },
          },
        };
      });
    },

    'case.quote'({ subItemCode, personId, form }) {
      const found = catalogue.subItem(subItemCode);
      if (!found) throw new ApiError('NOT_FOUND', `事项目录中没有编码为${subItemCode}的事项`);
      const today = businessDateAt(deps.clock.now(), deps.timeZone);
      const parsed = buildFormSchema(found.sub.formFields, { today }).safeParse(withPerson(personId, form));
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: ['form', ...i.path].join('.'), message: i.message }));
        throw new ApiError('VALIDATION', issues[0]?.message, { issues });
      }
      return amountsFor(found.sub, parsed.data, today);
    },

    'case.get': ({ id }, ctx) => store.view(caseOr404(id), actorOf(ctx)),

    'case.byNumber'({ caseNo }, ctx) {
      const row = store.byNo(caseNo.toUpperCase());
      if (!row) throw new ApiError('NOT_FOUND', `未找到受理编号为${caseNo}的案件`);
      return store.view(row, actorOf(ctx));
    },

    'case.queue'({ kind }, ctx) {
      const actor = actorOf(ctx);
      const queue = QUEUE[kind];
      if (!queue.roles.some((r) => actor.roles.includes(r))) throw new ApiError('FORBIDDEN');
      return store.byStatus(queue.status).map((row) => {
        const v = store.view(row, actor);
        return {
          id: v.id,
          caseNo: v.caseNo,
          subItemName: v.subItemName,
          status: v.status,
          reviewLevel: v.reviewLevel,
          person: v.person,
          employerName: v.employerName,
          acceptedAt: v.acceptedAt,
          acceptedByName: v.acceptedByName,
          promisedDate: v.promisedDate,
          actionable: v.availableActions.length > 0,
        };
      });
    },

    'case.act'({ id, action, reason }, ctx) {
      return actOn(id, action, reason ?? null, ctx).view;
    },

    'case.deliver'({ id }, ctx) {
      const { view, documents } = actOn(id, 'deliver', null, ctx);
      return { case: view, documents };
    },

    'document.get'({ id }) {
      const doc = store.document(id);
      if (!doc) throw new ApiError('NOT_FOUND', '未找到该单据');
      return doc;
    },
  };

  /** One case command: the transition, its event, the automatic move to pickup, and any voucher, in one transaction. */
  function actOn(id: string, action: CaseAction, reason: string | null, ctx: CallContext): { view: CaseView; documents: DocumentView[] } {
    return guarded(ctx, () =>
      commands.run(ctx.actor, () => {
        const row = caseOr404(id);
        const from = snapshotOf(row);
        const steps = [{ action, to: transition(from, action, ctx, id) }];
        // An approved case waits for pickup at any window of the station.
        if (steps[0]!.to.status === 'approved') steps.push({ action: 'mark_ready', to: transition(steps[0]!.to, 'mark_ready', ctx, id) });
        const final = steps.at(-1)!.to;
        const now = deps.clock.now();
        const at = now.toISOString();
        if (!store.updateState(row, final, reason, at)) throw new ApiError('CONFLICT');
        record(row, from, steps, ctx, reason, at);
        let documents: DocumentView[] = [];
        if (action === 'deliver') {
          const found = catalogue.subItem(row.sub_item_code);
          if (found) {
            const voucher = completionVoucher({
              caseNo: row.case_no,
              sub: found.sub,
              applicant: applicantOf(row.person_id, JSON.parse(row.form_json) as Record<string, unknown>),
              result: '已办结，结果已领取',
              amounts: row.amounts_json ? JSON.parse(row.amounts_json) : null,
              at: issuedAt(ctx, now),
            });
            documents = saveDocs([voucher], row.id, row.person_id, ctx, at);
          }
        }
        const view = store.view(store.byId(id)!, actorOf(ctx));
        return {
          result: { view, documents },
          audit: {
            action: AUDIT_ACTION[action] ?? `case.${action}`,
            class: 'key',
            entityType: 'case',
            entityId: id,
            before: { status: from.status },
            after: { status: final.status, statusLabel: CASE_STATUS_LABELS[final.status], reason, caseNo: row.case_no },
          },
          // An intent: the central office checks it against its own state machine.
          outbox: {
            type: 'case.intent',
            payload: { caseId: id, caseNo: row.case_no, action, reason, fromStatus: from.status, steps: steps.map((s) => s.action), at },
          },
        };
      }),
    );
  }
}
