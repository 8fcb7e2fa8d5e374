/**
 * The policy side of a session: loading a policy from a file, a URL, the phone's screen or pasted text into
 * the session; capturing a separate list page the policy points to (tapping its link on the phone, the screen
 * as the tester opened it, a URL, a file, pasted text) and reading it with the policy; the tester's app type;
 * and the session's comparison matrix with the reading's lists, companies, denials and notices.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { analyzeFiles } from '../apk/analysis-pool.js';
import type { ApkAnalysis } from '../apk/analyze-apk.js';
import type { ListKind, ListReading, AppTypeView, PolicyComparison, PolicySentence, ReadingView } from '../../../src-preload/policy.js';
import type { ListPageSource } from '../../../src-preload/api.js';
import type { AdbService } from '../adb/adb-service.js';
import type { ChecklistService } from '../checklist/checklist-service.js';
import { WorkbenchError } from '../errors.js';
import type { SessionManager } from '../session/session-manager.js';
import type { Session } from '../session/session.js';
import type { StagedFiles } from '../staged-files.js';
import { capturePolicyFromPhone } from './capture-policy.js';
import { listPageLink } from './capture-list.js';
import { appTypeByNo, policyKnowledge } from './policy-knowledge.js';
import { MAX_POLICY_BYTES, MAX_POLICY_CHARS, policyTooLarge, tidyLines } from './policy-text.js';
import { citedSentences, compare } from './compare.js';
import { observe } from './observed.js';
import { readPolicyOffThread } from './read-off-thread.js';
import type { PolicyJobResult } from './policy-job.js';
import { MAX_LIST_PAGES, recordAppType, recordListPage, recordPolicy } from './session-policy.js';
import { readingView, viewSentences } from './reading-view.js';
import { sessionComparison } from './session-comparison.js';

export interface PolicyView {
  comparison: PolicyComparison;
  /** The policy sentences the matrix, the lists, the companies and the denials cite, by index. */
  sentences: PolicySentence[];
  /** The reading's lists, companies, denials and notices, and the list pages read with it; null without a policy. */
  reading: ReadingView | null;
}

/** Pasted text beyond this goes in as a file (the bridge carries messages of 1 MiB). */
export const MAX_PASTED_CHARS = 200_000;

/** Keeps a page that gave no readable text in the session (the capture stays), then refuses it as it was refused. */
function keepUnreadable(session: Session, err: unknown, bytes: Buffer, origin: string): never {
  if (err instanceof WorkbenchError && err.code === 'policy.no-text') {
    const { seq } = session.capture('policy', bytes, 'application/octet-stream', `page as received, no readable text: ${origin.slice(0, 500)}`);
    throw new WorkbenchError(err.code, err.message, { ...err.details, seq });
  }
  throw err;
}

/** Pasted text, tidied as any policy text is; refused when empty or past the bound. */
function pastedText(text: string): string {
  if (text.length > MAX_PASTED_CHARS) throw new WorkbenchError('policy.refused', `pasted text of more than ${MAX_PASTED_CHARS.toLocaleString('en')} characters is not taken; save it as a .txt file and load the file`, { reason: 'paste-too-long', max: MAX_PASTED_CHARS });
  const tidy = tidyLines(text);
  if (!tidy) throw new WorkbenchError('policy.refused', 'the pasted text is empty', { reason: 'paste-empty' });
  return tidy;
}

/** A policy file's bytes, refused over the cap before they are read; decoding and reading happen off-thread. */
function policyFileBytes(file: { path: string; fileName: string }): { bytes: Buffer; contentType: string | null; what: string } {
  const size = statSync(file.path).size;
  if (size > MAX_POLICY_BYTES) throw policyTooLarge(file.fileName, size);
  return { bytes: readFileSync(file.path), contentType: /\.html?$/i.test(file.fileName) ? 'text/html' : null, what: file.fileName };
}

/** A fetched page, read off-thread. The fetching code (http, https, TLS) loads on the first fetch. */
async function fetchAndRead(url: string, allowLocal: boolean): Promise<{ page: { bytes: Buffer; finalUrl: string }; read: PolicyJobResult }> {
  const page = await (await import('./fetch-policy.js')).fetchPolicy(url, { allowLocal });
  return { page, read: await readPolicyOffThread({ bytes: page.bytes, contentType: page.contentType, what: page.finalUrl }) };
}

export class PolicyService {
  /** `allowLocal`: whether the host allows local addresses (its settings, --allow-local); asked at each fetch. */
  constructor(private o: { sessions: SessionManager; checklist: ChecklistService; adb: AdbService; files: StagedFiles; allowLocal: () => boolean }) {}

