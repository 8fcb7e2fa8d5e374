/**
 * report.html: the human report of an evidence package, self-contained (inline CSS, screenshots as inline
 * thumbnails, no network — its own CSP forbids it; no script but the screen recording's player, report-video.ts,
 * allowed by its hash, and media only from the page's origin or local files), in Chinese and English, each language marked
 * with its lang attribute and the phone's identifiers in <code>: the report number, the findings first with their
 * evidence, what left the phone (report-network.ts), app and phone, tester and signer, the timeline (phone times in the phone's zone, host times in the
 * host's, both named), screenshots, the data list and a sign-off block for the tester and the reviewer. Long notes
 * are folded (<details>). Every string that came from the phone, the app, a policy or the tester is cleaned of
 * controls, shows bidi controls, and is HTML-escaped. The PDF (report-pdf.ts) is this page printed.
 */
import type { Finding, Localized } from '../../../src-preload/checklist.js';
import type { ListReading, MatrixRow, PolicyComparison, PolicySentence, ReadingView } from '../../../src-preload/policy.js';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import { stripTerminalControls } from '../adb/terminal-text.js';
import { FILE_CATEGORIES, type Manifest, type ManifestFile } from './manifest.js';
import { describeEvent, type EventDescription } from '../../../src-preload/event-description.js';
import { saidText, type Said, type SaidPart } from '../../../src-preload/said.js';
import { hostZone, zonedTime } from './event-time.js';
import { reportNumber } from './report-number.js';
import { refusalText, type RefusedFile } from '../session/session-files.js';
import type { FlowLedger } from '../../../src-preload/network-flows.js';
import { networkSection } from './report-network.js';
import { playerAssets, PLAYER_SCRIPT_SOURCE, ReportPlayer, videoSection, type ReportVideo } from './report-video.js';

export const MAX_REPORT_EVENTS = 5000;
/** Gaps in the log listed one by one (a phone folding lines all day stays a readable report); the rest are counted. */
export const MAX_REPORT_GAPS = 2000;
/** Files left out of a package, listed one by one up to this many (a folder of 100,000 links stays a small report). */
const MAX_REFUSED_LISTED = 1000;

/**
 * Text as the report shows it: escape sequences and control characters removed and bidi controls shown as
 * `<U+202E>` (the one cleaning device text gets everywhere), then every HTML-significant character escaped.
 */
