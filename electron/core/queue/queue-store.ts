import type { Database } from 'better-sqlite3';
import type { WaitingTicket } from '#shared/domain/queue/calling';
import type { QueueEventType } from '#shared/domain/queue/stats';
import { DEFAULT_QUEUE_SETTINGS, queueSettingsSchema, type QueueSettings } from '#shared/domain/queue/settings';
import type { ServiceOutcome, TicketState, TicketStatus } from '#shared/domain/queue/ticket';

export type TicketSource = 'kiosk' | 'counter' | 'walk_in' | 'carry_over';

export interface TicketRow {
  id: string;
  business_date: string;
  category_code: string;
  issued_category: string;
  number: number;
  ticket_no: string;
  seq: number;
  source: TicketSource;
  status: TicketStatus;
  place: number;
  issued_at: string;
  window_no: number | null;
  operator_id: string | null;
  call_count: number;
  last_called_at: number | null;
  directed_window: number | null;
  directed_operator: string | null;
  person_id: string | null;
  id_number: string | null;
  outcome: ServiceOutcome | null;
  carried_from: string | null;
  version: number;
}

export interface WindowStateRow {
  window_no: number;
  paused: 0 | 1;
  pause_reason: string | null;
  operator_id: string | null;
  ratio_cursor: number;
  updated_at: string;
}

export interface QueueEventRow {
  seq: number;
  id: string;
  ticket_id: string;
  type: QueueEventType;
  category_code: string;
  window_no: number | null;
  operator_id: string | null;
  detail_json: string | null;
  at: string;
}

/**
 * The central office's ticket categories as this hall last adopted them: which version (`region:version`), on which
 * business date, and the categories it dropped that were kept that day for their unfinished tickets.
 */
export interface CategoryAdoption {
  version: string;
  date: string;
  kept: string[];
}

const ADOPTION_KEY = 'queue.published_categories';

export const stateOf = (r: TicketRow): TicketState => ({
  status: r.status,
  categoryCode: r.category_code,
  place: r.place,
  windowNo: r.window_no,
  operatorId: r.operator_id,
  callCount: r.call_count,
  lastCalledAt: r.last_called_at,
  directedWindow: r.directed_window,
  directedOperator: r.directed_operator,
});

export const waitingOf = (r: TicketRow): WaitingTicket => ({
  id: r.id,
  categoryCode: r.category_code,
  place: r.place,
  seq: r.seq,
  directedWindow: r.directed_window,
  directedOperator: r.directed_operator,
});

