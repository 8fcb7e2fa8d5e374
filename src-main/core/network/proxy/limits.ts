/**
 * The proxy's limits and their defaults. Each default is chosen for a phone's traffic, not a server farm's:
 * generous enough never to refuse what a real app sends, small enough that a hostile or broken client cannot
 * take the workbench's memory or sockets.
 */
import { WorkbenchError } from '../../errors.js';
import type { ProxyLimits } from '../contracts.js';

export const DEFAULT_PROXY_LIMITS: Readonly<ProxyLimits> = Object.freeze({
  // A phone keeps tens of connections open (apps, SDKs, push); 512 leaves room for a busy browser while a
  // flood of thousands is refused at once. Each held connection costs two sockets (phone side, upstream).
  maxConnections: 512,
  // Node's own default is 16 KiB; real requests with long cookies reach ~8 KiB. 64 KiB refuses header bombs
  // (a 1 MB header, 10,000 headers) while never refusing a real request; it also bounds the header count
  // (a header line is at least 4 bytes), so no separate count limit is needed.
  maxHeaderBytes: 64 * 1024,
  // What the PI search and the evidence keep of each body; the rest is counted and hashed as it streams.
  keepBodyBytes: 16 * 1024 * 1024,
  // Push SDKs hold long-lived connections with heartbeats every few minutes; closing them sooner would only
  // make the app reconnect (and change what it does). Five minutes without a byte either way is dead.
  idleTimeoutMs: 5 * 60 * 1000,
  // A real client sends its request head (or TLS client hello) within milliseconds of connecting.
  handshakeTimeoutMs: 10_000,
});

export function resolveLimits(given: Partial<ProxyLimits> | undefined): ProxyLimits {
  const limits = { ...DEFAULT_PROXY_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new WorkbenchError('network.proxy-failed', `proxy limit ${name} must be a positive integer`, { message: `limit ${name} must be a positive integer (got ${String(value)})` });
  }
  return limits;
}
