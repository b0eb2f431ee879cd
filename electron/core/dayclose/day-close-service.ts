import type { Database } from 'better-sqlite3';
import { RECONCILIATION_LABELS, type BusinessDay } from '#shared/api/dayclose';
import { ApiError } from '#shared/api/errors';
import type { DayCloseRequest, DayCloseResponse } from '#shared/sync/protocol';
import type { CallContext, Handlers } from '../api/handlers';
import type { OperatorQueries } from '../auth/operators';
import { caseStore } from '../cases/case-store';
import type { CoreDeps } from '../platform/deps';
import { formatLocal } from '../platform/local-time';
import type { PrintingService } from '../printing/printing-service';
import { dayCloseSheet } from '../printing/templates';
import type { StationQueries } from '../station/station';
import type { Actor, CommandRunner } from '../store/command';
import { dayView, type DayBook, type Settlement } from './day-book';
import type { DayTotalsReader } from './day-totals';

export interface DayCloseDeps extends CoreDeps {
  db: Database;
  commands: CommandRunner;
  station: StationQueries;
  operators: OperatorQueries;
  printing: Pick<PrintingService, 'enqueue'>;
  book: DayBook;
  totals: DayTotalsReader;
  timeZone: string;
  today: () => string;
  /** The central office's side: null when it cannot be reached (or this PC is not enrolled, see `enrolled`). */
  central: { enrolled(): boolean; dayClose(request: DayCloseRequest): Promise<DayCloseResponse | null> };
}

type DayMethods = 'day.overview' | 'day.totals' | 'day.close' | 'day.carryOver';

/**
 * 日结. Closing freezes the day (its last outbox sequence and totals recorded, the sheet queued for printing) in one
 * command; then the outbox is pushed and the totals compared with the central office. A match closes the day; a
 * mismatch keeps it frozen with the differences; an unreachable central office closes it locally, and the comparison
 * runs again after the next good sync round.
 */
