import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { startHost } from './host';
import { LoginPage } from './page-models/login';
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

/** The township station the central office registers in these tests. */
const STATION = '330106001';

/** An account the central office issues to the station (`operator put`). */
export interface CentralAccount {
  username: string;
  name: string;
  role: 'teller' | 'reviewer' | 'admin';
  password: string;
}

/**
 * A central office with the township station and its `accounts`, and a PC just installed (no demo data) enrolled to it
 * from its login page; the central office is left running. `dispose` stops both.
 */
export async function enrolledStation(page: Page, accounts: readonly CentralAccount[]) {
  const central = await centralOffice();
  const station = await startHost({ demo: false });
  const loginPage = new LoginPage(page, station.url);
  const dispose = async () => {
    await station.stop();
    await central.dispose();
  };
  try {
    await central.admin('station', 'add', '--code', STATION, '--name', '文新街道社保服务站', '--region', '330106');
    for (const a of accounts) {
      await central.admin(
        'operator',
        'put',
        '--station',
        STATION,
        '--username',
        a.username,
        '--name',
        a.name,
        '--role',
        a.role,
        '--password',
        a.password,
      );
    }
    const code = /：(\S+)\s*$/.exec(await central.admin('enrol', '--station', STATION))![1]!;
    await central.start();
    await loginPage.open();
    await loginPage.enrol(central.url, code);
  } catch (err) {
    await dispose();
    throw err;
  }
  return { central, loginPage, dispose };
}
