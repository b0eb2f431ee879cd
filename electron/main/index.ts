import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { createCore, type Core } from '#core/index';
import { printDemoCredentials } from '#core/demo/banner';
import { createPinoLogger } from '#core/platform/logger';
import { wireIpc } from './ipc';
import { registerAppScheme, serveRenderer } from './protocol';
import { installSecurityGuards } from './security';
import { createMainWindow } from './window';

/**
 * The Electron shell: windows, protocol, IPC wiring, security. Everything else is the
 * Node core, created here with Electron's paths injected.
 */
const logger = createPinoLogger({ level: process.env.LOG_LEVEL ?? 'info' }).child('main');
const log = (msg: string, fields: Record<string, unknown>) => logger.warn(msg, fields);

app.enableSandbox();
registerAppScheme();
installSecurityGuards(log);

let core: Core | undefined;

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = process.env.DATA_DIR || app.getPath('userData');
  // Demo data on an unpackaged run (npm start) or when asked for; never silently in production.
  const demo = !app.isPackaged || process.env.YICHUANG_DEMO === '1';
  core = await createCore({ dataDir, appVersion: app.getVersion(), logger, demo });
  printDemoCredentials(core.seededDemo);
  serveRenderer(join(__dirname, '..', 'renderer'));
  wireIpc(core, log);
  createMainWindow(join(__dirname, 'preload.cjs'), !app.isPackaged);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(join(__dirname, 'preload.cjs'), !app.isPackaged);
  });
}

app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => core?.close());

start().catch((err: unknown) => {
  logger.error('startup failed', { err: err instanceof Error ? err.stack : String(err) });
  app.exit(1);
});
