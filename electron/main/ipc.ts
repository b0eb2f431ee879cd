import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { APP_ORIGIN, IPC_EVENT, IPC_INVOKE } from '#shared/api/channels';
import type { Envelope } from '#shared/api/errors';
import type { Channel, Core } from '#core/index';

/** Only the top-level frame of our own page may call the core. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

const REFUSED: Envelope = { ok: false, error: { code: 'FORBIDDEN', message: '来源不受信任，已拒绝' } };

/**
 * One core channel (and so one session) per renderer. The payload is passed as data to
 * core.dispatch, which validates it against the contract like any other transport.
 */
export function wireIpc(core: Core, log: (msg: string, fields: Record<string, unknown>) => void): void {
  const channels = new Map<WebContents, Channel>();
  const channelFor = (contents: WebContents): Channel => {
    let channel = channels.get(contents);
    if (!channel) {
      const created = core.connect({ kind: 'ipc', label: String(contents.id) });
      created.onEvent((event) => !contents.isDestroyed() && contents.send(IPC_EVENT, event));
      contents.once('destroyed', () => {
        created.close();
        channels.delete(contents);
      });
      channels.set(contents, created);
      channel = created;
    }
    return channel;
  };

  ipcMain.handle(IPC_INVOKE, (event, method: unknown, params: unknown) => {
    if (!trustedSender(event)) {
      log('ipc refused', { url: event.senderFrame?.url });
      return REFUSED;
    }
    return channelFor(event.sender).dispatch(typeof method === 'string' ? method : '', params);
  });
}
