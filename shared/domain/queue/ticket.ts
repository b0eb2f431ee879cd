import { fail, ok, type Result } from '../result';

/**
 * The life of a ticket at the counter: called (and recalled) to a window, served or marked absent (过号), held and
 * called back, transferred to another category, window or teller, and at the end of the day closed or carried over.
 * Pure: the core applies it inside its transaction, the UI uses it to show only the buttons that would work.
 */
export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'held', 'done', 'no_show', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  waiting: '等候中',
  called: '已呼叫',
  serving: '办理中',
  held: '暂挂',
  done: '已办结',
  no_show: '过号',
  closed: '已关闭',
};

/** Statuses of a ticket still in the hall: at most one per person and category. */
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = ['waiting', 'called', 'serving', 'held'];

/** How a service ended: what the visit achieved. */
export const SERVICE_OUTCOMES = ['completed', 'accepted', 'notice', 'consulted', 'referred', 'unfinished'] as const;
export type ServiceOutcome = (typeof SERVICE_OUTCOMES)[number];
export const SERVICE_OUTCOME_LABELS: Readonly<Record<ServiceOutcome, string>> = {
  completed: '当场办结',
  accepted: '已受理（承诺件）',
  notice: '一次性告知补正',
  consulted: '咨询已答复',
  referred: '转其他部门',
  unfinished: '未办成',
};

export interface RecallRules {
  /** Calls (the first one included) before the window may mark the ticket absent. */
  minCalls: number;
  /** Time since the last call before the window may mark it absent. */
  minGapMs: number;
}

export interface TicketState {
  status: TicketStatus;
  categoryCode: string;
  place: number;
  windowNo: number | null;
  operatorId: string | null;
  callCount: number;
  lastCalledAt: number | null;
  directedWindow: number | null;
  directedOperator: string | null;
}

export interface AtWindow {
  windowNo: number;
  operatorId: string;
  at: number;
}

export type TicketAction =
  | ({ type: 'call' } & AtWindow)
  | ({ type: 'recall' } & AtWindow)
  | ({ type: 'no_show'; rules: RecallRules } & AtWindow)
  | { type: 'reactivate'; keepPlace: boolean; at: number }
  | ({ type: 'start' } & AtWindow)
  | ({ type: 'hold' } & AtWindow)
  | ({ type: 'call_back' } & AtWindow)
  | ({ type: 'end' } & AtWindow)
  | ({
      type: 'transfer';
      categoryCode: string;
      toWindow: number | null;
      toOperator: string | null;
      keepPlace: boolean;
    } & AtWindow)
  | { type: 'close' };
export type TicketActionType = TicketAction['type'];

export type TicketRefusal = 'status' | 'window' | 'too_soon';

const FROM: Readonly<Record<TicketActionType, readonly TicketStatus[]>> = {
  call: ['waiting'],
  recall: ['called'],
  no_show: ['called'],
  reactivate: ['no_show'],
  start: ['called'],
  hold: ['called', 'serving'],
  call_back: ['held'],
  end: ['serving'],
  transfer: ['called', 'serving', 'held'],
  close: ['waiting', 'called', 'serving', 'held', 'no_show'],
};

const ACTION_LABELS: Readonly<Record<TicketActionType, string>> = {
  call: '呼叫',
  recall: '重呼',
  no_show: '过号',
  reactivate: '恢复排队',
  start: '开始办理',
  hold: '暂挂',
  call_back: '回呼',
  end: '结束办理',
  transfer: '转移',
  close: '关闭',
};

/** Actions taken at the window that holds the ticket: another window may not touch it. */
const OWNED: ReadonlySet<TicketActionType> = new Set(['recall', 'no_show', 'start', 'hold', 'call_back', 'end', 'transfer']);

const back = (t: TicketState, place: number): TicketState => ({
  ...t,
  status: 'waiting',
  place,
  windowNo: null,
  operatorId: null,
  callCount: 0,
  lastCalledAt: null,
});

export function applyTicketAction(t: TicketState, a: TicketAction): Result<TicketState, TicketRefusal> {
  if (!FROM[a.type].includes(t.status)) {
    return fail('status', `该号码当前为“${TICKET_STATUS_LABELS[t.status]}”，不能${ACTION_LABELS[a.type]}`);
  }
  if (OWNED.has(a.type) && 'windowNo' in a && t.windowNo !== a.windowNo) {
    return fail('window', `该号码由${t.windowNo}号窗口处理，本窗口不能${ACTION_LABELS[a.type]}`);
  }
  switch (a.type) {
    case 'call':
      return ok({
        ...t,
        status: 'called',
        windowNo: a.windowNo,
        operatorId: a.operatorId,
        callCount: 1,
        lastCalledAt: a.at,
        directedWindow: null,
        directedOperator: null,
      });
    case 'recall':
    case 'call_back':
      return ok({ ...t, status: 'called', operatorId: a.operatorId, callCount: t.callCount + 1, lastCalledAt: a.at });
    case 'no_show': {
      const waited = a.at - (t.lastCalledAt ?? a.at);
      if (t.callCount < a.rules.minCalls || waited < a.rules.minGapMs) {
        const seconds = Math.ceil(a.rules.minGapMs / 1000);
        return fail('too_soon', `须至少呼叫${a.rules.minCalls}次、且距上次呼叫满${seconds}秒后才能过号`);
      }
      return ok({ ...t, status: 'no_show' });
    }
    case 'reactivate':
      return ok(back(t, a.keepPlace ? t.place : a.at));
    case 'start':
      return ok({ ...t, status: 'serving', operatorId: a.operatorId });
    case 'hold':
      return ok({ ...t, status: 'held' });
    case 'end':
      return ok({ ...t, status: 'done' });
    case 'transfer':
      return ok({
        ...back(t, a.keepPlace ? t.place : a.at),
        categoryCode: a.categoryCode,
        directedWindow: a.toWindow,
        directedOperator: a.toOperator,
      });
    case 'close':
      return ok({ ...t, status: 'closed' });
  }
}

/** The actions a window could take on the ticket now (the buttons to show); recall rules decide on 过号 later. */
export function availableTicketActions(t: TicketState, windowNo: number): TicketActionType[] {
  return (Object.keys(FROM) as TicketActionType[]).filter(
    (type) => type !== 'close' && FROM[type].includes(t.status) && (!OWNED.has(type) || t.windowNo === windowNo),
  );
}
