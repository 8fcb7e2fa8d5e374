/**
 * Reads the phone's own values at session start through the DeviceBridge shell — constant commands only, each with
 * its own timeout and output cap, their text cleaned of control bytes before any parser sees it — and says, for each
 * value it could not read, the command and why. What the shell may read depends on the Android version:
 *
 * - Android ID: `settings get secure android_id` (the shell's, not an app's: apps have had their own per signing
 *   key since 8.0, so this finds an SDK that reads it through the shell user only by coincidence — see README).
 * - Serial: `getprop ro.serialno`; a wireless-debugging adb serial (`adb-<serial>-…._adb-tls-connect._tcp`) names it too.
 * - IMEI/MEID: `service call iphonesubinfo 1 s16 com.android.shell` (getDeviceId). The shell holds
 *   READ_PRIVILEGED_PHONE_STATE; since AOSP's 2021 fix (bug 188677422) the call must name a package of the caller's uid,
 *   hence `s16 com.android.shell` (without it: a SecurityException/NullPointerException parcel). Older phones ignore the
 *   extra argument. Then `4 i32 0|1 s16 com.android.shell` (getDeviceIdForPhone, both slots), `dumpsys iphonesubinfo`
 *   (Android ≤ 4.4 printed `Device ID =`), and vendor properties holding it (MIUI's ro.ril.oem.imei…). Some ROMs answer
 *   a row of dots: reported as not an identifier.
 * - Wi-Fi MAC: `cat /sys/class/net/wlan0/address`, else `ip link show wlan0` — the per-network randomised MAC since
 *   Android 10, the one apps could see on that network.
 * - Bluetooth MAC: `settings get secure bluetooth_address` (the shell holds LOCAL_MAC_ADDRESS), else `dumpsys
 *   bluetooth_manager`'s `address:` line.
 * - IP addresses: `ip -o addr`, else `ip addr show`; loopback left out.
 * - Installed packages: `pm list packages -3` (each third-party name a value) and `pm list packages` (counted).
 * - Last known location: `dumpsys location` (Android ≤ 11 `Last Known Locations:`, 12+ `last location=` per provider).
 */
import { PI_KINDS, type PiKind } from '../../../../src-preload/network.js';
import type { PiUnread, PiUnreadReason } from '../../../../src-preload/pi-reading.js';
import type { DeviceBridge } from '../../adb/device-bridge.js';
import { stripTerminalControls } from '../../adb/terminal-text.js';
import { WorkbenchError } from '../../errors.js';
import type { PhoneValue } from '../contracts.js';
import { MAX_PACKAGES, MAX_VALUE_CHARS } from './forms.js';
import { parseParcelString } from './parcel.js';
import {
  bluetoothManagerAddress, deviceIdKind, dumpsysDeviceId, ipAddresses, ipLinkMac, knownLocations, macAlone, packageNames,
  serialFromAdbSerial, settingValue,
} from './phone-parsers.js';

/** A value and the command that gave it (`typed`: the tester's). */
export interface ReadValue extends PhoneValue {
  source: string;
}

export interface PhoneValueReading {
  values: ReadValue[];
  unread: PiUnread[];
  /** How many packages the phone listed (null: not readable); the third-party ones are among `values`. */
  packages: { all: number | null; thirdParty: number | null };
  elapsedMs: number;
}

export interface ReadPhoneValuesOptions {
  /** Each command's own limit: a phone that hangs on one costs this much, not the session start. */
  commandTimeoutMs?: number;
  /** After this long no further command is started; what is left is reported as `timeout`. */
  deadlineMs?: number;
  /** Values the tester typed (phone number, OAID, any): they join the list as `typed`. */
  typed?: readonly PhoneValue[];
}

const SMALL = 64 * 1024;
const LARGE = 4 * 1024 * 1024;
/** At most this many commands at once: the phone's adbd serves each on its own stream. */
const PARALLEL = 3;

export const COMMANDS = {
  androidId: 'settings get secure android_id',
  serial: 'getprop ro.serialno',
  imei: 'service call iphonesubinfo 1 s16 com.android.shell',
  imeiSlot1: 'service call iphonesubinfo 4 i32 0 s16 com.android.shell',
  imeiSlot2: 'service call iphonesubinfo 4 i32 1 s16 com.android.shell',
  imeiOld: 'dumpsys iphonesubinfo',
  wifiMac: 'cat /sys/class/net/wlan0/address',
  wifiMacIp: 'ip link show wlan0',
  bluetoothMac: 'settings get secure bluetooth_address',
  bluetoothManager: 'dumpsys bluetooth_manager',
  ipOneLine: 'ip -o addr',
  ipAddr: 'ip addr show',
  packagesThirdParty: 'pm list packages -3',
  packagesAll: 'pm list packages',
  location: 'dumpsys location',
} as const;

type Answer = { ok: true; text: string } | { ok: false; reason: PiUnreadReason; detail: string };

