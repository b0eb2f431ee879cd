import { create } from 'zustand';
import type { SyncStatus } from '#shared/api/sync';
import { client } from '../app/client';

interface SyncStore {
  status: SyncStatus | null;
  /** Loads the state and follows the core's sync events; returns the unsubscribe function. */
  connect(): () => void;
  set(status: SyncStatus): void;
}

/** Where this PC stands with the central office: what the header shows at all times and the 数据同步 page details. */
export const useSync = create<SyncStore>((set) => ({
  status: null,
  connect() {
    void client()
      .call('sync.status', {})
      .then((status) => set({ status }), () => undefined);
    return client().onEvent((e) => {
      if (e.type === 'sync.status') set({ status: e.status });
    });
  },
  set: (status) => set({ status }),
}));