export function escapeHtml(value: unknown): string {
  return stripTerminalControls(String(value ?? '')).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ReportInput {
  manifest: Omit<Manifest, 'files' | 'sha256sums'>;
  files: ManifestFile[];
  events: Array<{ seq: number; event: TimelineEvent }>;
  omittedEvents: number;
  /** The log's gaps (log.gap events), all of them up to MAX_REPORT_GAPS, also those past the listed events. */
  gaps?: Array<{ seq: number; event: TimelineEvent }>;
  thumbnails: Array<{ path: string; dataUri: string; seq: number; hostTime: number }>;
  /** Files of the session that were not read into the package (a link, a path out of the folder …). */
  refused?: RefusedFile[];
  checklist?: ReportChecklist | null;
  /** An RFC 3161 token over the signature is in the package (manifest.json.p7s.tsr): only then is there trusted time. */
  timestamped?: boolean;
  /** Names for the sign-off block, given at export (the tester defaults to the session's). */
  signOff?: SignOff;
  /** The zone host times are shown in (default: this machine's). */
  hostZone?: string;
  /** What left the phone through the proxy (absent: the network was not recorded, and the report says so). */
  network?: FlowLedger;
  /** The screen recording: its segments (in the package or not) and gaps; absent: the session had none. */
  video?: ReportVideo;
}

export interface SignOff {
  tester?: string | null;
  reviewer?: string | null;
}

export interface ReportChecklist {
  template: { id: string; version: string; sha256: string; title: Localized };
  findings: Finding[];
  /** Why the run stopped early, if it did. */
  incomplete: string | null;
  /** The privacy policy against what the app contains and did (policy-comparison.json), with what the reading leaves to the tester. */
  policy?: { comparison: PolicyComparison; sentences: PolicySentence[]; reading?: ReadingView | null } | null;
}

const MATRIX_STATUS: Record<MatrixRow['status'], string> = {
  'observed-denied': '已观察到，但政策称不收集 / Observed, the policy says not collected',
  'observed-undeclared': '已观察到，政策未说明 / Observed, not in the policy',
  'declared-observed': '已声明且观察到 / Declared and observed',
  'declared-unobserved': '已声明，未观察到 / Declared, not observed',
  'declared-unobservable': '已声明（手机上不可观察） / Declared (not observable on a phone)',
};

const LIST_NAME = { collected: ['已收集个人信息清单', 'Collected-PI list'], shared: ['与第三方共享个人信息清单', 'Third-party sharing list'] } as const;
const LIST_VERDICT = { present: ['政策中有', 'in the policy'], referenced: ['仅被引用（须采集该页面）', 'only referenced (that page must be captured)'], absent: ['无', 'absent'] } as const;
const SOURCE = { phone: ['手机', 'phone'], file: ['文件', 'file'], url: ['网址', 'URL'], paste: ['粘贴的文字', 'pasted text'] } as const;
const COMPANY_ROLE = {
  'third-party': ['接收信息的第三方（未写明其 SDK）', 'third party receiving data (no SDK of it named)'], 'service-provider': ['某项功能的服务提供方', 'provider of a function'], link: ['链接', 'link'], address: ['地址', 'address'], operator: ['运营方', 'operator'], other: ['其他身份', 'another role'],
} as const;

/** English beside Chinese, marked as English for readers and screen readers. */
function en(text: string): string {
  return `<span class="en" lang="en">${text}</span>`;
}

/** A fixed "中文 / English" label (the report's own tables): the English half marked as English. */
function bi(label: string): string {
  const at = label.indexOf(' / ');
  return at < 0 ? escapeHtml(label) : `${escapeHtml(label.slice(0, at))} / ${en(escapeHtml(label.slice(at + 3)))}`;
}

/** Latin runs in Chinese text from elsewhere (a finding's explanation): identifiers among them are code. */
const LATIN_RUN = /([A-Za-z0-9_.:$/-]*[A-Za-z][A-Za-z0-9_.:$/-]*)/;

/**
 * Chinese written by another part of the workbench (a finding's explanation, a note of the comparison) as HTML:
 * the identifiers it quotes — dotted, with _ : / $, camelCase, or with digits (getImeiForSlot, READ_PHONE_STATE,
 * identifier:getImeiForSlot) — shown as <code>, like the phone's words in the event lines.
 */
function zhHtml(text: string): string {
  return stripTerminalControls(text).split(LATIN_RUN).map((piece, i) => (i % 2 === 1 && /[_.:$/\d]|[a-z][A-Z]/.test(piece) ? `<code>${escapeHtml(piece)}</code>` : escapeHtml(piece))).join('');
}

/** A sentence's parts as HTML: the phone's identifiers in <code>, others' words marked with their language. */
function saidHtml(s: Said): string {
  return s.map((p) => p.kind === 'code' ? `<code>${escapeHtml(p.text)}</code>` : p.kind === 'quote' ? `<span class="quote" lang="${p.lang ?? ''}">${escapeHtml(p.text)}</span>` : escapeHtml(p.text)).join('');
}

/** A line longer than this (or of more lines) is folded: its start shown, the rest behind <details>. */
const FOLD_CHARS = 400;
const FOLD_LINES = 4;
const FOLD_HEAD_CHARS = 240;

/** The first `chars` characters and at most FOLD_LINES - 1 line breaks of a sentence. */
function headOf(s: Said, chars: number): Said {
  const out: SaidPart[] = [];
  let left = chars;
  let breaks = FOLD_LINES - 1;
  for (const p of s) {
    if (left <= 0 || breaks < 0) break;
    let text = p.text.slice(0, left);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      if (--breaks < 0) {
        text = text.slice(0, i);
        break;
      }
    }
    out.push({ ...p, text });
    left -= text.length;
  }
  return out;
}

/** One language's line, folded when long (a 57,000-character note is a few lines and a "show all"). */
function foldedHtml(s: Said, lang: 'zh' | 'en'): string {
  const plain = saidText(s);
  const lines = plain.split('\n').length;
  if (plain.length <= FOLD_CHARS && lines <= FOLD_LINES) return saidHtml(s);
  const more = lang === 'zh' ? `（共 ${plain.length} 字，展开查看全文）` : `(${plain.length} characters: open to read all)`;
  return `<details class="long"><summary>${saidHtml(headOf(s, FOLD_HEAD_CHARS))}… <small>${more}</small></summary><div class="full">${saidHtml(s)}</div></details>`;
}

/** An event's two lines, each marked with its language. */
function eventLines(d: EventDescription): string {
  return `<span class="zh" lang="zh-CN">${foldedHtml(d.zh, 'zh')}</span><br><span class="en" lang="en">${foldedHtml(d.en, 'en')}</span>`;
}

/** Free text of the tester's (a verdict note), in whatever language it was written, folded when long. */
function noteHtml(text: string): string {
  return `<span class="quote" lang="">${foldedHtml([{ kind: 'quote', text }], 'zh')}</span>`;
}

