/** IPC channel names shared by the preload and the main process. Only these exist. */
export const IPC_INVOKE = 'teller:invoke';
export const IPC_EVENT = 'teller:event';
/** The custom scheme the renderer is served from inside Electron. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://teller';
/** WebSocket path of the API when the core runs under plain Node. */
export const WS_PATH = '/api';
