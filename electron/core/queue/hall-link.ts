import WebSocket from 'ws';
import { WS_PATH } from '#shared/api/channels';
import { ApiError } from '#shared/api/errors';
import type { CoreEvent } from '#shared/api/events';
import type { HallLinkStatus, HandedOverVisit, RelayedQueueMethod } from '#shared/api/queue';
import type { Logger } from '#shared/log/logger';
import type { WsServerFrame } from '#shared/transport/ws-protocol';
import type { Clock } from '../platform/deps';

export interface HallLinkConfig {
  url: string;
  key: string;
}

export interface HallLinkTiming {
  /** A host that does not answer a call within this is treated as gone. */
  requestTimeoutMs: number;
  /** Ping period; a host that misses one pong is treated as gone. */
  heartbeatMs: number;
  /** Reconnect delay bounds: doubles from min up to max, with jitter. */
  retryMinMs: number;
  retryMaxMs: number;
}

export const DEFAULT_HALL_LINK_TIMING: HallLinkTiming = {
  requestTimeoutMs: 8_000,
  heartbeatMs: 10_000,
  retryMinMs: 1_000,
  retryMaxMs: 30_000,
};

export interface HallLinkDeps {
  clock: Clock;
  logger: Logger;
  timing?: Partial<HallLinkTiming>;
  /** Every state change, for the counter's own screens. */
  onStatus(status: HallLinkStatus): void;
  /** The host's pushes (snapshot, calls) for the counter's own subscribers. */
  onHostEvent(event: CoreEvent): void;
  /** Stand-in visits not yet taken by the host, oldest first. */
  pendingVisits(limit: number): HandedOverVisit[];
  pendingCount(): number;
  markHandedOver(ticketIds: string[]): void;
}

const HAND_OVER_BATCH = 50;

/**
 * The counter side of the hall link: one WebSocket to the hall host, paired as this counter device, re-paired and
 * re-subscribed after every reconnect. Calls fail fast with HALL_OFFLINE while it is down, so the teller is told at
 * once instead of waiting; walk-ins served meanwhile are handed over as soon as it is back.
 */
