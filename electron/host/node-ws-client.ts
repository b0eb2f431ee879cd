import WebSocket from 'ws';
import { WS_PATH } from '#shared/api/channels';
import type { Envelope } from '#shared/api/errors';
import type { CoreEvent } from '#shared/api/events';
import { createClient, type Client } from '#shared/transport/client';
import type { WsServerFrame } from '#shared/transport/ws-protocol';

/**
 * A typed API client over a real WebSocket to a host, as a LAN counter or hall device would open it: for tests and
 * benches that must go through the wire. The browser's Origin header is sent so the host's same-origin check passes.
 */
export async function connectWs(hostUrl: string): Promise<Client & { close(): void }> {
  const ws = new WebSocket(new URL(WS_PATH, hostUrl.replace(/^http/, 'ws')).href, { origin: hostUrl.replace(/\/$/, '') });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const pending = new Map<number, (e: Envelope) => void>();
  const listeners = new Set<(event: CoreEvent) => void>();
  let nextId = 1;
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as WsServerFrame;
    if (frame.kind === 'event') listeners.forEach((l) => l(frame.event));
    else {
      pending.get(frame.id)?.(frame.envelope);
      pending.delete(frame.id);
    }
  });
  const client = createClient({
    invoke: (method, params) =>
      new Promise<Envelope>((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  return { ...client, close: () => ws.close() };
}
