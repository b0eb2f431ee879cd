import type { Database } from 'better-sqlite3';
import type { DisplaySnapshot, EvaluationRequest, TicketView, WindowView, queueMethods } from '#shared/api/queue';
import { ApiError } from '#shared/api/errors';
import { maskName } from '#shared/domain/identity/masking';
import { validateIdNumber } from '#shared/domain/identity/resident-id';
import { comparePlace, isEligible, pickNext, servedCategories, type CallingRules } from '#shared/domain/queue/calling';
import { nextTicketNumber, type TicketCategory } from '#shared/domain/queue/categories';
import { queueSettingsSchema, type QueueSettings } from '#shared/domain/queue/settings';
import type { QueueEventType } from '#shared/domain/queue/stats';
import {
  applyTicketAction,
  availableTicketActions,
  type ServiceOutcome,
  type TicketAction,
  type TicketState,
} from '#shared/domain/queue/ticket';
import type { CallContext, Handlers } from '../api/handlers';
import type { OperatorQueries } from '../auth/operators';
import { caseStore } from '../cases/case-store';
import type { CoreDeps } from '../platform/deps';
import { businessDateAt } from '../platform/business-date';
import { formatLocal, instantRange, localTime } from '../platform/local-time';
import { registryQueries } from '../registry/registry-queries';
import type { StationQueries } from '../station/station';
import type { CommandRunner } from '../store/command';
import type { ReferenceInForce } from '../sync/reference-in-force';
import { publishEvaluation, type HallHub } from './hall-hub';
import { queueStore, stateOf, waitingOf, type TicketRow, type TicketSource } from './queue-store';
import type { PrintingService } from '../printing/printing-service';
import { queueTicket } from '../printing/templates';

export interface QueueDeps extends CoreDeps {
  db: Database;
  commands: CommandRunner;
  station: StationQueries;
  operators: OperatorQueries;
  hub: HallHub;
  timeZone: string;
  /** The ticket is queued for printing in the command that issues it, like every counter document. */
  printing: Pick<PrintingService, 'enqueue'>;
  /**
   * True on a counter PC linked to a hall host: its own queue only ever holds walk-ins served while the host was
   * unreachable, numbered W<window>-001… so they never collide with the host's numbers when handed over.
   */
  standIn?: () => boolean;
  /** The card in this PC's reader, or the next one within the wait: for tickets taken with a card at the kiosk. */
  readCard?: (timeoutMs: number) => Promise<{ idNumber: string } | null>;
  /** The ticket categories the central office publishes, which the hall adopts as each version takes effect. */
  reference?: Pick<ReferenceInForce, 'version' | 'onChange'>;
}

/** How long the kiosk waits for a card to be presented. */
const CARD_WAIT_MS = 20_000;

/** The number a stand-in walk-in gets at a linked counter: W3-001 is window 3's first of the day. */
export const standInCategory = (windowNo: number) => `W${windowNo}`;

/** One queue command's context: its instant, business date, settings, and the events it appends. */
interface Tx {
  at: string;
  now: number;
  date: string;
  settings: QueueSettings;
  events: { ticketId: string; ticketNo: string; type: QueueEventType; categoryCode: string; windowNo: number | null; at: string }[];
  /** Ratings to ask for once the command has committed. */
  evaluations: EvaluationRequest[];
}

const CALL_EVENTS: ReadonlySet<QueueEventType> = new Set(['called', 'recalled', 'called_back']);
const RECENT_CALLS = 10;
/** Waiting tickets listed to a window (to call one by number); calling next considers them all. */
const WAITING_SHOWN = 30;

/** Every queue.* method but the statistics (queue-stats.ts answers those). */
export type QueueMethods = Exclude<Extract<keyof typeof queueMethods, `queue.${string}`>, 'queue.stats'>;

