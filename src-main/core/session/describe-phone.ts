/**
 * What a session records about the phone and the app when it starts: the phone's identity, clock offset and zone
 * (DeviceControl.details, one round trip) and the installed app's version (one dumpsys round trip; an app
 * not installed yet leaves the version empty until its install is recorded).
 */
import type { SessionMeta } from '../../../src-preload/api.js';
import type { DeviceBridge } from '../adb/device-bridge.js';
import type { DeviceControl } from '../adb/device-control.js';
import { assertPackageName, shellCommand } from '../adb/shell-quote.js';
import { stripTerminalControls } from '../adb/terminal-text.js';

export async function describePhone(bridge: DeviceBridge, control: DeviceControl, serial: string, packageName: string): Promise<{ device: SessionMeta['device']; app: Partial<SessionMeta['app']> }> {
  const d = await control.details(serial);
  const out = await bridge.shell(serial, `${shellCommand(['dumpsys', 'package', assertPackageName(packageName)])} | grep -E 'versionCode=|versionName='`, 10_000).catch(() => '');
  const code = /versionCode=(\d+)/.exec(out);
  const name = /versionName=(\S{1,200})/.exec(out);
  const clean = (s: string | null): string | null => (s === null ? null : stripTerminalControls(s).slice(0, 4096));
  return {
    device: {
      serial, model: clean(d.model), manufacturer: clean(d.manufacturer), fingerprint: clean(d.fingerprint),
      androidVersion: clean(d.androidVersion), sdk: d.sdk, clockOffsetMs: d.clockOffsetMs, timezone: d.timezone ?? null,
    },
    app: { versionCode: code ? Number(code[1]) : null, versionName: name ? clean(name[1]!) : null },
  };
}
