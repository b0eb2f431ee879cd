import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A free loopback port, so the central office keeps its address across a stop and a start. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `npm run central` on embedded SQLite in its own folder: administrator commands run as the CLI runs them, and the
 * service can be stopped and started again on the same address and data.
 */
export async function centralOffice() {
  const dataDir = mkdtempSync(join(tmpdir(), 'yichuang-e2e-central-'));
  const port = await freePort();
  const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' };
  const entry = ['--import', 'tsx', 'server/src/main.ts'];
  let child: ChildProcess | null = null;

  return {
    url: `http://127.0.0.1:${port}`,
    /** One administrator command (`npm run central -- …`), returning what it printed. */
    async admin(...args: string[]): Promise<string> {
      return (await run(process.execPath, [...entry, ...args], { env })).stdout;
    },
    async start(): Promise<void> {
      const started = spawn(process.execPath, entry, { env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      let output = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`central did not start:\n${output}`)), 30_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('central sync gateway ready')) {
            clearTimeout(timer);
            resolve();
          }
        };
        started.stdout!.on('data', onData);
        started.stderr!.on('data', onData);
        started.once('exit', (code) => reject(new Error(`central exited with ${code}:\n${output}`)));
      });
    },
    async stop(): Promise<void> {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
    },
    async dispose(): Promise<void> {
      await this.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
