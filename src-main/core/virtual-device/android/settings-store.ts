/**
 * The phone's settings provider (`settings get/put/delete <namespace> <key>`): three namespaces of strings.
 * Watchers hear every change, as ContentObservers do on a phone (the global proxy follows `http_proxy` this way).
 */
import { EventEmitter } from 'node:events';

export type SettingsNamespace = 'system' | 'secure' | 'global';
export const SETTINGS_NAMESPACES: readonly SettingsNamespace[] = ['system', 'secure', 'global'];

/** Bound on one value: `settings put` takes it from a shell line (itself bounded at 64 KiB). */
const MAX_VALUE = 64 * 1024;

export class SettingsStore extends EventEmitter<{ change: [SettingsNamespace, string, string | null] }> {
  private values = new Map<SettingsNamespace, Map<string, string>>(SETTINGS_NAMESPACES.map((n) => [n, new Map()]));

  get(ns: SettingsNamespace, key: string): string | null {
    return this.values.get(ns)!.get(key) ?? null;
  }

  put(ns: SettingsNamespace, key: string, value: string): void {
    const v = value.slice(0, MAX_VALUE);
    const table = this.values.get(ns)!;
    if (table.get(key) === v) return;
    table.set(key, v);
    this.emit('change', ns, key, v);
  }

  /** Returns whether the key existed (the shell prints `Deleted 1 rows` or `Deleted 0 rows`). */
  delete(ns: SettingsNamespace, key: string): boolean {
    const existed = this.values.get(ns)!.delete(key);
    if (existed) this.emit('change', ns, key, null);
    return existed;
  }

  list(ns: SettingsNamespace): [string, string][] {
    return [...this.values.get(ns)!.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

export function isSettingsNamespace(s: string | undefined): s is SettingsNamespace {
  return s === 'system' || s === 'secure' || s === 'global';
}
