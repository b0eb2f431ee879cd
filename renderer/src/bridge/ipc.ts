import type { TellerBridge } from '#shared/api/bridge';
import type { Transport } from '#shared/transport/transport';

declare global {
  interface Window {
    /** Present only inside Electron, put there by the preload. */
    readonly teller?: TellerBridge;
  }
}

/** Electron IPC through the preload's frozen `teller` object. */
export function ipcTransport(bridge: TellerBridge): Transport {
  return {
    invoke: (method, params) => bridge.invoke(method, params),
    subscribe: (listener) => bridge.onEvent(listener),
  };
}
