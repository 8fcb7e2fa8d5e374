/**
 * Electron entry: single-instance lock, the core, the window and the IPC adapter. The only module (with
 * src-main/electron/main-window.ts) that imports electron; all work happens in src-main/core.
 */
import { app, dialog, ipcMain } from 'electron';
import { Dispatcher } from './bridge/dispatcher.js';
import { Workbench } from './core/workbench.js';
import { attachIpc, OwnWindows } from './electron/ipc-adapter.js';
import { createMainWindow, rendererUrl } from './electron/main-window.js';
import { osKeyProtector } from './electron/os-keys.js';
import { electronPdfPrinter } from './electron/pdf-printer.js';

app.enableSandbox();
// Sessions, raw logs, screenshots, keys, exports: nothing the workbench writes is for other users' eyes.
process.umask(0o077);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let focus: (() => void) | null = null;
  app.on('second-instance', () => focus?.());
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  void app.whenReady().then(async () => {
    const dataDir = app.getPath('userData');
    const workbench = new Workbench({ dataDir, shell: 'electron', version: app.getVersion(), systemLocale: app.getLocale(), osKeys: osKeyProtector(), pdfPrinter: electronPdfPrinter });
    try {
      await workbench.start();
    } catch (err) {
      // Another workbench holds the data folder (browser mode on the same folder): say so and stop.
      dialog.showErrorBox('AppRights Workbench', err instanceof Error ? err.message : String(err));
      app.quit();
      return;
    }
    const windows = new OwnWindows();
    const win = createMainWindow(dataDir, (child) => {
      const contents = child.webContents;
      windows.add(contents);
      child.on('closed', () => windows.delete(contents));
    });
    windows.add(win.webContents);
    focus = () => {
      if (win.isMinimized()) win.restore();
      win.focus();
    };
    const detach = attachIpc(ipcMain, windows, new Dispatcher(workbench.handlers()), workbench.hub, rendererUrl());
    win.on('closed', () => detach());
    app.on('window-all-closed', () => {
      void workbench.close().finally(() => app.quit());
    });
    // Every other way out (Cmd-Q, the OS logging out): phones pointed at a proxy of ours are put back first.
    let phonesRestored = false;
    app.on('will-quit', (event) => {
      if (phonesRestored) return;
      event.preventDefault();
      void workbench.network.stopAll().finally(() => {
        phonesRestored = true;
        app.quit();
      });
    });
  });
}
