import type { Database } from 'better-sqlite3';
import { DAY_BOUND_METHODS, type BusinessDay, type BusinessDayState, type Reconciliation } from '#shared/api/dayclose';
import { ApiError } from '#shared/api/errors';
import type { MethodName } from '#shared/api/contract';

export interface DayRow {
  business_date: string;
  state: BusinessDayState;
  reconciliation: Reconciliation | null;
  message: string | null;
  differences_json: string;
  last_seq: number | null;
  totals_json: string | null;
  closed_by: string | null;
  closed_at: string | null;
  reconciled_at: string | null;
  reason: string | null;
  document_id: string | null;
}

export interface Settlement {
  state: BusinessDayState;
  reconciliation: Reconciliation;
  message: string;
  differences: BusinessDay['differences'];
  at: string;
}

/** The business days a supervisor has frozen, closed or carried over (table business_day). */
export function dayBook(db: Database) {
  const q = {
    get: db.prepare<[string], DayRow>('SELECT * FROM business_day WHERE business_date = ?'),
    recent: db.prepare<[number], DayRow>('SELECT * FROM business_day ORDER BY business_date DESC LIMIT ?'),
    awaiting: db.prepare<[], DayRow>(
      `SELECT * FROM business_day WHERE reconciliation IN ('offline', 'pending') AND state != 'carried_over' ORDER BY business_date`,
    ),
    freeze: db.prepare(
      `INSERT INTO business_day (business_date, state, last_seq, totals_json, closed_by, closed_at, document_id)
       VALUES (@business_date, 'frozen', @last_seq, @totals_json, @closed_by, @closed_at, @document_id)
       ON CONFLICT (business_date) DO UPDATE SET state = 'frozen', last_seq = excluded.last_seq, totals_json = excluded.totals_json,
         closed_by = excluded.closed_by, closed_at = excluded.closed_at, document_id = excluded.document_id,
         reconciliation = NULL, message = NULL, differences_json = '[]'`,
    ),
    settle: db.prepare(
      `UPDATE business_day SET state = @state, reconciliation = @reconciliation, message = @message, differences_json = @differences_json,
         reconciled_at = @at WHERE business_date = @business_date`,
    ),
    carryOver: db.prepare(
      `INSERT INTO business_day (business_date, state, reason, closed_by, closed_at) VALUES (?, 'carried_over', ?, ?, ?)
       ON CONFLICT (business_date) DO UPDATE SET state = 'carried_over', reason = excluded.reason`,
    ),
    // The last day before `today` on which this station did business (a case accepted or a ticket issued).
    lastBusinessDay: db.prepare<[string, string], { d: string | null }>(
      `SELECT MAX(d) AS d FROM (SELECT MAX(business_date) AS d FROM case_file WHERE business_date < ?
       UNION ALL SELECT MAX(business_date) FROM ticket WHERE business_date < ?)`,
    ),
  };
  return {
    get: (date: string) => q.get.get(date),
    recent: (limit: number) => q.recent.all(limit),
    /** Days closed locally or waiting for the central office to catch up: compared again after the next good round. */
    awaitingCentral: () => q.awaiting.all(),
    freeze: (row: {
      business_date: string;
      last_seq: number;
      totals_json: string;
      closed_by: string | null;
      closed_at: string;
      document_id: string;
    }) => void q.freeze.run(row),
    settle: (date: string, s: Settlement) =>
      void q.settle.run({ ...s, business_date: date, differences_json: JSON.stringify(s.differences) }),
    carryOver: (date: string, reason: string, by: string | null, at: string) => void q.carryOver.run(date, reason, by, at),
    /** An earlier business day that is neither closed nor carried over; null when the way is clear. */
    unclosedBefore(today: string): string | null {
      const last = q.lastBusinessDay.get(today, today)?.d ?? null;
      if (last === null) return null;
      const row = q.get.get(last);
      return row && row.state !== 'frozen' ? null : last;
    },
  };
}
export type DayBook = ReturnType<typeof dayBook>;

export const dayView = (r: DayRow): BusinessDay => ({
  businessDate: r.business_date,
  state: r.state,
  reconciliation: r.reconciliation,
  message: r.message,
  differences: JSON.parse(r.differences_json) as BusinessDay['differences'],
  lastSeq: r.last_seq,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
  reconciledAt: r.reconciled_at,
  reason: r.reason,
});

/**
 * The dispatcher's check before a day-bound call: a frozen or closed day takes no more business (back-dated paper
 * ratings included), and on a PC enrolled with a central office the next day does not open until the last one is
 * closed or carried over. A PC that is not enrolled (demo, training) closes its days when it likes.
 */
export function dayGate(deps: { book: DayBook; today: () => string; enrolled: () => boolean }) {
  const closedFor = (date: string) => {
    const row = deps.book.get(date);
    return row !== undefined && row.state !== 'carried_over';
  };
  return (method: MethodName, params: unknown): void => {
    // A linked counter's relayed queue call is day-bound business of the host like any other.
    const bound = method === 'hall.relay' ? (params as { method: MethodName }).method : method;
    if (!DAY_BOUND_METHODS.has(bound)) return;
    const today = deps.today();
    if (closedFor(today)) throw new ApiError('CONFLICT', `${today}已日结，不能再办理业务；如确需办理，请联系主管`);
    const paperDate = bound === 'rating.paper' ? (params as { businessDate?: string }).businessDate : undefined;
    if (paperDate && closedFor(paperDate)) throw new ApiError('CONFLICT', `${paperDate}已日结，不能再补录该日的评价`);
    if (!deps.enrolled()) return;
    const unclosed = deps.book.unclosedBefore(today);
    if (unclosed) throw new ApiError('CONFLICT', `上一营业日（${unclosed}）尚未日结，请主管先日结或结转后再办理业务`);
  };
}
