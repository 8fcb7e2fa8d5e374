/**
 * The virtual phone's own hardware and network identifiers — IMEI, Wi-Fi and Bluetooth MAC, IP addresses, last
 * known location — derived from its serial, so every phone differs and the same phone is the same every run. The
 * shell commands (service call iphonesubinfo, ip, cat /sys/class/net/wlan0/address, settings, dumpsys location) and
 * the scenario apps that send them read them from here; nothing else invents identifiers.
 */
import { createHash } from 'node:crypto';

export interface PhoneLocation {
  provider: 'network' | 'gps' | 'fused';
  lat: number;
  lon: number;
  accuracyM: number;
}

export interface PhoneIdentity {
  /** 15 digits with a valid Luhn check digit (a GSM phone: getDeviceId answers the IMEI). */
  imei: string;
  /** The second slot's IMEI (a dual-SIM phone, as most sold in China are). */
  imei2: string;
  /** wlan0's address: locally administered, as Android's per-network randomised MAC is. */
  wifiMac: string;
  bluetoothMac: string;
  /** wlan0's IPv4 on the (simulated) home network, and its IPv6 link-local address. */
  ipv4: string;
  ipv4Prefix: number;
  ipv6LinkLocal: string;
  /** What `dumpsys location` reports as the last fix, and the coarse (fudged) one apps with only coarse location get. */
  lastLocation: PhoneLocation;
  coarseLocation: PhoneLocation;
}

/** The Luhn check digit of an IMEI's first 14 digits. */
export function luhnDigit(digits14: string): string {
  let sum = 0;
  for (let i = 0; i < digits14.length; i++) {
    let d = Number(digits14[digits14.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

export function phoneIdentity(serial: string): PhoneIdentity {
  // One hash per identifier: none can be computed from another.
  const h = (what: string): Buffer => createHash('sha256').update(`apprights-virtual-phone:${what}:${serial}`).digest();
  const digits = (what: string, n: number): string => Array.from(h(what).subarray(0, n), (b) => String(b % 10)).join('');
  // 86: the reporting-body prefix of TACs allocated to Chinese makers.
  const imei14 = `86${digits('imei', 12)}`;
  const imei2_14 = `86${digits('imei2', 12)}`;
  const mac = (what: string, localBit: boolean): string => {
    const b = h(what).subarray(0, 6);
    // Unicast; a randomised (per-network) MAC has the locally administered bit, a vendor's address has not.
    b[0] = localBit ? (b[0]! & 0xfc) | 0x02 : b[0]! & 0xfc;
    return Array.from(b, hex2).join(':');
  };
  const place = h('location');
  const lat = 31.15 + (place.readUInt16BE(0) / 65536) * 0.2;
  const lon = 121.35 + (place.readUInt16BE(2) / 65536) * 0.25;
  const round = (v: number, d: number): number => Number(v.toFixed(d));
  const net = h('ip');
  const group = (i: number): string => net.readUInt16BE(i).toString(16);
  return {
    imei: imei14 + luhnDigit(imei14),
    imei2: imei2_14 + luhnDigit(imei2_14),
    wifiMac: mac('wifi', true),
    bluetoothMac: mac('bluetooth', false),
    ipv4: `192.168.${1 + (net[0]! % 30)}.${20 + (net[1]! % 200)}`,
    ipv4Prefix: 24,
    ipv6LinkLocal: `fe80::${group(2)}:${group(4)}:${group(6)}:${group(8)}`,
    lastLocation: { provider: 'network', lat: round(lat, 6), lon: round(lon, 6), accuracyM: 40 },
    // Android's LocationFudger snaps coarse fixes to a grid of about 2 km: a different value, sent by coarse-only apps.
    coarseLocation: { provider: 'network', lat: round(Math.floor(lat * 50) / 50 + 0.0087, 6), lon: round(Math.floor(lon * 50) / 50 + 0.0113, 6), accuracyM: 2000 },
  };
}
