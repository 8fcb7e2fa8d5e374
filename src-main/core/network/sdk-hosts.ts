/**
 * Which SDK (and company) a destination host belongs to: the host table shipped in
 * resources/knowledge/sdk-hosts.json (each entry with its public source), joined with the SDK signatures for
 * names and vendors. A host matches an entry when it equals the entry's suffix or ends with "." + suffix; the
 * longest suffix wins. Hosts are untrusted (a CONNECT target, an SNI): anything that is not a host name gets null.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { SdkRef } from '../../../src-preload/network.js';
import { loadKnowledge } from '../apk/knowledge.js';
import { resourcesDir } from '../resources-dir.js';
import type { SdkForHost } from './contracts.js';

export interface SdkHostEntry {
  suffix: string;
  sdk: string;
  scope: 'sdk' | 'company';
  source: string;
}

export interface SdkHostTable {
  note: string;
  retrieved: string;
  hosts: SdkHostEntry[];
}

const HOST = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

export function readSdkHostTable(dir = join(resourcesDir(), 'knowledge')): SdkHostTable {
  const file = join(dir, 'sdk-hosts.json');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`the knowledge base ${file} cannot be read (${err instanceof Error ? err.message : String(err)}); reinstall the workbench`);
  }
  if (!data || typeof data !== 'object' || !Array.isArray((data as Record<string, unknown>).hosts)) throw new Error(`the knowledge base ${file} is damaged (no "hosts" list); reinstall the workbench`);
  return data as SdkHostTable;
}

/** A matcher over a table (the shipped one by default). */
export function sdkHostMatcher(table: SdkHostTable = readSdkHostTable(), sdks = loadKnowledge().sdks.sdks): SdkForHost {
  const byId = new Map(sdks.map((s) => [s.id, s]));
  const bySuffix = new Map<string, SdkRef>();
  for (const e of table.hosts) {
    const s = byId.get(e.sdk);
    if (s) bySuffix.set(e.suffix, { id: s.id, name: s.name, vendor: s.vendor, scope: e.scope });
  }
  return (raw: string): SdkRef | null => {
    const host = String(raw).trim().toLowerCase().replace(/\.$/, '');
    if (!HOST.test(host) || isIP(host)) return null;
    // Longest suffix first: the whole host, then without its first label, and so on.
    for (let rest = host; ; rest = rest.slice(rest.indexOf('.') + 1)) {
      const found = bySuffix.get(rest);
      if (found) return found;
      if (!rest.includes('.')) return null;
    }
  };
}

let shipped: SdkForHost | undefined;

/** The shipped table's matcher (read once). */
export const sdkForHost: SdkForHost = (host) => (shipped ??= sdkHostMatcher())(host);
