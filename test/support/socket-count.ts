/**
 * Counts open TCP connections from the kernel's own tables, for tests that check connections are not leaked:
 * a process's sockets (its /proc/PID/fd links `socket:[inode]`) matched to /proc/net/tcp{,6} rows by inode.
 * Linux only (the tests that use it run on the Debian CI machine).
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

interface TcpRow {
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
        localPort: parseInt(f[1]!.split(':')[1]!, 16),
        remotePort: parseInt(f[2]!.split(':')[1]!, 16),
        state: parseInt(f[3]!, 16),
        inode: f[9]!,
      });
    }
  }
  return rows;
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
