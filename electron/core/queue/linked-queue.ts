import { ApiError } from '#shared/api/errors';
import { RELAYED_QUEUE_METHODS, type RelayedQueueMethod } from '#shared/api/queue';
import type { CallContext, Handlers } from '../api/handlers';
import type { OperatorQueries } from '../auth/operators';
import type { HallLink } from './hall-link';
import type { QueueMethods } from './queue-handlers';
import type { StandInVisits } from './stand-in-visits';

export interface LinkedQueueDeps {
  link: HallLink;
  standIns: StandInVisits;
  operators: OperatorQueries;
  caseExists(caseId: string): boolean;
}

/** What a linked counter still answers itself while its host is unreachable. */
const SERVED_OFFLINE: ReadonlySet<RelayedQueueMethod> = new Set(['queue.walkIn', 'queue.window', 'queue.settings', 'queue.snapshot']);

type AnyHandler = (params: unknown, ctx: CallContext) => unknown;

/**
 * The queue as a counter PC sees it. Its own store answers when it is the hall host. Linked to a host, its tellers'
 * queue calls go to the host; while the host is unreachable it serves walk-ins itself (stand-in visits, numbered
 * W<window>-001…) and says clearly that calling is unavailable; a stand-in visit is finished where it started, then
 * handed over to the host.
 */
export function linkedQueueHandlers(local: Pick<Handlers, QueueMethods>, deps: LinkedQueueDeps): Pick<Handlers, QueueMethods> {
  const { link, standIns } = deps;

  function route(method: RelayedQueueMethod): AnyHandler {
    const here = local[method] as AnyHandler;
    return async (params, ctx) => {
      if (!link.linked()) return here(params, ctx);
      const windowNo = ctx.actor.windowNo;
      if (windowNo !== null && standIns.openAt(windowNo)) {
        const result = await here(params, ctx);
        link.changed();
        link.handOverSoon();
        return result;
      }
      if (link.online()) {
        const bound = link.windowNo();
        if (ctx.connection.session && bound !== null && bound !== windowNo) {
          throw new ApiError('FORBIDDEN', `本机在大厅主机登记为${bound}号窗口，请以${bound}号窗口登录后叫号`);
        }
        if (method === 'queue.linkCase' && !deps.caseExists((params as { caseId: string }).caseId)) {
          throw new ApiError('NOT_FOUND', '未找到该案件');
        }
        const operator = ctx.actor.operatorId ? (deps.operators.byId(ctx.actor.operatorId)?.username ?? null) : null;
        return link.relay(method, params, operator);
      }
      if (SERVED_OFFLINE.has(method)) {
        const result = await here(params, ctx);
        if (method === 'queue.walkIn') link.changed();
        return result;
      }
      throw new ApiError('HALL_OFFLINE');
    };
  }

  const routed = Object.fromEntries(RELAYED_QUEUE_METHODS.map((m) => [m, route(m)])) as unknown as Pick<Handlers, RelayedQueueMethod>;
  return {
    ...local,
    ...routed,
    'queue.updateSettings'(params, ctx) {
      if (link.linked()) throw new ApiError('CONFLICT', '本机已连接大厅主机，叫号设置请在大厅主机上修改');
      return local['queue.updateSettings'](params, ctx);
    },
  };
}
