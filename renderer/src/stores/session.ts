import { create } from 'zustand';
import type { Session, Station } from '#shared/api/contract';
import { client } from '../app/client';

interface SessionStore {
  /** undefined until the first answer from the core. */
  session: Session | null | undefined;
  station: Station | null;
  load(): Promise<void>;
  setSession(session: Session | null): void;
  login(username: string, password: string, windowNo: number): Promise<void>;
  logout(): Promise<void>;
  lock(): Promise<void>;
  unlock(password: string): Promise<void>;
}

export const useSession = create<SessionStore>((set) => ({
  session: undefined,
  station: null,
  async load() {
    // A fresh PC has no station until it is enrolled: the login page then offers the first enrolment.
    const [session, station] = await Promise.all([
      client().call('auth.session', {}),
      client()
        .call('station.get', {})
        .catch(() => null),
    ]);
    set({ session, station });
  },
  setSession: (session) => set({ session }),
  async login(username, password, windowNo) {
    set({ session: await client().call('auth.login', { username, password, windowNo }) });
  },
  async logout() {
    await client().call('auth.logout', {});
    set({ session: null });
  },
  async lock() {
    set({ session: await client().call('auth.lock', {}) });
  },
  async unlock(password) {
    set({ session: await client().call('auth.unlock', { password }) });
  },
}));
