import type { Database } from 'better-sqlite3';
import { ApiError } from '#shared/api/errors';
import type { EvaluationRequest, FollowUp } from '#shared/api/queue';
import { promisedCompletionDate, type WorkingCalendar } from '#shared/domain/calendar/working-days';
import { FOLLOW_UP_WORKING_DAYS, isBadRating, type RatingDimension, type RatingLevel } from '#shared/domain/queue/rating';
import type { CallContext, Handlers } from '../api/handlers';
import type { OperatorQueries } from '../auth/operators';
import { businessDateAt } from '../platform/business-date';
import type { CoreDeps } from '../platform/deps';
import type { StationQueries } from '../station/station';
import type { CommandRunner } from '../store/command';
import { publishEvaluation, type HallHub } from './hall-hub';

export interface RatingDeps extends CoreDeps {
  db: Database;
  commands: CommandRunner;
  station: StationQueries;
  operators: OperatorQueries;
  hub: HallHub;
  calendar: WorkingCalendar;
  timeZone: string;
}

interface RequestRow {
  ticket_id: string;
  ticket_no: string;
  window_no: number;
  operator_id: string;
}
interface FollowUpRow {
  id: string;
  ticket_no: string;
  business_date: string;
  level: RatingLevel;
  source: 'device' | 'paper';
  window_no: number | null;
  operator_id: string | null;
  due_date: string;
  status: 'open' | 'closed';
  note: string | null;
  created_at: string;
}

export type RatingMethods = 'rating.pending' | 'rating.submit' | 'rating.paper' | 'rating.followUps' | 'rating.closeFollowUp';

