/**
 * Phones a dead workbench left pointing at its proxy (a crash, a kill -9, a power cut): such a phone has no
 * internet until its setting is put back. Found two ways — a lease whose process is gone (we know what to
 * restore), or a connected phone whose http_proxy is 127.0.0.1:P with no lease and nothing listening on P (we
 * only know it is ours by its form: clearing deletes the setting). Offered to the tester, cleared on request.
 */
import { connect } from 'node:net';
import type { StaleProxy } from '../../../src-preload/network-api.js';
import type { DeviceBridge } from '../adb/device-bridge.js';
import { leaseDead, listLeases, removeLease, type ProxyLease } from './proxy-lease.js';
import { readHttpProxy, restoreHttpProxy } from './proxy-setting.js';

export interface StaleCheck {
  bridge: DeviceBridge;
  dataDir: string;
  /** Serials of the phones connected now (adb state `device`). */
  connected: string[];
  /** Phones whose proxy this process runs (never stale while it does). */
  ours: (serial: string) => boolean;
}

/** A loopback proxy setting of the form we set in USB mode. */
const LOOPBACK_PROXY = /^(?:127\.0\.0\.1|localhost):(\d{1,5})$/;

export async function findStaleProxies(c: StaleCheck): Promise<StaleProxy[]> {
  const { leases } = listLeases(c.dataDir);
  const out: StaleProxy[] = [];
  const leased = new Set<string>();
  for (const lease of leases) {
    leased.add(lease.serial);
    if (!leaseDead(lease) || c.ours(lease.serial)) continue;
    const connected = c.connected.includes(lease.serial);
    const current = connected ? await readHttpProxy(c.bridge, lease.serial).catch(() => null) : null;
    out.push({ serial: lease.serial, current, restore: lease.previous, reason: 'dead-workbench', lease: leaseView(lease), connected });
  }
  for (const serial of c.connected) {
    if (leased.has(serial) || c.ours(serial)) continue;
    const current = await readHttpProxy(c.bridge, serial).catch(() => null);
    const port = current === null ? null : LOOPBACK_PROXY.exec(current)?.[1];
    if (!port || (await listening(Number(port)))) continue;
    out.push({ serial, current, restore: null, reason: 'nothing-listening', lease: null, connected: true });
  }
  return out;
}

/**
 * Restores one stale phone: its setting put back (the lease's previous value, else deleted), the reverse a lease
 * names removed, the lease deleted. Throws when the phone refuses or is away (the lease then stays).
 */
export async function clearStaleProxy(bridge: DeviceBridge, dataDir: string, stale: StaleProxy): Promise<void> {
  const { serial } = stale;
  await restoreHttpProxy(bridge, serial, stale.restore);
  const port = stale.lease?.mode === 'usb' ? stale.lease.port : stale.current ? Number(LOOPBACK_PROXY.exec(stale.current)?.[1] ?? 0) : 0;
  if (port) await bridge.reverseRemove(serial, port).catch(() => undefined);
  if (stale.lease) removeLease(dataDir, serial);
}

function leaseView(l: ProxyLease): StaleProxy['lease'] {
  return { pid: l.pid, port: l.port, mode: l.mode, startedAt: l.startedAt, sessionId: l.sessionId };
}

/** Whether anything accepts a TCP connection on the host's 127.0.0.1:port (within 500 ms). */
function listening(port: number): Promise<boolean> {
  if (!(port > 0 && port < 65536)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (yes: boolean): void => {
      socket.destroy();
      resolve(yes);
    };
    socket.setTimeout(500, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
