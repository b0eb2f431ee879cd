import type { Client } from '#shared/transport/client';
import type { Transport } from '#shared/transport/transport';
import { ipcTransport } from '../bridge/ipc';
import { wsTransport } from '../bridge/ws';

/** Inside Electron the preload provides `window.teller`; in a browser the core is a WebSocket away. */
export function defaultTransport(): Transport {
  return window.teller ? ipcTransport(window.teller) : wsTransport();
}

let current: Client | undefined;

export function setClient(client: Client): void {
  current = client;
}

export function client(): Client {
  if (!current) throw new Error('client not set');
  return current;
}
