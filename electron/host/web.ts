import { fileURLToPath } from 'node:url';
import { createCore } from '#core/index';
import { defaultDataDir } from '#core/platform/data-dir';
import { createPinoLogger } from '#core/platform/logger';
import { printDemoCredentials } from '#core/demo/banner';
import { startHost } from './server';

/**
 * `npm run web`: the core under plain Node, serving the built renderer and the API on
 * 127.0.0.1. This is how the UI runs in a browser and how tests drive it.
 */
const dataDir = process.env.DATA_DIR || defaultDataDir();
const port = Number(process.env.PORT ?? 5180);
const host = process.env.HOST || '127.0.0.1';
const logger = createPinoLogger({ level: process.env.LOG_LEVEL ?? 'info' });

const core = await createCore({ dataDir, appVersion: process.env.npm_package_version ?? '0.0.0', logger, demo: process.env.DEMO !== '0' });
const server = await startHost({ core, staticDir: fileURLToPath(new URL('../../dist/renderer', import.meta.url)), port, host, logger });

printDemoCredentials(core.seededDemo);
process.stdout.write(`一窗通已启动：${server.url}\n数据目录：${dataDir}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  core.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
