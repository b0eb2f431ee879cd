import type { SyncTimers } from './sync-engine';

/**
 * Timers that fire only when a test moves time forward, together with the manual clock it passes to the core:
 * `advance(ms)` moves the clock and runs every timer due by then, in order.
 */
export function manualTimers(clock: { now(): Date; advance(ms: number): void }) {
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: SyncTimers = {
    setTimeout(fn, ms) {
      const id = nextId++;
      pending.set(id, { at: clock.now().getTime() + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    /** When each pending timer is due, earliest first (milliseconds from now). */
    due: () => [...pending.values()].map((t) => t.at - clock.now().getTime()).sort((a, b) => a - b),
    advance(ms: number): void {
      const until = clock.now().getTime() + ms;
      for (;;) {
        const [id, next] = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (id === undefined || !next || next.at > until) break;
        pending.delete(id);
        clock.advance(Math.max(0, next.at - clock.now().getTime()));
        next.fn();
      }
      clock.advance(Math.max(0, until - clock.now().getTime()));
    },
  };
}
