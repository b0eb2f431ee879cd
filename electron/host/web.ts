import { fileURLToPath } from 'node:url';
import { applyStagedRestore } from '#core/backup/staged-restore';
import { createCore, STORE_FILE } from '#core/index';
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

const restored = applyStagedRestore(dataDir, STORE_FILE, logger);
if (restored)
  process.stdout.write(`已切换到恢复的数据（${restored.backupCreatedAt} 的备份），原数据保留在数据目录的 ${restored.keptAs} 文件夹\n`);
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
