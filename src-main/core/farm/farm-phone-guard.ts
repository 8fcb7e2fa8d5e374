/**
 * A phone the tester offered to the farm belongs to the farm's jobs until the workbench leaves: the API's calls
 * that change the phone or what runs on it (install, uninstall, clear data, stop, launch, input, shell, disconnect)
 * are refused for it with `farm.phone-in-farm`, as a session on it is. Calls that only look (details, packages,
 * screenshots, the UI tree, the live screen, monitors) stay allowed: watching a farm phone work is useful.
 */
import type { Handlers } from '../../bridge/dispatcher.js';

export const FARM_HELD_METHODS = [
  'device.install', 'device.uninstall', 'device.clearData', 'device.forceStop', 'device.launch', 'device.input', 'device.shell', 'devices.disconnect',
] as const;

type Held = (typeof FARM_HELD_METHODS)[number];

export function guardFarmPhones(handlers: Handlers, refuseIfOffered: (serial: string) => void): Handlers {
  const guarded = { ...handlers };
  for (const method of FARM_HELD_METHODS) {
    const inner = handlers[method] as (args: { serial: string }) => Promise<unknown>;
    (guarded as Record<Held, unknown>)[method] = async (args: { serial: string }) => {
      refuseIfOffered(args.serial);
      return inner(args);
    };
  }
  return guarded;
}
