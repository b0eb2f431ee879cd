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

/** A hall screen page of ours (`app://teller/…?device=display&key=…`) that may open as its own window. */
export function isHallScreenUrl(url: string): boolean {
  if (!isInternalUrl(url)) return false;
  const u = new URL(url);
  return u.searchParams.get('device') === 'display' && (u.searchParams.get('key') ?? '').length > 0;
}

/** A permission request or check as the session handlers see it, reduced to what the decision needs. */
export interface PermissionAsk {
  permission: string;
  /** The URL (or origin) of the frame asking. */
  url: string;
  isMainFrame: boolean;
  /** 'video', 'audio' (or 'unknown' in a check) for a media permission; empty for the others. */
  mediaTypes: readonly string[];
}

/**
 * The one permission a page gets: the document camera (高拍仪, a USB video camera) for our own top-level page, video
 * only. Microphones, screens, notifications and everything else stay denied.
 */
export function isPermissionAllowed(ask: PermissionAsk): boolean {
  return (
    ask.permission === 'media' &&
    ask.isMainFrame &&
    isInternalUrl(ask.url) &&
    ask.mediaTypes.length > 0 &&
    ask.mediaTypes.every((t) => t === 'video')
  );
}