  appTypes(): AppTypeView[] {
    return policyKnowledge().appTypes.map((t) => ({ no: t.no, name: t.name, basicFunction: t.basicFunction, necessaryPi: t.necessaryPi, categories: t.categories, noPiNeeded: t.noPiNeeded, level: t.level, toVerify: t.toVerify }));
  }

  private open(id: string): Session {
    const s = this.o.sessions.get(id);
    if (!s || s.meta.state === 'closed') throw new WorkbenchError('session.not-recording', `Session ${id} is not open; resume it to add a policy or an app type`, { id, reason: 'not-open' });
    return s;
  }

  /** The policy's bytes and text go into the session with their reading (made off-thread) remembered. */
  async loadFile(id: string, file: { path: string; fileName: string }): Promise<number> {
    this.open(id);
    const input = policyFileBytes(file);
    const { text, reading } = await readPolicyOffThread(input);
    return recordPolicy(this.open(id), { from: 'file', origin: file.fileName, text: text.text, charset: text.charset, original: { bytes: input.bytes, html: text.html }, pages: [], problem: null }, reading).seq;
  }

  /** Outside a session: a policy file or URL against an APK (analysed in a child process) and an app type. */
  async check(req: { policyFile: { path: string; fileName: string } | null; url: string | null; apk: { path: string; fileName: string } | null; typeNo: number | null }): Promise<PolicyView> {
    let read: PolicyJobResult, origin: string;
    if (req.policyFile) {
      read = await readPolicyOffThread(policyFileBytes(req.policyFile));
      origin = req.policyFile.fileName;
    } else {
      const fetched = await fetchAndRead(req.url!, this.o.allowLocal());
      read = fetched.read;
      origin = fetched.page.finalUrl;
    }
    let analysis: ApkAnalysis | null = null;
    if (req.apk) {
      const [o] = await analyzeFiles([req.apk.path], { concurrency: 1 });
      if (!o!.ok) throw new WorkbenchError('apk.refused', String(o!.error.details.message ?? 'refused'), { message: String(o!.error.details.message ?? ''), file: req.apk.fileName });
      analysis = o!.analysis;
    }
    const { text, reading } = read;
    const view = readingView(reading, []);
    const comparison = compare({
      reading, observed: observe(analysis, null), appType: req.typeNo ? appTypeByNo(req.typeNo) : null,
      policy: { source: req.policyFile ? 'file' : 'url', origin, sha256: createHash('sha256').update(text.text).digest('hex'), chars: reading.chars, language: reading.language },
    });
    return { comparison, sentences: viewSentences(citedSentences(comparison, reading), reading, view), reading: view };
  }

  async fetchUrl(id: string, url: string): Promise<number> {
    this.open(id);
    const page = await (await import('./fetch-policy.js')).fetchPolicy(url, { allowLocal: this.o.allowLocal() });
    const { text, reading } = await readPolicyOffThread({ bytes: page.bytes, contentType: page.contentType, what: page.finalUrl }).catch((err) => keepUnreadable(this.open(id), err, page.bytes, page.finalUrl));
    return recordPolicy(this.open(id), { from: 'url', origin: page.finalUrl, text: text.text, charset: text.charset, original: { bytes: page.bytes, html: text.html }, pages: [], problem: null }, reading).seq;
  }

  async capture(id: string, openLink: boolean): Promise<{ seq: number; pages: number; problem: string | null }> {
    const s = this.open(id);
    if (s.meta.state !== 'recording') throw new WorkbenchError('session.not-recording', `Session ${id} is paused; resume it to capture from its phone`, { id, reason: 'capture-needs-recording' });
    const serial = s.meta.device.serial;
    const c = await this.o.adb.onDevice(serial, (control) => capturePolicyFromPhone({ control, serial, session: s, openLink }));
    if (!c.text.trim()) throw new WorkbenchError('policy.capture-failed', 'no policy text was read from the screen', { serial });
    const { reading } = await readPolicyOffThread({ text: c.text, what: `the policy on ${serial}` });
    const { seq } = recordPolicy(this.open(id), { from: 'phone', origin: `${serial} ${c.packageName}`, text: c.text, charset: 'utf-8', original: null, pages: c.pages, problem: c.problem }, reading);
    return { seq, pages: c.pages.length, problem: c.problem };
  }

  /** Text the tester pasted as the policy (a page the phone or the site gave no text for). */
  async paste(id: string, pasted: string): Promise<number> {
    this.open(id);
    const { text, reading } = await readPolicyOffThread({ text: pastedText(pasted), what: 'the pasted text' });
    return recordPolicy(this.open(id), { from: 'paste', origin: `pasted text, ${text.text.length} characters`, text: text.text, charset: 'utf-8', original: null, pages: [], problem: null }, reading).seq;
  }

