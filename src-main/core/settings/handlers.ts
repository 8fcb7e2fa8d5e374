/**
 * The settings slice of the API: a change touches only the fields sent; an adb path is checked before it is
 * saved and reconnects. The adb path and local addresses are the host's to set, from its desktop window.
 */
import type { Handlers } from '../../bridge/dispatcher.js';
import type { AdbService } from '../adb/adb-service.js';
import { adbFromSetting } from '../adb/locate-adb.js';
import { WorkbenchError } from '../errors.js';
import type { SettingsStore } from './settings-store.js';

export function settingsHandlers(settings: SettingsStore, adb: AdbService, shell: 'electron' | 'browser'): Pick<Handlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => {
      // The adb path names a program the host will run: only the desktop window may set it, never a browser
      // (which may be another machine on a lab network), as with local file paths.
      if (patch.adbPath !== undefined && shell !== 'electron') {
        throw new WorkbenchError('bridge.forbidden-sender', 'The adb path can be set in the desktop window only (or with ANDROID_HOME / PATH on the host)', { field: 'adbPath' });
      }
      // Local addresses would let whoever drives the workbench make the host fetch from its own network (other
      // machines' services, this one's ports): a browser may be anyone on the lab network.
      if (patch.allowLocalAddresses !== undefined && shell !== 'electron') {
        throw new WorkbenchError('bridge.forbidden-sender', 'Local addresses can be allowed in the desktop window only (or with `apprights serve --allow-local` on the host). 本机与内网地址只能在桌面窗口中允许（或在主机上使用 `apprights serve --allow-local`）。', { field: 'allowLocalAddresses' });
      }
      if (patch.adbPath) adbFromSetting(patch.adbPath, process.platform);
      const before = settings.get().adbPath;
      const next = settings.update(patch);
      if (next.adbPath !== before) await adb.connect();
      return next;
    },
  };
}
