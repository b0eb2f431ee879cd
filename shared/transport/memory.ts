import type { CoreEvent } from '../api/events';
import type { Envelope } from '../api/errors';
import type { Transport } from './transport';

/** Something that answers calls and pushes events: a core channel, or a fake in component tests. */
export interface MemoryPeer {
  dispatch(method: string, params: unknown): Promise<Envelope>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
}

/** JSON round trip: exactly what a serialising transport delivers. */
function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * In-memory transport. Params and results are cloned so a test sees exactly what a
 * serialising transport would deliver (no shared object identity, no functions).
 */
export function memoryTransport(peer: MemoryPeer): Transport {
  return {
    async invoke(method, params) {
      const envelope = await peer.dispatch(method, cloneJson(params));
      return cloneJson(envelope);
    },
    subscribe: (listener) => peer.onEvent((event) => listener(cloneJson(event))),
  };
}
