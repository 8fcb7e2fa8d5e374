/**
 * Starts the whole workbench in browser mode: the core, the one dispatcher and the web host. Used by
 * `apprights serve` and by `npm start` when the Electron binary is missing.
 */
import { join } from 'node:path';
import { Dispatcher } from '../bridge/dispatcher.js';
import { Workbench } from '../core/workbench.js';
import { WebHost } from './web-host.js';

export interface BrowserModeOptions {
  dataDir: string;
  host: string;
  port: number;
  rendererDir: string;
  version: string;
  /** Local addresses for policy pages and the TSA (`--allow-local`); otherwise the desktop window's setting. */
  allowLocalAddresses?: boolean;
}

export async function startBrowserMode(o: BrowserModeOptions): Promise<{ workbench: Workbench; web: WebHost; stop: () => Promise<void> }> {
  const workbench = new Workbench({ dataDir: o.dataDir, shell: 'browser', version: o.version, allowLocalAddresses: o.allowLocalAddresses });
  await workbench.start({ adbLater: true });
  const web = new WebHost({ rendererDir: o.rendererDir, dispatcher: new Dispatcher(workbench.handlers()), hub: workbench.hub, host: o.host, port: o.port, uploads: workbench.files });
  await web.start();
  // The caller prints the URL first; adb (adbkit's load, `adb start-server`) comes up while the user opens it.
  let stopped = false;
  setImmediate(() => {
    if (!stopped) void workbench.adb.connect();
  });
  return {
    workbench,
    web,
    stop: async () => {
      stopped = true;
      await web.stop();
      await workbench.close();
    },
  };
}

export function builtRendererDir(mainDir: string): string {
  return join(mainDir, '..', 'renderer');
}