/** The reading's part of the policy section (issue #25): list verdicts with references, list pages, companies, denials, notices. */
export function readingSection(r: ReadingView, sentences: Map<number, PolicySentence>, listed: Set<number>): string {
  const e = escapeHtml;
  const quote = (i: number | undefined): string => {
    const s = i === undefined ? undefined : sentences.get(i);
    return s ? `<br><small>政策第 ${s.line} 行 / ${en(`policy line ${s.line}`)}: “<span class="quote" lang="">${e(s.text.slice(0, 200))}</span>”</small>` : '';
  };
  const seqLink = (seq: number): string => (listed.has(seq) ? `<a href="#e${seq}">#${seq}</a>` : `#${seq}`);
  const list = (key: 'collected' | 'shared', l: ListReading): string => {
    const [zh, enName] = LIST_NAME[key];
    const [vzh, ven] = LIST_VERDICT[l.verdict];
    const ref = l.verdict === 'referenced' && l.reference
      ? `<br>政策原文 / ${en('the policy says')}: “<span class="quote" lang="">${e(l.reference.text.slice(0, 300))}</span>”<br>链接 / ${en('link')}: ${l.reference.url ? `<code>${e(l.reference.url)}</code>` : `政策未给出网址 / ${en('the policy gives no address')}`}`
      : '';
    return `<tr><td>${zh}<br>${en(enName)}</td><td${l.verdict === 'present' ? '' : ' class="warn"'}>${vzh} / ${en(ven)}${ref}</td></tr>`;
  };
  const pages = r.listPages.map((p) => `<tr><td>${seqLink(p.seq)}</td><td>${LIST_NAME[p.list][0]}<br>${en(LIST_NAME[p.list][1])}</td><td>${SOURCE[p.from][0]} / ${en(SOURCE[p.from][1])}: <code>${e(p.origin)}</code>${p.tapped ? `<br>点击“<span class="quote" lang="">${e(p.tapped)}</span>”打开 / ${en(`opened by tapping “${e(p.tapped)}”`)}` : ''}${p.problem ? `<br><small class="quote" lang="">${e(p.problem)}</small>` : ''}</td><td>“<span class="quote" lang="">${e(p.reference.slice(0, 300))}</span>”</td></tr>`).join('\n');
  const companies = r.companies.map((c) => `<tr><td><span class="quote" lang="">${e(c.term)}</span>${c.term !== c.vendor ? `<br><small class="quote" lang="">${e(c.vendor)}</small>` : ''}</td><td>${COMPANY_ROLE[c.role][0]}<br>${en(COMPANY_ROLE[c.role][1])}</td><td>${quote(c.sentences[0]).replace(/^<br>/, '') || '—'}</td></tr>`).join('\n');
  const denied = r.deniedSdks.map((d) => `<li><code>${e(d.id)}</code> <span class="quote" lang="">${e(d.term)}</span>${quote(d.sentence)}</li>`).join('\n');
  const notices = r.notices.map((n) => `<li class="warn">${e(n.message.zh)}<br>${en(e(n.message.en))}</li>`).join('\n');
  return `<h3>双清单 / ${en('The two lists')}</h3>
<table>
<tr><th style="width:14em">清单 / ${en('List')}</th><th>结论 / ${en('Verdict')}</th></tr>
${list('collected', r.twoLists.collected)}
${list('shared', r.twoLists.shared)}
</table>
${pages ? `<h3>已采集的清单页面 / ${en('List pages captured')}</h3>
<table>
<tr><th style="width:4em">#</th><th style="width:12em">清单 / ${en('List')}</th><th>来源 / ${en('Source')}</th><th>政策原文 / ${en('The policy says')}</th></tr>
${pages}
</table>` : ''}
${r.operator ? `<p>运营方 / ${en('Operator')}: <span class="quote" lang="">${e(r.operator)}</span></p>` : ''}
${companies ? `<h3>提到的公司（未写明SDK，需人工核对） / ${en('Companies named, SDK not named — check')}</h3>
<p><small>这些公司在政策中以其他身份出现，不视为声明了其任何SDK。</small><br><small>${en('These companies appear in another role; they declare none of their SDKs.')}</small></p>
<table>
<tr><th style="width:16em">公司 / ${en('Company')}</th><th style="width:12em">身份 / ${en('Role')}</th><th>政策原文 / ${en('The policy says')}</th></tr>
${companies}
</table>` : ''}
${denied ? `<h3>政策称未接入的SDK / ${en('SDKs the policy says it does not use')}</h3>
<ul>
${denied}
</ul>` : ''}
${notices ? `<h3>关于政策文本的提示 / ${en('About the policy\'s text')}</h3>
<ul>
${notices}
</ul>` : ''}`;
}

