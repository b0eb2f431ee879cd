import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'electron/host/web.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(options.port ?? 0),
      LOG_LEVEL: 'warn',
      DEMO: options.demo === false ? '0' : '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /一窗通已启动：(http:\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`host exited with ${code}:\n${output}`)));
  });
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  return {
    url,
    dataDir,
    async stop() {
      await kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
    crash: () => kill('SIGKILL'),
  };
}
