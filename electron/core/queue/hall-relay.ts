import type { Database } from 'better-sqlite3';
import { api } from '#shared/api/contract';
import { ApiError } from '#shared/api/errors';
import type { HandedOverVisit } from '#shared/api/queue';
import { invalidParams } from '../api/dispatch';
import type { CallContext, Connection, Handlers } from '../api/handlers';
import type { OperatorQueries } from '../auth/operators';
import type { CoreDeps } from '../platform/deps';
import type { CommandRunner } from '../store/command';
import type { HallHub } from './hall-hub';
import { standInCategory, type QueueMethods } from './queue-handlers';
import { queueStore } from './queue-store';

export interface HallRelayDeps extends CoreDeps {
  db: Database;
  commands: CommandRunner;
  operators: OperatorQueries;
  hub: HallHub;
  queue: Pick<Handlers, QueueMethods>;
}

/** Methods a paired counter may relay before anyone has signed in there. */
const WITHOUT_OPERATOR: ReadonlySet<string> = new Set(['queue.settings', 'queue.snapshot']);

/**
 * The host side of the hall link: a paired counter PC relays its tellers' queue calls here (so the hall has one queue
 * and two counters never call the same ticket), and hands over the walk-ins it served while it could not reach us.
 */
export function hallRelayHandlers(deps: HallRelayDeps): Pick<Handlers, 'hall.relay' | 'hall.handOver'> {
  const { db, commands, hub } = deps;
  const store = queueStore(db);
  const setOutcome = db.prepare('UPDATE ticket SET outcome = ? WHERE id = ?');
  const linkCase = db.prepare('INSERT OR IGNORE INTO visit_case (ticket_id, case_id, linked_at) VALUES (?, ?, ?)');
  const maxNumber = db.prepare<[string, string], { n: number }>(
    'SELECT COALESCE(MAX(number), 0) AS n FROM ticket WHERE business_date = ? AND issued_category = ?',
  );

  function counterOf(ctx: CallContext): { id: string; windowNo: number } {
    const device = hub.device(ctx.connection);
    if (device?.kind !== 'counter' || device.windowNo === null) throw new ApiError('FORBIDDEN', '只有已配对的窗口终端可以转发叫号操作');
    return { id: device.id, windowNo: device.windowNo };
  }

  /** The host's own account of that username: the counter vouches for the sign-in, the host for the rights. */
  function tellerId(username: string | null): string | null {
    if (username === null) return null;
    const op = deps.operators.byUsername(username);
    if (!op || op.disabled || (op.role !== 'teller' && op.role !== 'admin')) {
      throw new ApiError('FORBIDDEN', `大厅主机上没有可用的柜员账号“${username}”，请联系管理员`);
    }
    return op.id;
  }

  function insertVisit(visit: HandedOverVisit, device: { windowNo: number }): void {
    const { ticket } = visit;
    const issuedCategory = standInCategory(device.windowNo);
    const own = Number(ticket.ticketNo.slice(issuedCategory.length + 1));
    // A counter whose store was restored may number a W ticket twice in a day: keep its number, never drop the visit.
    const taken = store.byNo(ticket.businessDate, ticket.ticketNo) !== undefined;
    const number = taken ? maxNumber.get(ticket.businessDate, issuedCategory)!.n + 1 : own;
    const operatorIds = visit.events.map((e) => (e.operator === null ? null : (deps.operators.byUsername(e.operator)?.id ?? null)));
    const place = Date.parse(ticket.issuedAt);
    store.insert({
      id: ticket.id,
      business_date: ticket.businessDate,
      category_code: ticket.categoryCode,
      issued_category: issuedCategory,
      number,
      ticket_no: ticket.ticketNo,
      seq: store.nextSeq(),
      source: 'walk_in',
      status: ticket.status,
      place: Number.isFinite(place) ? place : deps.clock.now().getTime(),
      issued_at: ticket.issuedAt,
      window_no: device.windowNo,
      operator_id: operatorIds.filter((id) => id !== null).at(-1) ?? null,
      call_count: visit.events.filter((e) => e.type === 'called' || e.type === 'recalled').length,
      last_called_at: null,
      person_id: null,
      id_number: null,
      carried_from: null,
    });
    setOutcome.run(ticket.outcome, ticket.id);
    visit.events.forEach((e, i) =>
      store.insertEvent({
        id: e.id,
        ticket_id: ticket.id,
        type: e.type,
        category_code: e.categoryCode,
        window_no: device.windowNo,
        operator_id: operatorIds[i] ?? null,
        detail_json: e.detail === undefined ? null : JSON.stringify(e.detail),
        at: e.at,
      }),
    );
    for (const caseId of visit.caseIds) linkCase.run(ticket.id, caseId, visit.events.at(-1)!.at);
  }

  return {
    'hall.relay'({ method, params, operator }, ctx) {
      const device = counterOf(ctx);
      const operatorId = tellerId(operator);
      if (operatorId === null && !WITHOUT_OPERATOR.has(method)) throw new ApiError('UNAUTHENTICATED', '请先在窗口终端登录');
      const parsed = api[method].params.safeParse(params);
      if (!parsed.success) throw invalidParams(parsed.error);
      const actor = { operatorId, windowNo: device.windowNo };
      // The relayed call sees a signed-in teller at the counter's window, as if the teller sat at this host.
      const connection: Connection = {
        id: ctx.connection.id,
        session: operatorId ? { operatorId, windowNo: device.windowNo, startedAt: '', locked: false, lastActivity: 0 } : null,
        emit: (event) => ctx.connection.emit(event),
      };
      const handler = deps.queue[method] as (p: unknown, c: CallContext) => unknown;
      return handler(parsed.data, { connection, actor, relayedFrom: device.id });
    },

    'hall.handOver'({ visits }, ctx) {
      const device = counterOf(ctx);
      const prefix = `${standInCategory(device.windowNo)}-`;
      const stray = visits.find((v) => !v.ticket.ticketNo.startsWith(prefix));
      if (stray) throw new ApiError('FORBIDDEN', `本终端登记为${device.windowNo}号窗口，不能交接${stray.ticket.ticketNo}号`);
      const fresh = visits.filter((v) => !store.byId(v.ticket.id));
      if (fresh.length > 0) {
        commands.run({ operatorId: null, windowNo: device.windowNo }, () => {
          // Checked again inside the write lock: a resend racing its first delivery takes each visit once.
          const ids = fresh.filter((v) => !store.byId(v.ticket.id)).map((v) => (insertVisit(v, device), v.ticket.id));
          return {
            result: ids,
            audit: {
              action: 'hall.visits_handed_over',
              class: 'general',
              entityType: 'hall_device',
              entityId: device.id,
              after: { tickets: fresh.map((v) => v.ticket.ticketNo) },
            },
            // The events themselves reach the central office from the counter that recorded them, once.
            outbox: { type: 'queue.visits_handed_over', payload: { deviceId: device.id, windowNo: device.windowNo, ticketIds: ids } },
          };
        });
      }
      return { taken: visits.map((v) => v.ticket.id) };
    },
  };
}
