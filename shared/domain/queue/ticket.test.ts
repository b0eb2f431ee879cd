import { describe, expect, it } from 'vitest';
import { applyTicketAction, availableTicketActions, type TicketAction, type TicketState } from './ticket';

const waiting: TicketState = {
  status: 'waiting',
  categoryCode: 'A',
  place: 100,
  windowNo: null,
  operatorId: null,
  callCount: 0,
  lastCalledAt: null,
  directedWindow: null,
  directedOperator: null,
};
const at1 = (at: number) => ({ windowNo: 1, operatorId: 'op1', at });
const RULES = { minCalls: 2, minGapMs: 30_000 };

function run(start: TicketState, actions: TicketAction[]): TicketState {
  return actions.reduce((t, a) => {
    const r = applyTicketAction(t, a);
    if (!r.ok) throw new Error(`${a.type}: ${r.message}`);
    return r.value;
  }, start);
}

describe('a ticket at the counter', () => {
  it('is called, started and ended at one window', () => {
    const done = run(waiting, [
      { type: 'call', ...at1(1000) },
      { type: 'start', ...at1(2000) },
      { type: 'end', ...at1(3000) },
    ]);
    expect(done).toMatchObject({ status: 'done', windowNo: 1, operatorId: 'op1', callCount: 1 });
  });

  it('may be marked absent only after the minimum calls and gap, and reactivated with or without its place', () => {
    const called = run(waiting, [{ type: 'call', ...at1(0) }]);
    const early = applyTicketAction(called, { type: 'no_show', rules: RULES, ...at1(60_000) });
    expect(early).toMatchObject({ ok: false, reason: 'too_soon' });
    const recalled = run(called, [{ type: 'recall', ...at1(40_000) }]);
    expect(recalled.callCount).toBe(2);
    expect(applyTicketAction(recalled, { type: 'no_show', rules: RULES, ...at1(60_000) })).toMatchObject({ ok: false, reason: 'too_soon' });
    const absent = run(recalled, [{ type: 'no_show', rules: RULES, ...at1(70_000) }]);
    expect(absent.status).toBe('no_show');
    expect(run(absent, [{ type: 'reactivate', keepPlace: true, at: 90_000 }])).toMatchObject({
      status: 'waiting',
      place: 100,
      windowNo: null,
      callCount: 0,
    });
    expect(run(absent, [{ type: 'reactivate', keepPlace: false, at: 90_000 }]).place).toBe(90_000);
  });

  it('is held and called back only by its window', () => {
    const held = run(waiting, [
      { type: 'call', ...at1(0) },
      { type: 'start', ...at1(1) },
      { type: 'hold', ...at1(2) },
    ]);
    expect(applyTicketAction(held, { type: 'call_back', windowNo: 2, operatorId: 'op2', at: 3 })).toMatchObject({
      ok: false,
      reason: 'window',
    });
    expect(run(held, [{ type: 'call_back', ...at1(5) }])).toMatchObject({ status: 'called', callCount: 2, lastCalledAt: 5 });
  });

  it('is transferred to a category, window or teller, keeping its place or going last', () => {
    const serving = run(waiting, [
      { type: 'call', ...at1(0) },
      { type: 'start', ...at1(1) },
    ]);
    const kept = run(serving, [{ type: 'transfer', categoryCode: 'B', toWindow: 3, toOperator: null, keepPlace: true, ...at1(500) }]);
    expect(kept).toMatchObject({ status: 'waiting', categoryCode: 'B', place: 100, directedWindow: 3, windowNo: null });
    const last = run(serving, [{ type: 'transfer', categoryCode: 'A', toWindow: null, toOperator: 'op7', keepPlace: false, ...at1(500) }]);
    expect(last).toMatchObject({ place: 500, directedOperator: 'op7' });
    // The next window to call it takes it over: it is no longer directed.
    expect(run(kept, [{ type: 'call', windowNo: 3, operatorId: 'op3', at: 600 }])).toMatchObject({ directedWindow: null, windowNo: 3 });
  });

  it('refuses actions from the wrong status with a Chinese message', () => {
    const r = applyTicketAction(waiting, { type: 'end', ...at1(0) });
    expect(r).toMatchObject({ ok: false, reason: 'status', message: '该号码当前为“等候中”，不能结束办理' });
  });

  it('offers only the actions its window could take', () => {
    const called = run(waiting, [{ type: 'call', ...at1(0) }]);
    expect(availableTicketActions(called, 1).sort()).toEqual(['hold', 'no_show', 'recall', 'start', 'transfer']);
    expect(availableTicketActions(called, 2)).toEqual([]);
    expect(availableTicketActions(waiting, 2)).toEqual(['call']);
  });
});