function policySection(p: NonNullable<ReportChecklist['policy']>, listed: Set<number>): string {
  const e = escapeHtml;
  const c = p.comparison;
  const sentence = new Map(p.sentences.map((s) => [s.index, s]));
  const rows = c.rows.map((r) => {
    const quotes = r.evidence.sentences.slice(0, 2).map((i) => sentence.get(i)).filter(Boolean).map((s) => `<br><small>政策第 ${s!.line} 行 / ${en(`policy line ${s!.line}`)}: “<span class="quote" lang="">${e(s!.text.slice(0, 200))}</span>”</small>`).join('');
    const links = r.evidence.timeline.slice(0, 20).map((seq) => (listed.has(seq) ? `<a href="#e${seq}">#${seq}</a>` : `#${seq}`)).join(' ');
    const warn = r.status === 'observed-undeclared' || r.status === 'observed-denied' || r.beyondNecessary ? ' class="warn"' : '';
    return `<tr><td>${r.kind === 'sdk' ? 'SDK' : bi('个人信息 / PI')}</td><td>${zhHtml(r.label.zh)}<br><span class="en" lang="en">${e(r.label.en)}</span></td><td${warn}>${bi(MATRIX_STATUS[r.status])}${r.beyondNecessary ? `<br><strong>${bi('超出必要个人信息 / Beyond necessary PI')}</strong>` : ''}${r.note ? `<br><small>${zhHtml(r.note.zh)}</small><br><small class="en" lang="en">${e(r.note.en)}</small>` : ''}${quotes}</td><td>${r.evidence.apk.length ? `<code>${e(r.evidence.apk.slice(0, 6).join(', '))}</code>` : '—'}</td><td>${links || '—'}</td></tr>`;
  }).join('\n');
  const yes = (b: boolean): string => bi(b ? '有 / yes' : '无 / no');
  const source = (from: string): string => (Object.hasOwn(SOURCE, from) ? `${SOURCE[from as keyof typeof SOURCE][0]} / ${en(SOURCE[from as keyof typeof SOURCE][1])}` : `<code>${e(from)}</code>`);
  return `<h2>隐私政策对照 / ${en('Privacy policy: declared vs observed')}</h2>
<p>${c.policy ? `政策来源 / ${en('Policy')}: ${source(c.policy.source)} — <code>${e(c.policy.origin)}</code>（${e(c.policy.chars)} 字 / ${en('characters')}, SHA-256 <code>${e(c.policy.sha256)}</code>）` : bi('本会话没有隐私政策文本 / No policy text in this session')}<br>
应用类型 / ${en('App type')}: ${c.appType ? `${e(c.appType.no)} ${e(c.appType.name.zh)} / ${en(e(c.appType.name.en))}${c.appType.noPiNeeded ? `（无须个人信息即可使用基本功能 / ${en('needs no PI')}）` : `（必要个人信息 / ${en('necessary PI')}: ${e(c.appType.necessaryPi.zh.join('；'))}）`}${c.appType.toVerify ? ` <small>${bi('待核实 / to verify')}</small>` : ''}` : bi('未选择 / not chosen')}<br>
已收集个人信息清单 / ${en('Collected-PI list')}: ${yes(c.twoLists.collected)}；与第三方共享个人信息清单 / ${en('Sharing list')}: ${yes(c.twoLists.shared)}${c.twoLists.missingFields.length ? `；缺少字段 / ${en('missing fields')}: <code>${e(c.twoLists.missingFields.join(', '))}</code>` : ''}${c.twoLists.referencedOnly.length ? `；仅被引用 / ${en('only referenced')}: <code>${e(c.twoLists.referencedOnly.join(', '))}</code>` : ''}</p>
<table>
<tr><th style="width:7em">${bi('类别 / Kind')}</th><th>${bi('项目 / Item')}</th><th>${bi('对照 / Comparison')}</th><th style="width:14em">${bi('安装包 / APK')}</th><th style="width:10em">${bi('事件 / Events')}</th></tr>
${rows || '<tr><td colspan="5">—</td></tr>'}
</table>
${p.reading ? readingSection(p.reading, sentence, listed) : ''}`;
}

const STATUS = { violation: '疑似违规 / Violation', 'none-observed': '未发现 / None observed', 'insufficient-evidence': '证据不足 / Insufficient evidence', 'needs-tester': '需人工判断 / Needs the tester', 'not-tested': '未检测 / Not tested' } as const;
/** A proposal's colour: green only for "none observed" (said only over stages that ran), grey for "not tested". */
const STATUS_CLASS: Record<Finding['proposal']['status'], string> = { violation: 'warn', 'none-observed': 'ok', 'insufficient-evidence': 'muted', 'needs-tester': '', 'not-tested': 'muted' };

/** The trusted-time row: ✓ only with a timestamp token in the package; without one the times are the host's clock. */
export function trustedTimeCell(trustedTime: Manifest['trustedTime'], timestamped: boolean): string {
  const mark = timestamped
    ? `<span class="ok" data-trusted-time="token">✓ 含 RFC 3161 时间戳（<code>manifest.json.p7s.tsr</code>）/ ${en('RFC 3161 timestamp token included')}</span>`
    : `<span class="muted" data-trusted-time="none">无可信时间（仅主机时钟）/ ${en('No trusted time (host clock only)')}</span>`;
  return `${mark}<br><small class="quote" lang="">${escapeHtml(trustedTime.note)}</small>`;
}