/** 好差评: ratings from the evaluator or a paper form, and bad reviews' follow-ups. */
export function ratingHandlers(deps: RatingDeps): Pick<Handlers, RatingMethods> {
  const { db, commands, hub } = deps;
  const q = {
    pending: db.prepare<[number], RequestRow>(
      `SELECT r.ticket_id, t.ticket_no, r.window_no, r.operator_id FROM evaluation_request r JOIN ticket t ON t.id = r.ticket_id
       WHERE r.window_no = ? AND r.open = 1 ORDER BY r.requested_at DESC LIMIT 1`,
    ),
    request: db.prepare<[string], RequestRow & { open: 0 | 1 }>(
      `SELECT r.ticket_id, t.ticket_no, r.window_no, r.operator_id, r.open FROM evaluation_request r JOIN ticket t ON t.id = r.ticket_id WHERE r.ticket_id = ?`,
    ),
    closeRequest: db.prepare('UPDATE evaluation_request SET open = 0 WHERE ticket_id = ?'),
    ticketByNo: db.prepare<[string, string], { id: string; status: string; window_no: number | null; operator_id: string | null }>(
      'SELECT id, status, window_no, operator_id FROM ticket WHERE business_date = ? AND ticket_no = ?',
    ),
    rated: db.prepare<[string], { id: string }>('SELECT id FROM rating WHERE ticket_id = ?'),
    insertRating: db.prepare(
      `INSERT INTO rating (id, ticket_id, level, dimensions_json, comment, source, entered_by, window_no, operator_id, at)
       VALUES (@id, @ticket_id, @level, @dimensions_json, @comment, @source, @entered_by, @window_no, @operator_id, @at)`,
    ),
    insertFollowUp: db.prepare('INSERT INTO follow_up (id, rating_id, due_date, created_at) VALUES (?, ?, ?, ?)'),
    followUps: db.prepare<[string], FollowUpRow>(
      `SELECT f.id, t.ticket_no, t.business_date, r.level, r.source, r.window_no, r.operator_id, f.due_date, f.status, f.note, f.created_at
       FROM follow_up f JOIN rating r ON r.id = f.rating_id JOIN ticket t ON t.id = r.ticket_id WHERE f.status = ? ORDER BY f.due_date, f.created_at`,
    ),
    followUp: db.prepare<[string], FollowUpRow>(
      `SELECT f.id, t.ticket_no, t.business_date, r.level, r.source, r.window_no, r.operator_id, f.due_date, f.status, f.note, f.created_at
       FROM follow_up f JOIN rating r ON r.id = f.rating_id JOIN ticket t ON t.id = r.ticket_id WHERE f.id = ?`,
    ),
    closeFollowUp: db.prepare(
      `UPDATE follow_up SET status = 'closed', note = ?, closed_by = ?, closed_at = ? WHERE id = ? AND status = 'open'`,
    ),
  };

  const operatorName = (id: string | null) => (id ? (deps.operators.byId(id)?.display_name ?? null) : null);
  const toFollowUp = (r: FollowUpRow): FollowUp => ({
    id: r.id,
    ticketNo: r.ticket_no,
    businessDate: r.business_date,
    level: r.level,
    source: r.source,
    windowNo: r.window_no,
    operatorName: operatorName(r.operator_id),
    dueDate: r.due_date,
    status: r.status,
    note: r.note,
    createdAt: r.created_at,
  });
  const toRequest = (r: RequestRow): EvaluationRequest => ({
    ticketId: r.ticket_id,
    ticketNo: r.ticket_no,
    windowNo: r.window_no,
    operatorName: operatorName(r.operator_id) ?? '',
  });

  function evaluator(ctx: CallContext): { windowNo: number } {
    // A rating is the citizen's: a connection with an operator session may never submit one, even if paired.
    if (ctx.connection.session) throw new ApiError('FORBIDDEN', '工作人员不能代替群众评价');
    const device = hub.device(ctx.connection);
    if (device?.kind !== 'evaluator' || device.windowNo === null) throw new ApiError('FORBIDDEN', '请在窗口评价器上评价');
    return { windowNo: device.windowNo };
  }

  /** Records one rating and, for a bad one, its follow-up due in 15 working days; in the caller's transaction. */
  function record(
    ticket: { id: string; window_no: number | null; operator_id: string | null },
    input: { level: RatingLevel; dimensions: RatingDimension[]; comment?: string | undefined },
    source: 'device' | 'paper',
    enteredBy: string | null,
  ): { ratingId: string; followUp: string | null } {
    if (q.rated.get(ticket.id)) throw new ApiError('CONFLICT', '该次办理已经评价过');
    const now = deps.clock.now();
    const at = now.toISOString();
    const ratingId = deps.newId();
    q.insertRating.run({
      id: ratingId,
      ticket_id: ticket.id,
      level: input.level,
      dimensions_json: JSON.stringify(input.dimensions),
      comment: input.comment ?? null,
      source,
      entered_by: enteredBy,
      window_no: ticket.window_no,
      operator_id: ticket.operator_id,
      at,
    });
    q.closeRequest.run(ticket.id);
    if (!isBadRating(input.level)) return { ratingId, followUp: null };
    const due = promisedCompletionDate(deps.calendar, businessDateAt(now, deps.timeZone), FOLLOW_UP_WORKING_DAYS).date;
    const followUp = deps.newId();
    q.insertFollowUp.run(followUp, ratingId, due, at);
    return { ratingId, followUp };
  }

  return {
    'rating.pending'(_p, ctx) {
      const { windowNo } = evaluator(ctx);
      const row = q.pending.get(windowNo);
      return row ? toRequest(row) : null;
    },

    'rating.submit'({ ticketId, level, dimensions, comment }, ctx) {
      const { windowNo } = evaluator(ctx);
      const result = commands.run({ operatorId: null, windowNo }, () => {
        const request = q.request.get(ticketId);
        if (!request || request.window_no !== windowNo) throw new ApiError('NOT_FOUND', '本窗口没有待评价的办理');
        if (!request.open) throw new ApiError('CONFLICT', '该次办理已经评价过');
        const r = record(
          { id: ticketId, window_no: request.window_no, operator_id: request.operator_id },
          { level, dimensions, comment },
          'device',
          null,
        );
        return {
          result: { followUp: r.followUp !== null },
          audit: {
            action: 'rating.submit',
            class: 'general',
            entityType: 'ticket',
            entityId: ticketId,
            after: { level, dimensions, source: 'device' },
          },
          outbox: {
            type: 'rating.recorded',
            payload: { id: r.ratingId, ticketId, level, dimensions, source: 'device', followUpId: r.followUp },
          },
        };
      });
      publishEvaluation(hub, windowNo, null);
      return result;
    },

    'rating.paper'({ ticketNo, businessDate, level, dimensions, comment }, ctx) {
      return commands.run(ctx.actor, () => {
        const ticket = q.ticketByNo.get(businessDate, ticketNo);
        if (!ticket) throw new ApiError('NOT_FOUND', `${businessDate}没有${ticketNo}号`);
        if (ticket.status !== 'done') throw new ApiError('CONFLICT', `${ticketNo}号尚未办结，不能评价`);
        const r = record(ticket, { level, dimensions, comment }, 'paper', ctx.actor.operatorId);
        return {
          result: { followUp: r.followUp !== null },
          audit: {
            action: 'rating.paper',
            class: 'key',
            entityType: 'ticket',
            entityId: ticket.id,
            after: { ticketNo, businessDate, level, dimensions, source: 'paper' },
          },
          outbox: {
            type: 'rating.recorded',
            payload: { id: r.ratingId, ticketId: ticket.id, level, dimensions, source: 'paper', followUpId: r.followUp },
          },
        };
      });
    },

    'rating.followUps': ({ status }) => q.followUps.all(status).map(toFollowUp),

    'rating.closeFollowUp'({ id, note }, ctx) {
      return commands.run(ctx.actor, () => {
        const at = deps.clock.now().toISOString();
        if (q.closeFollowUp.run(note, ctx.actor.operatorId, at, id).changes !== 1) {
          throw new ApiError(q.followUp.get(id) ? 'CONFLICT' : 'NOT_FOUND', q.followUp.get(id) ? '该回访已经办结' : '未找到该回访记录');
        }
        return {
          result: toFollowUp(q.followUp.get(id)!),
          audit: { action: 'rating.follow_up_closed', class: 'key', entityType: 'follow_up', entityId: id, after: { note } },
          outbox: { type: 'rating.follow_up_closed', payload: { id, note, at } },
        };
      });
    },
  };
}