export function createHallLink(deps: HallLinkDeps) {
  const timing = { ...DEFAULT_HALL_LINK_TIMING, ...deps.timing };
  const log = deps.logger.child('hall-link');
  let config: HallLinkConfig | null = null;
  let state: HallLinkStatus['state'] = 'host';
  let since: string | null = null;
  let error: string | null = null;
  let windowNo: number | null = null;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let handingOver = false;
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void; timer: ReturnType<typeof setTimeout> }>();

  const status = (): HallLinkStatus => ({
    state,
    url: config?.url ?? null,
    windowNo,
    since,
    error,
    pendingVisits: config ? deps.pendingCount() : 0,
  });
  const announce = () => deps.onStatus(status());

  function setState(next: HallLinkStatus['state'], why: string | null = error): void {
    const changed = next !== state || why !== error;
    if (next !== state) since = next === 'host' ? null : deps.clock.now().toISOString();
    state = next;
    error = why;
    if (changed) announce();
  }

  function call(method: string, params: unknown, ws: WebSocket | null = socket): Promise<unknown> {
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new ApiError('HALL_OFFLINE'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new ApiError('HALL_OFFLINE', '大厅主机没有响应，请稍后重试'));
        ws.terminate();
      }, timing.requestTimeoutMs);
      pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ id, method, params }));
    });
  }

  function onFrame(data: WebSocket.RawData): void {
    let frame: WsServerFrame;
    try {
      frame = JSON.parse(data.toString()) as WsServerFrame;
    } catch {
      return;
    }
    if (frame.kind === 'event') {
      if (frame.event.type === 'hall.unpaired') {
        setState('offline', frame.event.message);
        socket?.terminate();
      } else deps.onHostEvent(frame.event);
      return;
    }
    const waiter = pending.get(frame.id);
    if (!waiter) return;
    pending.delete(frame.id);
    clearTimeout(waiter.timer);
    if (frame.envelope.ok) waiter.resolve(frame.envelope.value);
    else waiter.reject(ApiError.fromData(frame.envelope.error));
  }

  function connect(): void {
    if (!config) return;
    const target = config;
    setState('connecting');
    const origin = new URL(target.url).origin;
    const ws = new WebSocket(new URL(WS_PATH, origin.replace(/^http/, 'ws')).href, { origin, handshakeTimeout: timing.requestTimeoutMs });
    socket = ws;
    let alive = true;
    ws.on('message', onFrame);
    ws.on('pong', () => (alive = true));
    ws.on('error', (err) => {
      error = `无法连接大厅主机（${err.message}），请检查网络或主机是否开启`;
    });
    ws.on('open', () => {
      heartbeat = setInterval(() => {
        if (!alive) return ws.terminate();
        alive = false;
        ws.ping();
      }, timing.heartbeatMs);
      void (async () => {
        try {
          const paired = (await call('hall.pair', { kind: 'counter', key: target.key }, ws)) as { windowNo: number | null };
          await call('queue.subscribe', {}, ws);
          windowNo = paired.windowNo;
          attempt = 0;
          setState('online', null);
          log.info('hall link online', { url: target.url, windowNo });
          handOverSoon();
        } catch (err) {
          error = err instanceof ApiError ? err.message : String(err);
          ws.terminate();
        }
      })();
    });
    ws.on('close', () => {
      clearInterval(heartbeat);
      for (const [id, waiter] of pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new ApiError('HALL_OFFLINE'));
        pending.delete(id);
      }
      if (socket !== ws) return;
      socket = null;
      if (config !== target) return;
      setState('offline', error ?? '与大厅主机的连接已断开，正在重新连接');
      // Full jitter, so the counters of a hall do not all reconnect in the same instant after the host restarts.
      const ceiling = Math.min(timing.retryMaxMs, timing.retryMinMs * 2 ** attempt++);
      retry = setTimeout(connect, timing.retryMinMs / 2 + Math.random() * (ceiling - timing.retryMinMs / 2));
    });
  }

  function disconnect(): void {
    clearTimeout(retry);
    const ws = socket;
    socket = null;
    ws?.terminate();
  }

  /** Hands the stand-in visits to the host, batch by batch; the host takes each once, so a resend is harmless. */
  function handOverSoon(): void {
    if (handingOver || state !== 'online') return;
    handingOver = true;
    void (async () => {
      try {
        for (let visits = deps.pendingVisits(HAND_OVER_BATCH); visits.length > 0; visits = deps.pendingVisits(HAND_OVER_BATCH)) {
          const { taken } = (await call('hall.handOver', { visits })) as { taken: string[] };
          deps.markHandedOver(taken);
          log.info('visits handed over', { count: taken.length });
          if (taken.length === 0) break;
        }
      } catch (err) {
        log.warn('hand-over failed; retried on the next reconnect or visit', { error: String(err) });
      } finally {
        handingOver = false;
        announce();
      }
    })();
  }

  return {
    status,
    /** Linked to a host (whether or not it is reachable now). */
    linked: () => config !== null,
    online: () => state === 'online',
    /** The window the host enrolled this counter for, once paired. */
    windowNo: () => windowNo,
    configure(next: HallLinkConfig | null): void {
      disconnect();
      config = next;
      windowNo = null;
      attempt = 0;
      if (next) connect();
      else setState('host', null);
    },
    async relay(method: RelayedQueueMethod, params: unknown, operator: string | null): Promise<unknown> {
      if (state !== 'online') throw new ApiError('HALL_OFFLINE');
      return call('hall.relay', { method, params, operator });
    },
    handOverSoon,
    /** Announces the pending count after a stand-in visit ends. */
    changed: announce,
    close(): void {
      config = null;
      disconnect();
    },
  };
}
export type HallLink = ReturnType<typeof createHallLink>;
