import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { applyStagedRestore } from '#core/backup/staged-restore';
import { createCore, STORE_FILE, type Core } from '#core/index';
import { printDemoCredentials } from '#core/demo/banner';
import { createPinoLogger } from '#core/platform/logger';
import { wireIpc } from './ipc';
import { registerAppScheme, serveRenderer } from './protocol';
import { installSecurityGuards } from './security';
import { createMainWindow, openHallScreen } from './window';

/**
 * The Electron shell: windows, protocol, IPC wiring, security. Everything else is the
 * Node core, created here with Electron's paths injected.
 */
const logger = createPinoLogger({ level: process.env.LOG_LEVEL ?? 'info' }).child('main');
const log = (msg: string, fields: Record<string, unknown>) => logger.warn(msg, fields);

const preloadPath = join(__dirname, 'preload.cjs');

app.enableSandbox();
registerAppScheme();
installSecurityGuards(log, (url) => openHallScreen(url, preloadPath, !app.isPackaged));

let core: Core | undefined;

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = process.env.DATA_DIR || app.getPath('userData');
  // Demo data on an unpackaged run (npm start) or when asked for; never silently in production.
  const demo = !app.isPackaged || process.env.YICHUANG_DEMO === '1';
  // A restore staged from the UI takes the store's place before the core opens it.
  applyStagedRestore(dataDir, STORE_FILE, logger);
  core = await createCore({
    dataDir,
    appVersion: app.getVersion(),
    logger,
    demo,
    // Quitting closes the core (will-quit); the new instance switches to the staged restore as it starts.
    restart: () => {
      app.relaunch();
      app.quit();
    },
  });
  printDemoCredentials(core.seededDemo);
  serveRenderer(join(__dirname, '..', 'renderer'));
  wireIpc(core, log);
  createMainWindow(preloadPath, !app.isPackaged);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(preloadPath, !app.isPackaged);
  });
}

app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => core?.close());

start().catch((err: unknown) => {
  logger.error('startup failed', { err: err instanceof Error ? err.stack : String(err) });
  app.exit(1);
});
