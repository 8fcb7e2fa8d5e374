// The virtual phone's TCP network: loopback listeners and app sockets, refusals as a phone gives them, the
// route out through the upstream connector (a real TCP server here), the socket table /proc/net prints.
import { createServer, connect as netConnect, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { PhoneNetwork, PhoneNetError } from '../../../../src-main/core/virtual-device/android/phone-network.js';
import { SettingsStore } from '../../../../src-main/core/virtual-device/android/settings-store.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

function echoOn(net: PhoneNetwork, port: number): () => void {
  return net.listen(port, (socket) => socket.pipe(socket));
}

async function roundTrip(socket: Duplex, data: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  return new Promise((resolve, reject) => {
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      got += c.length;
      if (got >= data.length) resolve(Buffer.concat(chunks));
    });
    socket.on('error', reject);
    socket.write(data);
  });
}

describe('PhoneNetwork', () => {
  it('connects an app to a loopback listener and echoes both ways, listing both ends with their uids', async () => {
    const net = new PhoneNetwork(new SettingsStore());
    echoOn(net, 8899);
    const socket = await net.connect(10123, '127.0.0.1', 8899);
    const back = await roundTrip(socket, Buffer.from('hello phone'));
    expect(back.toString()).toBe('hello phone');
    const rows = net.openSockets();
    const app = rows.find((r) => r.uid === 10123)!;
    expect(app).toMatchObject({ table: 'tcp6', localAddress: '::ffff:127.0.0.1', remoteAddress: '127.0.0.1', remotePort: 8899, state: 'ESTABLISHED' });
    expect(rows.find((r) => r.state === 'LISTEN')).toMatchObject({ table: 'tcp', uid: 2000, localPort: 8899 });
    expect(rows.find((r) => r.uid === 2000 && r.state === 'ESTABLISHED')).toMatchObject({ table: 'tcp', localPort: 8899, remotePort: app.localPort });
    socket.end();
    await new Promise((r) => socket.once('close', r));
    await new Promise((r) => setImmediate(r));
    expect(net.openSockets().filter((r) => r.state !== 'LISTEN')).toEqual([]);
  });

  it('refuses a loopback port nobody listens on with ECONNREFUSED, and a second listener on a port with EADDRINUSE', async () => {
    const net = new PhoneNetwork(new SettingsStore());
    await expect(net.connect(10123, 'localhost', 9)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(net.connect(10123, '::1', 9)).rejects.toBeInstanceOf(PhoneNetError);
    const close = echoOn(net, 7001);
    expect(() => echoOn(net, 7001)).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    close();
    await expect(net.connect(10123, '127.0.0.1', 7001)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(() => echoOn(net, 7001)).not.toThrow();
  });

  it('has no route out without an upstream connector, and goes through the given one otherwise', async () => {
    const net = new PhoneNetwork(new SettingsStore());
    await expect(net.connect(10123, 'sdk.example.com', 443)).rejects.toMatchObject({ code: 'ENETUNREACH' });
    const server = createServer((s) => s.pipe(s));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const asked: string[] = [];
    net.upstream = (host, p) => {
      asked.push(`${host}:${p}`);
      return netConnect(port, '127.0.0.1');
    };
    net.resolve = (h) => (h === 'sdk.example.com' ? '203.0.113.7' : null);
    const socket = await net.connect(10123, 'sdk.example.com', 443);
    expect((await roundTrip(socket, Buffer.from('out'))).toString()).toBe('out');
    expect(asked).toEqual(['sdk.example.com:443']);
    expect(net.openSockets()).toEqual([expect.objectContaining({ uid: 10123, localAddress: '192.168.1.23', remoteAddress: '203.0.113.7', remotePort: 443, table: 'tcp6' })]);
    await expect(net.connect(10123, 'nowhere.example', 443)).rejects.toMatchObject({ code: 'ENOTFOUND' });
    socket.destroy();
  });

  it('passes a refused upstream on as ECONNREFUSED', async () => {
    const net = new PhoneNetwork(new SettingsStore(), { upstream: () => netConnect(1, '127.0.0.1') });
    await expect(net.connect(10123, '203.0.113.9', 1)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(net.openSockets()).toEqual([]);
  });
});

describe('PhoneNetwork sockets carry Node http and tls as a net.Socket would', () => {
  it('an http server on the phone loopback answers an http client whose connection is PhoneNetwork.connect', async () => {
    const { Agent, createServer: createHttpServer, request } = await import('node:http');
    const net = new PhoneNetwork(new SettingsStore());
    const server = createHttpServer((req, res) => res.end(`hello ${req.url}`));
    net.listen(8080, (socket) => server.emit('connection', socket));
    // An app's HTTP stack: an agent whose connections are the phone's sockets (asynchronous, through the callback).
    const agent = new Agent();
    (agent as unknown as { createConnection: unknown }).createConnection = (_opts: unknown, cb: (err: Error | null, s?: Duplex) => void): undefined => {
      net.connect(10123, '127.0.0.1', 8080).then((s) => cb(null, s), (e: Error) => cb(e));
      return undefined;
    };
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: 8080, path: '/x', agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(body).toBe('hello /x');
  });

  it('TLS runs over a phone socket (a real openssl certificate on the listener side)', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const tls = await import('node:tls');
    const dir = mkdtempSync(join(tmpdir(), 'phone-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { cwd: dir, stdio: 'ignore' });
    const key = readFileSync(join(dir, 'k.pem'));
    const cert = readFileSync(join(dir, 'c.pem'));
    const net = new PhoneNetwork(new SettingsStore());
    net.listen(8443, (socket) => {
      const secure = new tls.TLSSocket(socket as never, { isServer: true, key, cert });
      secure.on('data', (d: Buffer) => secure.end(`tls:${d.toString()}`));
    });
    const raw = await net.connect(10123, '127.0.0.1', 8443);
    const client = tls.connect({ socket: raw as never, servername: 'localhost', ca: cert });
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      client.on('secureConnect', () => client.write('ping'));
      client.on('data', (d: Buffer) => (text += d.toString()));
      client.on('end', () => resolve(text));
      client.on('error', reject);
    });
    expect(answer).toBe('tls:ping');
  });
});

describe('PhoneNetwork across a reboot and a throwing listener', () => {
  it('a reboot closes every socket and listener; a listener that throws resets only its connection', async () => {
    const net = new PhoneNetwork(new SettingsStore());
    net.listen(9100, () => {
      throw new Error('listener bug');
    });
    const victim = await net.connect(10123, '127.0.0.1', 9100);
    await new Promise<void>((resolve) => {
      victim.on('error', () => {});
      victim.resume();
      victim.once('close', () => resolve());
    });
    echoOn(net, 9200);
    const live = await net.connect(10123, '127.0.0.1', 9200);
    live.on('error', () => {});
    const closed = new Promise<void>((r) => live.once('close', () => r()));
    net.reboot();
    await closed;
    expect(net.openSockets()).toEqual([]);
    expect(net.listening(9200)).toBe(false);
    await expect(net.connect(10123, '127.0.0.1', 9200)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
