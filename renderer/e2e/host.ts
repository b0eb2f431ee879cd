import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from './service';

export interface RunningHost {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
  /** Pulls the plug (SIGKILL) and keeps the data folder, to start again on it. */
  crash(): Promise<void>;
}

/**
 * Starts `npm run web`'s entry point on a free port with its own empty data folder, so every test begins from a
 * freshly seeded demo station (or, `demo: false`, a PC just installed); or again on a crashed host's folder and port.
 */
export async function startHost(options: { dataDir?: string; port?: number; demo?: boolean } = {}): Promise<RunningHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'yichuang-e2e-'));
  const env = { DATA_DIR: dataDir, PORT: String(options.port ?? 0), LOG_LEVEL: 'warn', DEMO: options.demo === false ? '0' : '1' };
  const host = await startService('electron/host/web.ts', env, /一窗通已启动：(http:\S+)/, 'host');
  return {
    url: host.ready[1]!,
    dataDir,
    async stop() {
      await host.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
    crash: () => host.kill('SIGKILL'),
  };
}
