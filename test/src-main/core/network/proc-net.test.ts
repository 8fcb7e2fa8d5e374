// /proc/net/tcp{,6} as phones print them: lines real kernels printed (test/fixtures/proc-net, with their sources),
// the virtual phone's tables (whose format part 3 checked against those lines), IPv4-mapped IPv6, loopback; and
// hostile text — a shell that may not read them, garbage, a million lines, megabyte lines — bounded and measured.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelAddress, MAX_SOCKETS, parseProcNet } from '../../../../src-main/core/network/proc-net.js';
import { PhoneNetwork } from '../../../../src-main/core/virtual-device/android/phone-network.js';
import { SettingsStore } from '../../../../src-main/core/virtual-device/android/settings-store.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const real = readFileSync(join(import.meta.dirname, '../../../fixtures/proc-net/real-lines.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));

describe('parseProcNet', () => {
  it('reads lines real kernels printed: addresses, ports, state, uid, inode', () => {
    const t = parseProcNet(HEADER + real.join('\n') + '\n');
    expect(t.readable).toBe(true);
    expect(t.skipped).toBe(0);
    expect(t.sockets).toEqual([
      { family: 4, localAddress: '0.0.0.0', localPort: 9999, remoteAddress: '0.0.0.0', remotePort: 0, state: 10, uid: 0, inode: 37861 },
      { family: 4, localAddress: '172.18.0.2', localPort: 60012, remoteAddress: '34.120.78.157', remotePort: 443, state: 1, uid: 0, inode: 35787 },
      // OWASP MASTG's Android capture: an app (uid 10093) at 192.168.1.17 talking to 74.125.68.154:443.
      { family: 4, localAddress: '192.168.1.17', localPort: 47919, remoteAddress: '74.125.68.154', remotePort: 443, state: 1, uid: 10093, inode: 75412 },
    ]);
  });

  it('reads the virtual phone\'s tcp6 (an app\'s Java socket to the reverse port, as ::ffff:127.0.0.1) and tcp', async () => {
    const net = new PhoneNetwork(new SettingsStore());
    net.listen(8123, () => undefined);
    await net.connect(10231, '127.0.0.1', 8123);
    await net.connect(10232, '127.0.0.1', 8123, { table: 'tcp' });
    const t = parseProcNet(net.procNetTcp('tcp6') + net.procNetTcp('tcp'));
    expect(t.readable).toBe(true);
    const apps = t.sockets.filter((s) => s.uid >= 10_000);
    expect(apps.map((s) => [s.family, s.uid, s.remoteAddress, s.remotePort, s.state])).toEqual(expect.arrayContaining([[6, 10231, '127.0.0.1', 8123, 1], [4, 10232, '127.0.0.1', 8123, 1]]));
    // adbd's listener (uid 2000) is listed too, as LISTEN.
    expect(t.sockets.some((s) => s.uid === 2000 && s.localPort === 8123 && s.state === 10)).toBe(true);
  });

  it('IPv6 addresses: words in the kernel\'s byte order, ::1 and IPv4-mapped folded', () => {
    expect(kernelAddress('00000000000000000000000001000000')).toBe('::1');
    expect(kernelAddress('0000000000000000FFFF00000100007F')).toBe('127.0.0.1');
    expect(kernelAddress('B80D0120000000000000000001000000')).toBe('2001:db8::1');
    expect(kernelAddress('0100007F')).toBe('127.0.0.1');
  });

  it('a shell that may not read the tables: not readable, nothing thrown', () => {
    const t = parseProcNet('cat: /proc/net/tcp6: Permission denied\ncat: /proc/net/tcp: Permission denied\n');
    expect(t).toEqual({ readable: false, sockets: [], skipped: 2 });
  });

  it('hostile text is bounded: garbage, a million lines, megabyte lines — measured', () => {
    const line = real[2]!;
    const million = HEADER + `${line}\n`.repeat(1_000_000);
    let t0 = Date.now();
    const big = parseProcNet(million);
    const bigMs = Date.now() - t0;
    expect(big.sockets).toHaveLength(MAX_SOCKETS);
    expect(big.skipped).toBe(1_000_000 - MAX_SOCKETS);
    expect(bigMs).toBeLessThan(5000);
    t0 = Date.now();
    const wide = parseProcNet(HEADER + `${'F'.repeat(8 << 20)}\n${'0:'.repeat(4 << 20)}\n\u0000\u001b[31m 1: zz\n${line}\n`);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(wide.sockets).toHaveLength(1);
    expect(wide.skipped).toBe(3);
  });
});