const VERDICT = { pass: '通过 / Pass', fail: '不通过 / Fail', 'not-applicable': '不适用 / Not applicable' } as const;

/** The first few evidence events of a finding, each as its two lines (the rest are links). */
const EVIDENCE_SHOWN = 3;

function verdictTable(c: ReportChecklist, listed: Set<number>, describe: (seq: number) => EventDescription | null, play: (evidence: number[]) => string): string {
  const e = escapeHtml;
  const count = (pred: (f: Finding) => boolean): number => c.findings.filter(pred).length;
  const rows = c.findings.map((f) => {
    const links = f.proposal.evidence.slice(0, 30).map((seq) => (listed.has(seq) ? `<a href="#e${seq}">#${seq}</a>` : `#${seq}`)).join(' ') + (f.proposal.evidence.length > 30 ? ` (+${f.proposal.evidence.length - 30})` : '');
    const cls = STATUS_CLASS[f.proposal.status] ? ` class="${STATUS_CLASS[f.proposal.status]}"` : '';
    const shown = f.proposal.evidence.slice(0, EVIDENCE_SHOWN).flatMap((seq) => {
      const d = describe(seq);
      return d ? [`<li><a href="#e${seq}">#${seq}</a> ${eventLines(d)}</li>`] : [];
    }).join('');
    return `<tr><td><code class="item">${e(f.item)}</code>${f.toVerify ? `<br><small>${bi('待核实 / to verify')}</small>` : ''}</td><td>${e(f.clauses.join(', '))}</td><td>${e(f.title.zh)}<br>${en(e(f.title.en))}</td><td${cls}>${bi(STATUS[f.proposal.status])}<br><small>${zhHtml(f.proposal.explanation.zh)}</small><br><small class="en" lang="en">${e(f.proposal.explanation.en)}</small>${shown ? `<ul class="evidence">${shown}</ul>` : ''}</td><td>${f.verdict ? bi(VERDICT[f.verdict]) : '—'}${f.verdictNote ? `<br><small>${noteHtml(f.verdictNote)}</small>` : ''}</td><td>${links || '—'}${play(f.proposal.evidence)}</td></tr>`;
  }).join('\n');
  return `<h2 id="findings">检测结论 / ${en('Findings')}</h2>
<p>模板 / ${en('Template')}: ${e(c.template.title.zh)} / ${en(e(c.template.title.en))} — <code>${e(c.template.id)} ${e(c.template.version)}</code>, SHA-256 <code>${e(c.template.sha256)}</code></p>
${c.incomplete ? `<p><strong class="warn">检测未完成 / ${en('Incomplete run')}: <span class="quote" lang="">${e(c.incomplete)}</span></strong></p>` : ''}
<p>疑似违规 ${count((f) => f.proposal.status === 'violation')} 项，需人工判断 ${count((f) => f.proposal.status === 'needs-tester')} 项，已给出结论 ${count((f) => f.verdict !== null)} / ${c.findings.length} 项。<br>${en(`${count((f) => f.proposal.status === 'violation')} proposed violations, ${count((f) => f.proposal.status === 'needs-tester')} items need the tester, ${count((f) => f.verdict !== null)} of ${c.findings.length} have a verdict.`)}</p>
<table class="findings">
<tr><th style="width:7em">${bi('检测项 / Item')}</th><th style="width:8em">${bi('条款 / Clauses')}</th><th style="width:14em">${bi('标题 / Title')}</th><th>${bi('建议与证据 / Proposal and evidence')}</th><th style="width:9em">${bi('结论 / Verdict')}</th><th style="width:8em">${bi('证据 / Evidence')}</th></tr>
${rows}
</table>`;
}

/** A timeline row's "play from here", on its own line under the event's two lines. */
function playLine(link: string): string {
  return link ? `<br>${link}` : '';
}

function row(label: string, value: string): string {
  return `<tr><th>${label}</th><td>${value}</td></tr>`;
}

/**
 * Where the phone's log has holes (lines dropped or folded by chatty, a restarted logcat, the clock going back):
 * what the timeline and the findings stand on is missing there, and the reader must know it.
 */
