/**
 * Reads where a proxy request wants to go: a CONNECT's authority (`host:port`) or an absolute-form URL
 * (`http://host[:port]/path`). Anything else is malformed and refused; the text is untrusted and never
 * reaches a resolver or a log unchecked.
 */
import { isIPv6 } from 'node:net';

export interface Target {
  host: string;
  port: number;
}

export interface HttpTarget extends Target {
  /** Origin-form request target for the upstream server: path and query. */
  path: string;
  /** The URL as reported (normalised by WHATWG URL parsing). */
  url: string;
}

// A DNS name (letters, digits, hyphens, underscores seen in real SDK hosts, dots) or an IPv4 literal.
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

function validPort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

function validHost(text: string): string | null {
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1);
    return isIPv6(inner) ? inner : null;
  }
  return HOSTNAME.test(text) ? text.replace(/\.$/, '').toLowerCase() : null;
}

/** `host:port` or `[v6]:port`, as a CONNECT names its target; null when malformed. */
export function parseAuthority(text: string): Target | null {
  const colon = text.lastIndexOf(':');
  if (colon <= 0 || text.length > 300) return null;
  const host = validHost(text.slice(0, colon));
  const port = validPort(text.slice(colon + 1));
  return host && port ? { host, port } : null;
}

/**
 * An absolute-form `http://` URL (also `ws://`, which some WebSocket clients send); null otherwise. The path is
 * forwarded and the URL reported exactly as the client wrote them: re-encoding would change what the PI search
 * looks at.
 */
export function parseAbsoluteUrl(text: string): HttpTarget | null {
  const scheme = /^(?:http|ws):\/\//i.exec(text);
  if (!scheme || text.length > 64 * 1024) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  const host = validHost(url.hostname);
  const port = url.port ? validPort(url.port) : 80;
  if (!host || !port) return null;
  const rest = text.slice(scheme[0].length);
  const pathStart = rest.search(/[/?#]/);
  const raw = pathStart < 0 ? '' : rest.slice(pathStart).replace(/#.*$/, '');
  const path = raw.startsWith('/') ? raw : `/${raw}`;
  return { host, port, path, url: text };
}

/** Shortens untrusted text for a refusal's detail. */
export function clip(text: string, max = 120): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}
