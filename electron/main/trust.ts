import type { IpcMainInvokeEvent } from 'electron';
import { APP_ORIGIN } from '#shared/api/channels';

/**
 * Is this URL one of our own pages (app://teller/...)? Compared by scheme and host:
 * Node's URL reports origin "null" for schemes it does not know, such as app:.
 */
export function isInternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Only the top-level frame of our own page may call the core; iframes and other origins may not. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): boolean {
  const frame = event.senderFrame;
  return !!frame && frame === event.sender.mainFrame && isInternalUrl(frame.url);
}
