/**
 * What the app sent in a window (before the privacy dialog was answered, after a decline), in the words of the
 * consent evaluators: the phone's own values found in what it sent (collection, whoever received them), the SDK
 * servers it reached (an SDK started before consent: for the tester to judge when nothing readable showed a
 * value), hosts of unknown owner, and whether the proxy recorded the window at all — when it did not, the
 * evaluator says nothing was tested about the network, never that nothing was sent.
 */
import type { Localized } from '../../../../src-preload/checklist.js';
import { PI_FORM, PI_KIND } from '../../../../src-preload/event-description.js';
import { recordedOver, type Contact, type PiSent, type Refusal } from '../network-facts.js';
import type { Span, TimelineFacts } from '../timeline-facts.js';
import { listOf } from './proposal.js';

export interface WindowTraffic {
  /** Values found in what the app (by uid) sent. */
  pi: PiSent[];
  /** Values found on connections only possibly the app's (not attributed by uid). */
  possiblePi: PiSent[];
  sdk: Contact[];
  unknown: Contact[];
  /** Attempts the proxy could not carry: whose, and what they held, unknown. */
  refused: Refusal[];
  /** The proxy recorded over every window. */
  recorded: boolean;
}

export function trafficIn(f: TimelineFacts, spans: Span[]): WindowTraffic {
  const n = f.network();
  const inside = (t: number): boolean => !!f.within(spans, t);
  const pi = n.piSent.filter((p) => inside(p.t));
  const contacts = n.contacts.filter((c) => inside(c.t));
  return {
    pi: pi.filter((p) => p.whose === 'uid'), possiblePi: pi.filter((p) => p.whose === 'possible'),
    sdk: contacts.filter((c) => c.party === 'sdk'), unknown: contacts.filter((c) => c.party === 'unknown'), refused: n.refused.filter((r) => inside(r.t)),
    recorded: spans.length > 0 && spans.every((s) => recordedOver(n, s.start, s.end, f.end)),
  };
}

/** Seqs a proposal points at: the values found, their connections, the SDK and unknown contacts. */
export function trafficSeqs(t: WindowTraffic): number[] {
  return [...t.pi, ...t.possiblePi].flatMap((p) => [p.seq, ...(p.connection ? [p.connection] : [])]).concat(t.sdk.map((c) => c.seq), t.unknown.map((c) => c.seq), t.refused.slice(0, 20).map((r) => r.seq));
}

const sdkName = (s: { name: Localized } | null, lang: 'zh' | 'en'): string => (s ? (lang === 'zh' ? `（${s.name.zh}）` : ` (${s.name.en})`) : '');

function piWords(list: PiSent[]): Localized {
  return {
    zh: listOf(list.map((p) => `${(PI_KIND[p.kind] ?? [p.kind])[0]}（${(PI_FORM[p.form] ?? [p.form])[0]}，${p.masked}）发往 ${p.host}${sdkName(p.sdk, 'zh')}`), 4),
    en: listOf(list.map((p) => `${(PI_KIND[p.kind] ?? [p.kind, p.kind])[1]} (${(PI_FORM[p.form] ?? [p.form, p.form])[1]}, ${p.masked}) to ${p.host}${sdkName(p.sdk, 'en')}`), 4),
  };
}

function contactWords(list: Contact[]): Localized {
  const byHost = new Map<string, Contact>();
  for (const c of list) if (!byHost.has(c.host)) byHost.set(c.host, c);
  const hosts = [...byHost.values()];
  return { zh: listOf(hosts.map((c) => `${c.host}${sdkName(c.sdk, 'zh')}`), 5), en: listOf(hosts.map((c) => `${c.host}${sdkName(c.sdk, 'en')}`), 5) };
}

/** The sentences about a window's traffic, to follow what the evaluator says about accesses. */
export function trafficSentences(t: WindowTraffic): Localized {
  const zh: string[] = [];
  const en: string[] = [];
  if (!t.recorded) {
    zh.push('该时段未记录网络（未开启工作台代理），本结论不涉及数据外发');
    en.push('the network was not recorded in this window (the workbench\'s proxy was off): nothing is said here about what was sent');
  }
  if (t.pi.length) {
    const w = piWords(t.pi);
    zh.push(`应用发送了手机的个人信息：${w.zh}`);
    en.push(`the app sent the phone's personal information: ${w.en}`);
  }
  if (t.possiblePi.length) {
    const w = piWords(t.possiblePi);
    zh.push(`未能按 uid 确认归属的连接中发送了：${w.zh}`);
    en.push(`connections not attributed by uid carried: ${w.en}`);
  }
  if (t.sdk.length) {
    const w = contactWords(t.sdk);
    const hidden = t.sdk.some((c) => c.tls && !c.intercepted);
    zh.push(`连接了 SDK 服务器：${w.zh}${hidden ? '（TLS 未解密，内容不可见）' : ''}`);
    en.push(`SDK servers were contacted: ${w.en}${hidden ? ' (TLS not decrypted: the content could not be read)' : ''}`);
  }
  if (t.unknown.length) {
    const w = contactWords(t.unknown);
    zh.push(`连接了不在 SDK 域名表中的主机：${w.zh}（是否为运营者自有服务器请检测人员判断）`);
    en.push(`hosts not in the SDK host table were contacted: ${w.en} (whether they are the operator's own is for the tester to judge)`);
  }
  if (t.refused.length) {
    const detail = listOf(t.refused.map((r) => r.detail.slice(0, 120)), 3);
    zh.push(`代理未能转发 ${t.refused.length} 次连接尝试（${detail}），发起的应用和内容均未知`);
    en.push(`the proxy could not carry ${t.refused.length} attempt(s) (${detail}): which app made them and what they held is unknown`);
  }
  if (t.recorded && !zh.length) {
    zh.push('代理记录期间应用未连接任何 SDK 或未知主机');
    en.push('while the proxy recorded, the app contacted no SDK or unknown host');
  }
  return { zh: zh.join('；'), en: en.join('; ') };
}

/** "Sentence." + " 网络：…。" — the traffic said after what an evaluator says. */
export function withTraffic(text: Localized, t: WindowTraffic): Localized {
  const s = trafficSentences(t);
  return { zh: `${text.zh}网络：${s.zh}。`, en: `${text.en} Network: ${s.en}.` };
}
