import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickNext, ratioPattern, type CallingRules, type RatioCursor, type WaitingTicket } from './calling';
import type { TicketKind } from './categories';

const MIN = 60_000;
const cat = (code: string, kind: TicketKind, weight: number, windows = [1, 2]) => ({ code, kind, weight, windows });
const RULES: CallingRules = {
  categories: [cat('A', 'business', 2), cat('B', 'pickup', 1), cat('C', 'consultation', 1, [2]), cat('L', 'green', 1)],
  waitOverrideMs: 30 * MIN,
};
let seq = 0;
const ticket = (id: string, categoryCode: string, place: number, extra: Partial<WaitingTicket> = {}): WaitingTicket => ({
  id,
  categoryCode,
  place,
  seq: ++seq,
  directedWindow: null,
  directedOperator: null,
  ...extra,
});
const W1 = { windowNo: 1, operatorId: 'op1' };
const START: RatioCursor = { cursor: 0 };

/** Calls until nobody is left, returning ids in call order. */
function drain(waiting: WaitingTicket[], rules: CallingRules, window = W1, now = 0): string[] {
  const left = [...waiting];
  const order: string[] = [];
  let state = START;
  for (;;) {
    const pick = pickNext(left, window, rules, state, now);
    if (!pick) return order;
    order.push(pick.ticket.id);
    state = pick.next;
    left.splice(left.indexOf(pick.ticket), 1);
  }
}

describe('the ratio pattern', () => {
  it('interleaves by weight in configured order', () => {
    expect(
      ratioPattern([
        { code: 'A', weight: 2 },
        { code: 'B', weight: 1 },
      ]),
    ).toEqual(['A', 'B', 'A']);
    expect(
      ratioPattern([
        { code: 'A', weight: 3 },
        { code: 'B', weight: 2 },
      ]),
    ).toEqual(['A', 'B', 'A', 'B', 'A']);
    expect(
      ratioPattern([
        { code: 'A', weight: 1 },
        { code: 'B', weight: 1 },
      ]),
    ).toEqual(['A', 'B']);
  });
});

describe('calling next at a window', () => {
  it('calls the green channel first, longest waiting first among it', () => {
    const order = drain([ticket('a1', 'A', 0), ticket('g2', 'L', 20), ticket('g1', 'L', 10)], RULES);
    expect(order.slice(0, 2)).toEqual(['g1', 'g2']);
  });

  it('calls a ticket past the wait override before the ratio, but after the green channel', () => {
    const rules = { ...RULES, waitOverrideMs: 10 * MIN };
    const waiting = [ticket('a1', 'A', 20 * MIN), ticket('b-old', 'B', 0), ticket('g', 'L', 25 * MIN)];
    const first = pickNext(waiting, W1, rules, START, 25 * MIN)!;
    expect(first).toMatchObject({ ticket: { id: 'g' }, reason: 'green' });
    const second = pickNext(waiting.slice(0, 2), W1, rules, START, 25 * MIN)!;
    expect(second).toMatchObject({ ticket: { id: 'b-old' }, reason: 'override' });
    // Without the override, the ratio's turn (A) wins although B waited longer.
    expect(pickNext(waiting.slice(0, 2), W1, { ...rules, waitOverrideMs: null }, START, 25 * MIN)!.ticket.id).toBe('a1');
  });

  it('follows the ratio two A to one B, and longest waiting within a category', () => {
    const waiting = [...[1, 2, 3, 4].map((i) => ticket(`a${i}`, 'A', i)), ...[1, 2].map((i) => ticket(`b${i}`, 'B', 10 + i))];
    expect(drain(waiting, { ...RULES, waitOverrideMs: null })).toEqual(['a1', 'b1', 'a2', 'a3', 'b2', 'a4']);
  });

  it('skips an empty category without building up a debt for it', () => {
    const rules = { ...RULES, waitOverrideMs: null };
    const onlyA = drain(
      [1, 2, 3, 4, 5].map((i) => ticket(`a${i}`, 'A', i)),
      rules,
    );
    expect(onlyA).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    // After a run of A only, B arriving gets one turn per cycle, not a burst.
    let state = START;
    const left = [...[6, 7, 8].map((i) => ticket(`a${i}`, 'A', i)), ...[1, 2, 3].map((i) => ticket(`b${i}`, 'B', 100 + i))];
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) state = pickNext([ticket(id, 'A', 0)], W1, rules, state, 0)!.next;
    const order: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const pick = pickNext(left, W1, rules, state, 0)!;
      order.push(pick.ticket.categoryCode);
      state = pick.next;
      left.splice(left.indexOf(pick.ticket), 1);
    }
    expect(order.filter((c) => c === 'B').length).toBeLessThanOrEqual(2);
  });

  it('breaks ties of equal place by issue order, then id', () => {
    const a = ticket('x2', 'A', 5, { seq: 2 });
    const b = ticket('x1', 'A', 5, { seq: 1 });
    expect(pickNext([a, b], W1, RULES, START, 5)!.ticket.id).toBe('x1');
    const c = ticket('y2', 'A', 5, { seq: 7 });
    const d = ticket('y1', 'A', 5, { seq: 7 });
    expect(pickNext([c, d], W1, RULES, START, 5)!.ticket.id).toBe('y1');
  });

  it('never calls a category the window does not serve, nor a ticket sent to another window or teller', () => {
    const waiting = [
      ticket('c1', 'C', 0),
      ticket('to2', 'A', 1, { directedWindow: 2 }),
      ticket('toOp2', 'A', 2, { directedOperator: 'op2' }),
    ];
    expect(pickNext(waiting, W1, RULES, START, 0)).toBeNull();
    expect(drain(waiting, RULES, { windowNo: 2, operatorId: 'op9' }).sort()).toEqual(['c1', 'to2']);
    expect(drain(waiting, RULES, { windowNo: 2, operatorId: 'op2' }).sort()).toEqual(['c1', 'to2', 'toOp2']);
  });

  it('puts a transfer that keeps its place before later tickets, and one that goes last behind them', () => {
    const later = [ticket('a5', 'A', 50), ticket('a6', 'A', 60)];
    expect(drain([...later, ticket('kept', 'A', 10)], RULES)[0]).toBe('kept');
    expect(drain([...later, ticket('last', 'A', 70)], RULES).at(-1)).toBe('last');
  });
});

