import { BrowserWindow, screen, type WebPreferences } from 'electron';
import { APP_ORIGIN } from '#shared/api/channels';

/** The same locked-down preferences for every window of ours: sandboxed, isolated, no Node. */
function secureWebPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    devTools,
    spellcheck: false,
  };
}

export function createMainWindow(preloadPath: string, devTools: boolean): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 800,
    minWidth: 1024,
    minHeight: 680,
    title: '一窗通',
    show: false,
    backgroundColor: '#f2f4f7',
    webPreferences: secureWebPreferences(preloadPath, devTools),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

let hallScreen: BrowserWindow | null = null;

/**
 * The hall display as a second window, full screen on the second monitor when there is one (the one facing the
 * hall); opened again, it reloads with the new address instead of stacking windows.
 */
export function openHallScreen(url: string, preloadPath: string, devTools: boolean): void {
  if (hallScreen && !hallScreen.isDestroyed()) {
    void hallScreen.loadURL(url);
    hallScreen.focus();
    return;
  }
  const primary = screen.getPrimaryDisplay();
  const target = screen.getAllDisplays().find((d) => d.id !== primary.id) ?? primary;
  const win = new BrowserWindow({
    ...target.bounds,
    title: '一窗通 · 叫号屏',
    fullscreen: target.id !== primary.id,
    autoHideMenuBar: true,
    backgroundColor: '#0b2545',
    webPreferences: secureWebPreferences(preloadPath, devTools),
  });
  win.on('closed', () => (hallScreen = null));
  void win.loadURL(url);
  hallScreen = win;
}
