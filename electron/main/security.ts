import { app, session, type WebContents } from 'electron';
import { isHallScreenUrl, isInternalUrl, isPermissionAllowed } from './trust';

/**
 * Denies everything a page might ask for: navigation away from app://teller, new
 * windows (but our hall display), webviews, and every permission (but the camera for our own page, video only: the
 * document camera) and device chooser. Other devices are reached only from the core, in Node, never from the page.
 */
export function installSecurityGuards(
  log: (msg: string, fields: Record<string, unknown>) => void,
  /** Opens our own hall display page in a window of its own (the second screen); every other window.open is denied. */
  openHallScreen: (url: string) => void,
): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    const guard = (kind: string) => (event: { preventDefault(): void }, url: string) => {
      if (!isInternalUrl(url)) {
        event.preventDefault();
        log('navigation blocked', { kind, url });
      }
    };
    contents.on('will-navigate', guard('will-navigate'));
    contents.on('will-frame-navigate', (event) => guard('will-frame-navigate')(event, event.url));
    contents.on('will-redirect', guard('will-redirect'));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Denied either way: the shell creates the display window itself, with the same locked-down preferences.
      if (isHallScreenUrl(url)) openHallScreen(url);
      else log('window.open denied', { url });
      return { action: 'deny' };
    });
  });

  app.whenReady().then(
    () => {
      const ses = session.defaultSession;
      ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
        const allowed = isPermissionAllowed({
          permission,
          url: details.requestingUrl,
          isMainFrame: details.isMainFrame,
          mediaTypes: 'mediaTypes' in details ? (details.mediaTypes ?? []) : [],
        });
        if (!allowed) log('permission denied', { permission, url: details.requestingUrl });
        callback(allowed);
      });
      ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
        isPermissionAllowed({
          permission,
          url: requestingOrigin,
          isMainFrame: details.isMainFrame,
          mediaTypes: details.mediaType ? [details.mediaType] : [],
        }),
      );
      ses.setDevicePermissionHandler(() => false);
      // Device choosers get an empty answer: the page never picks a port or device.
      ses.on('select-serial-port', (event, _ports, _wc, callback) => {
        event.preventDefault();
        callback('');
      });
      ses.on('select-hid-device', (event, _details, callback) => {
        event.preventDefault();
        callback();
      });
      ses.on('select-usb-device', (event, _details, callback) => {
        event.preventDefault();
        callback();
      });
    },
    () => undefined,
  );
}
