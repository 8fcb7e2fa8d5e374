// /proc/net/tcp and tcp6 as the kernel prints them, checked against lines real kernels printed (a Linux capture
// and an Android phone's, see test/fixtures/proc-net/SOURCES.md) and the kernel's own format strings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProcNetTcp, ipv6Bytes, type ProcTcpRow } from '../../../../src-main/core/virtual-device/android/proc-net-tcp.js';

const real = readFileSync(join(__dirname, '../../../fixtures/proc-net/real-lines.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
const lines = (text: string): string[] => text.split('\n').slice(1, -1);
const row = (r: Partial<ProcTcpRow>): ProcTcpRow => ({ table: 'tcp', localAddress: '0.0.0.0', localPort: 0, remoteAddress: '0.0.0.0', remotePort: 0, state: 'ESTABLISHED', uid: 0, inode: 1, ...r });

// get_tcp4_sock's "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK %lu %lu %u %u %d"
const TCP4_LINE = /^[ \d]{3}\d: [0-9A-F]{8}:[0-9A-F]{4} [0-9A-F]{8}:[0-9A-F]{4} [0-9A-F]{2} [0-9A-F]{8}:[0-9A-F]{8} [0-9A-F]{2}:[0-9A-F]{8} [0-9A-F]{8} [ \d]{4}\d [ \d-]{7}\d \d+ \d+ 0{16} \d+ \d+ \d+ \d+ -?\d+ *$/;
const TCP6_LINE = /^[ \d]{3}\d: [0-9A-F]{32}:[0-9A-F]{4} [0-9A-F]{32}:[0-9A-F]{4} [0-9A-F]{2} [0-9A-F]{8}:[0-9A-F]{8} [0-9A-F]{2}:[0-9A-F]{8} [0-9A-F]{8} [ \d]{4}\d [ \d-]{7}\d \d+ \d+ 0{16} \d+ \d+ \d+ \d+ -?\d+$/;

describe('/proc/net/tcp format', () => {
  it('prints a listener exactly as the captured Linux line, padded to 149 columns like the header', () => {
    const text = formatProcNetTcp([row({ localPort: 9999, state: 'LISTEN', inode: 37861 })], 'tcp');
    const [header, ...rest] = text.split('\n');
    expect(header).toHaveLength(149);
    expect(header!.trimEnd()).toBe('  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode');
    expect(rest[0]).toHaveLength(149);
    expect(rest[0]!.trimEnd()).toBe(real[0]);
  });

  it('prints an established socket with the captured columns (addresses little-endian, port big hex)', () => {
    const [mine] = lines(formatProcNetTcp([row({ localAddress: '172.18.0.2', localPort: 0xea6c, remoteAddress: '34.120.78.157', remotePort: 443, inode: 35787 })], 'tcp'));
    // Same columns from the addresses to the socket pointer and rto; the sl number is the table position.
    const upToRto = (l: string): string => l.trim().split(/\s+/).slice(1, 13).join(' ');
    expect(upToRto(mine!)).toBe(upToRto(real[1]!));
    expect(mine).toMatch(TCP4_LINE);
  });

  it("prints an Android app's socket with its uid as the Android capture shows it", () => {
    const [mine] = lines(formatProcNetTcp([row({ localAddress: '192.168.1.17', localPort: 0xbb2f, remoteAddress: '74.125.68.154', remotePort: 443, uid: 10093, inode: 75412 })], 'tcp'));
    const tokens = (l: string): string[] => l.trim().split(/\s+/);
    expect(tokens(mine!).slice(1, 13)).toEqual(tokens(real[2]!).slice(1, 13));
  });

  it('lists listeners before established sockets, and a TIME_WAIT socket with no owner (uid 0, inode 0, timer 3)', () => {
    const text = formatProcNetTcp([
      row({ localAddress: '127.0.0.1', localPort: 40000, remoteAddress: '127.0.0.1', remotePort: 8080, uid: 10087, inode: 7 }),
      row({ localAddress: '127.0.0.1', localPort: 8080, state: 'LISTEN', uid: 2000, inode: 8 }),
      row({ localAddress: '127.0.0.1', localPort: 40002, remoteAddress: '127.0.0.1', remotePort: 8080, state: 'TIME_WAIT', uid: 10087, inode: 9 }),
    ], 'tcp');
    const [a, b, c] = lines(text);
    expect(a).toMatch(/^ {3}0: 0100007F:1F90 00000000:0000 0A .* 2000 +0 8 1 0{16} 100 0 0 10 0 *$/);
    expect(b).toMatch(/^ {3}1: 0100007F:9C40 0100007F:1F90 01 .* 10087 +0 7 /);
    expect(c!.trimEnd()).toBe('   2: 0100007F:9C42 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000');
  });
});

describe('/proc/net/tcp6 format', () => {
  it('prints IPv4 peers of Java sockets as ::ffff:a.b.c.d, each 32-bit word little-endian, unpadded', () => {
    const text = formatProcNetTcp([
      row({ table: 'tcp6', localAddress: '192.168.1.17', localPort: 0xbb2f, remoteAddress: '74.125.68.154', remotePort: 443, uid: 10093, inode: 75412 }),
      row({ table: 'tcp6', localAddress: '::ffff:127.0.0.1', localPort: 41000, remoteAddress: '127.0.0.1', remotePort: 8080, uid: 10087, inode: 3 }),
      row({ table: 'tcp6', localAddress: '::', localPort: 5555, remoteAddress: '::', state: 'LISTEN', uid: 1000, inode: 4 }),
      row({ table: 'tcp6', localAddress: '2001:db8::1', localPort: 1, remoteAddress: '::1', remotePort: 2, uid: 10001, inode: 5 }),
    ], 'tcp6');
    const [header, ...rows] = text.split('\n');
    expect(header).toBe('  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode');
    const body = rows.filter(Boolean);
    for (const l of body) expect(l).toMatch(TCP6_LINE);
    expect(body[0]).toMatch(/^ {3}0: 0{32}:15B3 0{32}:0000 0A /);
    // 192.168.1.17 is 1101A8C0 in the Android capture; as an AF_INET6 peer it follows 0000000000000000FFFF0000.
    expect(body[1]).toMatch(/^ {3}1: 0000000000000000FFFF00001101A8C0:BB2F 0000000000000000FFFF00009A447D4A:01BB 01 .* 10093 +0 75412 /);
    expect(body[2]).toMatch(/^ {3}2: 0000000000000000FFFF00000100007F:A028 0000000000000000FFFF00000100007F:1F90 01 /);
    // ::1 is printed as 00000000000000000000000001000000 (the word order a real tcp6 shows).
    expect(body[3]).toMatch(/^ {3}3: B80D0120000000000000000001000000:0001 00000000000000000000000001000000:0002 /);
  });

  it('expands IPv6 text forms to their 16 bytes', () => {
    expect(ipv6Bytes('::ffff:10.0.0.1').toString('hex')).toBe('00000000000000000000ffff0a000001');
    expect(ipv6Bytes('fe80::1:2').toString('hex')).toBe('fe800000000000000000000000010002');
    expect(ipv6Bytes('1:2:3:4:5:6:7:8').toString('hex')).toBe('00010002000300040005000600070008');
  });
});