  /**
   * A list page the session's policy points to, captured and read with the policy: its verdict goes from
   * referenced to present when the page holds the list. The page is kept like the policy, tied to its event.
   */
  async captureList(id: string, list: ListKind, source: ListPageSource): Promise<{ seq: number; pages: number; problem: string | null; verdict: ListReading['verdict'] }> {
    const facts = await this.o.checklist.facts(id);
    const policy = facts.policyInputs.policy;
    if (!policy) throw new WorkbenchError('policy.not-found', 'the session has no policy yet: capture the policy first, then the list page it points to', { reason: 'no-policy-yet' });
    const pagesBefore = (policy.listPages ?? []).map((l) => l.event);
    if (pagesBefore.length >= MAX_LIST_PAGES) throw new WorkbenchError('policy.refused', `${MAX_LIST_PAGES} list pages are already read with this policy; capture the policy again to start over`, { reason: 'list-pages-full', max: MAX_LIST_PAGES });
    const reference = policy.reading.twoLists[list].reference?.text ?? '';
    const s = this.open(id);
    let page: { from: 'phone' | 'url' | 'file' | 'paste'; origin: string; text: string; charset: string; original: { bytes: Buffer; html: boolean } | null; pages: number[]; problem: string | null; tapped: string | null };
    if (source.kind === 'tap' || source.kind === 'screen') {
      if (s.meta.state !== 'recording') throw new WorkbenchError('session.not-recording', `Session ${id} is paused; resume it to capture from its phone`, { id, reason: 'capture-needs-recording' });
      if (source.kind === 'tap' && !reference) throw new WorkbenchError('policy.capture-failed', 'the policy does not point to this list, so there is no link to tap; open the page on the phone yourself and capture the screen', { reason: 'list-not-referenced' });
      const serial = s.meta.device.serial;
      const c = await this.o.adb.onDevice(serial, (control) => capturePolicyFromPhone({ control, serial, session: s, openLink: source.kind === 'tap' ? listPageLink(reference) : false }));
      page = { from: 'phone', origin: `${serial} ${c.packageName}`, text: c.text, charset: 'utf-8', original: null, pages: c.pages, problem: c.problem, tapped: c.tapped };
    } else if (source.kind === 'url') {
      const fetched = await (await import('./fetch-policy.js')).fetchPolicy(source.url, { allowLocal: this.o.allowLocal() });
      const { text } = await readPolicyOffThread({ bytes: fetched.bytes, contentType: fetched.contentType, what: fetched.finalUrl }).catch((err) => keepUnreadable(s, err, fetched.bytes, fetched.finalUrl));
      page = { from: 'url', origin: fetched.finalUrl, text: text.text, charset: text.charset, original: { bytes: fetched.bytes, html: text.html }, pages: [], problem: null, tapped: null };
    } else if (source.kind === 'file') {
      const file = this.o.files.get(source.fileId);
      const input = policyFileBytes(file);
      const { text } = await readPolicyOffThread(input).catch((err) => keepUnreadable(s, err, input.bytes, file.fileName));
      page = { from: 'file', origin: file.fileName, text: text.text, charset: text.charset, original: { bytes: input.bytes, html: text.html }, pages: [], problem: null, tapped: null };
    } else {
      const text = pastedText(source.text);
      page = { from: 'paste', origin: `pasted text, ${text.length} characters`, text, charset: 'utf-8', original: null, pages: [], problem: null, tapped: null };
    }
    if (!page.text.trim()) throw new WorkbenchError('policy.capture-failed', 'no text was read from the list page', { reason: 'list-empty' });
    const policyChars = policy.reading.chars;
    const listChars = page.text.length;
    if (policyChars + listChars > MAX_POLICY_CHARS) throw new WorkbenchError('policy.refused', `the policy and its list pages would be more than ${MAX_POLICY_CHARS.toLocaleString('en')} characters; this page is not read`, { reason: 'list-too-long', max: MAX_POLICY_CHARS });
    const { seq } = recordListPage(this.open(id), { ...page, list, policySeq: policy.seq, reference: reference || '—' });
    // The facts read the policy again with its list pages (off-thread, see preparePolicyReading): the new verdict.
    const after = (await this.o.checklist.facts(id)).policyInputs.policy;
    return { seq, pages: page.pages.length, problem: page.problem, verdict: after?.reading.twoLists[list].verdict ?? 'absent' };
  }

  setAppType(id: string, typeNo: number): number {
    return recordAppType(this.open(id), typeNo).seq;
  }

  async view(id: string): Promise<PolicyView> {
    const facts = await this.o.checklist.facts(id);
    const comparison = sessionComparison(facts);
    const policy = facts.policyInputs.policy;
    const reading = policy ? readingView(policy.reading, policy.listPages ?? []) : null;
    return { comparison, sentences: viewSentences(citedSentences(comparison, policy?.reading ?? null), policy?.reading ?? null, reading), reading };
  }
}
