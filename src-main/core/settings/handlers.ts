/** The settings slice of the API; a changed adb path reconnects to the adb server. */
import type { Handlers } from '../../bridge/dispatcher.js';
import type { AdbService } from '../adb/adb-service.js';
import type { SettingsStore } from './settings-store.js';

export function settingsHandlers(settings: SettingsStore, adb: AdbService): Pick<Handlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => {
      const before = settings.get().adbPath;
      const next = settings.update(patch);
      if (next.adbPath !== before) await adb.connect();
      return next;
    },
  };
}
