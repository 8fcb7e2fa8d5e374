/**
 * Fetches a policy page the tester names: http(s) only, at most five redirects, a deadline for the whole
 * fetch, a size cap counted as bytes arrive, and no loopback, private, link-local or otherwise local address
 * unless the workbench's host allows them (net/guarded-request.ts: checked on the address actually connected
 * to, so DNS cannot swap it after the check). Errors say what to do.
 */
import { WorkbenchError } from '../errors.js';
import { guardedRequest, RequestFailure, type GuardedAnswer } from '../net/guarded-request.js';
import { MAX_POLICY_BYTES } from './policy-text.js';

export interface FetchOptions {
  /** Local addresses are the host's decision (its settings, --allow-local), never a browser's. */
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

/** Said after a refusal of a local address: who may allow them, and for what. */
const LOCAL_ADDRESSES_HINT = 'on this workbench (local addresses are allowed only on its host: the desktop window\'s settings or --allow-local; allow them only for a page you serve yourself). 本机与内网地址只能在工作台所在主机上允许（桌面窗口的设置或 --allow-local），且仅用于您自己提供的页面';

function fail(message: string, url: string): WorkbenchError {
  return new WorkbenchError('policy.fetch-failed', message, { url });
}

async function once(url: URL, o: Required<FetchOptions>, deadline: number): Promise<GuardedAnswer> {
  try {
    return await guardedRequest(url, { method: 'GET', headers: { 'user-agent': 'AppRights-Workbench/1 (privacy policy reader)', accept: 'text/html,text/plain;q=0.9,*/*;q=0.1' }, allowLocal: o.allowLocal, deadline, maxBytes: o.maxBytes });
  } catch (err) {
    if (!(err instanceof RequestFailure)) throw err;
    const mib = (o.maxBytes / 1048576).toFixed(0);
    switch (err.kind) {
      case 'local-refused': throw fail(`${err.message} ${LOCAL_ADDRESSES_HINT}`, url.href);
      case 'too-large': throw fail(err.declaredBytes !== null
        ? `the page is ${(err.declaredBytes / 1048576).toFixed(1)} MiB; a privacy policy larger than ${mib} MiB is refused`
        : `the page is larger than ${mib} MiB; a privacy policy that large is refused`, url.href);
      case 'timeout': throw fail(`no complete answer within ${Math.round(o.timeoutMs / 1000)} s; the site is too slow or unreachable (save the page and load it as a file instead)`, url.href);
      case 'network': throw fail(`${err.message} (check the address; offline machines can load a saved page as a file)`, url.href);
    }
  }
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
    const location = r.headers.location ?? null;
    if (r.status >= 300 && r.status < 400) {
      if (!location) throw fail(`the site answered ${r.status} without saying where to go`, url.href);
      if (hop >= o.maxRedirects) throw fail(`more than ${o.maxRedirects} redirects; the site redirects too often`, address);
      const next = new URL(location, url);
      if (seen.has(next.href)) throw fail(`the site redirects in a loop (${next.href} again)`, address);
      url = next;
      continue;
    }
    if (r.status !== 200) throw fail(`the site answered HTTP ${r.status}`, url.href);
    return { url: address, finalUrl: url.href, contentType: r.headers['content-type'] ?? null, bytes: r.bytes };
  }
}
