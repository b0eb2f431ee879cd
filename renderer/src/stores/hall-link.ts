import { create } from 'zustand';
import type { HallLinkStatus } from '#shared/api/queue';
import { client } from '../app/client';

interface HallLinkStore {
  status: HallLinkStatus | null;
  /** Loads the link's state and follows its changes; returns the unsubscribe function. */
  connect(): () => void;
  set(status: HallLinkStatus): void;
}

/** Where this PC's queue lives and whether it is reachable: the hall host itself, or a link to one that may be down. */
export const useHallLink = create<HallLinkStore>((set) => ({
  status: null,
  connect() {
    void client()
      .call('hall.link', {})
      .then(
        (status) => set({ status }),
        () => undefined,
      );
    return client().onEvent((e) => {
      if (e.type === 'hall.link') set({ status: e.status });
    });
  },
  set: (status) => set({ status }),
}));
