/**
 * report.html's "What left the phone / 网络外发" section: per checklist stage, each destination the phone
 * reached through the workbench's proxy — host, SDK and company, app, first contact relative to the launch
 * before it and to the privacy dialog's answer, connections, bytes, TLS, and the phone's own values found in
 * what was sent (masked as recorded). A session without the proxy says the network was not recorded: it never
 * reads as "nothing left the phone". Identifiers are <code>, names of SDKs and companies are marked never to
 * be translated, English halves lang="en", everything from the session escaped.
 */
import type { Localized } from '../../../src-preload/checklist.js';
import { PI_FORM, PI_KIND } from '../../../src-preload/event-description.js';
import { appName, FlowLedger, type Flow, type FlowPi, type Moment } from '../../../src-preload/network-flows.js';

/** Rows listed per stage (a session contacting thousands of hosts stays a readable report); the rest are counted. */
const MAX_ROWS = 500;

type Esc = (v: unknown) => string;
const en = (html: string): string => `<span class="en" lang="en">${html}</span>`;

interface Row {
  stage: (Moment & { id: string }) | null;
  host: string;
  sni: Set<string>;
  app: string | null;
  attributed: boolean;
  sdk: Flow['sdk'];
  first: Flow;
  count: number;
  up: number;
  down: number;
  open: number;
  tls: Set<'plain' | 'tunnelled' | 'intercepted'>;
  pi: FlowPi[];
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(Math.abs(ms) < 10_000 ? 1 : 0);
}

/** Latin runs of a Chinese label (Android ID, MEID, Wi-Fi MAC) as code, the way the report shows the phone's words. */
function zhLabel(text: string, e: Esc): string {
  return text.split(/([A-Za-z][A-Za-z0-9-]*(?: [A-Z][A-Za-z0-9-]*)*)/).map((p, i) => (i % 2 ? `<code>${e(p)}</code>` : e(p))).join('');
}

/** When a connection came relative to the launch before it and to the privacy dialog's answer after that launch. */
function when(flows: FlowLedger, at: number): Localized {
  const launch = FlowLedger.lastBefore(flows.launches, at);
  if (!launch) return { zh: '（之前无启动记录）', en: '(no launch before it)' };
  const sinceLaunch = { zh: `启动后 ${seconds(at - launch.at)} 秒`, en: `${seconds(at - launch.at)} s after launch` };
  const answer = flows.consents.find((c) => c.at > launch.at && c.mark !== 'consent.withdrawn' && c.at <= at) ?? null;
  const next = flows.consents.find((c) => c.at > at && c.mark !== 'consent.withdrawn') ?? null;
  if (answer) {
    const agreed = answer.mark === 'consent.given';
    return { zh: `${sinceLaunch.zh}；${agreed ? '同意' : '拒绝'}隐私政策后 ${seconds(at - answer.at)} 秒`, en: `${sinceLaunch.en}; ${seconds(at - answer.at)} s after the policy was ${agreed ? 'agreed to' : 'declined'}` };
  }
  if (next) return { zh: `${sinceLaunch.zh}；隐私政策被回答前 ${seconds(next.at - at)} 秒`, en: `${sinceLaunch.en}; ${seconds(next.at - at)} s before the privacy dialog was answered` };
  return { zh: `${sinceLaunch.zh}；隐私政策尚未被回答`, en: `${sinceLaunch.en}; the privacy dialog had not been answered` };
}