function gapSection(gaps: Array<{ seq: number; event: TimelineEvent }>, listed: Set<number>, z: Zones): string {
  const e = escapeHtml;
  if (!gaps.length) return `<h2 id="gaps">证据缺口 / ${en('Gaps in the evidence')}</h2>\n<p>日志中未发现缺口。<br>${en('The log shows no gap.')}</p>`;
  const dropped = gaps.reduce((n, g) => n + (g.event.type === 'log.gap' && g.event.reason === 'chatty-expire' ? g.event.lines ?? 0 : 0), 0);
  const rows = gaps.map(({ seq, event }) => {
    const who = event.type === 'log.gap' ? (event.packageName ?? event.process ?? '—') : '—';
    const ref = listed.has(seq) ? `<a href="#e${seq}">${seq}</a>` : String(seq);
    return `<tr><td>${ref}</td><td>${e(z.phoneTime(event.deviceTime))}</td><td><code>${e(who)}</code></td><td>${eventLines(z.describe(event))}</td></tr>`;
  }).join('\n');
  return `<h2 id="gaps">证据缺口 / ${en('Gaps in the evidence')}</h2>
<p class="warn">手机日志有 ${gaps.length} 处缺口${dropped ? `（被丢弃 ${dropped} 行）` : ''}：缺口内发生的事情不在本报告中，相关检测项的“未观察到”不能证明没有发生。<br>${en(`The phone's log has ${gaps.length} gap${gaps.length === 1 ? '' : 's'}${dropped ? ` (${dropped} lines dropped)` : ''}: what happened inside them is not in this report, and an item's "none observed" there does not show it did not happen.`)}</p>
<table>
<tr><th style="width:4em">#</th><th style="width:15em">${z.phoneHeader}</th><th style="width:14em">${bi('应用或进程 / App or process')}</th><th>${bi('缺口 / Gap')}</th></tr>
${rows}
</table>`;
}

/** The two clocks of the report, each in its own named zone, and events described with phone times. */
interface Zones {
  phoneZone: string | null;
  hostZone: string;
  phoneTime: (ms: unknown) => string;
  hostTime: (ms: unknown) => string;
  phoneHeader: string;
  hostHeader: string;
  describe: (event: TimelineEvent) => EventDescription;
}

function zones(phoneZone: string | null, host: string): Zones {
  const phoneTime = (ms: unknown): string => zonedTime(ms, phoneZone);
  const zoneName = (zone: string | null): string => (zone ? `<code>${escapeHtml(zone)}</code>` : `UTC`);
  return {
    phoneZone, hostZone: host, phoneTime, hostTime: (ms) => zonedTime(ms, host),
    phoneHeader: `手机时间（${zoneName(phoneZone)}${phoneZone ? '' : '，手机时区未记录'}）<br>${en(`Phone time (${zoneName(phoneZone)}${phoneZone ? '' : ', phone zone not recorded'})`)}`,
    hostHeader: `主机时间（${zoneName(host)}）<br>${en(`Host time (${zoneName(host)})`)}`,
    describe: (event) => describeEvent(event, { clock: (ms) => phoneTime(ms) }),
  };
}

function signOffSection(s: SignOff, sessionTester: string): string {
  const e = escapeHtml;
  const person = (role: string, name: string | null | undefined): string => `<tr><th>${bi(role)}</th><td class="name">${name ? `<span class="quote" lang="">${e(name)}</span>` : '&nbsp;'}</td><th>${bi('签字 / Signature')}</th><td class="line">&nbsp;</td><th>${bi('日期 / Date')}</th><td class="line">&nbsp;</td></tr>`;
  return `<h2 id="sign-off">签字确认 / ${en('Sign-off')}</h2>
<p>检测人员确认本报告所列事件与结论如实反映检测过程；审核人员确认已复核。<br>${en('The tester confirms the events and findings listed here are what the test recorded; the reviewer confirms the review.')}</p>
<table class="signoff">
${person('检测人员 / Tester', s.tester ?? sessionTester)}
${person('审核人员 / Reviewer', s.reviewer)}
</table>`;
}

