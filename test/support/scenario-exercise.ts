/**
 * Walks a virtual phone through the checklist run's stages on a VirtualClock, without adb: fresh launch,
 * decline, fresh launch and agree, denying every permission dialog, background, screen off, grant-then-revoke,
 * force-stop, then a boot and a connectivity change (the self-start triggers). The same buttons the headless run
 * finds (screen-reading.ts over a parsed UI dump) are tapped, so a scenario shows here what it shows to a run,
 * in milliseconds and deterministically. Then `logcat -d -b all` as the phone prints it.
 */
import { parseUiDump } from '../../src-main/core/adb/ui-dump.js';
import { consentButtons, permissionDialogDeny, type Button } from '../../src-main/core/checklist/run/screen-reading.js';
import type { VirtualClock, VirtualDevice } from '../../src-main/core/virtual-device/index.js';
import { uiautomatorXml } from '../../src-main/core/virtual-device/android/ui-tree.js';
import { logcatCommand } from '../../src-main/core/virtual-device/commands/logcat-command.js';
import { BufferOutput } from '../../src-main/core/virtual-device/shell/interpreter.js';

const DWELL_MS = 5000;
const SETTLE_MS = 600;

export async function exerciseScenario(device: VirtualDevice, clock: VirtualClock, pkg = device.scenario.apps[0]!.package): Promise<void> {
  const sys = device.system;
  const tree = () => {
    const screen = sys.screen();
    return parseUiDump(screen ? uiautomatorXml(screen, sys.device.screen.width, sys.device.screen.height) : '<hierarchy rotation="0"></hierarchy>');
  };
  const tap = async (b: Button | null): Promise<boolean> => {
    if (!b) return false;
    sys.tap(b.x, b.y);
    await clock.advance(300);
    return true;
  };
  const denyDialogs = async (): Promise<void> => {
    for (let n = 0; n < 10 && (await tap(permissionDialogDeny(tree()))); n++);
  };
  const freshLaunch = async (): Promise<void> => {
    sys.forceStop(pkg);
    sys.clearData(pkg);
    sys.launch(pkg, 'am');
    await clock.advance(SETTLE_MS);
  };

  await clock.advance(1000);
  // first-launch
  await freshLaunch();
  await denyDialogs();
  await clock.advance(DWELL_MS);
  // decline
  await denyDialogs();
  if (await tap(consentButtons(tree()).decline)) await clock.advance(DWELL_MS);
  await denyDialogs();
  // agree
  await freshLaunch();
  await denyDialogs();
  await tap(consentButtons(tree()).agree);
  await clock.advance(SETTLE_MS);
  await denyDialogs();
  await clock.advance(DWELL_MS);
  // permissions
  for (let t = 0; t < DWELL_MS; t += SETTLE_MS) {
    await denyDialogs();
    await clock.advance(SETTLE_MS);
  }
  // background
  sys.key('HOME');
  await clock.advance(DWELL_MS * 8);
  sys.launch(pkg, 'am');
  await clock.advance(SETTLE_MS);
  await denyDialogs();
  // screen-off
  sys.key('SLEEP');
  await clock.advance(DWELL_MS * 8);
  sys.key('WAKEUP');
  await clock.advance(SETTLE_MS);
  // revoke
  const runtime = [...(sys.pm.get(pkg)?.runtime.keys() ?? [])];
  for (const p of runtime) sys.pm.setGranted(pkg, p, true);
  sys.launch(pkg, 'am');
  await clock.advance(DWELL_MS / 2);
  for (const p of runtime) sys.revokePermission(pkg, p);
  sys.launch(pkg, 'am');
  await clock.advance(SETTLE_MS);
  await denyDialogs();
  await clock.advance(DWELL_MS);
  // self-start: force-stop and wait; then what starts apps without the user: a reboot's BOOT_COMPLETED (every
  // app process gone first, as VirtualDevice.reboot does) and a connectivity change
  sys.forceStop(pkg);
  await clock.advance(DWELL_MS);
  for (const p of [...sys.am.processes.values()]) if (p.pid > 4000) sys.am.kill(p.packageName, 'died');
  sys.emit('signal', { type: 'boot' });
  await clock.advance(DWELL_MS * 2);
  sys.emit('signal', { type: 'connectivity' });
  await clock.advance(DWELL_MS);
}

/** `logcat -d -b all` (threadtime) on the phone, as `adb logcat -d -b all` prints it. */
export async function dumpLogcat(device: VirtualDevice, args: string[] = ['-d', '-b', 'all']): Promise<string> {
  const out = new BufferOutput();
  await logcatCommand(device.system)({ argv: ['logcat', ...args], out, err: out, stdin: null, env: {} });
  return out.bytes().toString('utf8');
}
