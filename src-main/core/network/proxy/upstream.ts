/**
 * Opening the proxy's side of a connection: the default connector to the world, and waiting until a
 * connector's stream is usable (or failed) within the handshake timeout.
 *
 * The default connector refuses the workbench machine's own loopback and unspecified addresses, by literal
 * and after DNS: an app on the phone must not reach the lab machine's adb server (5037) or other local services
 * through the proxy. Tests and the demo reach their loopback servers through a connector of their own.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, Socket, connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { UpstreamConnector } from '../contracts.js';

/** 127/8, ::1, 0.0.0.0, ::, and IPv4-mapped forms of them. */
export function isWorkbenchOwnAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  if (isIP(a) === 4) return a.startsWith('127.') || a === '0.0.0.0';
  return a === '::1' || a === '::' || a === '0:0:0:0:0:0:0:1' || a === '0:0:0:0:0:0:0:0';
}

class OwnAddressError extends Error {
  readonly code = 'EWORKBENCHLOCAL';
  constructor(host: string) {
    super(`${host} is the workbench machine itself; the proxy does not connect there`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function guardedLookup(host: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(host, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const usable = addresses.filter((a) => !isWorkbenchOwnAddress(a.address));
    if (usable.length === 0) return callback(new OwnAddressError(host), []);
    if (options.all) return callback(null, usable);
    callback(null, usable[0]!.address, usable[0]!.family);
  });
}

/** `net.connect` to the world, never to the workbench machine itself. */
export const worldConnector: UpstreamConnector = (host, port) => {
  if (isWorkbenchOwnAddress(host) || host === 'localhost') {
    const refused = new Socket();
    process.nextTick(() => refused.destroy(new OwnAddressError(host)));
    return refused;
  }
  return connect({ host, port, lookup: guardedLookup as never, noDelay: true });
};

/**
 * Resolves with the stream once it can carry bytes: a net.Socket still connecting after 'connect', any other
 * Duplex after one turn of the event loop unless it failed in it (a connector may refuse on the next tick).
 * Rejects on its error or the timeout, destroying it. The stream keeps a guard against unhandled 'error'
 * events: its users see errors through their own listeners, the process never dies of one.
 */
export function whenConnected(connector: UpstreamConnector, host: string, port: number, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let stream: Duplex;
    try {
      stream = connector(host, port);
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    stream.on('error', ignore);
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.destroy();
      reject(err);
    };
    const ready = (): void => {
      if (settled) return;
      if (stream.destroyed) return fail(new Error(`connection to ${host}:${port} closed before it was used`));
      settled = true;
      clearTimeout(timer);
      stream.removeListener('error', fail);
      resolve(stream);
    };
    const timer = setTimeout(() => fail(Object.assign(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    stream.once('error', fail);
    if (stream instanceof Socket && stream.connecting) stream.once('connect', ready);
    else setImmediate(ready);
  });
}

function ignore(): void {}

/** The words of a connection failure for a refusal's detail: its code and message. */
export function failureText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
}
