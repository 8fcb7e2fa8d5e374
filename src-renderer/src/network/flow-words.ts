/**
 * The Network view's small words for a connection: how its TLS was handled, how long it lasted, and the phone's
 * value kinds, forms and places in the user's language — the same words the timeline and report.html use
 * (src-preload/event-description.ts), so a kind reads alike on every screen.
 */
import { PI_FORM, PI_KIND, PI_WHERE } from '../../../src-preload/event-description';
import type { Flow, FlowPi } from '../../../src-preload/network-flows';

export type TlsKind = 'intercepted' | 'tunnelled' | 'plain';

export function tlsKind(f: Flow): TlsKind {
  return !f.tls ? 'plain' : f.intercepted ? 'intercepted' : 'tunnelled';
}

const side = (lang: string): 0 | 1 => (lang.startsWith('zh') ? 0 : 1);

export function piKindWord(kind: FlowPi['kind'], lang: string): string {
  return PI_KIND[kind]?.[side(lang)] ?? kind;
}

export function piFormWord(form: FlowPi['form'], lang: string): string {
  return PI_FORM[form]?.[side(lang)] ?? form;
}

export function piWhereWord(where: FlowPi['where'], lang: string): string {
  return PI_WHERE[where]?.[side(lang)] ?? where;
}

/** The kinds a connection carried, each once, in the order first found. */
export function piKinds(f: Flow): FlowPi['kind'][] {
  return [...new Set(f.pi.map((p) => p.kind))];
}

/** A duration in units both languages write alike: milliseconds under a second, then seconds. */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms / 1000)} s`;
}
