import { ipcMain, type WebContents } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '#shared/api/channels';
import type { Envelope } from '#shared/api/errors';
import type { Channel, Core } from '#core/index';
import { isTrustedSender } from './trust';

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
    if (!isTrustedSender(event)) {
      log('ipc refused', { url: event.senderFrame?.url });
      return REFUSED;
    }
    return channelFor(event.sender).dispatch(typeof method === 'string' ? method : '', params);
  });
}