export function dayCloseService(deps: DayCloseDeps) {
  const { db, book, commands } = deps;
  const documents = caseStore(db, () => []);
  const lastSeq = db.prepare<[], { s: number }>('SELECT COALESCE(MAX(seq), 0) AS s FROM outbox');
  const SYSTEM: Actor = { operatorId: null, windowNo: null };
  let reconciling: Promise<void> | null = null;

  const existing = (date: string) => {
    const row = book.get(date);
    if (!row) throw new ApiError('NOT_FOUND', `${date}尚未日结`);
    return row;
  };

  function settlementOf(answer: DayCloseResponse | null, at: string): Settlement {
    if (answer === null) return { state: 'closed', reconciliation: 'offline', message: RECONCILIATION_LABELS.offline, differences: [], at };
    const differences = answer.differences.map((d) => ({
      operatorName: deps.totals.operatorName(d.operatorId),
      subItemCode: d.subItemCode,
      station: d.station,
      server: d.server,
    }));
    // A mismatch blocks the close; `pending` (the central office still lacks operations) closes locally and retries.
    const state = answer.status === 'mismatched' ? 'frozen' : 'closed';
    return { state, reconciliation: answer.status, message: answer.message, differences, at };
  }

  /** Compares a frozen or locally closed day with the central office and records the outcome as an audited command. */
  async function reconcile(date: string, actor: Actor): Promise<BusinessDay> {
    const row = existing(date);
    const at = () => deps.clock.now().toISOString();
    let settlement: Settlement;
    if (!deps.central.enrolled()) {
      settlement = { state: 'closed', reconciliation: 'local', message: RECONCILIATION_LABELS.local, differences: [], at: at() };
    } else {
      const request: DayCloseRequest = { businessDate: date, lastSeq: row.last_seq ?? 0, totals: deps.totals.comparable(date) };
      settlement = settlementOf(await deps.central.dayClose(request), at());
    }
    return commands.run(actor, () => {
      book.settle(date, settlement);
      return {
        result: dayView(book.get(date)!),
        audit: {
          action: 'day.reconciled',
          class: 'key',
          entityType: 'business_day',
          entityId: date,
          after: { state: settlement.state, reconciliation: settlement.reconciliation, differences: settlement.differences.length },
        },
      };
    });
  }

  function freeze(date: string, ctx: CallContext) {
    const totals = deps.totals.totals(date);
    return commands.run(ctx.actor, () => {
      const at = deps.clock.now().toISOString();
      const closedBy = ctx.actor.operatorId ? (deps.operators.byId(ctx.actor.operatorId)?.display_name ?? '') : '';
      const sheet = dayCloseSheet({
        stationName: deps.station.get()?.name ?? '',
        businessDate: date,
        closedAt: formatLocal(at, deps.timeZone).slice(0, 16),
        closedBy,
        sections: [
          {
            title: '按经办人',
            rows: totals.cases.byOperator.map((r) => ({
              label: `${r.operatorName} ${r.subItemCode}`,
              cases: r.count,
              amountFen: r.amountFen,
            })),
          },
          { title: '按险种', rows: totals.cases.byInsurance.map((r) => ({ label: r.insurance, cases: 0, amountFen: r.amountFen })) },
        ],
        total: { cases: totals.cases.total.count, amountFen: totals.cases.total.amountFen },
        reconciliation: deps.central.enrolled() ? '日结后上传并与中心核对，结果见系统' : RECONCILIATION_LABELS.local,
      });
      const document = documents.insertDocument({
        id: deps.newId(),
        kind: sheet.kind,
        title: sheet.title,
        case_id: null,
        person_id: null,
        document: sheet.document,
        created_at: at,
        operator_id: ctx.actor.operatorId,
      });
      deps.printing.enqueue({ id: document.id, document: sheet.document }, { operatorId: ctx.actor.operatorId, at });
      // Every operation of the day is in the outbox by now: the freeze itself writes none, so this is the day's last.
      const seq = lastSeq.get()!.s;
      book.freeze({
        business_date: date,
        last_seq: seq,
        totals_json: JSON.stringify(totals),
        closed_by: closedBy,
        closed_at: at,
        document_id: document.id,
      });
      return {
        result: document,
        audit: {
          action: 'day.freeze',
          class: 'key',
          entityType: 'business_day',
          entityId: date,
          after: { lastSeq: seq, cases: totals.cases.total, tickets: totals.tickets.issued },
        },
      };
    });
  }

  async function reconcilePass(): Promise<void> {
    try {
      for (const row of book.awaitingCentral()) await reconcile(row.business_date, SYSTEM);
    } catch (err) {
      deps.logger.warn('day close reconciliation failed; retried after the next round', { err: String(err) });
    }
  }

  const handlers: Pick<Handlers, DayMethods> = {
    'day.overview'() {
      const today = deps.today();
      const todayRow = book.get(today);
      return {
        today,
        todayState: todayRow ? dayView(todayRow) : null,
        unclosed: deps.central.enrolled() ? book.unclosedBefore(today) : null,
        recent: book.recent(14).map(dayView),
      };
    },

    'day.totals': ({ businessDate }) => deps.totals.totals(businessDate),

    async 'day.close'({ businessDate }, ctx) {
      if (businessDate > deps.today()) throw new ApiError('VALIDATION', '不能日结尚未到来的营业日');
      if (book.get(businessDate)?.state === 'closed') throw new ApiError('CONFLICT', `${businessDate}已经日结`);
      const document = freeze(businessDate, ctx);
      const day = await reconcile(businessDate, ctx.actor);
      return { day, document };
    },

    'day.carryOver'({ businessDate, reason }, ctx) {
      if (businessDate >= deps.today()) throw new ApiError('VALIDATION', '只能结转今日之前的营业日');
      if (book.get(businessDate)?.state === 'closed') throw new ApiError('CONFLICT', `${businessDate}已经日结，无需结转`);
      return commands.run(ctx.actor, () => {
        const by = ctx.actor.operatorId ? (deps.operators.byId(ctx.actor.operatorId)?.display_name ?? null) : null;
        book.carryOver(businessDate, reason, by, deps.clock.now().toISOString());
        return {
          result: dayView(book.get(businessDate)!),
          audit: { action: 'day.carried_over', class: 'key', entityType: 'business_day', entityId: businessDate, after: { reason } },
        };
      });
    },
  };

  return {
    handlers,
    /** After a good sync round: compares the days closed locally meanwhile; one pass at a time. */
    reconcileAwaiting(): Promise<void> {
      // `.finally` runs after the assignment even when the pass finds nothing to do.
      reconciling ??= reconcilePass().finally(() => (reconciling = null));
      return reconciling;
    },
  };
}
