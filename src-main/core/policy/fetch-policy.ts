/**
 * Fetches a policy page the tester names: http(s) only, at most five redirects, a deadline for the whole
 * fetch, a size cap counted as bytes arrive, and no loopback, private, link-local or otherwise local address
 * unless the tester allows it (checked on the address actually connected to, so DNS cannot swap it after
 * the check). Errors say what to do.
 */
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { WorkbenchError } from '../errors.js';
import { MAX_POLICY_BYTES } from './policy-text.js';

export interface FetchOptions {
  allowLocal?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
}

export interface FetchedPolicy {
  url: string;
  finalUrl: string;
  contentType: string | null;
  bytes: Buffer;
}

const LOCAL = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) LOCAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) LOCAL.addSubnet(net, prefix, 'ipv6');

export function isLocalAddress(address: string): boolean {
  const family = isIP(address);
  if (!family) return true;
  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d (a v6 rule for the whole mapped range would also catch every IPv4 address).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isLocalAddress(mapped);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return isLocalAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return LOCAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

function fail(message: string, url: string): WorkbenchError {
  return new WorkbenchError('policy.fetch-failed', message, { url });
}

function checkedLookup(allowLocal: boolean, url: string): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as unknown as Array<{ address: string; family: number }>;
      const bad = list.find((a) => isLocalAddress(a.address));
      if (bad && !allowLocal) return callback(fail(`${hostname} resolves to the local address ${bad.address}; fetching local or private addresses is off (allow it only for a page you serve yourself)`, url), '', 4);
      const first = list[0]!;
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, [first]);
      callback(null, first.address, first.family);
    });
  };
}

function once(url: URL, o: Required<FetchOptions>, deadline: number): Promise<{ status: number; location: string | null; contentType: string | null; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && isLocalAddress(literal) && !o.allowLocal) {
      reject(fail(`${url.host} is a local or private address; fetching it is off (allow it only for a page you serve yourself)`, url.href));
      return;
    }
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: 'GET', lookup: checkedLookup(o.allowLocal, url.href), headers: { 'user-agent': 'AppRights-Workbench/1 (privacy policy reader)', accept: 'text/html,text/plain;q=0.9,*/*;q=0.1' } }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location ?? null;
      const contentType = res.headers['content-type'] ?? null;
      if (status >= 300 && status < 400) {
        res.resume();
        resolve({ status, location, contentType, bytes: Buffer.alloc(0) });
        return;
      }
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (declared > o.maxBytes) {
        req.destroy();
        reject(fail(`the page is ${(declared / 1048576).toFixed(1)} MiB; a privacy policy larger than ${(o.maxBytes / 1048576).toFixed(0)} MiB is refused`, url.href));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > o.maxBytes) {
          req.destroy();
          reject(fail(`the page is larger than ${(o.maxBytes / 1048576).toFixed(0)} MiB; a privacy policy that large is refused`, url.href));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status, location, contentType, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(fail(`no complete answer within ${Math.round(o.timeoutMs / 1000)} s; the site is too slow or unreachable (save the page and load it as a file instead)`, url.href));
    }, Math.max(0, deadline - Date.now()));
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) => reject(err instanceof WorkbenchError ? err : fail(`${err.message} (check the address; offline machines can load a saved page as a file)`, url.href)));
    req.end();
  });
}

export async function fetchPolicy(address: string, options: FetchOptions = {}): Promise<FetchedPolicy> {
  const o: Required<FetchOptions> = { allowLocal: false, timeoutMs: 20_000, maxBytes: MAX_POLICY_BYTES, maxRedirects: 5, ...options };
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw fail(`"${address.slice(0, 200)}" is not a web address (give one starting with https://)`, address.slice(0, 200));
  }
  const deadline = Date.now() + o.timeoutMs;
  const seen = new Set<string>();
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(`only http and https addresses are fetched, not ${url.protocol} (load a local file with the file option instead)`, url.href);
    if (url.username || url.password) throw fail('addresses with a user name or password are not fetched', url.origin);
    seen.add(url.href);
    const r = await once(url, o, deadline);
    if (r.status >= 300 && r.status < 400) {
      if (!r.location) throw fail(`the site answered ${r.status} without saying where to go`, url.href);
      if (hop >= o.maxRedirects) throw fail(`more than ${o.maxRedirects} redirects; the site redirects too often`, address);
      const next = new URL(r.location, url);
      if (seen.has(next.href)) throw fail(`the site redirects in a loop (${next.href} again)`, address);
      url = next;
      continue;
    }
    if (r.status !== 200) throw fail(`the site answered HTTP ${r.status}`, url.href);
    return { url: address, finalUrl: url.href, contentType: r.contentType, bytes: r.bytes };
  }
}
