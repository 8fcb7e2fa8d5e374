/**
 * The virtual phone's own personal values as a scenario app sends them: Android ID, serial, IMEI, MACs, IP
 * address, the installed app list and last known location come from the phone itself (phone-identity.ts, the
 * package manager), the same values its shell answers with, so what an app sends is what the workbench reads
 * from the phone. MEID, phone number and OAID, which a phone does not give the shell, are derived from the
 * serial here (a tester would type them).
 */
import { createHash } from 'node:crypto';
import type { PiKind } from '../../../../src-preload/network.js';
import type { AndroidSystem } from './android-system.js';

function derived(serial: string, purpose: string, n: number): Buffer {
  return createHash('sha256').update(`apprights-virtual-phone:${purpose}:${serial}`).digest().subarray(0, n);
}

/** The third-party packages installed now, sorted, comma-separated: what an app-list upload carries. */
export function packageListOf(sys: AndroidSystem): string {
  return [...sys.pm.packages.values()].filter((p) => !p.system).map((p) => p.name).sort().join(',');
}

export function phoneValue(sys: AndroidSystem, kind: Exclude<PiKind, 'other'>): string {
  const serial = sys.device.serial;
  const id = sys.phoneIdentity;
  switch (kind) {
    case 'android-id': return sys.androidId;
    case 'serial': return serial;
    case 'imei': return id.imei;
    case 'meid': return 'A1' + derived(serial, 'meid', 6).toString('hex').toUpperCase();
    case 'wifi-mac': return id.wifiMac;
    case 'bluetooth-mac': return id.bluetoothMac.toUpperCase();
    case 'ip-address': return id.ipv4;
    case 'package-list': return packageListOf(sys);
    case 'location': return `${id.lastLocation.lat},${id.lastLocation.lon}`;
    case 'phone-number': return '138' + Array.from(derived(serial, 'msisdn', 8), (b) => String(b % 10)).join('');
    case 'oaid': {
      const h = derived(serial, 'oaid', 16).toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    }
  }
}
