import { create } from 'zustand';
import type { MethodName, ParamsOf } from '#shared/api/contract';
import type { WindowView } from '#shared/api/queue';
import { client } from '../../app/client';
import { errorMessage } from '../../app/errors';

/** Counter actions that answer with the window's new view. */
export type WindowMethod = Extract<
  MethodName,
  | 'queue.callNext'
  | 'queue.call'
  | 'queue.recall'
  | 'queue.noShow'
  | 'queue.reactivate'
  | 'queue.hold'
  | 'queue.callBack'
  | 'queue.start'
  | 'queue.end'
  | 'queue.transfer'
  | 'queue.pause'
  | 'queue.resume'
  | 'queue.walkIn'
>;

interface WindowStore {
  view: WindowView | null;
  error: string | null;
  busy: boolean;
  /** Runs a counter action; true when it went through. */
  act<M extends WindowMethod>(method: M, params: ParamsOf<M>): Promise<boolean>;
  /** Reloads the view quietly (after a push): the buttons stay usable meanwhile. */
  refresh(): Promise<void>;
  clearError(): void;
}

/** This window's queue, shared by the 叫号 page and the compact QueuePanel wherever it is placed. */
export const useWindowQueue = create<WindowStore>((set) => ({
  view: null,
  error: null,
  busy: false,
  async act(method, params) {
    set({ busy: true, error: null });
    try {
      const view = (await client().call(method, params)) as WindowView;
      set({ view, busy: false });
      return true;
    } catch (err) {
      set({ error: errorMessage(err), busy: false });
      return false;
    }
  },
  async refresh() {
    try {
      set({ view: await client().call('queue.window', {}) });
    } catch (err) {
      set({ error: errorMessage(err) });
    }
  },
  clearError: () => set({ error: null }),
}));
