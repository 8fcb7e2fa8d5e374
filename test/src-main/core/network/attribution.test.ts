// Attribution from the phone's socket tables, over the virtual phone's own network (the sockets its apps open and
// the /proc/net text it prints, format checked against real kernels by part 3): one app's socket to the reverse port
// names it by uid; twenty connections opening together cost one or two reads, not twenty; two apps at once are
// ambiguous with both named; a Wi-Fi client port names its socket exactly; a phone that refuses the read leaves the
// connection unattributed with what ran; a read that fails never rejects.
import { describe, expect, it } from 'vitest';
import { Attribution, type AttributionOptions } from '../../../../src-main/core/network/attribution.js';
import { PhoneNetwork } from '../../../../src-main/core/virtual-device/android/phone-network.js';
import { SettingsStore } from '../../../../src-main/core/virtual-device/android/settings-store.js';

const PORT = 18321;
const APPS: Record<number, string> = { 10231: 'com.demo.weather', 10232: 'com.demo.reader' };

function phone(): PhoneNetwork {
  const net = new PhoneNetwork(new SettingsStore());
  net.listen(PORT, () => undefined);
  return net;
}

function attribution(net: PhoneNetwork, o: Partial<AttributionOptions> = {}): { a: Attribution; reads: () => number } {
  let reads = 0;
  const a = new Attribution({
    mode: 'usb', proxyPort: PORT,
    readTables: async () => {
      reads++;
      // An adb round trip's worth of waiting: connections keep arriving meanwhile.
      await new Promise((r) => setTimeout(r, 20));
      return net.procNetTcp('tcp6') + net.procNetTcp('tcp');
    },
    packageOfUid: (uid) => APPS[uid] ?? null,
    running: () => ({ foreground: 'com.demo.weather', alive: ['com.demo.weather', 'com.demo.weather:push'] }),
    ...o,
  });
  return { a, reads: () => reads };
}

describe('Attribution', () => {
  it('one app\'s socket to the reverse port: that app, by uid', async () => {
    const net = phone();
    const { a } = attribution(net);
    await net.connect(10231, '127.0.0.1', PORT);
    expect(await a.attribute({ flowId: 'f1', openedAt: Date.now(), clientPort: 50000 })).toEqual({ attribution: 'uid', uid: 10231, packageName: 'com.demo.weather', candidates: [], foreground: null, alive: [] });
    // Its socket is claimed: the next connection of another app is that app's, not the first one's again.
    await net.connect(10232, '127.0.0.1', PORT);
    expect(await a.attribute({ flowId: 'f2', openedAt: Date.now(), clientPort: 50001 })).toMatchObject({ attribution: 'uid', uid: 10232, packageName: 'com.demo.reader' });
  });

  it('twenty connections opening together share one or two reads (coalesced), each attributed', async () => {
    const net = phone();
    const { a, reads } = attribution(net);
    const asked = [];
    for (let i = 0; i < 20; i++) {
      await net.connect(10231, '127.0.0.1', PORT);
      asked.push(a.attribute({ flowId: `f${i}`, openedAt: Date.now(), clientPort: 50000 + i }));
    }
    const apps = await Promise.all(asked);
    expect(apps.every((x) => x.attribution === 'uid' && x.packageName === 'com.demo.weather')).toBe(true);
    expect(reads()).toBeLessThanOrEqual(2);
  });

  it('two apps\' sockets at once: ambiguous, both named', async () => {
    const net = phone();
    const { a } = attribution(net);
    await net.connect(10231, '127.0.0.1', PORT);
    await net.connect(10232, '127.0.0.1', PORT);
    const now = Date.now();
    const [x, y] = await Promise.all([a.attribute({ flowId: 'a', openedAt: now, clientPort: 1 }), a.attribute({ flowId: 'b', openedAt: now, clientPort: 2 })]);
    expect(x).toEqual({ attribution: 'ambiguous', uid: null, packageName: null, candidates: ['com.demo.reader', 'com.demo.weather'], foreground: null, alive: [] });
    expect(y).toEqual(x);
  });

  it('Wi-Fi: the socket whose local port is the client port the proxy saw, exactly', async () => {
    const net = new PhoneNetwork(new SettingsStore(), { upstream: () => { throw new Error('no route in this test'); } });
    // The phone's sockets to the proxy on the LAN (192.168.1.5:PORT), as /proc/net lists them.
    net.listen(PORT, () => undefined);
    await net.connect(10231, '127.0.0.1', PORT);
    await net.connect(10232, '127.0.0.1', PORT);
    const rows = net.openSockets().filter((s) => s.uid >= 10_000);
    const { a } = attribution(net, { mode: 'wifi' });
    for (const row of rows) expect(await a.attribute({ flowId: String(row.localPort), openedAt: Date.now(), clientPort: row.localPort })).toMatchObject({ attribution: 'uid', uid: row.uid });
    expect(await a.attribute({ flowId: 'x', openedAt: Date.now(), clientPort: 1 })).toMatchObject({ attribution: 'unattributed' });
  });

  it('a phone that refuses the read, or a read that fails: unattributed with the foreground app and what ran', async () => {
    const net = phone();
    await net.connect(10231, '127.0.0.1', PORT);
    const denied = attribution(net, { readTables: async () => 'cat: /proc/net/tcp6: Permission denied\ncat: /proc/net/tcp: Permission denied\n' }).a;
    expect(await denied.attribute({ flowId: 'f', openedAt: Date.now(), clientPort: 1 })).toEqual({
      attribution: 'unattributed', uid: null, packageName: null, candidates: [], foreground: 'com.demo.weather', alive: ['com.demo.weather', 'com.demo.weather:push'],
    });
    expect(denied.lastReadable).toBe(false);
    const failing = attribution(net, { readTables: async () => { throw new Error('device offline'); } }).a;
    expect(await failing.attribute({ flowId: 'f', openedAt: Date.now(), clientPort: 1 })).toMatchObject({ attribution: 'unattributed' });
  });
});