const categoryCode = fc.constantFrom('A', 'B', 'C', 'L');
const waitingArb = fc.array(
  fc.record({
    categoryCode,
    place: fc.integer({ min: 0, max: 120 * MIN }),
    directedWindow: fc.option(fc.constantFrom(1, 2), { freq: 4 }),
    directedOperator: fc.option(fc.constantFrom('op1', 'op2'), { freq: 4 }),
  }),
  { maxLength: 40 },
);
const toTickets = (rows: { categoryCode: string; place: number; directedWindow: number | null; directedOperator: string | null }[]) =>
  rows.map((r, i) => ({ ...r, id: `t${i}`, seq: i }));

describe('calling order, for any queue', () => {
  it('never calls a ticket of a category the window does not serve, nor one directed elsewhere', () => {
    fc.assert(
      fc.property(waitingArb, fc.constantFrom(1, 2), fc.constantFrom('op1', 'op2'), fc.nat(10), (rows, windowNo, operatorId, cursor) => {
        const pick = pickNext(toTickets(rows), { windowNo, operatorId }, RULES, { cursor }, 60 * MIN);
        if (!pick) return;
        const served = RULES.categories.filter((c) => c.windows.includes(windowNo)).map((c) => c.code);
        expect(served).toContain(pick.ticket.categoryCode);
        expect([null, windowNo]).toContain(pick.ticket.directedWindow);
        expect([null, operatorId]).toContain(pick.ticket.directedOperator);
      }),
    );
  });

  it('calls the green channel first whenever an eligible green ticket waits', () => {
    fc.assert(
      fc.property(waitingArb, fc.nat(10), (rows, cursor) => {
        const tickets = toTickets(rows).map((t) => ({ ...t, directedWindow: null, directedOperator: null }));
        const pick = pickNext(tickets, W1, RULES, { cursor }, 200 * MIN);
        if (tickets.some((t) => t.categoryCode === 'L')) expect(pick!.ticket.categoryCode).toBe('L');
      }),
    );
  });

  it('holds the ratio over long runs when every category stays busy', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 30, max: 300 }), (wa, wb, calls) => {
        const rules: CallingRules = { categories: [cat('A', 'business', wa), cat('B', 'pickup', wb)], waitOverrideMs: null };
        // Both categories always have someone waiting; B's people came earlier, so longest-waiting alone would pick B.
        const left = [
          ...Array.from({ length: calls }, (_, i) => ticket(`a${i}`, 'A', 1000 + i)),
          ...Array.from({ length: calls }, (_, i) => ticket(`b${i}`, 'B', i)),
        ];
        let state = START;
        let a = 0;
        for (let i = 0; i < calls; i += 1) {
          const pick = pickNext(left, W1, rules, state, 0)!;
          if (pick.ticket.categoryCode === 'A') a += 1;
          state = pick.next;
          left.splice(left.indexOf(pick.ticket), 1);
        }
        // Within one pattern cycle of the exact share.
        expect(Math.abs(a - (calls * wa) / (wa + wb))).toBeLessThanOrEqual(wa + wb);
      }),
    );
  });

  it('calls a transfer that keeps its place before every later ticket of its category', () => {
    fc.assert(
      fc.property(waitingArb, fc.integer({ min: 0, max: 120 * MIN }), (rows, originalPlace) => {
        const tickets = toTickets(rows).map((t) => ({ ...t, categoryCode: 'A', directedWindow: null, directedOperator: null }));
        const moved = { id: 'moved', categoryCode: 'A', place: originalPlace, seq: -1, directedWindow: null, directedOperator: null };
        const order = drain([...tickets, moved], { ...RULES, waitOverrideMs: null });
        const at = order.indexOf('moved');
        const later = tickets.filter((t) => t.place > originalPlace).map((t) => order.indexOf(t.id));
        expect(later.every((i) => i > at)).toBe(true);
      }),
    );
  });
});
