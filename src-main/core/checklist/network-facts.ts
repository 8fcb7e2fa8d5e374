/**
 * What the app under test sent through the workbench's proxy, for evaluators: its connections (who the other
 * end is: an SDK from the host table, the app's own domain, or unknown), the phone's own values found in what
 * it sent (pi.sent), and the spans in which the proxy was set on the phone — outside them nothing about the
 * network was tested, and no evaluator may say "nothing sent".
 *
 * Whose connection: attributed by uid to the app ('uid'); or unattributed/ambiguous with the app in front or
 * among the candidates ('possible' — never a violation on its own). Other apps' connections are not the app's.
 *
 * Attempts the proxy refused (it could not reach the server, a malformed request, too many connections…) are
 * attempts to send whose app and content the record does not hold: they are kept so that no evaluator says
 * "nothing contacted" over them. A refusal of another host in Wi-Fi mode is not the phone's and is left out.
 *
 * Whose host: an SDK when the host table names one (the connection's `sdk`). "The app's own" cannot be known in
 * general (an operator's brand domain is nowhere on the phone), so it is judged by one explicit rule: the host is
 * in the domain the package name reverses to (com.demo.shop → demo.com; cn.com.demo.x → demo.com.cn). Everything
 * else is 'unknown': a third party the table does not list, or the operator's own under another name — for the
 * tester to judge, never counted as first party.
 */
import type { PiForm, PiKind, SdkRef } from '../../../src-preload/network.js';
import type { Span, TimelineFacts } from './timeline-facts.js';

export type Party = 'sdk' | 'own' | 'unknown';
export type Whose = 'uid' | 'possible';

export interface Contact {
  seq: number;
  t: number;
  flowId: string;
  host: string;
  port: number;
  sdk: SdkRef | null;
  party: Party;
  whose: Whose;
  tls: boolean;
  intercepted: boolean;
  bytesUp: number | null;
}

export interface PiSent {
  seq: number;
  t: number;
  host: string;
  sdk: SdkRef | null;
  party: Party;
  whose: Whose;
  kind: PiKind;
  form: PiForm;
  masked: string;
  /** The seq of the connection it went over (null: the timeline does not hold it). */
  connection: number | null;
}

export interface Refusal {
  seq: number;
  t: number;
  reason: string;
  detail: string;
}

export interface NetworkFacts {
  contacts: Contact[];
  piSent: PiSent[];
  /** What the phone tried that the proxy could not carry (not attributed to an app). */
  refused: Refusal[];
  /** While the proxy was set on the phone. */
  recorded: Span[];
}

/** Second-level labels under a country code: cn.com.demo → demo.com.cn. */
const GENERIC_SLD = new Set(['com', 'net', 'org', 'gov', 'edu', 'co', 'ac']);

/** The domain a package name reverses to (com.demo.shop → demo.com), or null for a name too short to say. */
export function packageDomain(packageName: string): string | null {
  const labels = packageName.toLowerCase().split('.');
  if (labels.length < 2) return null;
  const take = labels[0]!.length === 2 && GENERIC_SLD.has(labels[1]!) && labels.length >= 3 ? 3 : 2;
  return labels.slice(0, take).reverse().join('.');
}

export function partyOf(host: string, sdk: SdkRef | null, packageName: string): Party {
  if (sdk) return 'sdk';
  const domain = packageDomain(packageName);
  const h = host.toLowerCase().replace(/\.$/, '');
  return domain && (h === domain || h.endsWith(`.${domain}`)) ? 'own' : 'unknown';
}

export function computeNetwork(f: TimelineFacts): NetworkFacts {
  const app = f.packageName;
  const byFlow = new Map<string, Contact>();
  const contacts: Contact[] = [];
  for (const c of f.events('net.connection')) {
    const a = c.event.app;
    const whose: Whose | null = a.attribution === 'uid' ? (a.packageName === app ? 'uid' : null)
      : a.candidates.includes(app) || (a.attribution === 'unattributed' && a.foreground === app) ? 'possible' : null;
    if (!whose) continue;
    const contact: Contact = {
      seq: c.seq, t: c.t, flowId: c.event.flowId, host: c.event.host, port: c.event.port, sdk: c.event.sdk, party: partyOf(c.event.host, c.event.sdk, app),
      whose, tls: c.event.tls, intercepted: c.event.intercepted, bytesUp: null,
    };
    contacts.push(contact);
    byFlow.set(c.event.flowId, contact);
  }
  for (const c of f.events('net.closed')) {
    const contact = byFlow.get(c.event.flowId);
    if (contact) contact.bytesUp = c.event.bytesUp;
  }
  const piSent: PiSent[] = [];
  for (const p of f.events('pi.sent')) {
    const contact = byFlow.get(p.event.flowId);
    // A value found on a connection of another app is that app's; one whose connection is not in the timeline is the event's package's.
    if (!contact && p.event.packageName !== app) continue;
    piSent.push({
      seq: p.seq, t: p.t, host: p.event.host, sdk: p.event.sdk ?? contact?.sdk ?? null, party: partyOf(p.event.host, p.event.sdk ?? contact?.sdk ?? null, app),
      whose: contact?.whose ?? 'uid', kind: p.event.kind, form: p.event.form, masked: p.event.masked, connection: contact?.seq ?? null,
    });
  }
  const refused = f.events('net.refused').filter((r) => r.event.reason !== 'not-the-phone').map((r) => ({ seq: r.seq, t: r.t, reason: r.event.reason, detail: r.event.detail }));
  return { contacts, piSent, refused, recorded: recordedSpans(f) };
}

/** From each "proxy on" until it was restored or could not be set; a timeline with connections but no proxy event is recorded from the first. */
function recordedSpans(f: TimelineFacts): Span[] {
  const proxy = f.events('net.proxy');
  const spans: Span[] = [];
  let open: { t: number; seq: number } | null = null;
  for (const p of proxy) {
    if (p.event.state === 'on' && !open) open = { t: p.t, seq: p.seq };
    else if ((p.event.state === 'restored' || p.event.state === 'refused') && open) {
      spans.push({ start: open.t, end: p.t, openSeq: open.seq, closeSeq: p.seq });
      open = null;
    }
  }
  if (open) spans.push({ start: open.t, end: Infinity, openSeq: open.seq, closeSeq: null });
  if (!proxy.length) {
    const first = f.events('net.connection', 'net.request', 'pi.sent', 'net.closed')[0];
    if (first) spans.push({ start: first.t, end: Infinity, openSeq: first.seq, closeSeq: null });
  }
  return spans;
}

/** Whether the proxy recorded over all of [start, end) (an open-ended window: up to the session's last event). */
export function recordedOver(n: NetworkFacts, start: number, end: number, last: number): boolean {
  const to = Math.min(end, last);
  return n.recorded.some((s) => s.start <= start && s.end >= to);
}