export function queueHandlers(deps: QueueDeps): Pick<Handlers, QueueMethods> {
  const { db, commands, hub } = deps;
  const store = queueStore(db);
  const registry = registryQueries(db);
  const documents = caseStore(db, () => []);
  const linkCase = db.prepare('INSERT OR IGNORE INTO visit_case (ticket_id, case_id, linked_at) VALUES (?, ?, ?)');
  const caseExists = db.prepare<[string], { id: string }>('SELECT id FROM case_file WHERE id = ?');
  const openRequest = db.prepare(
    `INSERT INTO evaluation_request (ticket_id, window_no, operator_id, requested_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (ticket_id) DO NOTHING`,
  );
  const supersedeRequests = db.prepare('UPDATE evaluation_request SET open = 0 WHERE window_no = ? AND open = 1');

  const today = (now = deps.clock.now()) => businessDateAt(now, deps.timeZone);
  const minuteOfDay = (now: Date) => Math.floor(localTime(now, deps.timeZone).msOfDay / 60_000);
  const rules = (s: QueueSettings): CallingRules => ({
    categories: s.categories,
    waitOverrideMs: s.waitOverrideMinutes === null ? null : s.waitOverrideMinutes * 60_000,
  });
  const categoryOf = (s: QueueSettings, code: string): TicketCategory => {
    const c = s.categories.find((x) => x.code === code);
    if (!c) throw new ApiError('NOT_FOUND', `没有前缀为${code}的号类`);
    return c;
  };
  const operatorName = (id: string | null) => (id ? (deps.operators.byId(id)?.display_name ?? null) : null);
  const windowOf = (ctx: CallContext) => ({ windowNo: ctx.actor.windowNo!, operatorId: ctx.actor.operatorId! });

  function view(row: TicketRow, s: QueueSettings, windowNo: number | null): TicketView {
    const category = s.categories.find((c) => c.code === row.category_code);
    const person = row.person_id ? registry.person(row.person_id) : undefined;
    return {
      id: row.id,
      ticketNo: row.ticket_no,
      businessDate: row.business_date,
      categoryCode: row.category_code,
      categoryName: category?.name ?? row.category_code,
      kind: category?.kind ?? 'business',
      status: row.status,
      source: row.source,
      issuedAt: row.issued_at,
      placeAt: new Date(row.place).toISOString(),
      windowNo: row.window_no,
      callCount: row.call_count,
      lastCalledAt: row.last_called_at === null ? null : new Date(row.last_called_at).toISOString(),
      directedWindow: row.directed_window,
      directedOperatorName: operatorName(row.directed_operator),
      personName: person ? maskName(person.name) : null,
      personId: row.person_id,
      outcome: row.outcome,
      actions: windowNo === null ? [] : availableTicketActions(stateOf(row), windowNo).filter((a) => a !== 'close'),
    };
  }

  function windowView(windowNo: number, operatorId: string): WindowView {
    const s = store.settings();
    const date = today();
    const w = store.window(windowNo, '');
    const mine = store.atWindow(date, windowNo);
    const served = servedCategories(rules(s), windowNo);
    const green = new Set(s.categories.filter((c) => c.kind === 'green').map((c) => c.code));
    const waiting = store
      .waiting(date)
      .filter((t) => isEligible(t, { windowNo, operatorId }, served))
      .sort((a, b) => Number(green.has(b.categoryCode)) - Number(green.has(a.categoryCode)) || comparePlace(a, b))
      .slice(0, WAITING_SHOWN)
      .map((t) => store.byId(t.id)!);
    return {
      windowNo,
      paused: w.paused === 1,
      pauseReason: w.pause_reason,
      current: (() => {
        const active = mine.find((r) => r.status === 'called' || r.status === 'serving');
        return active ? view(active, s, windowNo) : null;
      })(),
      held: mine.filter((r) => r.status === 'held').map((r) => view(r, s, windowNo)),
      waiting: waiting.map((r) => view(r, s, windowNo)),
      noShows: store.noShows(date).map((r) => view(r, s, windowNo)),
      servedToday: store.servedCount(date, windowNo),
      recallMinCalls: s.recallMinCalls,
      recallMinGapSeconds: s.recallMinGapSeconds,
    };
  }

  function snapshot(): DisplaySnapshot {
    const s = store.settings();
    const now = deps.clock.now();
    const date = today(now);
    const counts = store.waitingCounts(date);
    const windows = new Map(store.windows().map((w) => [w.window_no, w]));
    const personName = (row: TicketRow) => {
      const p = row.person_id ? registry.person(row.person_id) : undefined;
      return p ? maskName(p.name) : null;
    };
    return {
      stationName: deps.station.get()?.name ?? '',
      businessDate: date,
      current: store.active(date).map((r) => ({
        windowNo: r.window_no!,
        ticketNo: r.ticket_no,
        status: r.status as 'called' | 'serving',
        personName: personName(r),
        calledAt: new Date(r.last_called_at ?? r.place).toISOString(),
      })),
      recent: store
        .recentCalls(instantRange(date, date, deps.timeZone).from!, RECENT_CALLS)
        .map((c) => ({ ticketNo: c.ticket_no, windowNo: c.window_no, at: c.at, recall: c.type !== 'called' })),
      categories: s.categories.map((c) => ({
        code: c.code,
        name: c.name,
        kind: c.kind,
        waiting: counts.get(c.code) ?? 0,
        open: nextTicketNumber(c, store.issuedCount(date, c.code), minuteOfDay(now)).ok,
        hours: `${c.hours.from}–${c.hours.to}`,
      })),
      windows: (deps.station.get()?.windows ?? []).map((n) => ({
        windowNo: n,
        paused: windows.get(n)?.paused === 1,
        reason: windows.get(n)?.pause_reason ?? null,
      })),
      voice: { repeat: s.voiceRepeat, chime: s.voiceChime },
    };
  }

  function append(
    tx: Tx,
    row: Pick<TicketRow, 'id' | 'ticket_no'>,
    type: QueueEventType,
    categoryCode: string,
    windowNo: number | null,
    operatorId: string | null,
    detail?: unknown,
  ) {
    store.insertEvent({
      id: deps.newId(),
      ticket_id: row.id,
      type,
      category_code: categoryCode,
      window_no: windowNo,
      operator_id: operatorId,
      detail_json: detail === undefined ? null : JSON.stringify(detail),
      at: tx.at,
    });
    tx.events.push({ ticketId: row.id, ticketNo: row.ticket_no, type, categoryCode, windowNo, at: tx.at });
  }

  /** Applies one domain transition to a ticket and appends its event. */
  function step(tx: Tx, row: TicketRow, action: TicketAction, type: QueueEventType, outcome?: ServiceOutcome, detail?: unknown): TicketRow {
    const result = applyTicketAction(stateOf(row), action);
    if (!result.ok) throw new ApiError('CONFLICT', result.message);
    const next: TicketState = result.value;
    if (!store.update(row, next, outcome)) throw new ApiError('CONFLICT');
    const windowNo = 'windowNo' in action ? action.windowNo : row.window_no;
    const operatorId = 'operatorId' in action ? action.operatorId : row.operator_id;
    append(tx, row, type, next.categoryCode, windowNo, operatorId, detail);
    return store.byId(row.id)!;
  }

  function insertTicket(
    tx: Tx,
    category: TicketCategory,
    source: TicketSource,
    opts: { idNumber: string | null; place?: number; carriedFrom?: TicketRow; inHall: boolean; standInWindow?: number },
  ): TicketRow {
    const issuedCategory = opts.standInWindow === undefined ? category.code : standInCategory(opts.standInWindow);
    const issued = store.issuedCount(tx.date, issuedCategory);
    const numbered =
      opts.standInWindow === undefined
        ? nextTicketNumber(category, issued, opts.inHall ? null : minuteOfDay(new Date(tx.now)))
        : { ok: true as const, value: { number: issued + 1, ticketNo: `${issuedCategory}-${String(issued + 1).padStart(3, '0')}` } };
    if (!numbered.ok) throw new ApiError('CONFLICT', numbered.message);
    if (opts.idNumber) {
      const open = store.openForPerson(category.code, opts.idNumber);
      if (open) throw new ApiError('CONFLICT', `该证件已有${open.ticket_no}号尚未办理完毕，不能重复领取${category.name}号`);
    }
    const person = opts.idNumber ? registry.personByIdNumber(opts.idNumber) : undefined;
    const row = {
      id: deps.newId(),
      business_date: tx.date,
      category_code: category.code,
      issued_category: issuedCategory,
      number: numbered.value.number,
      ticket_no: numbered.value.ticketNo,
      seq: store.nextSeq(),
      source,
      status: 'waiting' as const,
      place: opts.place ?? tx.now,
      issued_at: tx.at,
      window_no: null,
      operator_id: null,
      call_count: 0,
      last_called_at: null,
      person_id: person?.id ?? null,
      id_number: opts.idNumber,
      carried_from: opts.carriedFrom?.id ?? null,
    };
    store.insert(row);
    append(tx, row, opts.carriedFrom ? 'carried_over' : 'issued', category.code, null, null, {
      source,
      ...(opts.carriedFrom && { from: opts.carriedFrom.ticket_no }),
    });
    return store.byId(row.id)!;
  }

  /**
   * Makes the ticket categories the central office published, in force on `date`, the hall's — once per version, in
   * the transaction of the page that brought it or, for a version effective on a later day, of the first queue
   * command of that day — keeping the station's other queue settings. Windows this station does not have are left
   * out, and a category none of whose windows it has is served by all of them: no ticket is issued that no window
   * calls. A category the version drops that still has unfinished tickets (no-shows included) on `date` stays until
   * the day rolls over, as an administrator's edit could not remove it either: those tickets would wait for a call
   * that never comes. The first command of a later day drops it before the rollover, which then closes its tickets
   * instead of carrying them over.
   */
  function adoptPublished(date: string): boolean {
    const published = deps.reference?.version('ticket_categories', date);
    if (!published) return false;
    const version = `${published.region}:${published.version}`;
    const last = store.adoption();
    if (last?.version === version && (last.kept.length === 0 || last.date === date)) return false;
    const before = store.settings();
    const codes = new Set(published.data.map((c) => c.code));
    const kept = before.categories.filter(
      (c) => !codes.has(c.code) && (last?.version !== version || last.kept.includes(c.code)) && store.unfinished(date, c.code) > 0,
    );
    const windows = deps.station.get()?.windows ?? [];
    const served = (c: TicketCategory): TicketCategory => {
      const own = c.windows.filter((w) => windows.includes(w));
      return { ...c, windows: own.length > 0 ? own : windows };
    };
    const next = queueSettingsSchema.safeParse({ ...before, categories: [...published.data.map(served), ...kept] });
    if (!next.success) {
      deps.logger.warn('published ticket categories do not fit this hall: not adopted', { version, issue: next.error.issues[0]?.message });
      return false;
    }
    commands.run({ operatorId: null, windowNo: null }, () => {
      store.saveSettings(next.data);
      store.saveAdoption({ version, date, kept: kept.map((c) => c.code) });
      return {
        result: null,
        audit: {
          action: 'queue.categories_published',
          class: 'key',
          entityType: 'queue_settings',
          entityId: '1',
          before: before.categories,
          after: { version, effectiveFrom: published.effectiveFrom, categories: next.data.categories, kept: kept.map((c) => c.code) },
        },
        // Like any change of the hall's settings, so the central office's record of them stays whole.
        outbox: { type: 'queue.settings', payload: next.data },
      };
    });
    return true;
  }

  /** The first queue command of a business day closes yesterday's unfinished tickets, carrying waiting ones over if set. */
  function rollover(tx: Tx): void {
    if (store.day() === tx.date) return;
    for (const row of store.unfinishedBefore(tx.date)) {
      step(tx, row, { type: 'close' }, 'closed', undefined, { reason: 'day_end' });
      const category = tx.settings.categories.find((c) => c.code === row.category_code);
      if (tx.settings.carryOver && row.status === 'waiting' && category) {
        try {
          insertTicket(tx, category, 'carry_over', { idNumber: row.id_number, place: row.place, carriedFrom: row, inHall: true });
        } catch (err) {
          // A category whose numbers ran out today cannot take it: the old ticket stays closed.
          if (!(err instanceof ApiError)) throw err;
        }
      }
    }
    store.setDay(tx.date);
  }

  /**
   * Runs a queue command: rollover, the body, its audit entry and one outbox operation carrying every queue event it
   * appended, in one transaction; then pushes the new state to the hall.
   */
  function run<T>(ctx: CallContext, action: string, body: (tx: Tx) => { value: T; entityId: string; after?: unknown }): T {
    const outcome = commands.run(ctx.actor, () => {
      const now = deps.clock.now();
      const date = today(now);
      // Before the rollover and before the settings are read: see adoptPublished.
      adoptPublished(date);
      const tx: Tx = {
        at: now.toISOString(),
        now: now.getTime(),
        date,
        settings: store.settings(),
        events: [],
        evaluations: [],
      };
      rollover(tx);
      const { value, entityId, after } = body(tx);
      return {
        result: { value, tx },
        audit: { action, class: 'general' as const, entityType: 'ticket', entityId, after },
        outbox: { type: 'queue.events', payload: { events: tx.events } },
      };
    });
    publish(outcome.tx);
    return outcome.value;
  }

  function publish(tx: Tx): void {
    hub.publish({ type: 'queue.snapshot', snapshot: snapshot() });
    for (const e of tx.events) {
      if (CALL_EVENTS.has(e.type) && e.windowNo !== null) {
        hub.publish({ type: 'queue.called', ticketNo: e.ticketNo, windowNo: e.windowNo, recall: e.type !== 'called', at: e.at });
      }
    }
    for (const request of tx.evaluations) publishEvaluation(hub, request.windowNo, request);
  }

  const ticketOr404 = (id: string) => {
    const row = store.byId(id);
    if (!row) throw new ApiError('NOT_FOUND', '未找到该号码');
    return row;
  };

  function assertCanCall(tx: Tx, windowNo: number): void {
    const w = store.window(windowNo, tx.at);
    if (w.paused) throw new ApiError('CONFLICT', '本窗口已暂停叫号，请先恢复');
    const busy = store.atWindow(tx.date, windowNo).find((r) => r.status === 'called' || r.status === 'serving');
    if (busy) throw new ApiError('CONFLICT', `请先结束、暂挂或转移当前号码${busy.ticket_no}`);
  }

  function normalizedId(idNumber: string | undefined, date: string): string | null {
    if (!idNumber) return null;
    const checked = validateIdNumber(idNumber, { today: date });
    if (!checked.ok) throw new ApiError('VALIDATION', checked.message);
    return checked.value.idNumber;
  }

  /** A counter action on one ticket at the caller's window, returning the window's new view. */
  function act(
    ctx: CallContext,
    ticketId: string,
    name: string,
    build: (
      tx: Tx,
      row: TicketRow,
      at: { windowNo: number; operatorId: string; at: number },
    ) => { action: TicketAction; type: QueueEventType; outcome?: ServiceOutcome; detail?: unknown },
    before?: (tx: Tx, row: TicketRow) => void,
    after?: (tx: Tx, row: TicketRow) => void,
  ): WindowView {
    const w = windowOf(ctx);
    run(ctx, name, (tx) => {
      const row = ticketOr404(ticketId);
      if (row.business_date !== tx.date) throw new ApiError('CONFLICT', '该号码不是今日的号码');
      before?.(tx, row);
      const b = build(tx, row, { ...w, at: tx.now });
      const next = step(tx, row, b.action, b.type, b.outcome, b.detail);
      after?.(tx, next);
      return { value: null, entityId: row.id, after: { ticketNo: row.ticket_no, status: next.status, windowNo: w.windowNo } };
    });
    return windowView(w.windowNo, w.operatorId);
  }

  function setPause(ctx: CallContext, paused: boolean, reason: string | null): WindowView {
    const w = windowOf(ctx);
    run(ctx, paused ? 'queue.pause' : 'queue.resume', (tx) => {
      const state = store.window(w.windowNo, tx.at);
      store.saveWindow({ ...state, paused: paused ? 1 : 0, pause_reason: reason, operator_id: w.operatorId, updated_at: tx.at });
      return { value: null, entityId: String(w.windowNo), after: { windowNo: w.windowNo, paused, reason } };
    });
    return windowView(w.windowNo, w.operatorId);
  }

  /** Issues a ticket (kiosk or counter), saves it as a document and queues it for printing, in one command. */
  function issue(ctx: CallContext, categoryCode: string, idNumber: string | undefined, staff: boolean) {
    return run(ctx, 'queue.issue', (tx) => {
      const category = categoryOf(tx.settings, categoryCode);
      const row = insertTicket(tx, category, staff ? 'counter' : 'kiosk', { idNumber: normalizedId(idNumber, tx.date), inHall: false });
      const ahead = store.ahead(row);
      const ticket = queueTicket({
        hallName: deps.station.get()?.name ?? '',
        categoryName: category.name,
        ticketNo: row.ticket_no,
        peopleAhead: ahead,
        issuedAt: formatLocal(tx.at, deps.timeZone).slice(0, 16),
        notice: '请留意叫号屏和语音提示，过号须重新排队。',
        qrData: row.ticket_no,
      });
      const document = documents.insertDocument({
        id: deps.newId(),
        kind: ticket.kind,
        title: ticket.title,
        case_id: null,
        person_id: row.person_id,
        document: ticket.document,
        created_at: tx.at,
        operator_id: ctx.actor.operatorId,
      });
      deps.printing.enqueue({ id: document.id, document: ticket.document }, { operatorId: ctx.actor.operatorId, at: tx.at });
      return {
        value: { ticket: view(row, tx.settings, null), ahead, document },
        entityId: row.id,
        after: { ticketNo: row.ticket_no, source: row.source },
      };
    });
  }

  deps.reference?.onChange(() => {
    // Inside the page's transaction; the hall hears of it once that has ended, from what the store then holds.
    if (adoptPublished(today())) queueMicrotask(() => hub.publish({ type: 'queue.snapshot', snapshot: snapshot() }));
  });

  return {
    'queue.settings': () => store.settings(),

    'queue.updateSettings'(next, ctx) {
      const windows = new Set(deps.station.get()?.windows ?? []);
      const stray = next.categories.flatMap((c) => c.windows).find((w) => !windows.has(w));
      if (stray !== undefined) throw new ApiError('VALIDATION', `本站没有${stray}号窗口`);
      const saved = commands.run(ctx.actor, () => {
        // A version taking effect today is adopted first: the administrator edits on top of it, not under it.
        adoptPublished(today());
        const before = store.settings();
        // Removing a category (or changing its prefix) would strand today's tickets in it: no window would call them.
        const kept = new Set(next.categories.map((c) => c.code));
        for (const c of before.categories.filter((x) => !kept.has(x.code))) {
          const n = store.unfinished(today(), c.code);
          if (n > 0) throw new ApiError('CONFLICT', `${c.name}（${c.code}）今日还有${n}个未办结的号码（含过号），办结后才能删除该号类`);
        }
        store.saveSettings(next);
        return {
          result: next,
          audit: { action: 'queue.settings', class: 'key', entityType: 'queue_settings', entityId: '1', before, after: next },
          outbox: { type: 'queue.settings', payload: next },
        };
      });
      // The kiosk and the display list the categories from the snapshot: a new or changed one shows at once.
      hub.publish({ type: 'queue.snapshot', snapshot: snapshot() });
      return saved;
    },

    'queue.issue'({ categoryCode, idNumber }, ctx) {
      const staff = ctx.connection.session !== null && !ctx.connection.session.locked;
      if (!staff && hub.device(ctx.connection)?.kind !== 'kiosk') throw new ApiError('FORBIDDEN', '请在取号机或柜员端取号');
      return issue(ctx, categoryCode, idNumber, staff);
    },

    async 'queue.issueByCard'({ categoryCode }, ctx) {
      if (hub.device(ctx.connection)?.kind !== 'kiosk') throw new ApiError('FORBIDDEN', '请在取号机上刷卡取号');
      if (!deps.readCard) throw new ApiError('DEVICE_OFFLINE', '本机没有读卡器，请直接取号');
      categoryOf(store.settings(), categoryCode);
      const card = await deps.readCard(CARD_WAIT_MS);
      if (!card) throw new ApiError('DEVICE_TIMEOUT', '没有读到证件，请将身份证或社保卡放在读卡区后重试');
      return issue(ctx, categoryCode, card.idNumber, false);
    },

    'queue.walkIn'({ categoryCode, idNumber }, ctx) {
      const w = windowOf(ctx);
      run(ctx, 'queue.walk_in', (tx) => {
        assertCanCall(tx, w.windowNo);
        const category = categoryOf(tx.settings, categoryCode);
        const row = insertTicket(tx, category, 'walk_in', {
          idNumber: normalizedId(idNumber, tx.date),
          inHall: true,
          ...(deps.standIn?.() && { standInWindow: w.windowNo }),
        });
        const called = step(tx, row, { type: 'call', ...w, at: tx.now }, 'called', undefined, { walkIn: true });
        const serving = step(tx, called, { type: 'start', ...w, at: tx.now }, 'started');
        return { value: null, entityId: row.id, after: { ticketNo: serving.ticket_no, windowNo: w.windowNo } };
      });
      return windowView(w.windowNo, w.operatorId);
    },

    'queue.window': (_p, ctx) => windowView(windowOf(ctx).windowNo, windowOf(ctx).operatorId),

    'queue.callNext'(_p, ctx) {
      const w = windowOf(ctx);
      run(ctx, 'queue.call_next', (tx) => {
        assertCanCall(tx, w.windowNo);
        const state = store.window(w.windowNo, tx.at);
        const pick = pickNext(store.waiting(tx.date), w, rules(tx.settings), { cursor: state.ratio_cursor }, tx.now);
        if (!pick) throw new ApiError('NOT_FOUND', '当前没有等候本窗口的号码');
        const row = step(tx, store.byId(pick.ticket.id)!, { type: 'call', ...w, at: tx.now }, 'called', undefined, { reason: pick.reason });
        store.saveWindow({ ...state, operator_id: w.operatorId, ratio_cursor: pick.next.cursor, updated_at: tx.at });
        return { value: null, entityId: row.id, after: { ticketNo: row.ticket_no, windowNo: w.windowNo, reason: pick.reason } };
      });
      return windowView(w.windowNo, w.operatorId);
    },

    'queue.call': ({ ticketId }, ctx) =>
      act(
        ctx,
        ticketId,
        'queue.call',
        (_tx, _row, at) => ({ action: { type: 'call', ...at }, type: 'called', detail: { reason: 'specific' } }),
        (tx, row) => {
          assertCanCall(tx, ctx.actor.windowNo!);
          if (!isEligible(waitingOf(row), windowOf(ctx), servedCategories(rules(tx.settings), ctx.actor.windowNo!))) {
            throw new ApiError('FORBIDDEN', `${row.ticket_no}号不由本窗口办理`);
          }
        },
      ),

    'queue.recall': ({ ticketId }, ctx) =>
      act(ctx, ticketId, 'queue.recall', (_tx, _row, at) => ({ action: { type: 'recall', ...at }, type: 'recalled' })),

    'queue.noShow': ({ ticketId }, ctx) =>
      act(ctx, ticketId, 'queue.no_show', (tx, _row, at) => ({
        action: {
          type: 'no_show',
          rules: { minCalls: tx.settings.recallMinCalls, minGapMs: tx.settings.recallMinGapSeconds * 1000 },
          ...at,
        },
        type: 'no_show',
      })),

    'queue.reactivate': ({ ticketId, keepPlace }, ctx) =>
      act(ctx, ticketId, 'queue.reactivate', (tx) => ({
        action: { type: 'reactivate', keepPlace, at: tx.now },
        type: 'reactivated',
        detail: { keepPlace },
      })),

    'queue.hold': ({ ticketId }, ctx) =>
      act(ctx, ticketId, 'queue.hold', (_tx, _row, at) => ({ action: { type: 'hold', ...at }, type: 'held' })),

    'queue.callBack': ({ ticketId }, ctx) =>
      act(
        ctx,
        ticketId,
        'queue.call_back',
        (_tx, _row, at) => ({ action: { type: 'call_back', ...at }, type: 'called_back' }),
        (tx) => assertCanCall(tx, ctx.actor.windowNo!),
      ),

    'queue.start': ({ ticketId }, ctx) =>
      act(ctx, ticketId, 'queue.start', (_tx, _row, at) => ({ action: { type: 'start', ...at }, type: 'started' })),

    'queue.end': ({ ticketId, outcome }, ctx) =>
      act(
        ctx,
        ticketId,
        'queue.end',
        (_tx, _row, at) => ({ action: { type: 'end', ...at }, type: 'ended', outcome, detail: { outcome } }),
        undefined,
        (tx, row) => {
          supersedeRequests.run(row.window_no);
          openRequest.run(row.id, row.window_no, ctx.actor.operatorId, tx.at);
          tx.evaluations.push({
            ticketId: row.id,
            ticketNo: row.ticket_no,
            windowNo: row.window_no!,
            operatorName: operatorName(ctx.actor.operatorId) ?? '',
          });
        },
      ),

    'queue.transfer': ({ ticketId, categoryCode, toWindow, toOperatorId, keepPlace }, ctx) =>
      act(
        ctx,
        ticketId,
        'queue.transfer',
        (_tx, row, at) => ({
          action: { type: 'transfer', categoryCode, toWindow, toOperator: toOperatorId, keepPlace, ...at },
          type: 'transferred',
          detail: { from: row.category_code, to: categoryCode, toWindow, toOperatorId, keepPlace },
        }),
        (tx) => {
          const category = categoryOf(tx.settings, categoryCode);
          if (toWindow !== null && !category.windows.includes(toWindow))
            throw new ApiError('VALIDATION', `${toWindow}号窗口不办理${category.name}`);
          if (toOperatorId !== null) {
            const op = deps.operators.byId(toOperatorId);
            if (!op || op.disabled || op.role !== 'teller') throw new ApiError('VALIDATION', '只能转给在岗的综合柜员');
          }
        },
      ),

    'queue.pause': ({ reason }, ctx) => setPause(ctx, true, reason),
    'queue.resume': (_p, ctx) => setPause(ctx, false, null),

    'queue.linkCase'({ caseId }, ctx) {
      const w = windowOf(ctx);
      // A linked counter's cases live in its own store; it checked the case before relaying.
      if (!ctx.relayedFrom && !caseExists.get(caseId)) throw new ApiError('NOT_FOUND', '未找到该案件');
      return run(ctx, 'queue.link_case', (tx) => {
        const serving = store.atWindow(tx.date, w.windowNo).find((r) => r.status === 'serving');
        if (!serving) throw new ApiError('CONFLICT', '本窗口当前没有正在办理的号码');
        linkCase.run(serving.id, caseId, tx.at);
        return { value: { ok: true as const }, entityId: serving.id, after: { caseId } };
      });
    },

    'queue.snapshot'(_p, ctx) {
      if (!ctx.connection.session && !hub.device(ctx.connection)) throw new ApiError('UNAUTHENTICATED', '请先登录或配对大厅设备');
      return snapshot();
    },

    'queue.subscribe'(_p, ctx) {
      if (!ctx.connection.session && !hub.device(ctx.connection)) throw new ApiError('UNAUTHENTICATED', '请先登录或配对大厅设备');
      hub.subscribe(ctx.connection);
      return { ok: true };
    },
  };
}
