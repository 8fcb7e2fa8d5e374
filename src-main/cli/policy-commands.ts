/**
 * `apprights policy check`: a privacy policy (file or URL), with the list pages it points to (--list), read and
 * compared with an APK, a recorded session and the app type's necessary personal information; prints the
 * matrix and what the reading leaves to the tester, or with --json one object.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { MatrixRow, PolicyComparison, PolicyReading, ReadingView } from '../../src-preload/policy.js';
import { analyzeFiles } from '../core/apk/analysis-pool.js';
import type { ApkAnalysis } from '../core/apk/analyze-apk.js';
import { sessionFacts } from '../core/checklist/session-findings.js';
import type { TimelineFacts } from '../core/checklist/timeline-facts.js';
import { compare } from '../core/policy/compare.js';
import { fetchPolicy } from '../core/policy/fetch-policy.js';
import { observe } from '../core/policy/observed.js';
import { findAppType, policyKnowledge, type AppType } from '../core/policy/policy-knowledge.js';
import { MAX_POLICY_BYTES, MAX_POLICY_CHARS, policyTextFromBytes } from '../core/policy/policy-text.js';
import { MAX_LIST_PAGES } from '../core/policy/session-policy.js';
import { readPolicy } from '../core/policy/read-policy.js';
import { readingView, viewSentences } from '../core/policy/reading-view.js';
import { citedSentences } from '../core/policy/compare.js';
import { readingLines } from './policy-reading-lines.js';
import type { Fail } from './cli-support.js';
import { say } from './cli-language.js';
import { text } from './cli-text.js';
import { own, terminalValue, tty } from './terminal-guard.js';

const STATUS: Record<MatrixRow['status'], string> = {
  'observed-denied': '✗ observed, the policy says it is not collected',
  'observed-undeclared': '✗ observed, not in the policy',
  'declared-observed': '✓ declared and observed',
  'declared-unobserved': '· declared, not observed',
  'declared-unobservable': '· declared (not observable on a phone)',
};

async function readPolicySource(source: string, allowLocal: boolean, fail: Fail): Promise<{ text: string; origin: string; sha256: string; charset: string }> {
  const { createHash } = await import('node:crypto');
  let bytes: Buffer, contentType: string | null, origin: string;
  if (/^https?:\/\//i.test(source)) {
    const page = await fetchPolicy(source, { allowLocal });
    ({ bytes, contentType } = page);
    origin = page.finalUrl;
  } else {
    const path = resolve(source);
    if (!existsSync(path) || !statSync(path).isFile()) fail(say(text.noPolicyFile(path)), 2);
    if (statSync(path).size > MAX_POLICY_BYTES) fail(say(text.policyTooLarge(basename(path), (statSync(path).size / 1048576).toFixed(1), MAX_POLICY_BYTES / 1048576)));
    bytes = readFileSync(path);
    contentType = /\.html?$/i.test(path) ? 'text/html' : null;
    origin = path;
  }
  const t = policyTextFromBytes(bytes, contentType, basename(origin));
  return { text: t.text, origin, sha256: createHash('sha256').update(t.text).digest('hex'), charset: t.charset };
}

function printMatrix(c: PolicyComparison, reading: PolicyReading, view: ReadingView, listFiles: string[]): void {
  // The policy's origin and sentences, SDK and APK names, the app type: guarded values in every line.
  const out = (s: string): boolean => process.stdout.write(s + '\n');
  const p = c.policy!;
  out(tty`Policy: ${p.origin}  (${p.language}, ${own(p.chars.toLocaleString('en'))} characters)`);
  out(c.appType ? tty`App type: ${c.appType.no} ${c.appType.name.zh} ${c.appType.name.en}${own(c.appType.noPiNeeded ? ' — needs no personal information' : tty` — necessary: ${c.appType.necessaryPi.zh.join('；')}`)}${own(c.appType.toVerify ? ' (entry to verify)' : '')}` : 'App type: not given (--type NAME for the necessary-PI check)');
  out('');
  if (!c.rows.length) out('Nothing declared or observed to compare.');
  for (const r of c.rows) {
    const by = r.observedBy.length ? tty` [${r.observedBy.join('+')}]` : '';
    out(tty`${own(r.kind === 'sdk' ? 'SDK' : 'PI ')}  ${r.label.zh} / ${r.label.en}`);
    out(tty`     ${own(STATUS[r.status])}${own(by)}${own(r.beyondNecessary ? '; beyond the app type\'s necessary PI' : '')}`);
    if (r.note) out(tty`     ${r.note.en}`);
    const s = r.evidence.sentences[0];
    if (s !== undefined) out(tty`     policy line ${reading.sentences[s]!.line}: “${reading.sentences[s]!.text.slice(0, 120)}”`);
    if (r.evidence.apk.length) out(tty`     APK: ${r.evidence.apk.slice(0, 4).join(', ')}${own(r.evidence.apk.length > 4 ? ' …' : '')}`);
    if (r.evidence.timeline.length) out(tty`     session events: ${r.evidence.timeline.slice(0, 8).join(', ')}${own(r.evidence.timeline.length > 8 ? ' …' : '')}`);
  }
  out('');
  const l = reading.twoLists;
  const list = (name: string, r: typeof l.collected): string => r.present
    ? `${name}: yes (${terminalValue(r.form)}; ${Object.entries(r.fields).filter(([, v]) => v !== null).map(([k, v]) => `${terminalValue(k)} ${v ? '✓' : '✗'}`).join(', ')})`
    : `${name}: ${r.referencedOnly ? 'only referenced (capture that page)' : 'absent'}`;
  out(`Two lists (292号): ${list('collected', l.collected)}; ${list('shared', l.shared)}`);
  for (const line of readingLines(view, reading.sentences, listFiles)) out(line);
  if (c.withoutPurpose.length) out(tty`No purpose stated beside: ${c.withoutPurpose.join(', ')}`);
  out(`Summary: ${c.undeclaredSdks.length} undeclared SDK(s), ${c.undeclaredPi.length} undeclared PI type(s), ${c.beyondNecessary.length} beyond necessary PI`);
}

export async function policyCommand(args: string[], fail: Fail): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'check') fail(say(text.policyUsage), 2);
  const { values } = parseArgs({ args: rest, options: { policy: { type: 'string' }, list: { type: 'string', multiple: true }, apk: { type: 'string' }, session: { type: 'string' }, type: { type: 'string' }, json: { type: 'boolean' }, 'allow-local': { type: 'boolean' } } });
  if (!values.policy) fail(say(text.policyNeedsSource), 2);
  let appType: AppType | null = null;
  if (values.type) {
    appType = findAppType(values.type);
    if (!appType) fail(say(text.unknownAppType(values.type, policyKnowledge().appTypes.map((t) => `${t.no} ${t.name.zh}`).join(', '))), 2);
  }
  const policy = await readPolicySource(values.policy, !!values['allow-local'], fail);
  // A list page the policy points to (《…清单》 on its own page) is read with it as its list.
  const listSources = (values.list ?? []).slice(0, MAX_LIST_PAGES);
  if ((values.list ?? []).length > MAX_LIST_PAGES) fail(say(text.tooManyLists(MAX_LIST_PAGES)), 2);
  const lists = [];
  for (const source of listSources) lists.push(await readPolicySource(source, !!values['allow-local'], fail));
  const chars = policy.text.length + lists.reduce((n, l) => n + l.text.length, 0);
  if (chars > MAX_POLICY_CHARS) fail(say(text.policyTooLong(chars, MAX_POLICY_CHARS)));
  const reading = readPolicy(policy.text, { lists: lists.map((l) => l.text) });
  const view = readingView(reading, []);

  let analysis: ApkAnalysis | null = null;
  if (values.apk) {
    const [o] = await analyzeFiles([resolve(values.apk)], { concurrency: 1, hashInCaller: true });
    if (!o!.ok) fail(say(text.policyApkRefused(String(o!.error.details.message ?? o!.error.code))));
    analysis = o!.analysis;
  }
  let facts: TimelineFacts | null = null;
  if (values.session) {
    const dir = resolve(values.session);
    if (!existsSync(`${dir}/session.json`)) fail(say(text.notSessionDir(dir)), 2);
    const recorded = sessionFacts(dir);
    analysis ??= recorded.policyInputs.analysis?.analysis ?? null;
    appType ??= recorded.policyInputs.appType?.type ?? null;
    facts = recorded;
  }
  const comparison = compare({
    reading, observed: observe(analysis, facts), appType,
    policy: { source: /^https?:/i.test(values.policy) ? 'url' : 'file', origin: policy.origin, sha256: policy.sha256, chars: reading.chars, language: reading.language },
  });
  if (values.json) {
    const { declared, observed, undeclaredSdks, undeclaredPi, beyondNecessary, twoLists, withoutPurpose, rows, appType: type, policy: p } = comparison;
    const { twoLists: lists2, companies, deniedSdks, operator, notices } = view;
    process.stdout.write(JSON.stringify({
      declared, observed, undeclaredSdks, undeclaredPi, beyondNecessary, twoLists, withoutPurpose, appType: type, policy: p, matrix: rows,
      reading: { twoLists: lists2, companies, deniedSdks, operator, notices }, listPages: lists.map((l) => ({ origin: l.origin, sha256: l.sha256, chars: l.text.length })),
      sentences: viewSentences(citedSentences(comparison, reading), reading, view),
    }) + '\n');
    return;
  }
  printMatrix(comparison, reading, view, lists.map((l) => l.origin));
}
