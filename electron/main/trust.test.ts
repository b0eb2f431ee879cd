import { describe, expect, it } from 'vitest';
import { isInternalUrl, isTrustedSender } from './trust';

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
});
