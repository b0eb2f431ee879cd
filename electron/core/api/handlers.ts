import type { z } from 'zod';
import type { Api, MethodName, ResultOf } from '#shared/api/contract';
import type { CoreEvent } from '#shared/api/events';
import type { Actor } from '../store/command';

/** An authenticated session bound to one connection (one window, one WebSocket, one test client). */
export interface SessionState {
  operatorId: string;
  windowNo: number;
  startedAt: string;
  locked: boolean;
  /** Milliseconds since epoch by the injected clock; drives the idle lock. */
  lastActivity: number;
}

/** Per-connection state the dispatcher hands to every handler. */
export interface Connection {
  readonly id: string;
  session: SessionState | null;
  emit(event: CoreEvent): void;
}

export interface CallContext {
  connection: Connection;
  /** The operator and window this call acts for (null operator before login). */
  actor: Actor;
  /** The hall device (a linked counter PC) this call was relayed from, when it was. */
  relayedFrom?: string;
}

export type Handler<M extends MethodName> = (params: z.output<Api[M]['params']>, ctx: CallContext) => ResultOf<M> | Promise<ResultOf<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };
