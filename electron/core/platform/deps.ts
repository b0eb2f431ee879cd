import type { Logger } from '#shared/log/logger';

/** The clock is injected so tests and a wrong device clock can be simulated. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What every service of the core is built with. */
export interface CoreDeps {
  clock: Clock;
  newId: () => string;
  logger: Logger;
}
