import { beforeEach, describe, expect, it } from 'vitest';
import type { Session, Station } from '#shared/api/contract';
import type { Envelope } from '#shared/api/errors';
import { createClient } from '#shared/transport/client';
import { memoryTransport } from '#shared/transport/memory';
import { setClient } from '../app/client';
import { useSession } from './session';

const station: Station = { code: '330106001', name: '测试站', regionCode: '330106', windows: [1, 2], idleLockMinutes: 5 };
const session: Session = {
  operator: { id: 'op1', username: 'teller', displayName: '王柜员', role: 'teller', disabled: false },
  windowNo: 2,
  locked: false,
  startedAt: '2026-03-02T01:00:00.000Z',
};

/** A fake core answering over the in-memory transport, recording what it was asked. */
function fakeCore() {
  const calls: [string, unknown][] = [];
  const answers: Record<string, (params: unknown) => Envelope> = {
    'auth.session': () => ({ ok: true, value: null }),
    'station.get': () => ({ ok: true, value: station }),
    'auth.login': (p) =>
      (p as { password: string }).password === 'teller123'
        ? { ok: true, value: session }
        : { ok: false, error: { code: 'UNAUTHENTICATED', message: '用户名或密码错误' } },
    'auth.lock': () => ({ ok: true, value: { ...session, locked: true } }),
  };
  setClient(
    createClient(
      memoryTransport({
        dispatch: async (method, params) => {
          calls.push([method, params]);
          return answers[method]!(params);
        },
        onEvent: () => () => undefined,
      }),
    ),
  );
  return calls;
}

describe('session store', () => {
  beforeEach(() => useSession.setState({ session: undefined, station: null }));

  it('loads the session and station from the core', async () => {
    fakeCore();
    await useSession.getState().load();
    expect(useSession.getState()).toMatchObject({ session: null, station });
  });

  it('keeps no session when login fails, and passes the Chinese message on', async () => {
    fakeCore();
    await useSession.getState().load();
    await expect(useSession.getState().login('teller', 'wrong', 1)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: '用户名或密码错误',
    });
    expect(useSession.getState().session).toBeNull();
  });

  it('holds the session after login and its locked state after lock', async () => {
    const calls = fakeCore();
    await useSession.getState().login('teller', 'teller123', 2);
    expect(useSession.getState().session).toEqual(session);
    expect(calls).toContainEqual(['auth.login', { username: 'teller', password: 'teller123', windowNo: 2 }]);
    await useSession.getState().lock();
    expect(useSession.getState().session?.locked).toBe(true);
  });
});
