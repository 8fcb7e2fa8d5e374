/**
 * Counts open TCP connections from the kernel's own tables, for tests that check connections are not leaked:
 * a process's sockets (its /proc/PID/fd links `socket:[inode]`) matched to /proc/net/tcp{,6} rows by inode.
 * Linux only (the tests that use it run on the Debian CI machine).
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

interface TcpRow {
  localAddress: string;
  localPort: number;
  remotePort: number;
  state: number;
  inode: string;
}

const LISTEN = 0x0a;

function tcpRows(): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      rows.push({
        localAddress: kernelAddress(f[1]!.split(':')[0]!),
        localPort: parseInt(f[1]!.split(':')[1]!, 16),
        remotePort: parseInt(f[2]!.split(':')[1]!, 16),
        state: parseInt(f[3]!, 16),
        inode: f[9]!,
      });
    }
  }
  return rows;
}

/** /proc/net/tcp{,6} addresses are 32-bit words in host (little-endian) order: 0100007F is 127.0.0.1. */
function kernelAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

function socketInodes(pid: number | 'self'): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // Closed between the listing and the read.
    }
  }
  return inodes;
}

/** Connections this process (or `pid`) holds whose far end is `port` (e.g. the adb server's). */
export function connectionsTo(port: number, pid: number | 'self' = 'self'): number {
  const mine = socketInodes(pid);
  return tcpRows().filter((r) => r.remotePort === port && r.state !== LISTEN && mine.has(r.inode)).length;
}

/** The process listening on a local TCP port (the adb server), or null. */
export function listenerPid(port: number): number | null {
  const inodes = new Set(tcpRows().filter((r) => r.localPort === port && r.state === LISTEN).map((r) => r.inode));
  if (inodes.size === 0) return null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const inode of socketInodes(Number(entry))) if (inodes.has(inode)) return Number(entry);
  }
  return null;
}

/** How many file descriptors a process has open (what the adb server's select() runs out of at FD_SETSIZE). */
export function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** The addresses this process (or `pid`) listens on for TCP, as `address port` ("127.0.0.1 8080", ":: 8000"). */
export function listeningAddresses(pid: number | 'self' = 'self'): string[] {
  const mine = socketInodes(pid);
  return tcpRows().filter((r) => r.state === LISTEN && mine.has(r.inode)).map((r) => `${r.localAddress} ${r.localPort}`);
}
