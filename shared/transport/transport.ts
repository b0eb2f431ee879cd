import type { Envelope } from '../api/errors';
import type { CoreEvent } from '../api/events';

/**
 * How the renderer reaches the core. Three implementations: Electron IPC through the
 * preload, a WebSocket to the core under plain Node, and in-memory for tests.
 */
export interface Transport {
  invoke(method: string, params: unknown): Promise<Envelope>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: CoreEvent) => void): () => void;
}
