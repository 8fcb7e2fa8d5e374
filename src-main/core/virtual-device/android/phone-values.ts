/**
 * The virtual phone's own personal values — what an SDK on it would read and send: Android ID, serial, IMEI,
 * MEID, MACs, IP address, the installed app list, location, phone number, OAID. Derived from the scenario's
 * serial so a phone is the same phone every run, and different phones differ. One place, so a scenario app's
 * request and the phone's answers to the shell carry the same values.
 */
import { createHash } from 'node:crypto';
import type { PiKind } from '../../../../src-preload/network.js';
import type { AndroidSystem } from './android-system.js';

/** Bytes derived from the serial for one purpose (stable, and unrelated between purposes). */
function derived(serial: string, purpose: string, n: number): Buffer {
  return createHash('sha256').update(`${purpose}\0${serial}`).digest().subarray(0, n);
}

/** 14 digits and the Luhn check digit, as an IMEI is written; 86 as Chinese handsets' reporting-body code. */
export function imeiOf(serial: string): string {
  const body = '86' + [...derived(serial, 'imei', 12)].map((b) => String(b % 10)).join('');
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = Number(body[13 - i]);
    if (i % 2 === 0) d *= 2;
    sum += d > 9 ? d - 9 : d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

function mac(serial: string, purpose: string, oui: string): string {
  return [oui, ...[...derived(serial, purpose, 3)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** The third-party packages installed now, sorted, comma-separated: what an app-list upload carries. */
export function packageListOf(sys: AndroidSystem): string {
  return [...sys.pm.packages.values()].filter((p) => !p.system).map((p) => p.name).sort().join(',');
}

export function phoneValue(sys: AndroidSystem, kind: Exclude<PiKind, 'other'>): string {
  const serial = sys.device.serial;
  switch (kind) {
    case 'android-id': return sys.androidId;
    case 'serial': return serial;
    case 'imei': return imeiOf(serial);
    case 'meid': return 'A1' + derived(serial, 'meid', 6).toString('hex').toUpperCase();
    case 'wifi-mac': return mac(serial, 'wifi', 'a4:50:46');
    case 'bluetooth-mac': return mac(serial, 'bluetooth', 'a4:50:47');
    case 'ip-address': return `192.168.31.${10 + (derived(serial, 'ip', 1)[0]! % 200)}`;
    case 'package-list': return packageListOf(sys);
    // Tiananmen Square, five decimals as LocationManager's coarse fixes are usually written.
    case 'location': return '39.90872,116.39749';
    case 'phone-number': return '138' + [...derived(serial, 'msisdn', 8)].map((b) => String(b % 10)).join('');
    case 'oaid': {
      const h = derived(serial, 'oaid', 16).toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    }
  }
}
