/**
 * The lease: a small file in the data folder (`network/leases/`) written BEFORE a phone is pointed at a proxy of
 * ours, saying which phone, what its setting was before, and which process and port now hold it. It is deleted
 * once the phone is restored. A workbench killed with SIGKILL leaves it behind, so the next start knows that phone
 * points at a dead proxy and what to restore it to. Read as untrusted (bounded, validated): a broken lease is
 * reported by its file name, never thrown on.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ProxyMode } from '../../../src-preload/network.js';
import { processAlive } from '../data-dir-lock.js';
import { tempName } from '../dead-process-files.js';
import { openNoFollow } from '../no-follow.js';
import { readSessionFile } from '../session/session-files.js';

export interface ProxyLease {
  serial: string;
  /** The phone's http_proxy before we changed it (null: unset): what tear-down restores. */
  previous: string | null;
  /** What we set it to (host:port). */
  address: string;
  pid: number;
  /** The phone-side port (USB: the reverse on the phone's loopback; Wi-Fi: the proxy's LAN port). */
  port: number;
  mode: ProxyMode;
  /** Whether `adb reverse tcp:port` was made (removed at tear-down). */
  reverse: boolean;
  startedAt: number;
  sessionId: string | null;
}

const MAX_LEASE_BYTES = 4096;
const MAX_LEASES = 256;

const leaseSchema = z.object({
  serial: z.string().min(1).max(300),
  previous: z.string().max(300).nullable(),
  address: z.string().max(300),
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65535),
  mode: z.enum(['usb', 'wifi']),
  reverse: z.boolean(),
  startedAt: z.number(),
  sessionId: z.string().max(300).nullable(),
}).strict();

export function leaseDir(dataDir: string): string {
  return join(dataDir, 'network', 'leases');
}

/** One file per phone: the serial made safe for a file name, with a hash so `a:b` and `a_b` never share one. */
function leaseFile(dataDir: string, serial: string): string {
  const safe = serial.replace(/[^\w.-]/g, '_').slice(0, 80);
  return join(leaseDir(dataDir), `${safe}-${createHash('sha256').update(serial).digest('hex').slice(0, 12)}.json`);
}

/** Written whole (temp file, fsync, rename) before the phone is changed: a crash leaves the old lease or the new one. */
export function writeLease(dataDir: string, lease: ProxyLease): void {
  mkdirSync(leaseDir(dataDir), { recursive: true, mode: 0o700 });
  const file = leaseFile(dataDir, lease.serial);
  const tmp = tempName(file);
  const { fd } = openNoFollow(tmp, 'fresh');
  try {
    writeSync(fd, JSON.stringify(lease));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export function removeLease(dataDir: string, serial: string): void {
  rmSync(leaseFile(dataDir, serial), { force: true });
}

export function readLease(dataDir: string, serial: string): ProxyLease | null {
  return readLeaseFile(leaseDir(dataDir), leaseFile(dataDir, serial).slice(leaseDir(dataDir).length + 1));
}

function readLeaseFile(dir: string, name: string): ProxyLease | null {
  try {
    const parsed = leaseSchema.safeParse(JSON.parse(readSessionFile(dir, name, MAX_LEASE_BYTES).toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Every lease in the data folder (at most MAX_LEASES); unreadable ones are skipped (listed in `broken`). */
export function listLeases(dataDir: string): { leases: ProxyLease[]; broken: string[] } {
  const dir = leaseDir(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).slice(0, MAX_LEASES);
  } catch {
    return { leases: [], broken: [] };
  }
  const leases: ProxyLease[] = [];
  const broken: string[] = [];
  for (const name of names) {
    const lease = readLeaseFile(dir, name);
    if (lease) leases.push(lease);
    else broken.push(name);
  }
  return { leases, broken };
}

/** The lease's process is gone (this process's own leases are alive while it runs). */
export function leaseDead(lease: ProxyLease): boolean {
  return lease.pid !== process.pid && !processAlive(lease.pid);
}
