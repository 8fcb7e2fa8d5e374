/** The adb and device-list slice of the API: adb status and restart, the device list, network connect. */
import type { Handlers } from '../../bridge/dispatcher.js';
import { WorkbenchError } from '../errors.js';
import type { SettingsStore } from '../settings/index.js';
import type { AdbService } from './adb-service.js';

export function adbHandlers(adb: AdbService, settings: SettingsStore, isDemo: (address: string) => boolean): Pick<Handlers, 'adb.status' | 'adb.restart' | 'devices.list' | 'devices.connect' | 'devices.disconnect'> {
  return {
    'adb.status': async () => adb.status,
    'adb.restart': async () => adb.connect(),
    'devices.list': async () => {
      await adb.watcher?.refresh();
      return adb.watcher?.devices ?? [];
    },
    'devices.connect': async ({ address }) => {
      const i = address.lastIndexOf(':');
      const host = address.slice(0, i).replace(/^\[|\]$/g, '');
      const serial = await adb.requireBridge().connect(host, Number(address.slice(i + 1)));
      const remembered = new Set(settings.get().rememberedDevices);
      if (!isDemo(address)) settings.update({ rememberedDevices: [...remembered.add(address)].slice(-100) });
      await adb.watcher?.refresh();
      return { serial };
    },
    'devices.disconnect': async ({ serial }) => {
      const i = serial.lastIndexOf(':');
      if (i < 0) throw new WorkbenchError('adb.device-not-found', `${serial} is not a network device`, { serial });
      await adb.requireBridge().disconnect(serial.slice(0, i), Number(serial.slice(i + 1)));
      await adb.watcher?.refresh();
      return null;
    },
  };
}
