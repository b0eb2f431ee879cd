import type { Envelope } from './errors';
import type { CoreEvent } from './events';

/** The one object the Electron preload exposes to the renderer as `window.teller`. */
export interface TellerBridge {
  invoke(method: string, params: unknown): Promise<Envelope>;
  /** Returns the function that unsubscribes. */
  onEvent(listener: (event: CoreEvent) => void): () => void;
}
