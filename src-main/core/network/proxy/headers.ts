/**
 * Which headers cross the proxy. Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are not
 * forwarded, nor are the headers a Connection header names; the proxy's own (Proxy-*) never go upstream.
 * Everything else passes in the client's order and spelling.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'upgrade']);

/** Raw headers `[k, v, k, v…]` as pairs. */
export function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

function connectionTokens(raw: string[]): Set<string> {
  const named = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'connection' || name === 'proxy-connection') for (const t of raw[i + 1]!.split(',')) named.add(t.trim().toLowerCase());
  }
  return named;
}

/**
 * The raw headers to send on, flat. `drop`: more names this direction leaves out (a request's Expect, which the
 * proxy already answered; a response's Transfer-Encoding, which Node re-frames for the client); `keep`: hop-by-hop
 * names to keep (an Upgrade handshake keeps Connection and Upgrade).
 */
export function forwardable(raw: string[], drop: readonly string[] = [], keep: readonly string[] = []): string[] {
  const named = connectionTokens(raw);
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!keep.includes(name) && (HOP_BY_HOP.has(name) || named.has(name) || drop.includes(name))) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

export function hasHeader(raw: string[], name: string): boolean {
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) return true;
  return false;
}
