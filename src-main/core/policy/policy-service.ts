/**
 * The policy side of a session: loading a policy from a file, a URL or the phone's screen into the session,
 * the tester's app type, and the session's comparison matrix with the policy sentences it cites.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { analyzeFiles } from '../apk/analysis-pool.js';
import type { ApkAnalysis } from '../apk/analyze-apk.js';
import type { AppTypeView, PolicyComparison, PolicySentence } from '../../../src-preload/policy.js';
import type { AdbService } from '../adb/adb-service.js';
import type { ChecklistService } from '../checklist/checklist-service.js';
import { WorkbenchError } from '../errors.js';
import type { SessionManager } from '../session/session-manager.js';
import type { Session } from '../session/session.js';
import { capturePolicyFromPhone } from './capture-policy.js';
import { appTypeByNo, policyKnowledge } from './policy-knowledge.js';
import { MAX_POLICY_BYTES, policyTooLarge } from './policy-text.js';
import { citedSentences, compare } from './compare.js';
import { observe } from './observed.js';
import { readPolicyOffThread } from './read-off-thread.js';
import type { PolicyJobResult } from './policy-job.js';
import { recordAppType, recordPolicy } from './session-policy.js';
import { sessionComparison } from './session-comparison.js';

export interface PolicyView {
  comparison: PolicyComparison;
  /** The policy sentences the matrix and the lists cite, by index. */
  sentences: PolicySentence[];
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
  constructor(private o: { sessions: SessionManager; checklist: ChecklistService; adb: AdbService; allowLocal: () => boolean }) {}

  appTypes(): AppTypeView[] {
    return policyKnowledge().appTypes.map((t) => ({ no: t.no, name: t.name, basicFunction: t.basicFunction, necessaryPi: t.necessaryPi, categories: t.categories, noPiNeeded: t.noPiNeeded, level: t.level, toVerify: t.toVerify }));
  }

  private open(id: string): Session {
    const s = this.o.sessions.get(id);
    if (!s || s.meta.state === 'closed') throw new WorkbenchError('session.not-recording', `Session ${id} is not open; resume it to add a policy or an app type`, { id });
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
    const comparison = compare({
      reading, observed: observe(analysis, null), appType: req.typeNo ? appTypeByNo(req.typeNo) : null,
      policy: { source: req.policyFile ? 'file' : 'url', origin, sha256: createHash('sha256').update(text.text).digest('hex'), chars: reading.chars, language: reading.language },
    });
    return { comparison, sentences: citedSentences(comparison, reading) };
  }

  async fetchUrl(id: string, url: string): Promise<number> {
    this.open(id);
    const { page, read: { text, reading } } = await fetchAndRead(url, this.o.allowLocal());
    return recordPolicy(this.open(id), { from: 'url', origin: page.finalUrl, text: text.text, charset: text.charset, original: { bytes: page.bytes, html: text.html }, pages: [], problem: null }, reading).seq;
  }

  async capture(id: string, openLink: boolean): Promise<{ seq: number; pages: number; problem: string | null }> {
    const s = this.open(id);
    if (s.meta.state !== 'recording') throw new WorkbenchError('session.not-recording', `Session ${id} is paused; resume it to capture from its phone`, { id });
    const serial = s.meta.device.serial;
    const c = await this.o.adb.onDevice(serial, (control) => capturePolicyFromPhone({ control, serial, session: s, openLink }));
    if (!c.text.trim()) throw new WorkbenchError('policy.capture-failed', 'no policy text was read from the screen', { serial });
    const { reading } = await readPolicyOffThread({ text: c.text, what: `the policy on ${serial}` });
    const { seq } = recordPolicy(this.open(id), { from: 'phone', origin: `${serial} ${c.packageName}`, text: c.text, charset: 'utf-8', original: null, pages: c.pages, problem: c.problem }, reading);
    return { seq, pages: c.pages.length, problem: c.problem };
  }

  setAppType(id: string, typeNo: number): number {
    return recordAppType(this.open(id), typeNo).seq;
  }

  async view(id: string): Promise<PolicyView> {
    const facts = await this.o.checklist.facts(id);
    const comparison = sessionComparison(facts);
    return { comparison, sentences: citedSentences(comparison, facts.policyInputs.policy?.reading ?? null) };
  }
}
