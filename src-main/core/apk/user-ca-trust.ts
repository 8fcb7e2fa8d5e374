/**
 * Whether an app would trust a certificate authority the user installed — and so whether the workbench's
 * session CA can read its HTTPS. Android's rules (developer.android.com/privacy-and-security/security-config,
 * "Customize trusted CAs"): apps targeting API 23 or lower trust system and user CAs by default, apps
 * targeting 24+ system CAs only; a network security config's `<base-config>` trust anchors replace that
 * default, `<domain-config>` anchors apply to their domains (nested configs inherit from their parent), and
 * `<debug-overrides>` anchors are added everywhere only when the app is debuggable.
 */
import type { ResourceTable } from './arsc.js';
import { parseAxml, type XmlElement } from './axml.js';
import type { ZipReader } from './zip-reader.js';

export type UserCaVerdict = 'yes' | 'some-domains' | 'debug-only' | 'no' | 'unknown';
export type UserCaReason = 'target-sdk-below-24' | 'base-config' | 'debug-overrides' | 'domain-config' | 'debug-overrides-not-debuggable' | 'system-only' | 'config-unreadable';

export interface UserCaTrust {
  trusts: UserCaVerdict;
  reason: UserCaReason;
  /** Domains whose `<domain-config>` trusts user CAs (with `*.` when it includes subdomains). */
  domains: string[];
  /** The config's path in the APK, when there is one. */
  configPath: string | null;
}

const MAX_DOMAINS = 200;
const MAX_NETWORK_CONFIG = 1024 * 1024;

/** `anchors`: the element's `<trust-anchors>` (null when it has none and inherits). */
function anchorsOf(el: XmlElement): boolean | null {
  const anchors = el.children.find((c) => c.name === 'trust-anchors');
  if (!anchors) return null;
  return anchors.children.some((c) => c.name === 'certificates' && c.attrs.src === 'user');
}

function domainConfigs(el: XmlElement, inherited: boolean, out: string[]): void {
  for (const d of el.children.filter((c) => c.name === 'domain-config')) {
    const user = anchorsOf(d) ?? inherited;
    if (user) {
      for (const name of d.children.filter((c) => c.name === 'domain')) {
        const host = (name.text ?? '').trim().toLowerCase();
        if (host && out.length < MAX_DOMAINS) out.push(name.attrs.includeSubdomains === true || name.attrs.includeSubdomains === 'true' ? `*.${host}` : host);
      }
    }
    domainConfigs(d, user, out);
  }
}

export function userCaTrust(o: { targetSdk: number | null; debuggable: boolean; config: XmlElement | null; configPath: string | null; configProblem: string | null }): UserCaTrust {
  const base = { domains: [] as string[], configPath: o.configPath };
  if (o.configProblem) return { ...base, trusts: 'unknown', reason: 'config-unreadable' };
  // No targetSdk declared means API 1 to Android: the pre-24 default.
  const defaultUser = (o.targetSdk ?? 1) < 24;
  const cfg = o.config?.name === 'network-security-config' ? o.config : null;
  const baseConfig = cfg?.children.find((c) => c.name === 'base-config');
  const baseUser = (baseConfig ? anchorsOf(baseConfig) : null) ?? defaultUser;
  const debugOverrides = cfg?.children.find((c) => c.name === 'debug-overrides');
  const debugUser = debugOverrides ? anchorsOf(debugOverrides) === true : false;
  if (baseUser) return { ...base, trusts: 'yes', reason: baseConfig && anchorsOf(baseConfig) !== null ? 'base-config' : 'target-sdk-below-24' };
  if (debugUser && o.debuggable) return { ...base, trusts: 'yes', reason: 'debug-overrides' };
  const domains: string[] = [];
  if (cfg) domainConfigs(cfg, baseUser, domains);
  if (domains.length) return { ...base, domains, trusts: 'some-domains', reason: 'domain-config' };
  if (debugUser) return { ...base, trusts: 'debug-only', reason: 'debug-overrides-not-debuggable' };
  return { ...base, trusts: 'no', reason: 'system-only' };
}

/** The app's network security config, read and judged (user-ca-trust.ts); a config that cannot be read is "unknown", never a guess. */
export function readUserCaTrust(zip: ZipReader, table: ResourceTable | null, ref: number | null, targetSdk: number | null, debuggable: boolean): UserCaTrust {
  if (ref === null) return userCaTrust({ targetSdk, debuggable, config: null, configPath: null, configProblem: null });
  const path = table?.resolveString(ref) ?? null;
  if (!path || !zip.entries.has(path)) return userCaTrust({ targetSdk, debuggable, config: null, configPath: path, configProblem: 'not found' });
  try {
    return userCaTrust({ targetSdk, debuggable, config: parseAxml(zip.read(path, MAX_NETWORK_CONFIG)), configPath: path, configProblem: null });
  } catch (err) {
    return userCaTrust({ targetSdk, debuggable, config: null, configPath: path, configProblem: err instanceof Error ? err.message : String(err) });
  }
}