/** Reads and writes of the hall's tables; every write runs inside a command's transaction. */
export function queueStore(db: Database) {
  const q = {
    settings: db.prepare<[], { settings_json: string }>('SELECT settings_json FROM queue_settings WHERE id = 1'),
    saveSettings: db.prepare(
      `INSERT INTO queue_settings (id, settings_json) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET settings_json = excluded.settings_json, version = version + 1`,
    ),
    day: db.prepare<[], { business_date: string }>('SELECT business_date FROM queue_day WHERE id = 1'),
    setDay: db.prepare(
      'INSERT INTO queue_day (id, business_date) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET business_date = excluded.business_date',
    ),
    byId: db.prepare<[string], TicketRow>('SELECT * FROM ticket WHERE id = ?'),
    byNo: db.prepare<[string, string], TicketRow>('SELECT * FROM ticket WHERE business_date = ? AND ticket_no = ?'),
    issuedCount: db.prepare<[string, string], { n: number }>(
      'SELECT COUNT(*) AS n FROM ticket WHERE business_date = ? AND issued_category = ?',
    ),
    nextSeq: db.prepare<[], { s: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS s FROM ticket'),
    // A no-show counts too: reactivating it would put it back in a queue that no window calls any more.
    unfinished: db.prepare<[string, string], { n: number }>(
      `SELECT COUNT(*) AS n FROM ticket WHERE business_date = ? AND category_code = ? AND status IN ('waiting', 'called', 'serving', 'held', 'no_show')`,
    ),
    adoption: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    saveAdoption: db.prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    openForPerson: db.prepare<[string, string], TicketRow>(
      `SELECT * FROM ticket WHERE category_code = ? AND id_number = ? AND status IN ('waiting', 'called', 'serving', 'held')`,
    ),
    insert: db.prepare(
      `INSERT INTO ticket (id, business_date, category_code, issued_category, number, ticket_no, seq, source, status, place, issued_at,
         window_no, operator_id, call_count, last_called_at, person_id, id_number, carried_from)
       VALUES (@id, @business_date, @category_code, @issued_category, @number, @ticket_no, @seq, @source, @status, @place, @issued_at,
         @window_no, @operator_id, @call_count, @last_called_at, @person_id, @id_number, @carried_from)`,
    ),
    update: db.prepare(
      `UPDATE ticket SET status = @status, category_code = @categoryCode, place = @place, window_no = @windowNo, operator_id = @operatorId,
         call_count = @callCount, last_called_at = @lastCalledAt, directed_window = @directedWindow, directed_operator = @directedOperator,
         outcome = @outcome, version = version + 1
       WHERE id = @id AND version = @version`,
    ),
    waiting: db.prepare<[string], WaitingTicket>(
      `SELECT id, category_code AS categoryCode, place, seq, directed_window AS directedWindow, directed_operator AS directedOperator
       FROM ticket WHERE business_date = ? AND status = 'waiting'`,
    ),
    waitingAhead: db.prepare<[string, string, number, number, number], { n: number }>(
      `SELECT COUNT(*) AS n FROM ticket WHERE business_date = ? AND status = 'waiting' AND category_code = ? AND (place < ? OR (place = ? AND seq < ?))`,
    ),
    atWindow: db.prepare<[string, number], TicketRow>(
      `SELECT * FROM ticket WHERE business_date = ? AND window_no = ? AND status IN ('called', 'serving', 'held') ORDER BY seq`,
    ),
    noShows: db.prepare<[string], TicketRow>(`SELECT * FROM ticket WHERE business_date = ? AND status = 'no_show' ORDER BY place`),
    active: db.prepare<[string], TicketRow>(
      `SELECT * FROM ticket WHERE business_date = ? AND status IN ('called', 'serving') ORDER BY window_no`,
    ),
    unfinishedBefore: db.prepare<[string], TicketRow>(
      `SELECT * FROM ticket WHERE business_date < ? AND status IN ('waiting', 'called', 'serving', 'held', 'no_show') ORDER BY seq`,
    ),
    servedCount: db.prepare<[string, number], { n: number }>(
      `SELECT COUNT(*) AS n FROM ticket WHERE business_date = ? AND window_no = ? AND status = 'done'`,
    ),
    waitingCounts: db.prepare<[string], { category_code: string; n: number }>(
      `SELECT category_code, COUNT(*) AS n FROM ticket WHERE business_date = ? AND status = 'waiting' GROUP BY category_code`,
    ),
    // Walks the log back from its end (the unary + keeps SQLite off the at index, which would read the whole day).
    recentCalls: db.prepare<[string, number], { ticket_no: string; window_no: number; at: string; type: QueueEventType }>(
      `SELECT t.ticket_no, e.window_no, e.at, e.type FROM queue_event e JOIN ticket t ON t.id = e.ticket_id
       WHERE e.type IN ('called', 'recalled', 'called_back') AND +e.at >= ? ORDER BY e.seq DESC LIMIT ?`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO queue_event (id, ticket_id, type, category_code, window_no, operator_id, detail_json, at)
       VALUES (@id, @ticket_id, @type, @category_code, @window_no, @operator_id, @detail_json, @at)`,
    ),
    eventsBetween: db.prepare<[string, string], QueueEventRow>('SELECT * FROM queue_event WHERE at >= ? AND at < ? ORDER BY seq'),
    window: db.prepare<[number], WindowStateRow>('SELECT * FROM window_state WHERE window_no = ?'),
    windows: db.prepare<[], WindowStateRow>('SELECT * FROM window_state ORDER BY window_no'),
    saveWindow: db.prepare(
      `INSERT INTO window_state (window_no, paused, pause_reason, operator_id, ratio_cursor, updated_at)
       VALUES (@window_no, @paused, @pause_reason, @operator_id, @ratio_cursor, @updated_at)
       ON CONFLICT (window_no) DO UPDATE SET paused = excluded.paused, pause_reason = excluded.pause_reason,
         operator_id = excluded.operator_id, ratio_cursor = excluded.ratio_cursor, updated_at = excluded.updated_at`,
    ),
  };

  return {
    settings(): QueueSettings {
      const row = q.settings.get();
      return row ? queueSettingsSchema.parse(JSON.parse(row.settings_json)) : DEFAULT_QUEUE_SETTINGS;
    },
    saveSettings: (s: QueueSettings) => void q.saveSettings.run(JSON.stringify(s)),
    /** Tickets of a category still to be finished on a date. */
    unfinished: (date: string, category: string) => q.unfinished.get(date, category)!.n,
    adoption(): CategoryAdoption | null {
      const row = q.adoption.get(ADOPTION_KEY);
      return row ? (JSON.parse(row.value) as CategoryAdoption) : null;
    },
    saveAdoption: (a: CategoryAdoption) => void q.saveAdoption.run(ADOPTION_KEY, JSON.stringify(a)),
    day: () => q.day.get()?.business_date ?? null,
    setDay: (date: string) => void q.setDay.run(date),
    byId: (id: string) => q.byId.get(id),
    byNo: (date: string, ticketNo: string) => q.byNo.get(date, ticketNo),
    issuedCount: (date: string, category: string) => q.issuedCount.get(date, category)!.n,
    nextSeq: () => q.nextSeq.get()!.s,
    openForPerson: (category: string, idNumber: string) => q.openForPerson.get(category, idNumber),
    insert: (row: Omit<TicketRow, 'directed_window' | 'directed_operator' | 'outcome' | 'version'>) => void q.insert.run(row),
    /** Writes a new state; false when someone else changed the ticket first. */
    update(row: TicketRow, next: TicketState, outcome: ServiceOutcome | null = row.outcome): boolean {
      return q.update.run({ id: row.id, version: row.version, ...next, outcome }).changes === 1;
    },
    /** Today's queue as calling needs it (only the columns the calling rules read). */
    waiting: (date: string) => q.waiting.all(date),
    ahead: (row: TicketRow) => q.waitingAhead.get(row.business_date, row.category_code, row.place, row.place, row.seq)!.n,
    atWindow: (date: string, windowNo: number) => q.atWindow.all(date, windowNo),
    noShows: (date: string) => q.noShows.all(date),
    active: (date: string) => q.active.all(date),
    unfinishedBefore: (date: string) => q.unfinishedBefore.all(date),
    servedCount: (date: string, windowNo: number) => q.servedCount.get(date, windowNo)!.n,
    waitingCounts: (date: string) => new Map(q.waitingCounts.all(date).map((r) => [r.category_code, r.n])),
    recentCalls: (sinceIso: string, limit: number) => q.recentCalls.all(sinceIso, limit),
    insertEvent: (e: Omit<QueueEventRow, 'seq'>) => void q.insertEvent.run(e),
    eventsBetween: (fromIso: string, toIso: string) => q.eventsBetween.all(fromIso, toIso),
    window(windowNo: number, at: string): WindowStateRow {
      return (
        q.window.get(windowNo) ?? { window_no: windowNo, paused: 0, pause_reason: null, operator_id: null, ratio_cursor: 0, updated_at: at }
      );
    },
    windows: () => q.windows.all(),
    saveWindow: (w: WindowStateRow) => void q.saveWindow.run(w),
  };
}
export type QueueStore = ReturnType<typeof queueStore>;
