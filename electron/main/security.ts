import { app, session, type WebContents } from 'electron';
import { isInternalUrl } from './trust';

/**
 * Denies everything a page might ask for: navigation away from app://teller, new
 * windows, webviews, and every permission and device chooser. Devices are reached only
 * from the core, in Node, never from the page.
 */
export function installSecurityGuards(log: (msg: string, fields: Record<string, unknown>) => void): void {
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
      log('window.open denied', { url });
      return { action: 'deny' };
    });
  });

  app.whenReady().then(
    () => {
      const ses = session.defaultSession;
      ses.setPermissionRequestHandler((_wc, permission, callback) => {
        log('permission denied', { permission });
        callback(false);
      });
      ses.setPermissionCheckHandler(() => false);
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
