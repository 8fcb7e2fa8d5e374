/**
 * Which connections the Network view shows: by app (or those no app could be named for), by SDK (or hosts no
 * SDK is known for), by template stage, only those that carried the phone's own values, and by a typed text
 * (host, SNI, app, SDK or company). Also the choices each filter offers: what the session's rows hold.
 */
import type { SdkRef } from '../../../src-preload/network';
import type { Flow } from '../../../src-preload/network-flows';

/** Choice values that no package name, SDK id or stage id can be (those never hold a space or parentheses). */
export const UNATTRIBUTED = '(unattributed)';
export const NO_SDK = '(no sdk)';
export const NO_STAGE = '(before stages)';

/** '' in a field: that filter is off. */
export interface FlowFilter {
  app: string;
  sdk: string;
  stage: string;
  piOnly: boolean;
  text: string;
}

export const NO_FILTER: FlowFilter = { app: '', sdk: '', stage: '', piOnly: false, text: '' };

/** The app a row is filed under: its package when the phone named one, else "unattributed". */
export function appOf(f: Flow): string {
  return f.app.packageName ?? UNATTRIBUTED;
}

export function isFiltered(filter: FlowFilter): boolean {
  return filter.app !== '' || filter.sdk !== '' || filter.stage !== '' || filter.piOnly || filter.text.trim() !== '';
}

export function flowMatches(f: Flow, filter: FlowFilter): boolean {
  if (filter.app && appOf(f) !== filter.app) return false;
  if (filter.sdk && (f.sdk?.id ?? NO_SDK) !== filter.sdk) return false;
  if (filter.stage && (f.stage ?? NO_STAGE) !== filter.stage) return false;
  if (filter.piOnly && f.pi.length === 0) return false;
  const q = filter.text.trim().toLowerCase();
  if (!q) return true;
  const said = [f.host, f.sni ?? '', f.app.packageName ?? '', ...f.app.candidates, f.sdk?.name.zh ?? '', f.sdk?.name.en ?? '', f.sdk?.vendor ?? '', f.sdk?.id ?? ''];
  return said.some((s) => s.toLowerCase().includes(q));
}

export interface FilterChoices {
  /** Packages seen, sorted; UNATTRIBUTED last when some row has none. */
  apps: string[];
  /** SDKs seen, by first appearance; `none` when some host is not a known SDK's. */
  sdks: SdkRef[];
  none: boolean;
  /** Stage ids rows were recorded in, in the order they first came; NO_STAGE first when some came before any. */
  stages: string[];
}

export function filterChoices(flows: readonly Flow[]): FilterChoices {
  const apps = new Set<string>();
  const sdks = new Map<string, SdkRef>();
  const stages = new Set<string>();
  let unattributed = false;
  let none = false;
  let before = false;
  for (const f of flows) {
    if (f.app.packageName) apps.add(f.app.packageName);
    else unattributed = true;
    if (f.sdk) {
      if (!sdks.has(f.sdk.id)) sdks.set(f.sdk.id, f.sdk);
    } else none = true;
    if (f.stage === null) before = true;
    else stages.add(f.stage);
  }
  return {
    apps: [...[...apps].sort(), ...(unattributed ? [UNATTRIBUTED] : [])],
    sdks: [...sdks.values()],
    none,
    stages: [...(before ? [NO_STAGE] : []), ...stages],
  };
}
