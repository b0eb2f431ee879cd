import { WS_PATH } from '#shared/api/channels';
import type { Envelope } from '#shared/api/errors';
import type { CoreEvent } from '#shared/api/events';
import type { Transport } from '#shared/transport/transport';
import type { WsServerFrame } from '#shared/transport/ws-protocol';

const DISCONNECTED: Envelope = { ok: false, error: { code: 'INTERNAL', message: '与服务的连接已断开，正在重新连接…' } };

/**
 * WebSocket to the core under plain Node. Reconnects with backoff; a reconnect is a new
 * channel with no session, which the UI learns through a session.changed event.
 */
export function wsTransport(url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`): Transport {
  const listeners = new Set<(event: CoreEvent) => void>();
  const pending = new Map<number, (envelope: Envelope) => void>();
  let nextId = 1;
  let socket: WebSocket;
  const openWaiters: (() => void)[] = [];
  let retry = 0;
  let connectedOnce = false;

  function connect() {
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      retry = 0;
      openWaiters.splice(0).forEach((wake) => wake());
      if (connectedOnce) listeners.forEach((l) => l({ type: 'session.changed', session: null }));
      connectedOnce = true;
    });
    socket.addEventListener('message', (msg) => {
      const frame = JSON.parse(String(msg.data)) as WsServerFrame;
      if (frame.kind === 'event') listeners.forEach((l) => l(frame.event));
      else {
        pending.get(frame.id)?.(frame.envelope);
        pending.delete(frame.id);
      }
    });
    socket.addEventListener('close', () => {
      pending.forEach((settle) => settle(DISCONNECTED));
      pending.clear();
      setTimeout(connect, Math.min(10_000, 250 * 2 ** retry++));
    });
  }
  connect();

  return {
    async invoke(method, params) {
      if (socket.readyState !== WebSocket.OPEN) await new Promise<void>((wake) => openWaiters.push(wake));
      const id = nextId++;
      return new Promise<Envelope>((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
