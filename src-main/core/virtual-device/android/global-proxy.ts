/**
 * The phone's global HTTP proxy as ConnectivityService's ProxyTracker keeps it (AOSP frameworks/base
 * services/core/java/com/android/server/connectivity/ProxyTracker.java, android/net/Proxy.java). `http_proxy`
 * is the deprecated setting: on each change the tracker parses it (`host[:port]`, port 8080 when absent) and
 * sets the global proxy; an empty host (":0") clears it; an empty or deleted value is IGNORED (the proxy stays
 * until the next boot); a port that is not a number, or host with a port outside 1-65535, is ignored. Setting
 * the proxy writes global_http_proxy_host/port/exclusion_list/pac, which a boot reads back before http_proxy.
 */
import type { SettingsStore } from './settings-store.js';

export interface ProxyEndpoint {
  host: string;
  port: number;
}

/** ProxyInfo.isValid → Proxy.validate: a host of letters, digits, dots and dashes, a port 1-65535 (0 reads as empty). */
const HOSTNAME = /^$|^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*(\.[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*)*$/;

export type ParsedHttpProxy = { kind: 'ignore' } | { kind: 'clear' } | { kind: 'set'; proxy: ProxyEndpoint };

/** loadDeprecatedGlobalHttpProxy + setGlobalProxy's checks, for one value of `http_proxy`. */
export function parseHttpProxySetting(value: string | null): ParsedHttpProxy {
  if (!value) return { kind: 'ignore' };
  const data = value.split(':');
  // Java's split drops trailing empty strings: "host:" is ["host"], ":" is [] (ignored).
  while (data.length && data[data.length - 1] === '') data.pop();
  if (!data.length) return { kind: 'ignore' };
  const host = data[0] ?? '';
  let port = 8080;
  if (data.length > 1) {
    if (!/^[+-]?\d{1,10}$/.test(data[1]!)) return { kind: 'ignore' };
    port = Number(data[1]);
  }
  if (!host) return { kind: 'clear' };
  if (!HOSTNAME.test(host) || port < 1 || port > 65535) return { kind: 'ignore' };
  return { kind: 'set', proxy: { host, port } };
}

export class GlobalProxy {
  private current: ProxyEndpoint | null = null;

  constructor(private settings: SettingsStore) {
    settings.on('change', (ns, key, value) => {
      if (ns === 'global' && key === 'http_proxy') this.onHttpProxy(value);
    });
    this.boot();
  }

  get(): ProxyEndpoint | null {
    return this.current ? { ...this.current } : null;
  }

  /** What a boot does: the saved global proxy first, then the deprecated setting over it. */
  boot(): void {
    const host = this.settings.get('global', 'global_http_proxy_host');
    const port = Number(this.settings.get('global', 'global_http_proxy_port') ?? '0');
    this.current = host && Number.isInteger(port) && port > 0 && port <= 65535 ? { host, port } : null;
    this.onHttpProxy(this.settings.get('global', 'http_proxy'));
  }

  private onHttpProxy(value: string | null): void {
    const parsed = parseHttpProxySetting(value);
    if (parsed.kind === 'ignore') return;
    const next = parsed.kind === 'set' ? parsed.proxy : null;
    this.current = next;
    this.settings.put('global', 'global_http_proxy_host', next?.host ?? '');
    this.settings.put('global', 'global_http_proxy_port', String(next?.port ?? 0));
    this.settings.put('global', 'global_http_proxy_exclusion_list', '');
    this.settings.put('global', 'global_http_proxy_pac', '');
  }
}
