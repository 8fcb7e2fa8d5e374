/**
 * The host's addresses a Wi-Fi mode proxy may listen on (never loopback, never link-local), and the one on the
 * phone's own subnet when the tester did not choose. IPv4 only: Android's http_proxy setting is `host:port`.
 */
import { networkInterfaces } from 'node:os';
import type { LanAddress } from '../../../src-preload/network-api.js';

export function lanAddresses(): LanAddress[] {
  const out: LanAddress[] = [];
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal || a.family !== 'IPv4' || a.address.startsWith('169.254.')) continue;
      out.push({ interfaceName: name, address: a.address, family: 'IPv4' });
    }
  }
  return out;
}

/** The host address sharing the most leading bits with the phone's (same subnet first); null when none. */
export function addressFacing(phone: string, candidates: LanAddress[]): string | null {
  const bits = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const p = bits(phone);
  let best: { address: string; common: number } | null = null;
  for (const c of candidates) {
    const x = (bits(c.address) ^ p) >>> 0;
    const common = x === 0 ? 32 : Math.clz32(x);
    if (!best || common > best.common) best = { address: c.address, common };
  }
  return best && best.common >= 8 ? best.address : null;
}

/** The phone's Wi-Fi (or first non-loopback) IPv4 address from `ip -o addr` output (its `inet` lines); null when none. */
export function phoneAddress(ipOutput: string): string | null {
  let first: string | null = null;
  for (const line of ipOutput.split('\n').slice(0, 200)) {
    const m = /^\d+:\s+(\S+)\s+inet\s+(\d{1,3}(?:\.\d{1,3}){3})\//.exec(line);
    if (!m || m[2]!.startsWith('127.')) continue;
    if (/^wlan/.test(m[1]!)) return m[2]!;
    first ??= m[2]!;
  }
  return first;
}
