/**
 * A virtual phone for the explorer's device tests: a scenario file played through the real adb server, its app
 * launched (monkey, as a user's tap on the icon) and waited for on its main screen, with the bridge a walk drives.
 */
import { AdbkitBridge } from '../../src-main/core/adb/device-bridge.js';
import type { VirtualDevice } from '../../src-main/core/virtual-device/index.js';
import { waitFor, type TestAdbServer } from './adb-server.js';
import { startPhoneFrom } from './virtual-phone.js';

/** `mainNode`: the id of a node only the main screen shows (the bottom tab bar's 我的). */
export async function phoneOnMainScreen(adb: TestAdbServer, scenarioFile: string, pkg: string, mainNode = 'tabMine'): Promise<{ phone: VirtualDevice; bridge: AdbkitBridge }> {
  const phone = await startPhoneFrom(adb, scenarioFile);
  const sh = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', ...args])).stdout;
  await sh('monkey', '-p', pkg, '1');
  await waitFor('the main screen', async () => (await sh('uiautomator', 'dump', '/dev/tty')).includes(`${pkg}:id/${mainNode}`), 10_000);
  return { phone, bridge: new AdbkitBridge('adb', adb.port) };
}
