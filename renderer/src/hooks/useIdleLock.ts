import { useEffect } from 'react';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` once no keyboard or pointer activity has happened for `minutes`.
 * The core enforces the same limit, so this only makes the lock visible on time.
 */
export function useIdleLock(minutes: number | undefined, active: boolean, onIdle: () => void): void {
  useEffect(() => {
    if (!active || !minutes) return;
    let timer = window.setTimeout(onIdle, minutes * 60_000);
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(onIdle, minutes * 60_000);
    };
    ACTIVITY.forEach((e) => window.addEventListener(e, reset, { passive: true }));
    return () => {
      window.clearTimeout(timer);
      ACTIVITY.forEach((e) => window.removeEventListener(e, reset));
    };
  }, [minutes, active, onIdle]);
}
