/**
 * The workbench window, hardened per Electron's security checklist: context isolation, sandbox, no Node in
 * the renderer, CSP on every response, navigation denied, permission requests checked against the
 * commented table, external links only from the allowlist. window.open is denied except for one internal
 * route, the detached live screen (`#screen/<serial>` on the workbench's own page, parsed and validated),
 * which opens with the same web preferences and is locked down the same way.
 */
import { BrowserWindow, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY_HEADER } from '../host/content-security-policy.js';
import { isScreenWindowUrl } from '../../src-preload/screen-route.js';
import { isExternalAllowed, isPermissionAllowed } from './permissions.js';
import { loadWindowBounds, saveWindowBounds } from './window-state.js';

export function rendererUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? `file://${join(__dirname, '../renderer/index.html')}`;
}

/** One set of web preferences for every window the workbench opens. */
function webPreferences(): Electron.WebPreferences {
  return {
    preload: join(__dirname, '../preload/index.js'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** No navigation, no further windows, no webviews: the same lockdown for the main and the screen windows. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** `onScreenWindow` is told of each detached screen window, so the IPC adapter serves it. */
export function createMainWindow(dataDir: string, onScreenWindow: (child: BrowserWindow) => void = () => undefined): BrowserWindow {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionAllowed(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => isPermissionAllowed(permission));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] } });
  });

  const bounds = loadWindowBounds(dataDir);
  const win = new BrowserWindow({
    width: bounds.width,
    height: bounds.height,
    x: bounds.x,
    y: bounds.y,
    minWidth: 800,
    minHeight: 600,
    show: false,
    title: 'AppRights Workbench',
    webPreferences: webPreferences(),
  });
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const b = win.getNormalBounds();
    saveWindowBounds(dataDir, { ...b, maximized: win.isMaximized() });
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isScreenWindowUrl(url, rendererUrl())) {
      return { action: 'allow', overrideBrowserWindowOptions: { width: 480, height: 900, minWidth: 280, minHeight: 400, title: 'AppRights Workbench', autoHideMenuBar: true, webPreferences: webPreferences() } };
    }
    if (isExternalAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('did-create-window', (child, { url }) => {
    // Only the route allowed above gets here; checked again so a window can never start elsewhere.
    if (!isScreenWindowUrl(url, rendererUrl())) {
      child.destroy();
      return;
    }
    lockDown(child.webContents);
    child.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    // A screen window lives only as long as the workbench window that drives it.
    win.once('closed', () => {
      if (!child.isDestroyed()) child.close();
    });
    onScreenWindow(child);
  });
  lockDown(win.webContents);
  void win.loadURL(rendererUrl());
  return win;
}
