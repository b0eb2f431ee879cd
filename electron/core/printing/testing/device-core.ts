import { rmSync } from 'node:fs';
import type { CoreEvent } from '#shared/api/events';
import { createClient, type Client } from '#shared/transport/client';
import { memoryTransport } from '#shared/transport/memory';
import { createCore, type Core } from '../../index';
import { createMemoryLogger } from '../../platform/logger';
import { tempDir } from '../../testing/fixture';
import type { DeviceSettings } from '../../system/devices';

/** Device pauses short enough for tests: retries from 20 ms, status every 30 ms, reader polls every 10 ms, answers within 300 ms. */
export const FAST_DEVICES = {
  printing: { retryBaseMs: 20, retryMaxMs: 200, statusIntervalMs: 30, writeTimeoutMs: 5000 },
  readers: { pollIntervalMs: 10, reconnectIntervalMs: 30, readTimeoutMs: 2000, answerTimeoutMs: 300 },
};

/** Events of one client, with a way to wait for the next one that matches. */
export function eventsOf(client: Client) {
  const seen: CoreEvent[] = [];
  const waiters: Array<{ test: (e: CoreEvent) => boolean; resolve: (e: CoreEvent) => void }> = [];
  client.onEvent((event) => {
    seen.push(event);
    for (const w of waiters.filter((w) => w.test(event))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(event);
    }
  });
  return {
    seen,
    /** The next event of `type` that `test` accepts (register before causing it). */
    next<T extends CoreEvent['type']>(type: T, test: (e: Extract<CoreEvent, { type: T }>) => boolean = () => true) {
      return new Promise<Extract<CoreEvent, { type: T }>>((resolve) =>
        waiters.push({
          test: (e) => e.type === type && test(e as Extract<CoreEvent, { type: T }>),
          resolve: resolve as (e: CoreEvent) => void,
        }),
      );
    },
  };
}

/** A demo core with fast device timing in its own data folder (or `dataDir`, to restart on the same store). */
export async function startDeviceCore(options: { dataDir?: string; devices?: DeviceSettings } = {}) {
  const dataDir = options.dataDir ?? tempDir();
  const core: Core = await createCore({
    dataDir,
    appVersion: 'test',
    logger: createMemoryLogger(),
    demo: true,
    devices: options.devices,
    deviceTiming: FAST_DEVICES,
  });
  const loggedIn = async (username: string, windowNo = 1): Promise<Client> => {
    const client = createClient(memoryTransport(core.connect({ kind: 'memory' })));
    await client.call('auth.login', { username, password: `${username}123`, windowNo });
    return client;
  };
  let open = true;
  /** Closes the core and keeps the data folder (for a restart). */
  const close = () => {
    if (open) core.close();
    open = false;
  };
  return {
    core,
    dataDir,
    loggedIn,
    close,
    dispose() {
      close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