export function renderReport(r: ReportInput): string {
  const m = r.manifest;
  const s = m.session;
  const e = escapeHtml;
  const z = zones(s.device.timezone ?? null, r.hostZone ?? hostZone());
  const number = reportNumber(s);
  const listed = new Set(r.events.map((x) => x.seq));
  const bySeq = new Map(r.events.map((x) => [x.seq, x.event]));
  const describeSeq = (seq: number): EventDescription | null => {
    const event = bySeq.get(seq);
    return event ? z.describe(event) : null;
  };
  const player = new ReportPlayer(r.video);
  const assets = playerAssets(player);
  const playFinding = (evidence: number[]): string => player.findingLink(evidence.flatMap((seq) => {
    const event = bySeq.get(seq);
    return event ? [event.hostTime] : [];
  }));
  const seconds = s.endedAt ? Math.round((s.endedAt - s.startedAt) / 1000) : null;
  // The verifier reads data-signer-fingerprint to check the report names the certificate that signed.
  const signer = `<span class="quote" lang="">${e(m.signer.subject)}</span><br><code data-signer-fingerprint="${e(m.signer.fingerprint)}">${e(m.signer.fingerprint)}</code>${m.signer.selfAsserted ? `<br><strong class="warn">自声明身份（自签名）：请另行核对指纹<br>${en('Self-asserted identity (self-signed): compare the fingerprint out of band')}</strong>` : ''}`;
  const events = r.events.map(({ seq, event }) => `<tr id="e${seq}"><td>${seq}</td><td>${e(z.hostTime(event.hostTime))}</td><td>${e(z.phoneTime(event.deviceTime))}</td><td><code>${e(event.type)}</code></td><td>${eventLines(z.describe(event))}${player.plays ? playLine(player.link(event.hostTime)) : ''}</td></tr>`).join('\n');
  const files = r.files.map((f) => {
    const c = FILE_CATEGORIES[f.category];
    return `<tr><td><a href="${e(f.path)}"><code>${e(f.path)}</code></a></td><td>${e(c.zh)} / ${en(e(c.en))}</td><td><code>${e(f.format)}</code></td><td>${f.size}</td><td><code>${e(f.sha256)}</code>${f.sm3 ? `<br><code>SM3 ${e(f.sm3)}</code>` : ''}</td></tr>`;
  }).join('\n');
  const left = r.refused ?? [];
  const refused = left.slice(0, MAX_REFUSED_LISTED).map((f) => {
    const text = refusalText(f);
    return `<li><code>${e(text.zh)}</code><br>${en(`<code>${e(text.en)}</code>`)}</li>`;
  }).join('\n') + (left.length > MAX_REFUSED_LISTED ? `\n<li>另有 ${left.length - MAX_REFUSED_LISTED} 个 / ${en(`${left.length - MAX_REFUSED_LISTED} more`)}</li>` : '');
  const shots = r.thumbnails.map((t) => `<figure><a href="${e(t.path)}"><img src="${e(t.dataUri)}" alt="${e(t.path)}"></a><figcaption>#${t.seq} ${e(z.hostTime(t.hostTime))}</figcaption></figure>`).join('\n');
  const model = [s.device.manufacturer, s.device.model].filter(Boolean).join(' ');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'${player.plays ? `; media-src 'self' file:; script-src ${PLAYER_SCRIPT_SOURCE}` : ''}">
<meta name="referrer" content="no-referrer">
<meta name="apprights-report-number" content="${e(number)}">
<title>检测证据报告 Evidence report ${e(number)} — ${e(s.app.packageName)}</title>
<style>
body{font-family:"Noto Sans SC","Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#1a1a1a;line-height:1.45}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em;break-after:avoid}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
tr{break-inside:avoid}th{background:#f4f4f4;width:14em}code{font-size:.85em;word-break:break-all}.en{color:#555}.warn{color:#a40000}.ok{color:#1b6b34}.muted{color:#666}
code.item{font-family:Consolas,"DejaVu Sans Mono","Noto Sans Mono",monospace;font-size:1.05em;font-weight:600;word-break:keep-all;white-space:nowrap}
.number{font-family:monospace;font-size:1.1em;font-weight:600}
.quote{white-space:pre-wrap}details.long>summary{cursor:pointer}details.long .full{white-space:pre-wrap;max-height:40em;overflow:auto}
ul.evidence{margin:.3em 0 0;padding-left:1.2em;font-size:.95em}
table.signoff th{width:auto;white-space:nowrap}table.signoff td.line{border-bottom:1px solid #1a1a1a;min-width:10em;height:2.4em}table.signoff td.name{min-width:8em}
figure{display:inline-block;margin:.4em;text-align:center;font-size:.8em;break-inside:avoid}figure img{max-width:180px;max-height:400px;border:1px solid #ccc}
@media print{body{margin:0}a{color:inherit;text-decoration:none}}
${assets.css}
</style>
</head>
<body>
<h1>App 用户权益检测证据报告<br>${en('Evidence report — app user-rights test')}</h1>
<table class="head">
${row(bi('报告编号 / Report number'), `<span class="number">${e(number)}</span>`)}
${row(bi('案件编号 / Case'), s.caseRef ? `<span class="quote" lang="">${e(s.caseRef)}</span>` : '—')}
${row(bi('被测应用 / App'), `<code>${e(s.app.packageName)}</code> ${e(s.app.versionName ?? '')}`)}
${row(bi('检测人员 / Tester'), `<span class="quote" lang="">${e(r.signOff?.tester ?? s.tester)}</span>`)}
${row(bi('审核人员 / Reviewer'), r.signOff?.reviewer ? `<span class="quote" lang="">${e(r.signOff.reviewer)}</span>` : `未指定（见文末签字栏）<br>${en('not named (see the sign-off block)')}`)}
</table>
<p>${m.complete ? `会话已结束。<br>${en('The session was closed.')}` : `<strong class="warn">会话未结束：本包为截至导出时的记录。<br>${en('The session was still open: this package holds what was recorded until the export.')}</strong>`}</p>
${r.checklist ? verdictTable(r.checklist, listed, describeSeq, playFinding) : ''}
${r.checklist?.policy ? policySection(r.checklist.policy, listed) : ''}
${networkSection(r.network, s.app.packageName, e, (ms) => z.hostTime(ms), listed)}
<h2>摘要 / ${en('Summary')}</h2>
<table>
${row(bi('开始 / Started'), `${e(z.hostTime(s.startedAt))}<br><small>${z.hostHeader}</small>`)}
${row(bi('结束 / Ended'), e(z.hostTime(s.endedAt)))}
${row(bi('时长 / Duration'), seconds === null ? '—' : `${seconds} 秒 / ${en(`${seconds} s`)}`)}
${row(bi('事件数 / Events'), String(m.timeline.count))}
${row(bi('时间线头哈希 / Timeline head'), `<code>${e(m.timeline.head)}</code>`)}
${row(bi('可信时间 / Trusted time'), trustedTimeCell(m.trustedTime, r.timestamped ?? false))}
${row(bi('崩溃恢复 / Recoveries'), s.recoveries.length ? s.recoveries.map((x) => `${e(z.hostTime(x.at))}：另存 ${e(x.tornBytes)} 字节 / ${en(`${e(x.tornBytes)} bytes set aside`)}`).join('<br>') : '—')}
${row(bi('工具 / Tool'), `<span class="quote" lang="">${e(`${m.tool.name} ${m.tool.version}`)}</span>`)}
</table>
<h2>被测应用 / ${en('App under test')}</h2>
<table>
${row(bi('包名 / Package'), `<code>${e(s.app.packageName)}</code>`)}
${row(bi('版本 / Version'), `<code>${e(`${s.app.versionName ?? '—'} (${s.app.versionCode ?? '—'})`)}</code>`)}
${row('APK SHA-256', `<code>${e(s.app.apkSha256 ?? '—')}</code>`)}
</table>
<h2>手机 / ${en('Phone')}</h2>
<table>
${row(bi('序列号 / Serial'), `<code>${e(s.device.serial)}</code>`)}
${row(bi('型号 / Model'), model ? `<span class="quote" lang="">${e(model)}</span>` : '—')}
${row('Android', `<code>${e(`${s.device.androidVersion ?? '—'} (SDK ${s.device.sdk ?? '—'})`)}</code>`)}
${row(bi('构建指纹 / Build fingerprint'), `<code>${e(s.device.fingerprint ?? '—')}</code>`)}
${row(bi('时区 / Time zone'), z.phoneZone ? `<code>${e(z.phoneZone)}</code>` : `未记录：手机时间按 UTC 显示<br>${en('not recorded: phone times are shown in UTC')}`)}
${row(bi('时钟偏差 / Clock offset'), s.device.clockOffsetMs === null ? '—' : `${e(s.device.clockOffsetMs)} 毫秒（手机 − 主机）<br>${en(`${e(s.device.clockOffsetMs)} ms (phone − host)`)}`)}
</table>
<h2>签名者 / ${en('Signer')}</h2>
<table>
${row(bi('证书 / Certificate'), signer)}
${row(bi('国密签名 / SM2'), m.national ? `是 / ${en('yes')} (<code>manifest.json.sm2.sig</code>)` : `否 / ${en('no')}`)}
</table>
<h2>截图 / ${en('Screenshots')}</h2>
${shots || `<p>无 / ${en('none')}</p>`}
${videoSection(player, e, (ms) => z.hostTime(ms))}
${r.gaps ? gapSection(r.gaps, listed, z) : ''}
<h2 id="timeline">事件时间线 / ${en('Timeline')}</h2>
${r.omittedEvents ? `<p>仅列出前 ${r.events.length} 条，其余 ${r.omittedEvents} 条见 <code>timeline.jsonl</code>。<br>${en(`The first ${r.events.length} events are listed; ${r.omittedEvents} more are in <code>timeline.jsonl</code>.`)}</p>` : ''}
<table class="timeline">
<tr><th style="width:3.5em">#</th><th style="width:12em">${z.hostHeader}</th><th style="width:12em">${z.phoneHeader}</th><th style="width:9em">${bi('类型 / Type')}</th><th>${bi('内容 / What happened')}</th></tr>
${events}
</table>
${refused ? `<h2>未收入的文件 / ${en('Files left out')}</h2>
<p class="warn">会话文件夹中的下列文件未被读取，也未收入本包（只读取会话文件夹内的普通文件，不跟随链接）。<br>${en('These files of the session folder were not read and are not in this package (only regular files inside the session folder are read; links are not followed).')}</p>
<ul>
${refused}
</ul>` : ''}
<h2>电子数据清单 / ${en('Data list')}</h2>
<table>
<tr><th>${bi('文件 / File')}</th><th>${bi('类别 / Category')}</th><th>${bi('格式 / Format')}</th><th>${bi('字节 / Bytes')}</th><th>${bi('完整性校验值 / Check value (SHA-256)')}</th></tr>
${files}
</table>
<p>验证方法见 <code>VERIFY.txt</code>。<br>${en('Verify this package with stock tools: see <code>VERIFY.txt</code>.')}</p>
${signOffSection(r.signOff ?? {}, s.tester)}
${assets.script}
</body>
</html>
`;
}
