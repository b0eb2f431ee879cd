import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { TellerBridge } from '#shared/api/bridge';
import { IPC_EVENT, IPC_INVOKE } from '#shared/api/channels';
import type { CoreEvent } from '#shared/api/events';

/**
 * The renderer's only door to the core: two named functions, frozen. No raw
 * ipcRenderer, no generic send, no other channel.
 */
const teller: TellerBridge = Object.freeze({
  invoke: (method: string, params: unknown) => ipcRenderer.invoke(IPC_INVOKE, String(method), params),
  onEvent(listener: (event: CoreEvent) => void) {
    const handler = (_event: IpcRendererEvent, payload: CoreEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => void ipcRenderer.removeListener(IPC_EVENT, handler);
  },
});

contextBridge.exposeInMainWorld('teller', teller);
