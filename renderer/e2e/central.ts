import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startService, type Service } from './service';

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
  const env = { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' };
  let service: Service | null = null;

  return {
    url: `http://127.0.0.1:${port}`,
    /** One administrator command (`npm run central -- …`), returning what it printed. */
    async admin(...args: string[]): Promise<string> {
      return (await run(process.execPath, ['--import', 'tsx', 'server/src/main.ts', ...args], { env: { ...process.env, ...env } })).stdout;
    },
    async start(): Promise<void> {
      service = await startService('server/src/main.ts', { ...env, LOG_LEVEL: 'info' }, /central sync gateway ready/, 'central');
    },
    async stop(): Promise<void> {
      await service?.kill('SIGTERM');
      service = null;
    },
    async dispose(): Promise<void> {
      await this.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
