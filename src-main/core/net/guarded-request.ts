/**
 * One HTTP(S) request to an address a user named (a policy page, a TSA): no local address (local-address.ts)
 * unless the workbench's host allows them — judged on what the name resolves to before connecting, and again
 * on the address actually connected to — one deadline for the whole exchange, a size cap counted as bytes
 * arrive, a fresh connection each time (a pooled one would skip the check). Failures are typed, so each
 * caller words them for its users; every answer and failure says whether the other end was local.
 */
import { lookup as dnsLookup } from 'node:dns';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isLocalAddress } from './local-address.js';

export interface GuardedRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string | number>;
  body?: Buffer;
  allowLocal: boolean;
  /** Date.now() by which the whole answer must have arrived. */
  deadline: number;
  maxBytes: number;
}

export interface GuardedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Empty for a redirect (3xx): its body is not read. */
  bytes: Buffer;
  /** The other end was a local address (so local addresses were allowed). */
  local: boolean;
}

/**
 * `local-refused`: the address is local and local addresses are off; `too-large`: over maxBytes (declared or
 * counted); `timeout`: no whole answer by the deadline; `network`: DNS, connection, TLS or protocol errors.
 */
export class RequestFailure extends Error {
  constructor(readonly kind: 'local-refused' | 'too-large' | 'timeout' | 'network', message: string, readonly local: boolean, readonly declaredBytes: number | null = null) {
    super(message);
    this.name = 'RequestFailure';
  }
}

export function guardedRequest(url: URL, r: GuardedRequest): Promise<GuardedAnswer> {
  return new Promise((resolve, reject) => {
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    let local = isIP(literal) !== 0 && isLocalAddress(literal);
    if (local && !r.allowLocal) {
      reject(new RequestFailure('local-refused', `${url.host} is a local or private address; fetching it is off`, true));
      return;
    }
    let settled = false;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const fail = (e: RequestFailure): void => {
      settle(() => reject(e));
      req.destroy();
    };
    const lookup: LookupFunction = (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, '', 4);
        const list = addresses as unknown as Array<{ address: string; family: number }>;
        const found = list.find((a) => isLocalAddress(a.address));
        if (found) {
          local = true;
          if (!r.allowLocal) return callback(new RequestFailure('local-refused', `${hostname} resolves to the local address ${found.address}; fetching local or private addresses is off`, true), '', 4);
        }
        // Only the address judged here is connected to.
        const first = list[0]!;
        if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, [first]);
        callback(null, first.address, first.family);
      });
    };
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: r.method, headers: r.headers, lookup, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        settle(() => resolve({ status, headers: res.headers, bytes: Buffer.alloc(0), local }));
        return;
      }
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (declared > r.maxBytes) return fail(new RequestFailure('too-large', `the answer is ${declared} bytes, more than ${r.maxBytes}`, local, declared));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > r.maxBytes) return fail(new RequestFailure('too-large', `the answer is larger than ${r.maxBytes} bytes`, local));
        chunks.push(c);
      });
      res.on('end', () => settle(() => resolve({ status, headers: res.headers, bytes: Buffer.concat(chunks), local })));
      res.on('error', (err) => settle(() => reject(new RequestFailure('network', err.message, local))));
    });
    // The address actually connected to, whatever resolved it.
    req.on('socket', (socket) => socket.once('connect', () => {
      const address = socket.remoteAddress ?? '';
      if (!isLocalAddress(address)) return;
      local = true;
      if (!r.allowLocal) fail(new RequestFailure('local-refused', `${url.host} connected to the local address ${address}; fetching local or private addresses is off`, true));
    }));
    const timer = setTimeout(() => fail(new RequestFailure('timeout', 'no complete answer before the deadline', local)), Math.max(0, r.deadline - Date.now()));
    req.on('error', (err) => settle(() => reject(err instanceof RequestFailure ? err : new RequestFailure('network', err.message, local))));
    req.end(r.body);
  });
}
