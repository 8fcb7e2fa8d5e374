/** The settings slice of the API: a change touches only the fields sent; an adb path is checked before it is saved and reconnects. */
import type { Handlers } from '../../bridge/dispatcher.js';
import type { AdbService } from '../adb/adb-service.js';
import { adbFromSetting } from '../adb/locate-adb.js';
import type { SettingsStore } from './settings-store.js';

export function settingsHandlers(settings: SettingsStore, adb: AdbService): Pick<Handlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => {
      if (patch.adbPath) adbFromSetting(patch.adbPath, process.platform);
      const before = settings.get().adbPath;
      const next = settings.update(patch);
      if (next.adbPath !== before) await adb.connect();
      return next;
    },
  };
}
