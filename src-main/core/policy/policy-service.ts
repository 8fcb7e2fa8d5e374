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
import { MAX_POLICY_BYTES, policyTextFromBytes, type PolicyText } from './policy-text.js';
import { citedSentences, compare } from './compare.js';
import { observe } from './observed.js';
import { readPolicy } from './read-policy.js';
import { recordAppType, recordPolicy } from './session-policy.js';
import { sessionComparison } from './session-comparison.js';

export interface PolicyView {
  comparison: PolicyComparison;
  /** The policy sentences the matrix and the lists cite, by index. */
  sentences: PolicySentence[];
}

function readPolicyFile(file: { path: string; fileName: string }): { bytes: Buffer; text: PolicyText } {
  const size = statSync(file.path).size;
  if (size > MAX_POLICY_BYTES) throw new WorkbenchError('policy.refused', `${file.fileName} is ${(size / 1048576).toFixed(1)} MiB; a privacy policy larger than ${MAX_POLICY_BYTES / 1048576} MiB is refused (give the policy page itself, not a site archive)`);
  const bytes = readFileSync(file.path);
  return { bytes, text: policyTextFromBytes(bytes, /\.html?$/i.test(file.fileName) ? 'text/html' : null, file.fileName) };
}

export class PolicyService {
  constructor(private o: { sessions: SessionManager; checklist: ChecklistService; adb: AdbService }) {}

  appTypes(): AppTypeView[] {
    return policyKnowledge().appTypes.map((t) => ({ no: t.no, name: t.name, basicFunction: t.basicFunction, necessaryPi: t.necessaryPi, categories: t.categories, noPiNeeded: t.noPiNeeded, level: t.level, toVerify: t.toVerify }));
  }

  private open(id: string): Session {
    const s = this.o.sessions.get(id);
    if (!s || s.meta.state === 'closed') throw new WorkbenchError('session.not-recording', `Session ${id} is not open; resume it to add a policy or an app type`, { id });
    return s;
  }

  loadFile(id: string, file: { path: string; fileName: string }): number {
    const s = this.open(id);
    const { bytes, text } = readPolicyFile(file);
    return recordPolicy(s, { from: 'file', origin: file.fileName, text: text.text, charset: text.charset, original: { bytes, html: text.html }, pages: [], problem: null }).seq;
  }

  /** Outside a session: a policy file or URL against an APK (analysed in a child process) and an app type. */
  async check(req: { policyFile: { path: string; fileName: string } | null; url: string | null; allowLocal: boolean; apk: { path: string; fileName: string } | null; typeNo: number | null }): Promise<PolicyView> {
    let text: PolicyText, origin: string;
    if (req.policyFile) {
      text = readPolicyFile(req.policyFile).text;
      origin = req.policyFile.fileName;
    } else {
      // The fetching code (http, https, TLS) loads on the first fetch.
      const page = await (await import('./fetch-policy.js')).fetchPolicy(req.url!, { allowLocal: req.allowLocal });
      text = policyTextFromBytes(page.bytes, page.contentType, page.finalUrl);
      origin = page.finalUrl;
    }
    let analysis: ApkAnalysis | null = null;
    if (req.apk) {
      const [o] = await analyzeFiles([req.apk.path], { concurrency: 1 });
      if (!o!.ok) throw new WorkbenchError('apk.refused', String(o!.error.details.message ?? 'refused'), { message: String(o!.error.details.message ?? ''), file: req.apk.fileName });
      analysis = o!.analysis;
    }
    const reading = readPolicy(text.text);
    const comparison = compare({
      reading, observed: observe(analysis, null), appType: req.typeNo ? appTypeByNo(req.typeNo) : null,
      policy: { source: req.policyFile ? 'file' : 'url', origin, sha256: createHash('sha256').update(text.text).digest('hex'), chars: reading.chars, language: reading.language },
    });
    return { comparison, sentences: citedSentences(comparison, reading) };
  }

  async fetchUrl(id: string, url: string, allowLocal: boolean): Promise<number> {
    const s = this.open(id);
    const page = await (await import('./fetch-policy.js')).fetchPolicy(url, { allowLocal });
    const t = policyTextFromBytes(page.bytes, page.contentType, page.finalUrl);
    return recordPolicy(s, { from: 'url', origin: page.finalUrl, text: t.text, charset: t.charset, original: { bytes: page.bytes, html: t.html }, pages: [], problem: null }).seq;
  }

  async capture(id: string, openLink: boolean): Promise<{ seq: number; pages: number; problem: string | null }> {
    const s = this.open(id);
    if (s.meta.state !== 'recording') throw new WorkbenchError('session.not-recording', `Session ${id} is paused; resume it to capture from its phone`, { id });
    const serial = s.meta.device.serial;
    const c = await this.o.adb.onDevice(serial, (control) => capturePolicyFromPhone({ control, serial, session: s, openLink }));
    if (!c.text.trim()) throw new WorkbenchError('policy.capture-failed', 'no policy text was read from the screen', { serial });
    const { seq } = recordPolicy(s, { from: 'phone', origin: `${serial} ${c.packageName}`, text: c.text, charset: 'utf-8', original: null, pages: c.pages, problem: c.problem });
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
