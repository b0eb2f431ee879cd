/**
 * Retry delays after failed rounds: exponential with full jitter (a random delay between 0 and the exponential
 * ceiling), so fifty counters that lost the same link do not all come back in the same second. The floor keeps an
 * unlucky draw from turning into a busy loop.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  floorMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000, floorMs: 250 };

/** The delay before retry number `attempt` (1 for the first retry); `random` returns [0, 1). */
export function backoffDelay(attempt: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.max(policy.floorMs, Math.floor(random() * ceiling));
}
