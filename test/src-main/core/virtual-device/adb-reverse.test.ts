// `adb reverse` on the virtual phone through the REAL adb server: an app's socket to the phone's port R reaches
// a TCP server on the host's port L, bytes both ways intact under ADB flow control, --list/--remove/--no-rebind/
// tcp:0 answered as adbd does, listeners gone with their transport, and adbkit's reverse path.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import Adb from '@devicefarmer/adbkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { freePort, startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
const servers: Server[] = [];
const hostSide = new Set<Socket>();
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const adbS = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, ...args])).stdout;
const APP_UID = 10087;

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
});
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});
afterEach(async () => {
  await adbS('reverse', '--remove-all');
  for (const s of hostSide) s.destroy();
  hostSide.clear();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A host TCP server on a free port; `onSocket` gets each connection the adb server makes to it. */
async function hostServer(onSocket: (s: Socket) => void): Promise<number> {
  const server = createServer((s) => {
    hostSide.add(s);
    s.once('close', () => hostSide.delete(s));
    onSocket(s);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

function collect(socket: Duplex, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer): void => {
      chunks.push(c);
      got += c.length;
      if (got >= bytes) {
        socket.off('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => (got < bytes ? reject(new Error(`closed after ${got} of ${bytes} bytes`)) : undefined));
  });
}

const closed = (s: Duplex): Promise<void> => new Promise((r) => (s.destroyed ? r() : s.once('close', () => r())));

describe('adb reverse on the virtual phone (real adb server)', () => {
  it('carries an app connection to the host echo server; --list names it; /proc/net shows the listener and the app socket', async () => {
    const local = await hostServer((s) => s.pipe(s));
    const remote = await freePort();
    await adbS('reverse', `tcp:${remote}`, `tcp:${local}`);
    expect(await adbS('reverse', '--list')).toMatch(new RegExp(`^host-\\d+ tcp:${remote} tcp:${local}$`, 'm'));
    const app = await phone.system.network.connect(APP_UID, '127.0.0.1', remote);
    const got = collect(app, 11);
    app.write('hello, host');
    expect((await got).toString()).toBe('hello, host');
    const port4 = remote.toString(16).toUpperCase().padStart(4, '0');
    const tcp = await adbS('shell', 'cat', '/proc/net/tcp');
    expect(tcp).toMatch(new RegExp(`^ +\\d+: 0100007F:${port4} 00000000:0000 0A 00000000:00000000 00:00000000 00000000  2000 +0 \\d+ `, 'm'));
    const tcp6 = await adbS('shell', 'cat', '/proc/net/tcp6');
    expect(tcp6).toMatch(new RegExp(`^ +\\d+: 0000000000000000FFFF00000100007F:[0-9A-F]{4} 0000000000000000FFFF00000100007F:${port4} 01 00000000:00000000 00:00000000 00000000 ${APP_UID} +0 \\d+ `, 'm'));
    app.destroy();
  });

  it('moves 20 MB each way intact through the echo server', async () => {
    const local = await hostServer((s) => s.pipe(s));
    const remote = await freePort();
    await adbS('reverse', `tcp:${remote}`, `tcp:${local}`);
    const app = await phone.system.network.connect(APP_UID, '127.0.0.1', remote);
    const data = randomBytes(20 * 1024 * 1024);
    const started = Date.now();
    const back = collect(app, data.length);
    app.write(data);
    const echoed = await back;
    const ms = Date.now() - started;
    expect(sha(echoed)).toBe(sha(data));
    expect(echoed.length).toBe(data.length);
    console.log(`reverse echo 20 MiB up + 20 MiB down: ${ms} ms (${((40 / ms) * 1000).toFixed(1)} MiB/s)`);
    app.destroy();
  });

  it('a host server that sends 20 MB and reads 20 MB sees both intact, independently of the echo', async () => {
    const down = randomBytes(20 * 1024 * 1024);
    const up = randomBytes(20 * 1024 * 1024);
    let hostGot: Promise<Buffer> | null = null;
    const local = await hostServer((s) => {
      hostGot = collect(s, up.length);
      s.write(down);
    });
    const remote = await freePort();
    await adbS('reverse', `tcp:${remote}`, `tcp:${local}`);
    const app = await phone.system.network.connect(APP_UID, '127.0.0.1', remote);
    const appGot = collect(app, down.length);
    app.write(up);
    expect(sha(await appGot)).toBe(sha(down));
    await waitFor('the host connection', async () => hostGot);
    expect(sha(await hostGot!)).toBe(sha(up));
    app.destroy();
  });

  it('holds the host back while the app does not read (the phone buffers a bounded amount)', async () => {
    const total = 32 * 1024 * 1024;
    let hostSocket: Socket | null = null;
    const local = await hostServer((s) => {
      hostSocket = s;
      s.write(randomBytes(total));
    });
    const remote = await freePort();
    await adbS('reverse', `tcp:${remote}`, `tcp:${local}`);
    const before = phone.reverse.stats.bytesToPhone;
    const app = await phone.system.network.connect(APP_UID, '127.0.0.1', remote);
    app.pause();
    await waitFor('the host connection', async () => hostSocket);
    await new Promise((r) => setTimeout(r, 1500));
    const held = phone.reverse.stats.bytesToPhone - before;
    // One WRTE (<= 256 KiB) beyond what the app socket's buffer holds: far below what the host wants to send.
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(2 * 1024 * 1024);
    const rest = collect(app, total - 1);
    app.resume();
    expect((await rest).length).toBeGreaterThanOrEqual(total - 1);
    app.destroy();
  });

  it('closing the host side ends the app socket; closing the app side ends the host socket', async () => {
    const hostSockets: Socket[] = [];
    const local = await hostServer((s) => {
      hostSockets.push(s);
      s.on('error', () => {});
    });
    const remote = await freePort();
    await adbS('reverse', `tcp:${remote}`, `tcp:${local}`);

    const first = await phone.system.network.connect(APP_UID, '127.0.0.1', remote);
    first.on('data', () => {});
    await waitFor('host accepted', async () => hostSockets.length === 1);
    const t0 = Date.now();
    hostSockets[0]!.end();
    await closed(first);
    const hostCloseMs = Date.now() - t0;

    const second = await phone.system.network.connect(APP_UID, '127.0.0.1', remote);
    second.resume();
    await waitFor('host accepted', async () => hostSockets.length === 2);
    const hostEnded = new Promise<void>((r) => hostSockets[1]!.once('end', () => r()));
    hostSockets[1]!.resume();
    const t1 = Date.now();
    second.end();
    await hostEnded;
    const appCloseMs = Date.now() - t1;
    expect(hostCloseMs).toBeLessThan(2000);
    expect(appCloseMs).toBeLessThan(2000);
    await closed(second);
    await waitFor('the app sockets leave /proc/net', async () => phone.system.network.openSockets().every((s) => s.uid !== APP_UID), 2000);
  });

  it('a connection to a host port nobody serves is accepted by the phone, then closed (as adbd does)', async () => {
    const nobody = await freePort();
    const remote = await freePort();
    await adbS('reverse', `tcp:${remote}`, `tcp:${nobody}`);
    const app = await phone.system.network.connect(APP_UID, '127.0.0.1', remote);
    const t0 = Date.now();
    app.resume();
    await closed(app);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('--remove ends the forward (new connects refused); removing an unknown one, or --no-rebind over one, fails as adbd says', async () => {
    const local = await hostServer((s) => s.pipe(s));
    const remote = await freePort();
    await adbS('reverse', `tcp:${remote}`, `tcp:${local}`);
    await expect(adb.adb(['-s', phone.serial, 'reverse', '--no-rebind', `tcp:${remote}`, `tcp:${local}`])).rejects.toMatchObject({ stderr: expect.stringContaining('cannot rebind existing socket') });
    await adbS('reverse', '--remove', `tcp:${remote}`);
    expect((await adbS('reverse', '--list')).trim()).toBe('');
    await expect(phone.system.network.connect(APP_UID, '127.0.0.1', remote)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(adb.adb(['-s', phone.serial, 'reverse', '--remove', `tcp:${remote}`])).rejects.toMatchObject({ stderr: expect.stringContaining(`listener 'tcp:${remote}' not found`) });
  });

  it('tcp:0 lets the phone choose the port and prints it', async () => {
    const local = await hostServer((s) => s.pipe(s));
    const out = (await adbS('reverse', 'tcp:0', `tcp:${local}`)).trim();
    expect(out).toMatch(/^\d+$/);
    expect(phone.system.network.listening(Number(out))).toBe(true);
    expect(await adbS('reverse', '--list')).toContain(`tcp:${out} tcp:${local}`);
  });

  it('a listener belongs to its transport: adb disconnect removes it', async () => {
    const local = await hostServer((s) => s.pipe(s));
    const remote = await freePort();
    await adbS('reverse', `tcp:${remote}`, `tcp:${local}`);
    expect(phone.system.network.listening(remote)).toBe(true);
    await adb.adb(['disconnect', phone.serial]);
    await waitFor('listener gone', async () => !phone.system.network.listening(remote), 3000);
    await adb.adb(['connect', phone.serial]);
    await waitFor('online again', async () => (await adb.adb(['devices'])).stdout.includes(`${phone.serial}\tdevice`), 5000);
  });

  it('adbkit: device.reverse and listReverses', async () => {
    const client = Adb.createClient({ host: '127.0.0.1', port: adb.port });
    const device = client.getDevice(phone.serial);
    const local = await hostServer((s) => s.pipe(s));
    const remote = await freePort();
    expect(await device.reverse(`tcp:${remote}`, `tcp:${local}`)).toBe(true);
    expect(await device.listReverses()).toEqual([{ remote: `tcp:${remote}`, local: `tcp:${local}` }]);
    const app = await phone.system.network.connect(APP_UID, 'localhost', remote);
    const got = collect(app, 6);
    app.write('adbkit');
    expect((await got).toString()).toBe('adbkit');
    app.destroy();
  });
});
