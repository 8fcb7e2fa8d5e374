// `adb shell cat /proc/net/tcp{,6}` through the REAL adb server: the phone's socket table with the apps' uids, and
// a phone whose SELinux keeps the shell out answering Permission denied. Hostile `adb reverse` specs are refused
// quickly with adbd's words and leave no listener behind.
import Adb from '@devicefarmer/adbkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let open: VirtualDevice;
let strict: VirtualDevice;

beforeAll(async () => {
  adb = await startAdbServer();
  open = await startPhone(adb, 'compliant-app');
  strict = await startPhone(adb, 'compliant-app', { shellReadsProcNet: false });
});
afterAll(async () => {
  await adb?.kill();
  await open?.stop();
  await strict?.stop();
});

const run = async (phone: VirtualDevice, line: string): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', line])).stdout;

describe('/proc/net through adb shell', () => {
  it('lists an app socket with its uid in tcp6, and pipes through grep as a shell would', async () => {
    open.system.network.listen(7777, (s) => s.resume());
    const app = await open.system.network.connect(10345, '127.0.0.1', 7777);
    const tcp6 = await run(open, 'cat /proc/net/tcp6');
    expect(tcp6.split('\n')[0]).toMatch(/^ {2}sl {2}local_address {25}remote_address/);
    expect(tcp6).toMatch(/0000000000000000FFFF00000100007F:1E61 01 .* 10345 /);
    expect(await run(open, 'cat /proc/net/tcp | grep -c " 0A "')).toBe('1\n');
    app.destroy();
  });

  it('a phone that refuses the shell says Permission denied on stderr, and the command fails', async () => {
    expect(await run(strict, 'cat /proc/net/tcp6')).toBe('cat: /proc/net/tcp6: Permission denied\n');
    expect(await run(strict, 'cat /proc/net/tcp 2>/dev/null || echo refused')).toBe('refused\n');
    expect(await run(open, 'cat /proc/net/tcp >/dev/null && echo read')).toBe('read\n');
  });
});

describe('hostile adb reverse specs', () => {
  it("are refused quickly with adbd's words and leave no listener (sent by adbkit, which does not check them)", async () => {
    const client = Adb.createClient({ host: '127.0.0.1', port: adb.port });
    const device = client.getDevice(open.serial);
    const cases: Array<[string, string, RegExp]> = [
      ['tcp:70000', 'tcp:1', /cannot bind listener: invalid port/],
      ['localabstract:x', 'tcp:1', /unknown socket specification 'localabstract:x'/],
      ['tcp:1234', `tcp:${'9'.repeat(10_000)}`, /bad forward/],
      ['tcp:1234;tcp:5', 'tcp:1', /bad forward/],
      ['tcp:1234', '*smartsocket*', /bad forward/],
      ['', 'tcp:1', /bad forward/],
    ];
    for (const [remote, local, message] of cases) {
      const t0 = Date.now();
      const err = await Promise.resolve(device.reverse(remote, local)).then(() => null, (e: Error) => e);
      expect(err?.message ?? 'accepted').toMatch(message);
      expect(Date.now() - t0).toBeLessThan(3000);
    }
    expect(await device.listReverses()).toEqual([]);
    expect(open.system.network.listening(1234)).toBe(false);
  });
});
