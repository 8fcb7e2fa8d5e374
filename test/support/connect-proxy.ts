/**
 * A minimal HTTP proxy for tests, on the host's 127.0.0.1: CONNECT tunnels (the SNI of the client hello read
 * on the way through) and absolute-form plain HTTP requests, each forwarded through an upstream connector (the
 * virtual internet's, or an intercepting server's). It records what the phone asked of it. Not the workbench's
 * proxy: an independent one, so the phone's client is checked against a second implementation.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import { getExtensionData, readTlsClientHello } from 'read-tls-client-hello';
import type { UpstreamConnector } from '../../src-main/core/network/contracts.js';

export interface ProxiedConnect {
  target: string;
  /** Headers of the CONNECT request, as sent. */
  headers: [string, string][];
  sni: string | null;
}

export interface ProxiedRequest {
  /** The request line's target: absolute form for a plain HTTP request through a proxy. */
  target: string;
  method: string;
  headers: [string, string][];
}

export interface TestProxy {
  port: number;
  connects: ProxiedConnect[];
  requests: ProxiedRequest[];
  stop(): Promise<void>;
}

function headLines(head: string): { line: string; headers: [string, string][] } {
  const [line = '', ...rest] = head.split('\r\n');
  return { line, headers: rest.filter(Boolean).map((l): [string, string] => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]) };
}

/** `beforeTunnel`: runs when a CONNECT arrives, before the proxy answers it (a test samples the phone then). */
export async function startTestProxy(upstream: UpstreamConnector, beforeTunnel?: (target: string) => Promise<void>): Promise<TestProxy> {
  const connects: ProxiedConnect[] = [];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 64 * 1024) client.destroy();
        return;
      }
      client.off('data', onData);
      const { line, headers } = headLines(head.subarray(0, end).toString('latin1'));
      const rest = head.subarray(end + 4);
      const [method = '', target = ''] = line.split(' ');
      if (method === 'CONNECT') {
        const record: ProxiedConnect = { target, headers, sni: null };
        connects.push(record);
        if (beforeTunnel) {
          client.pause();
          void beforeTunnel(target).finally(() => {
            client.resume();
            tunnelTo(record, target, rest);
          });
          return;
        }
        tunnelTo(record, target, rest);
        return;
      }
      requests.push({ target, method, headers });
      forward(method, target, headers, rest);
    };
    const tunnelTo = (record: ProxiedConnect, target: string, rest: Buffer): void => {
      const [host = '', port = '443'] = target.split(/:(?=\d+$)/);
      const up = upstream(host, Number(port));
      const tap = new PassThrough();
      readTlsClientHello(tap).then((hello) => (record.sni = getExtensionData(hello, 'sni')?.serverName ?? null), () => undefined).finally(() => tap.destroy());
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      client.on('data', (c: Buffer) => { if (!tap.destroyed) tap.write(c); });
      if (rest.length) tap.write(rest);
      pipeBoth(client, up, rest);
    };
    const forward = (method: string, target: string, headers: [string, string][], rest: Buffer): void => {
      const url = new URL(target);
      const up = upstream(url.hostname, Number(url.port) || 80);
      // The origin server gets the request in origin form, as a proxy forwards it.
      const origin = Buffer.from(`${method} ${url.pathname}${url.search} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n`, 'latin1');
      pipeBoth(client, up, Buffer.concat([origin, rest]));
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    connects,
    requests,
    stop: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function pipeBoth(client: Socket, up: Duplex, first: Buffer): void {
  up.on('error', () => client.destroy());
  client.on('close', () => up.destroy());
  up.on('close', () => client.destroy());
  if (first.length) up.write(first);
  client.pipe(up);
  up.pipe(client);
}
