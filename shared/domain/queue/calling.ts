import type { TicketCategory, TicketKind } from './categories';

/**
 * The calling order of one window (叫号规则), decided the same way wherever it runs:
 * 1. the green channel first;
 * 2. then any ticket that has waited longer than the wait-time override;
 * 3. then the ratio between the window's other categories (e.g. two normal to one priority), taken in turn from a
 *    fixed interleaved pattern, skipping categories nobody waits in so they never build up a debt;
 * 4. within the chosen category, longest waiting first.
 * Ties of equal waiting time go to the earlier issued ticket, then to the smaller id, so the order is total.
 */
export interface WaitingTicket {
  id: string;
  categoryCode: string;
  /**
   * Place in the queue (ms since epoch): the issue time, kept by a transfer that keeps its place, reset by one that
   * goes last.
   */
  place: number;
  /** Issue order within the day, breaking ties of equal place. */
  seq: number;
  /** A transfer to a window or teller: only that window (or that teller's window) may call it. */
  directedWindow: number | null;
  directedOperator: string | null;
}

export interface CallingWindow {
  windowNo: number;
  operatorId: string | null;
}

export interface CallingRules {
  categories: readonly Pick<TicketCategory, 'code' | 'kind' | 'weight' | 'windows'>[];
  /** A ticket waiting at least this long is called before the ratio decides; null: no override. */
  waitOverrideMs: number | null;
}

/** Where the window stands in its ratio pattern: the only state calling keeps between calls. */
export interface RatioCursor {
  cursor: number;
}

export type CallReason = 'green' | 'override' | 'ratio';

export interface CallPick {
  ticket: WaitingTicket;
  reason: CallReason;
  next: RatioCursor;
}

/** Longest waiting first; equal places by issue order, then id. */
export function comparePlace(a: WaitingTicket, b: WaitingTicket): number {
  return a.place - b.place || a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function servedCategories(rules: CallingRules, windowNo: number): Set<string> {
  return new Set(rules.categories.filter((c) => c.windows.includes(windowNo)).map((c) => c.code));
}

/** May this window (with this teller) call this ticket at all? */
export function isEligible(ticket: WaitingTicket, window: CallingWindow, served: ReadonlySet<string>): boolean {
  if (!served.has(ticket.categoryCode)) return false;
  if (ticket.directedWindow !== null && ticket.directedWindow !== window.windowNo) return false;
  return ticket.directedOperator === null || ticket.directedOperator === window.operatorId;
}

/**
 * The interleaved ratio pattern of a window's non-green categories, by smooth weighted round robin: weights A:2, B:1
 * give A A B; A:3, B:2 give A B A B A. Categories keep the configured order, which also breaks ties.
 */
export function ratioPattern(categories: readonly Pick<TicketCategory, 'code' | 'weight'>[]): string[] {
  const total = categories.reduce((sum, c) => sum + c.weight, 0);
  const credit = categories.map(() => 0);
  const pattern: string[] = [];
  for (let slot = 0; slot < total; slot += 1) {
    let best = 0;
    categories.forEach((c, i) => {
      credit[i]! += c.weight;
      if (credit[i]! > credit[best]!) best = i;
    });
    credit[best]! -= total;
    pattern.push(categories[best]!.code);
  }
  return pattern;
}

function oldest(tickets: readonly WaitingTicket[]): WaitingTicket | undefined {
  let best: WaitingTicket | undefined;
  for (const t of tickets) if (!best || comparePlace(t, best) < 0) best = t;
  return best;
}

/** The ticket this window calls next, why, and its new ratio cursor; null when nobody waits for it. */
export function pickNext(
  waiting: readonly WaitingTicket[],
  window: CallingWindow,
  rules: CallingRules,
  state: RatioCursor,
  now: number,
): CallPick | null {
  const served = servedCategories(rules, window.windowNo);
  const kindOf = new Map<string, TicketKind>(rules.categories.map((c) => [c.code, c.kind]));
  const eligible = waiting.filter((t) => isEligible(t, window, served));
  if (eligible.length === 0) return null;

  const green = oldest(eligible.filter((t) => kindOf.get(t.categoryCode) === 'green'));
  if (green) return { ticket: green, reason: 'green', next: state };

  if (rules.waitOverrideMs !== null) {
    const limit = now - rules.waitOverrideMs;
    const overdue = oldest(eligible.filter((t) => t.place <= limit));
    if (overdue) return { ticket: overdue, reason: 'override', next: state };
  }

  const pattern = ratioPattern(rules.categories.filter((c) => served.has(c.code) && c.kind !== 'green'));
  for (let step = 0; step < pattern.length; step += 1) {
    const slot = (state.cursor + step) % pattern.length;
    const ticket = oldest(eligible.filter((t) => t.categoryCode === pattern[slot]));
    if (ticket) return { ticket, reason: 'ratio', next: { cursor: (slot + 1) % pattern.length } };
  }
  return null;
}