function rows(flows: FlowLedger, packageName: string): Row[] {
  const byKey = new Map<string, Row>();
  for (const f of flows.connections) {
    const stage = flows.stageAt(f.hostAt);
    const app = appName(f.app);
    const key = `${stage?.seq ?? 0}\n${f.host}\n${app ?? ''}`;
    let r = byKey.get(key);
    if (!r) byKey.set(key, (r = { stage, host: f.host, sni: new Set(), app, attributed: f.app.attribution === 'uid', sdk: f.sdk, first: f, count: 0, up: 0, down: 0, open: 0, tls: new Set(), pi: [] }));
    r.count++;
    if (f.sni && f.sni !== f.host) r.sni.add(f.sni);
    if (f.closed) {
      r.up += f.closed.bytesUp;
      r.down += f.closed.bytesDown;
    } else r.open++;
    r.tls.add(!f.tls ? 'plain' : f.intercepted ? 'intercepted' : 'tunnelled');
    // The matches of the requests kept (the others are counted as stray below).
    const kept = new Set(f.requests.map((x) => x.requestId));
    for (const p of f.pi) if (kept.has(p.requestId)) r.pi.push(p);
  }
  // The app under test first, then by first contact.
  return [...byKey.values()].sort((a, b) => (a.stage?.at ?? -Infinity) - (b.stage?.at ?? -Infinity) || Number(b.app === packageName) - Number(a.app === packageName) || a.first.hostAt - b.first.hostAt);
}

const TLS = { plain: ['明文', 'plain'], tunnelled: ['TLS 未解密', 'TLS, not decrypted'], intercepted: ['TLS 已解密', 'TLS, decrypted'] } as const;

function piCell(pi: FlowPi[], e: Esc, ref: (seq: number) => string): string {
  if (!pi.length) return '—';
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of pi) {
    const key = `${p.kind}\n${p.form}\n${p.masked}`;
    if (seen.has(key) || out.length >= 8) continue;
    seen.add(key);
    const kind = PI_KIND[p.kind] ?? [p.kind, p.kind];
    const form = PI_FORM[p.form] ?? [p.form, p.form];
    out.push(`<span class="warn">${zhLabel(kind[0], e)}（${zhLabel(form[0], e)}）</span> <code>${e(p.masked)}</code> ${ref(p.seq)}<br>${en(`${e(kind[1])} (${e(form[1])})`)}`);
  }
  return out.join('<br>') + (seen.size < new Set(pi.map((p) => `${p.kind}\n${p.form}\n${p.masked}`)).size ? `<br>…` : '');
}

