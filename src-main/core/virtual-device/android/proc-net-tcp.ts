/**
 * /proc/net/tcp and /proc/net/tcp6 as the Linux kernel prints them (net/ipv4/tcp_ipv4.c get_tcp4_sock,
 * net/ipv6/tcp_ipv6.c get_tcp6_sock): addresses as the host-order (little-endian on ARM) hex of each 32-bit word,
 * ports as big hex, states as the kernel's TCP_* numbers, and the kernel pointer column zeroed as Android's
 * kptr_restrict prints it. tcp lines are padded to 149 columns (seq_pad); tcp6 lines are not. Listeners come first,
 * as the kernel walks its listening hash before the established one. Sources: test/fixtures/proc-net/SOURCES.md.
 */
import { isIPv4, isIPv6 } from 'node:net';

export const TCP_STATES = {
  ESTABLISHED: 0x01, SYN_SENT: 0x02, SYN_RECV: 0x03, FIN_WAIT1: 0x04, FIN_WAIT2: 0x05, TIME_WAIT: 0x06,
  CLOSE: 0x07, CLOSE_WAIT: 0x08, LAST_ACK: 0x09, LISTEN: 0x0a, CLOSING: 0x0b,
} as const;
export type TcpState = keyof typeof TCP_STATES;

export interface ProcTcpRow {
  /** `tcp` (an AF_INET socket) or `tcp6` (AF_INET6: what Java's sockets are, IPv4 peers as ::ffff:a.b.c.d). */
  table: 'tcp' | 'tcp6';
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: TcpState;
  uid: number;
  inode: number;
}

const TMPSZ = 150;
const TCP4_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const TCP6_HEADER = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const KPTR = '0000000000000000';

const hex8 = (n: number): string => (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

/** The four bytes of an IPv4 address as the kernel prints `__be32` with %08X on a little-endian CPU. */
function ipv4Word(address: string): string {
  const b = address.split('.').map(Number);
  return hex8(((b[3]! << 24) | (b[2]! << 16) | (b[1]! << 8) | b[0]!) >>> 0);
}

/** The 16 bytes of an IPv6 address (IPv4 given here becomes ::ffff:a.b.c.d, as an AF_INET6 socket holds it). */
export function ipv6Bytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...address.split('.').map(Number)]);
  let a = address.toLowerCase();
  const mapped = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) {
    const b = mapped[2]!.split('.').map(Number);
    a = `${mapped[1]}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head = '', tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  return out;
}

function ipv6Words(address: string): string {
  const b = ipv6Bytes(address);
  let s = '';
  for (let i = 0; i < 16; i += 4) s += hex8(b.readUInt32LE(i));
  return s;
}

function timers(row: ProcTcpRow): string {
  // TIME_WAIT sockets belong to no one (uid 0, inode 0) and carry the timewait timer (tr 03).
  if (row.state === 'TIME_WAIT') return `00000000:00000000 03:00001770 00000000 ${String(0).padStart(5)} ${String(0).padStart(8)} 0`;
  return `00000000:00000000 00:00000000 00000000 ${String(row.uid).padStart(5)} ${String(0).padStart(8)} ${row.inode}`;
}

function tail(row: ProcTcpRow): string {
  if (row.state === 'TIME_WAIT') return ` 3 ${KPTR}`;
  // refcount, sk (hidden), rto, ato, quick/pingpong, cwnd, ssthresh (listeners: fastopen max_qlen).
  return row.state === 'LISTEN' ? ` 1 ${KPTR} 100 0 0 10 0` : ` 1 ${KPTR} 20 4 30 10 -1`;
}

export function formatProcNetTcp(rows: ProcTcpRow[], table: 'tcp' | 'tcp6'): string {
  const mine = rows.filter((r) => r.table === table && r.state === 'LISTEN').concat(rows.filter((r) => r.table === table && r.state !== 'LISTEN'));
  if (table === 'tcp') {
    const lines = [TCP4_HEADER.padEnd(TMPSZ - 1)];
    mine.forEach((r, i) => {
      if (!isIPv4(r.localAddress) || !isIPv4(r.remoteAddress)) return;
      const line = `${String(i).padStart(4)}: ${ipv4Word(r.localAddress)}:${hex4(r.localPort)} ${ipv4Word(r.remoteAddress)}:${hex4(r.remotePort)} ${hex4(TCP_STATES[r.state]).slice(2)} ${timers(r)}${tail(r)}`;
      lines.push(line.padEnd(TMPSZ - 1));
    });
    return lines.join('\n') + '\n';
  }
  const lines = [TCP6_HEADER];
  mine.forEach((r, i) => {
    if (!(isIPv4(r.localAddress) || isIPv6(r.localAddress)) || !(isIPv4(r.remoteAddress) || isIPv6(r.remoteAddress))) return;
    lines.push(`${String(i).padStart(4)}: ${ipv6Words(r.localAddress)}:${hex4(r.localPort)} ${ipv6Words(r.remoteAddress)}:${hex4(r.remotePort)} ${hex4(TCP_STATES[r.state]).slice(2)} ${timers(r)}${tail(r)}`);
  });
  return lines.join('\n') + '\n';
}
