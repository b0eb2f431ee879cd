import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '#shared/transport/client';
import { memoryTransport } from '#shared/transport/memory';
import { createCore, type Core, type CoreOptions } from '../index';
import { createMemoryLogger } from '../platform/logger';
import type { Clock } from '../platform/deps';

/** A clock tests can move by hand. */
export function manualClock(start = new Date('2026-03-02T09:00:00+08:00')): Clock & { advance(ms: number): void } {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

export function tempDir(prefix = 'yichuang-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A demo-seeded core in its own temporary data folder, and a helper to open typed clients on it. */
export async function startTestCore(
  options: {
    clock?: Clock;
    dataDir?: string;
    hallLinkTiming?: CoreOptions['hallLinkTiming'];
    archiveTimers?: CoreOptions['archiveTimers'];
    restart?: CoreOptions['restart'];
  } = {},
) {
  const dataDir = options.dataDir ?? tempDir();
  const logger = createMemoryLogger();
  const core: Core = await createCore({
    dataDir,
    appVersion: 'test',
    logger,
    clock: options.clock,
    demo: true,
    hallLinkTiming: options.hallLinkTiming,
    archiveTimers: options.archiveTimers,
    restart: options.restart,
  });
  const client = (): Client => createClient(memoryTransport(core.connect({ kind: 'memory' })));
  const loggedIn = async (username: string, windowNo = 1): Promise<Client> => {
    const c = client();
    await c.call('auth.login', { username, password: `${username}123`, windowNo });
    return c;
  };
  return {
    core,
    dataDir,
    logger,
    client,
    loggedIn,
    dispose() {
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