/** The phone's words for a refusal, a missing command or nothing at all — or null when it answered something. */
function refusal(text: string): { reason: PiUnreadReason; detail: string } | null {
  const detail = firstLine(text);
  if (!text.trim()) return { reason: 'not-set', detail: '' };
  if (/Permission denied|SecurityException|not allowed|Operation not permitted/i.test(text)) return { reason: 'refused', detail };
  if (/inaccessible or not found|Can't find service|does not exist|Unknown command|not found/i.test(text)) return { reason: 'no-such-command', detail };
  if (/No such file or directory/i.test(text)) return { reason: 'not-set', detail };
  return null;
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 160);
}

export async function readPhoneValues(bridge: DeviceBridge, serial: string, options: ReadPhoneValuesOptions = {}): Promise<PhoneValueReading> {
  const started = Date.now();
  const timeoutMs = options.commandTimeoutMs ?? 5000;
  const deadline = started + (options.deadlineMs ?? 20_000);
  const values: ReadValue[] = [];
  const unread: PiUnread[] = [];
  const packages: PhoneValueReading['packages'] = { all: null, thirdParty: null };

  const run = async (command: string, maxBytes = SMALL): Promise<Answer> => {
    if (Date.now() > deadline) return { ok: false, reason: 'timeout', detail: 'not started: the time for reading the phone was spent' };
    try {
      const bytes = await bridge.shellBytes(serial, command, timeoutMs, maxBytes);
      return { ok: true, text: stripTerminalControls(bytes) };
    } catch (err) {
      const e = err instanceof WorkbenchError ? err : null;
      if (e?.code === 'adb.timeout') return { ok: false, reason: 'timeout', detail: `no answer within ${timeoutMs} ms` };
      const message = stripTerminalControls(err instanceof Error ? err.message : String(err)).slice(0, 160);
      return { ok: false, reason: /larger than/.test(message) ? 'too-large' : 'failed', detail: message };
    }
  };
  const add = (kind: PiKind, value: string, source: string): void => {
    if (!values.some((v) => v.kind === kind && v.value === value)) values.push({ kind, value, source });
  };
  /** Runs `command`; gives its text when it answered something, else records (or returns) why not. */
  const ask = async (kind: PiKind, command: string, maxBytes = SMALL): Promise<{ text: string } | PiUnread> => {
    const a = await run(command, maxBytes);
    if (!a.ok) return { kind, command, reason: a.reason, detail: a.detail };
    const r = refusal(a.text);
    return r ? { kind, command, ...r } : { text: a.text };
  };
  const isText = (x: { text: string } | PiUnread): x is { text: string } => 'text' in x;
  const notIdentifier = (kind: PiKind, command: string, text: string): PiUnread => ({ kind, command, reason: 'not-an-identifier', detail: firstLine(text) });

  const readers: Array<() => Promise<void>> = [
    async () => {
      const a = await ask('android-id', COMMANDS.androidId);
      if (!isText(a)) return void unread.push(a);
      const v = settingValue(a.text);
      if (v && /^[0-9a-fA-F]{8,32}$/.test(v)) add('android-id', v.toLowerCase(), COMMANDS.androidId);
      else unread.push(v ? notIdentifier('android-id', COMMANDS.androidId, v) : { kind: 'android-id', command: COMMANDS.androidId, reason: 'not-set', detail: firstLine(a.text) });
    },
    async () => {
      const a = await ask('serial', COMMANDS.serial);
      const v = isText(a) ? a.text.trim() : '';
      if (v && /^[\w.-]{4,64}$/.test(v) && v.toLowerCase() !== 'unknown') add('serial', v, COMMANDS.serial);
      else unread.push(isText(a) ? { kind: 'serial', command: COMMANDS.serial, reason: v ? 'not-an-identifier' : 'not-set', detail: firstLine(v) } : a);
      // `adb get-serialno` gives the serial adb knows the phone by: the hardware serial over USB, an address over TCP.
      const adbSerial = serialFromAdbSerial(serial);
      if (adbSerial) add('serial', adbSerial, 'adb get-serialno');
    },
    async () => {
      let first: PiUnread | null = null;
      const deviceId = async (command: string): Promise<void> => {
        const a = await ask('imei', command);
        if (!isText(a)) return void (first ??= a);
        const reply = parseParcelString(a.text);
        if (reply.type === 'string' && reply.value !== null) {
          const kind = deviceIdKind(reply.value);
          if (kind) add(kind, reply.value.trim().toUpperCase(), command);
          else first ??= notIdentifier('imei', command, reply.value.replace(/[^\x20-\x7e]/g, '.'));
        } else if (reply.type === 'string') first ??= { kind: 'imei', command, reason: 'not-set', detail: 'null' };
        else if (reply.type === 'exception') first ??= { kind: 'imei', command, reason: 'refused', detail: `binder exception ${reply.code}${reply.message ? `: ${reply.message.slice(0, 140)}` : ''}` };
        else first ??= notIdentifier('imei', command, a.text);
      };
      const found = (): boolean => values.some((v) => v.kind === 'imei' || v.kind === 'meid');
      await deviceId(COMMANDS.imei);
      if (!found()) await deviceId(COMMANDS.imeiSlot1);
      if (found()) await deviceId(COMMANDS.imeiSlot2);
      if (!found()) {
        const a = await ask('imei', COMMANDS.imeiOld);
        const id = isText(a) ? dumpsysDeviceId(a.text) : null;
        const kind = id ? deviceIdKind(id) : null;
        if (id && kind) add(kind, id.toUpperCase(), COMMANDS.imeiOld);
      }
      if (!found() && Date.now() <= deadline) {
        // Vendor ROMs (MIUI among them) keep the IMEIs in properties the shell may read.
        const props = await bridge.properties(serial).catch(() => ({}) as Record<string, string>);
        for (const [key, value] of Object.entries(props)) {
          const kind = /imei|meid/i.test(key) ? deviceIdKind(value) : null;
          if (kind) add(kind, value.trim().toUpperCase(), `getprop ${key}`);
        }
      }
      if (!found() && first) unread.push(first);
    },
    async () => {
      const a = await ask('wifi-mac', COMMANDS.wifiMac);
      const mac = isText(a) ? macAlone(a.text) : null;
      if (mac) return add('wifi-mac', mac, COMMANDS.wifiMac);
      const b = await ask('wifi-mac', COMMANDS.wifiMacIp);
      const viaIp = isText(b) ? ipLinkMac(b.text) : null;
      if (viaIp) return add('wifi-mac', viaIp, COMMANDS.wifiMacIp);
      unread.push(isText(a) ? notIdentifier('wifi-mac', COMMANDS.wifiMac, a.text) : a);
    },
    async () => {
      const a = await ask('bluetooth-mac', COMMANDS.bluetoothMac);
      const mac = isText(a) ? macAlone(a.text) : null;
      if (mac) return add('bluetooth-mac', mac, COMMANDS.bluetoothMac);
      const b = await ask('bluetooth-mac', COMMANDS.bluetoothManager, LARGE);
      const viaDump = isText(b) ? bluetoothManagerAddress(b.text) : null;
      if (viaDump) return add('bluetooth-mac', viaDump, COMMANDS.bluetoothManager);
      unread.push(isText(a) ? (settingValue(a.text) ? notIdentifier('bluetooth-mac', COMMANDS.bluetoothMac, a.text) : { kind: 'bluetooth-mac', command: COMMANDS.bluetoothMac, reason: 'not-set', detail: 'null' }) : a);
    },
    async () => {
      for (const command of [COMMANDS.ipOneLine, COMMANDS.ipAddr]) {
        const a = await ask('ip-address', command);
        const addrs = isText(a) ? ipAddresses(a.text) : [];
        for (const ip of addrs) add('ip-address', ip.address, command);
        if (addrs.length) return;
        if (command === COMMANDS.ipAddr) unread.push(isText(a) ? { kind: 'ip-address', command, reason: 'not-set', detail: 'no address but loopback' } : a);
      }
    },
    async () => {
      const third = await ask('package-list', COMMANDS.packagesThirdParty, LARGE);
      if (isText(third)) {
        const names = packageNames(third.text, MAX_PACKAGES);
        packages.thirdParty = names.length;
        for (const name of names) add('package-list', name, COMMANDS.packagesThirdParty);
        if (!names.length) unread.push({ kind: 'package-list', command: COMMANDS.packagesThirdParty, reason: 'not-set', detail: 'no third-party package' });
      } else unread.push(third);
      const all = await ask('package-list', COMMANDS.packagesAll, LARGE);
      if (isText(all)) packages.all = packageNames(all.text, 100_000).length;
    },
    async () => {
      const a = await ask('location', COMMANDS.location, LARGE);
      if (!isText(a)) return void unread.push(a);
      const fixes = knownLocations(a.text);
      for (const l of fixes) add('location', `${l.lat.toFixed(6)},${l.lon.toFixed(6)}`, COMMANDS.location);
      if (!fixes.length) unread.push({ kind: 'location', command: COMMANDS.location, reason: 'not-set', detail: 'no last known location' });
    },
  ];

  const queue = [...readers];
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await next();
  }));
  for (const t of options.typed ?? []) {
    const value = stripTerminalControls(t.value).trim().slice(0, MAX_VALUE_CHARS);
    if (value) add(t.kind, value, 'typed');
  }
  // Readers finish in any order: the list is given in the kinds' order, each kind's values as read.
  const rank = (k: PiKind): number => PI_KINDS.indexOf(k);
  const byKind = <T extends { kind: PiKind }>(list: T[]): T[] => list.map((v, i) => [v, i] as const).sort(([a, i], [b, j]) => rank(a.kind) - rank(b.kind) || i - j).map(([v]) => v);
  return { values: byKind(values), unread: byKind(unread), packages, elapsedMs: Date.now() - started };
}
