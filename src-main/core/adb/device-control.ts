/**
 * What a tester does to a phone: read its details, manage apps (install with progress, uninstall, clear,
 * force-stop, launch), take screenshots, send input, dump the UI tree and run shell commands. Device
 * queries are batched into one shell round trip where they can be (~40 ms each); every call has a timeout.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type { DeviceDetails, InputAction, InstallProgress, InstallResult, InstalledApp, UiTree } from '../../../src-preload/api.js';
import { readPackageName } from '../apk/analysis-pool.js';
import { WorkbenchError } from '../errors.js';
import type { DeviceBridge } from './device-bridge.js';
import { timeZoneName } from './time-zone.js';
import { readDeviceClock } from './device-clock.js';
import { parseInstallFailure } from './install-failures.js';
import { assertPackageName, shellCommand } from './shell-quote.js';
import { parseUiDump } from './ui-dump.js';
import { stripTerminalControls } from './terminal-text.js';

const SEP = '---APPRIGHTS---';
const KEYCODES: Record<Extract<InputAction, { kind: 'key' }>['key'], string> = {
  BACK: 'KEYCODE_BACK', HOME: 'KEYCODE_HOME', APP_SWITCH: 'KEYCODE_APP_SWITCH', POWER: 'KEYCODE_POWER',
  VOLUME_UP: 'KEYCODE_VOLUME_UP', VOLUME_DOWN: 'KEYCODE_VOLUME_DOWN', ENTER: 'KEYCODE_ENTER', DEL: 'KEYCODE_DEL',
};

function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new WorkbenchError('adb.command-failed', 'screencap did not return a PNG', { what: 'screencap' });
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export class DeviceControl {
  private clockOffsets = new Map<string, number>();

  constructor(private bridge: DeviceBridge) {}

  /** Everything the details panel shows, in one shell round trip. */
  async details(serial: string): Promise<DeviceDetails> {
    const before = Date.now();
    // The phone's own words (model, fingerprint, ABIs …) are cleaned before anything reads them.
    const out = stripTerminalControls(await this.bridge.shell(serial, [
      'getprop', `echo ${SEP}`, 'wm size', 'wm density', `echo ${SEP}`, 'dumpsys battery', `echo ${SEP}`,
      'which su 2>/dev/null', `echo ${SEP}`, 'df /data 2>/dev/null', `echo ${SEP}`, 'date +%s.%N',
    ].join('; '), 15_000));
    const after = Date.now();
    const [props = '', wm = '', battery = '', su = '', df = '', date = ''] = out.split(SEP + '\n').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const m of props.matchAll(/^\[(.*?)\]: \[(.*?)\]\r?$/gm)) p[m[1]!] = m[2]!;
    const size = /(?:Override|Physical) size: (\d+)x(\d+)/.exec(wm);
    const density = /(?:Override|Physical) density: (\d+)/.exec(wm);
    const level = /^\s*level: (\d+)/m.exec(battery);
    const dfLine = df.split('\n').find((l) => /\s\/data\s*$/.test(l) || /^\/dev/.test(l));
    const available = dfLine ? Number(dfLine.trim().split(/\s+/)[3]) * 1024 : NaN;
    const clock = readDeviceClock(date, (before + after) / 2);
    const offset = clock.ok ? Math.round(clock.deviceMs - (before + after) / 2) : null;
    if (offset !== null) this.clockOffsets.set(serial, offset);
    else this.clockOffsets.delete(serial);
    const sdk = Number(p['ro.build.version.sdk']);
    return {
      serial,
      model: p['ro.product.model'] ?? null,
      manufacturer: p['ro.product.manufacturer'] ?? null,
      androidVersion: p['ro.build.version.release'] ?? null,
      sdk: Number.isFinite(sdk) ? sdk : null,
      abis: (p['ro.product.cpu.abilist'] ?? p['ro.product.cpu.abi'] ?? '').split(',').filter(Boolean),
      fingerprint: p['ro.build.fingerprint'] ?? null,
      screen: size ? { width: Number(size[1]), height: Number(size[2]), density: density ? Number(density[1]) : null } : null,
      batteryLevel: level ? Number(level[1]) : null,
      rooted: /\/su\s*$/m.test(su),
      freeStorageBytes: Number.isFinite(available) ? available : null,
      clockOffsetMs: offset,
      timezone: timeZoneName(p['persist.sys.timezone']),
    };
  }

  /**
   * The phone's clock read now (one round trip): stamped on an action recorded just before it is sent, so
   * the app's reply is later on the same clock — an offset measured earlier is only good to half a round trip.
   */
  async readClock(serial: string): Promise<number | null> {
    const clock = readDeviceClock(await this.bridge.shell(serial, 'date +%s.%N', 5000), Date.now());
    return clock.ok ? clock.deviceMs : null;
  }

  /** Device time for a host time, from the last measured offset (measured now if never). */
  async deviceTime(serial: string, hostTime: number): Promise<number | null> {
    if (!this.clockOffsets.has(serial)) {
      const before = Date.now();
      const printed = await this.bridge.shell(serial, 'date +%s.%N', 5000);
      const mid = (before + Date.now()) / 2;
      const clock = readDeviceClock(printed, mid);
      if (clock.ok) this.clockOffsets.set(serial, Math.round(clock.deviceMs - mid));
    }
    const offset = this.clockOffsets.get(serial);
    return offset === undefined ? null : hostTime + offset;
  }

  async packages(serial: string): Promise<InstalledApp[]> {
    const out = stripTerminalControls(await this.bridge.shell(serial, 'pm list packages -3 --show-versioncode 2>/dev/null', 15_000));
    const apps: InstalledApp[] = [];
    for (const m of out.matchAll(/^package:(\S+)(?: versionCode:(\d+))?/gm)) apps.push({ packageName: m[1]!, versionCode: m[2] ? Number(m[2]) : null });
    return apps.sort((a, b) => a.packageName.localeCompare(b.packageName));
  }

  /**
   * Pushes and installs an APK with progress. Never grants permissions at install (-g would hide the very
   * prompts under test). A failed install is a result with its explanation; a lost device is an error.
   */
  async install(serial: string, localPath: string, fileName: string, onProgress: (p: InstallProgress) => void): Promise<InstallResult> {
    const total = statSync(localPath).size;
    // Only to name the result, read in an analysis child (a hostile manifest cannot take this process down);
    // pm gives the authoritative answer (INSTALL_PARSE_FAILED_NOT_APK ...) below.
    const packageName = total <= 512 * 1024 * 1024 ? await readPackageName(localPath).catch(() => null) : null;
    const remote = `/data/local/tmp/apprights-${randomBytes(6).toString('hex')}.apk`;
    onProgress({ serial, fileName, phase: 'push', bytes: 0, total });
    let last = 0;
    await this.bridge.push(serial, localPath, remote, (bytes) => {
      if (bytes - last >= 256 * 1024 || bytes === total) {
        last = bytes;
        onProgress({ serial, fileName, phase: 'push', bytes, total });
      }
    });
    onProgress({ serial, fileName, phase: 'install', bytes: total, total });
    let out: string;
    try {
      // pm's answer quotes the APK and the phone (a failure's detail): cleaned before it is read.
      out = stripTerminalControls(await this.bridge.shell(serial, `${shellCommand(['pm', 'install', '-r', remote])}; ${shellCommand(['rm', '-f', remote])}`, 180_000));
    } finally {
      onProgress({ serial, fileName, phase: 'done', bytes: total, total });
    }
    if (/^Success/m.test(out)) return { ok: true, packageName, output: out.trim() };
    const failure = parseInstallFailure(out) ?? { code: 'UNKNOWN', detail: out.trim().slice(0, 500), zh: '安装失败，手机返回了无法识别的结果。', en: 'The install failed with an answer the workbench does not recognise.' };
    return { ok: false, packageName, failure, output: out.trim().slice(0, 2000) };
  }

  async uninstall(serial: string, packageName: string): Promise<string> {
    return this.simple(serial, ['pm', 'uninstall', assertPackageName(packageName)]);
  }

  async clearData(serial: string, packageName: string): Promise<string> {
    return this.simple(serial, ['pm', 'clear', assertPackageName(packageName)]);
  }

  async forceStop(serial: string, packageName: string): Promise<string> {
    return this.simple(serial, ['am', 'force-stop', assertPackageName(packageName)]);
  }

  /** Starts the launcher activity the way a tap on the icon does (monkey resolves it on the phone). */
  async launch(serial: string, packageName: string): Promise<string> {
    const out = await this.simple(serial, ['monkey', '-p', assertPackageName(packageName), '-c', 'android.intent.category.LAUNCHER', '1']);
    if (/No activities found|monkey aborted/.test(out)) throw new WorkbenchError('adb.command-failed', `${packageName} has no launcher activity`, { what: 'launch', message: 'no launcher activity' });
    return out;
  }

  private async simple(serial: string, argv: string[]): Promise<string> {
    const out = stripTerminalControls(await this.bridge.shell(serial, `${shellCommand(argv)} 2>&1`, 30_000)).trim();
    if (/^(Failure|Failed|Error|Exception)/m.test(out)) throw new WorkbenchError('adb.command-failed', `${argv.slice(0, 2).join(' ')}: ${out.slice(0, 300)}`, { what: argv.slice(0, 2).join(' '), message: out.slice(0, 300) });
    return out;
  }

  async screenshot(serial: string): Promise<{ png: Buffer; width: number; height: number }> {
    const png = await this.bridge.shellBytes(serial, 'screencap -p', 15_000, 48 * 1024 * 1024);
    return { png, ...pngSize(png) };
  }

  async input(serial: string, action: InputAction): Promise<void> {
    const r = (n: number): string => String(Math.round(n));
    let argv: string[];
    switch (action.kind) {
      case 'tap': argv = ['input', 'tap', r(action.x), r(action.y)]; break;
      case 'swipe': argv = ['input', 'swipe', r(action.x1), r(action.y1), r(action.x2), r(action.y2), r(action.durationMs)]; break;
      case 'key': argv = ['input', 'keyevent', KEYCODES[action.key]]; break;
      // `input text` takes %s for spaces; the argument is still quoted for the shell.
      case 'text': argv = ['input', 'text', action.text.replace(/ /g, '%s')]; break;
    }
    const out = stripTerminalControls(await this.bridge.shell(serial, `${shellCommand(argv)} 2>&1`, 10_000)).trim();
    if (/Exception|Error:|Usage:/.test(out)) throw new WorkbenchError('adb.command-failed', `input: ${out.slice(0, 200)}`, { what: 'input', message: out.slice(0, 200) });
  }

  /** The window hierarchy as `uiautomator dump` writes it (the XML a session keeps as evidence). */
  async uiDumpXml(serial: string): Promise<string> {
    const path = '/sdcard/window_dump.xml';
    return this.bridge.shell(serial, `uiautomator dump ${path} >/dev/null 2>&1; cat ${path}; rm -f ${path}`, 30_000);
  }

  /**
   * The window hierarchy as a tree. With the screen off uiautomator reads no window at all ("null root node"):
   * that is the phone's state, not a fault, so it is refused with reason `screen-off` — a page says so in place
   * instead of raising an error — after one more round trip to ask the phone whether its screen is off.
   */
  async uiTree(serial: string): Promise<UiTree> {
    const xml = await this.uiDumpXml(serial);
    try {
      return parseUiDump(xml);
    } catch (err) {
      if (xml.includes('<hierarchy') || !(await this.screenIsOff(serial))) throw err;
      throw new WorkbenchError('adb.command-failed', 'The screen is off: uiautomator reads no window until it is on', { what: 'uiautomator dump', reason: 'screen-off' });
    }
  }

  /** `dumpsys power` says the phone sleeps or dozes (a phone that does not say is taken as awake). */
  private async screenIsOff(serial: string): Promise<boolean> {
    const power = await this.bridge.shell(serial, "dumpsys power | grep -E 'mWakefulness='", 10_000).catch(() => '');
    return /mWakefulness=(Asleep|Dozing)/.test(power);
  }

  /** A line-based shell: one command, its output with terminal controls stripped, capped at 1 MiB. */
  async shell(serial: string, command: string): Promise<string> {
    const out = await this.bridge.shellBytes(serial, command, 30_000, 1024 * 1024);
    return stripTerminalControls(out);
  }
}

