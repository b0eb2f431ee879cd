import { describe, expect, it } from 'vitest';
import { isHallScreenUrl, isInternalUrl, isPermissionAllowed, isTrustedSender } from './trust';

type Frame = { url: string };
const event = (frame: Frame | null, mainFrame: Frame) =>
  ({ senderFrame: frame, sender: { mainFrame } }) as unknown as Parameters<typeof isTrustedSender>[0];

describe('IPC sender trust', () => {
  const main = { url: 'app://teller/index.html' };

  it('accepts the top-level frame of app://teller', () => {
    expect(isTrustedSender(event(main, main))).toBe(true);
  });

  it('refuses a sub-frame even of our own origin', () => {
    expect(isTrustedSender(event({ url: 'app://teller/index.html' }, main))).toBe(false);
  });

  it('refuses another origin in the top-level frame', () => {
    const evil = { url: 'https://evil.example/' };
    expect(isTrustedSender(event(evil, evil))).toBe(false);
    const file = { url: 'file:///etc/passwd' };
    expect(isTrustedSender(event(file, file))).toBe(false);
  });

  it('refuses a destroyed frame', () => {
    expect(isTrustedSender(event(null, main))).toBe(false);
  });

  it('treats only app://teller as internal', () => {
    expect(isInternalUrl('app://teller/#/workbench')).toBe(true);
    expect(isInternalUrl('app://other/')).toBe(false);
    expect(isInternalUrl('https://teller/')).toBe(false);
    expect(isInternalUrl('not a url')).toBe(false);
  });

  it('lets only our own hall display page open as a second window', () => {
    expect(isHallScreenUrl('app://teller/?device=display&key=0123456789abcdef')).toBe(true);
    expect(isHallScreenUrl('app://teller/?device=kiosk&key=0123456789abcdef')).toBe(false);
    expect(isHallScreenUrl('app://teller/?device=display')).toBe(false);
    expect(isHallScreenUrl('https://evil.example/?device=display&key=0123456789abcdef')).toBe(false);
  });

  it('grants only the camera, video only, to the top-level frame of app://teller', () => {
    const ask = { permission: 'media', url: 'app://teller/#/workbench', isMainFrame: true, mediaTypes: ['video'] };
    expect(isPermissionAllowed(ask)).toBe(true);
    expect(isPermissionAllowed({ ...ask, url: 'app://teller' })).toBe(true);
    expect(isPermissionAllowed({ ...ask, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(isPermissionAllowed({ ...ask, mediaTypes: ['audio'] })).toBe(false);
    expect(isPermissionAllowed({ ...ask, mediaTypes: ['unknown'] })).toBe(false);
    expect(isPermissionAllowed({ ...ask, mediaTypes: [] })).toBe(false);
    expect(isPermissionAllowed({ ...ask, isMainFrame: false })).toBe(false);
    expect(isPermissionAllowed({ ...ask, url: 'https://evil.example/' })).toBe(false);
    for (const permission of ['notifications', 'geolocation', 'display-capture', 'clipboard-read', 'openExternal']) {
      expect(isPermissionAllowed({ ...ask, permission })).toBe(false);
    }
  });
});
