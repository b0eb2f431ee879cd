import type { Database } from 'better-sqlite3';
import type { HandedOverVisit } from '#shared/api/queue';
import type { OperatorQueries } from '../auth/operators';
import type { QueueEventRow, TicketRow } from './queue-store';

// Stand-in tickets are numbered in category W<window> (see standInCategory); real category codes are letters only.
const STAND_IN = `issued_category GLOB 'W[0-9]*'`;
const FINISHED = `status IN ('done', 'closed', 'no_show')`;

/**
 * A linked counter's own queue: the walk-ins it served while the hall host was unreachable, and which of them the
 * host has taken. Only finished visits are handed over; one still in service stays here until the teller ends it.
 */
export function standInVisits(db: Database, operators: OperatorQueries) {
  const q = {
    pending: db.prepare<[number], TicketRow>(
      `SELECT * FROM ticket WHERE ${STAND_IN} AND ${FINISHED} AND id NOT IN (SELECT ticket_id FROM hall_handed_over) ORDER BY seq LIMIT ?`,
    ),
    count: db.prepare<[], { n: number }>(
      `SELECT COUNT(*) AS n FROM ticket WHERE ${STAND_IN} AND id NOT IN (SELECT ticket_id FROM hall_handed_over)`,
    ),
    openAt: db.prepare<[number], { id: string }>(
      `SELECT id FROM ticket WHERE ${STAND_IN} AND window_no = ? AND status IN ('called', 'serving', 'held') LIMIT 1`,
    ),
    events: db.prepare<[string], QueueEventRow>('SELECT * FROM queue_event WHERE ticket_id = ? ORDER BY seq'),
    cases: db.prepare<[string], { case_id: string }>('SELECT case_id FROM visit_case WHERE ticket_id = ? ORDER BY linked_at'),
    mark: db.prepare('INSERT OR IGNORE INTO hall_handed_over (ticket_id, handed_at) VALUES (?, ?)'),
  };
  const username = (id: string | null) => (id ? (operators.byId(id)?.username ?? null) : null);

  return {
    pending: (limit: number): HandedOverVisit[] =>
      q.pending.all(limit).map((t) => ({
        ticket: {
          id: t.id,
          ticketNo: t.ticket_no,
          businessDate: t.business_date,
          categoryCode: t.category_code,
          issuedAt: t.issued_at,
          status: t.status as HandedOverVisit['ticket']['status'],
          outcome: t.outcome,
        },
        events: q.events.all(t.id).map((e) => ({
          id: e.id,
          type: e.type,
          categoryCode: e.category_code,
          operator: username(e.operator_id),
          detail: e.detail_json === null ? null : (JSON.parse(e.detail_json) as unknown),
          at: e.at,
        })),
        caseIds: q.cases.all(t.id).map((c) => c.case_id),
      })),
    /** Stand-in visits the host has not taken yet, finished or not. */
    count: () => q.count.get()!.n,
    /** Whether this window is serving (or holds) a stand-in visit: it must be finished here, where it started. */
    openAt: (windowNo: number) => q.openAt.get(windowNo) !== undefined,
    markHandedOver(ticketIds: string[], at: string): void {
      db.transaction(() => ticketIds.forEach((id) => q.mark.run(id, at)))();
    },
  };
}
export type StandInVisits = ReturnType<typeof standInVisits>;