/** `listed`: the seqs the report's timeline lists (a link to any other would lead nowhere: it is plain #seq). */
export function networkSection(flows: FlowLedger | undefined, packageName: string, e: Esc, time: (ms: number) => string, listed: ReadonlySet<number> = new Set()): string {
  const ref = (seq: number): string => (listed.has(seq) ? `<a href="#e${seq}">#${seq}</a>` : `#${seq}`);
  const head = `<h2 id="network">网络外发 / ${en('What left the phone')}</h2>`;
  if (!flows || flows.empty) {
    return `${head}\n<p class="warn">本会话未记录网络流量（未开启工作台代理）：本报告不能说明哪些数据离开了手机，也不能说明没有数据离开。<br>${en('The network was not recorded in this session (the workbench\'s proxy was off): this report cannot say what left the phone, nor that nothing did.')}</p>`;
  }
  const proxy = flows.proxy.map((p) => `${ref(p.seq)} ${e(time(p.at))} <code>${e(p.state)}</code>`).join('；');
  const all = rows(flows, packageName);
  const byStage = new Map<string, Row[]>();
  for (const r of all) {
    const k = r.stage ? String(r.stage.seq) : '';
    const list = byStage.get(k) ?? [];
    list.push(r);
    byStage.set(k, list);
  }
  const tables = [...byStage.values()].map((list) => {
    const stage = list[0]!.stage;
    const title = stage ? `阶段 <code>${e(stage.id)}</code>（${ref(stage.seq)}） / ${en(`stage <code>${e(stage.id)}</code>`)}` : `未标记阶段 / ${en('before any stage mark')}`;
    const body = list.slice(0, MAX_ROWS).map((r) => {
      const w = when(flows, r.first.hostAt);
      const sdk = r.sdk ? `<span translate="no">${e(r.sdk.name.zh)}</span><br><small translate="no">${e(r.sdk.vendor)}</small>` : `未知（不在 SDK 域名表中）<br>${en('unknown (not in the SDK host table)')}`;
      const app = r.app ? `<code>${e(r.app)}</code>${r.attributed ? '' : `<br><small>未确定归属 / ${en('not attributed by uid')}</small>`}` : `未归属 / ${en('unattributed')}`;
      const tls = [...r.tls].map((t) => `${zhLabel(TLS[t][0], e)} / ${en(TLS[t][1])}`).join('<br>');
      const sni = r.sni.size ? `<br><small>SNI <code>${e([...r.sni].slice(0, 3).join(', '))}</code></small>` : '';
      const open = r.open ? `<br><small>${r.open} 个未关闭 / ${en(`${r.open} still open`)}</small>` : '';
      const cls = r.app === packageName && (r.sdk || r.pi.length) ? ' class="warn"' : '';
      return `<tr${cls}><td><code>${e(r.host)}:${e(r.first.port)}</code>${sni}</td><td>${sdk}</td><td>${app}</td><td>${ref(r.first.seq)} ${e(w.zh)}<br>${en(e(w.en))}</td><td>${r.count}</td><td>↑ ${bytes(r.up)}<br>↓ ${bytes(r.down)}${open}</td><td>${tls}</td><td>${piCell(r.pi, e, ref)}</td></tr>`;
    }).join('\n');
    const more = list.length > MAX_ROWS ? `<tr><td colspan="8">另有 ${list.length - MAX_ROWS} 个目的地见 <code>network.har</code> / ${en(`${list.length - MAX_ROWS} more destinations in <code>network.har</code>`)}</td></tr>` : '';
    return `<h3>${title}</h3>
<table class="network">
<tr><th style="width:14em">主机 / ${en('Host')}</th><th style="width:10em">SDK / 公司 / ${en('SDK / company')}</th><th style="width:10em">应用 / ${en('App')}</th><th>首次连接 / ${en('First contact')}</th><th style="width:4em">次数 / ${en('Count')}</th><th style="width:7em">字节 / ${en('Bytes')}</th><th style="width:7em">加密 / ${en('TLS')}</th><th>发现的个人信息（已遮蔽） / ${en('PI found (masked)')}</th></tr>
${body}${more}
</table>`;
  }).join('\n');
  const strays = flows.strayPi.length;
  const stray = strays ? `<p class="warn">另有 ${strays} 条个人信息外发记录的请求不在本包的流量记录中。<br>${en(`${strays} records of personal information sent belong to requests not kept here.`)}</p>` : '';
  const omittedExchanges = flows.omittedExchanges;
  const omitted = flows.omittedFlows || omittedExchanges ? `<p class="warn">超出上限未列出：连接 ${flows.omittedFlows} 个，请求 ${omittedExchanges} 个（见 <code>timeline.jsonl</code>）。<br>${en(`Past the limits and not listed: ${flows.omittedFlows} connections, ${omittedExchanges} requests (see <code>timeline.jsonl</code>).`)}</p>` : '';
  const refusals = flows.refusals.length ? `<p class="warn">代理未能转发或拒绝的连接尝试 ${flows.refused} 次，发起的应用和内容均未知：<br>${flows.refusals.slice(0, 20).map((r) => `${ref(r.seq)} <code>${e(r.reason)}</code> <code>${e(r.detail)}</code>`).join('<br>')}${flows.refused > 20 ? '<br>…' : ''}<br>${en(`${flows.refused} attempt(s) the proxy could not carry or refused; which app made them and what they held is unknown.`)}</p>` : '';
  const none = all.length ? '' : `<p>代理开启期间未记录到任何连接。<br>${en('No connection was recorded while the proxy was on.')}</p>`;
  return `${head}
<p>手机经工作台代理发出的连接，按检测阶段列出；“<code>TLS</code> 未解密”的连接只能看到目的地和字节数，看不到内容。全部请求见 <code>network.har</code>（<code>HAR 1.2</code>）。<br>${en('The connections the phone made through the workbench\'s proxy, by checklist stage; for a TLS connection not decrypted only the destination and byte counts are known, not the content. Every request is in <code>network.har</code> (HAR 1.2).')}</p>
<p>代理 / ${en('Proxy')}: ${proxy || '—'}${flows.refused ? `；代理拒绝 ${flows.refused} 次 / ${en(`${flows.refused} refused`)}` : ''}</p>
${refusals}${none}${tables}
${stray}${omitted}`;
}
