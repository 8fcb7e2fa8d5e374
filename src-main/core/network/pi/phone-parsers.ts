/**
 * The phone's answers to the identity commands, read as the phone prints them (device text: already cleaned of
 * control bytes and capped by phone-values.ts; nothing here trusts a shape it did not check). Each parser gives the
 * values it recognised and nothing else — a line it does not know is skipped, never guessed at.
 */

/** `settings get …`: the value, or null when the phone answers `null` or nothing. */
export function settingValue(text: string): string | null {
  const v = text.trim();
  return !v || v === 'null' || v.includes('\n') ? null : v;
}

const MAC = /(?<![0-9A-Fa-f:])([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})(?![0-9A-Fa-f:])/;

/** A MAC address alone (`cat /sys/class/net/wlan0/address`, `settings get secure bluetooth_address`), lower case. */
export function macAlone(text: string): string | null {
  const v = text.trim();
  return MAC.test(v) && v.length === 17 ? v.toLowerCase() : null;
}

/** `ip link show wlan0`: the `link/ether` address. */
export function ipLinkMac(text: string): string | null {
  const m = /link\/ether ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})\b/.exec(text);
  return m ? m[1]!.toLowerCase() : null;
}

/** `dumpsys bluetooth_manager`: the adapter's `  address: …` line (BluetoothManagerService.dump). */
export function bluetoothManagerAddress(text: string): string | null {
  const m = /^\s*address: ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})\s*$/m.exec(text);
  return m ? m[1]!.toLowerCase() : null;
}

export interface InterfaceAddress {
  iface: string;
  address: string;
  family: 4 | 6;
}

/**
 * `ip -o addr` (one line per address: `30: wlan0    inet 192.168.1.23/24 … \`) or `ip addr show` (blocks under
 * `N: name: <…>`): every address but loopback's.
 */
export function ipAddresses(text: string): InterfaceAddress[] {
  const out: InterfaceAddress[] = [];
  let iface = '';
  for (const line of text.split('\n')) {
    const head = /^\d+:\s+([\w.@-]+?)(?::|\s)/.exec(line);
    if (head) iface = head[1]!.replace(/@.*$/, '');
    const m = /\binet(6?)\s+([0-9A-Fa-f:.]+)\/\d{1,3}\b/.exec(line);
    if (!m || iface === 'lo') continue;
    const address = m[2]!.toLowerCase();
    const family = m[1] ? 6 : 4;
    if (family === 4 ? !/^(\d{1,3})(\.\d{1,3}){3}$/.test(address) || address.startsWith('127.') : !address.includes(':') || address === '::1') continue;
    if (!out.some((a) => a.address === address)) out.push({ iface, address, family });
  }
  return out;
}

const PACKAGE_NAME = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/;

/** `pm list packages [-3]`: the package names, in the phone's order, each once. */
export function packageNames(text: string, max: number): string[] {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^package:(\S+)\s*$/.exec(line);
    if (m && m[1]!.length <= 255 && PACKAGE_NAME.test(m[1]!)) names.add(m[1]!);
    if (names.size >= max) break;
  }
  return [...names];
}

export interface KnownLocation {
  provider: string;
  lat: number;
  lon: number;
}

/**
 * `dumpsys location`: every `Location[provider lat,lon …]` — under `Last Known Locations:` (Android ≤ 11) or as
 * `last location=` / `last coarse location=` per provider (12+). Before Android 12 the coordinates were formatted in
 * the phone's locale, so `31,230416,121,473701` (decimal commas, six decimals each) is read too. 0,0 is no fix.
 */
export function knownLocations(text: string, max = 4): KnownLocation[] {
  const out: KnownLocation[] = [];
  const re = /Location\[([\w-]{1,32}) (-?\d{1,3})[.,](\d{1,8}),(-?\d{1,3})[.,](\d{1,8})[\s\]]/g;
  for (const m of text.matchAll(re)) {
    const lat = Number(`${m[2]}.${m[3]}`), lon = Number(`${m[4]}.${m[5]}`);
    if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180) || (lat === 0 && lon === 0)) continue;
    if (out.some((l) => l.lat.toFixed(6) === lat.toFixed(6) && l.lon.toFixed(6) === lon.toFixed(6))) continue;
    out.push({ provider: m[1]!, lat, lon });
    if (out.length >= max) break;
  }
  return out;
}

/** `dumpsys iphonesubinfo` on Android ≤ 4.4: `  Device ID = 35…`. */
export function dumpsysDeviceId(text: string): string | null {
  const m = /^\s*Device ID = (\S+)\s*$/m.exec(text);
  return m ? m[1]! : null;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * What getDeviceId answered, by its shape: an IMEI (15 digits, Luhn-valid; or the 14 without the check digit), a
 * MEID (14 hex digits, CDMA phones), or neither (MIUI answers a row of dots; an emulator all zeros).
 */
export function deviceIdKind(value: string): 'imei' | 'meid' | null {
  const v = value.trim();
  if (/^(\d)\1*$/.test(v)) return null;
  if (/^\d{15}$/.test(v)) return luhnValid(v) ? 'imei' : null;
  if (/^\d{14}$/.test(v)) return 'imei';
  if (/^[0-9A-Fa-f]{14}$/.test(v) && /^[A-Fa-f]/.test(v)) return 'meid';
  return null;
}

/**
 * The hardware serial a wireless-debugging adb serial carries (`adb-R58N12ABCDE-AbCdEf._adb-tls-connect._tcp`),
 * or a USB serial itself; null for a network address (`127.0.0.1:5555`) or an emulator's name.
 */
export function serialFromAdbSerial(adbSerial: string): string | null {
  const mdns = /^adb-([A-Za-z0-9]+)-[A-Za-z0-9]+\._adb-tls-connect\._tcp\.?$/.exec(adbSerial);
  if (mdns) return mdns[1]!;
  if (/^[\w.-]+:\d+$/.test(adbSerial) || /^\[[0-9a-fA-F:]+\]:\d+$/.test(adbSerial) || /^emulator-\d+$/.test(adbSerial)) return null;
  return /^[A-Za-z0-9._-]{4,64}$/.test(adbSerial) ? adbSerial : null;
}
