/**
 * The policy side of a session: loading a policy from a file, a URL or the phone's screen into the session,
 * the tester's app type, and the session's comparison matrix with the policy sentences it cites.
 */
import { readFileSync, statSync } from 'node:fs';
import type { AppTypeView, PolicyComparison, PolicySentence } from '../../../src-preload/policy.js';
import type { AdbService } from '../adb/adb-service.js';
import type { ChecklistService } from '../checklist/checklist-service.js';
import { WorkbenchError } from '../errors.js';
import type { SessionManager } from '../session/session-manager.js';
import type { Session } from '../session/session.js';
import { capturePolicyFromPhone } from './capture-policy.js';
import { fetchPolicy } from './fetch-policy.js';
import { policyKnowledge } from './policy-knowledge.js';
import { MAX_POLICY_BYTES, policyTextFromBytes } from './policy-text.js';
import { recordAppType, recordPolicy } from './session-policy.js';
import { sessionComparison } from './session-comparison.js';

export interface PolicyView {
  comparison: PolicyComparison;
  /** The policy sentences the matrix and the lists cite, by index. */
  sentences: PolicySentence[];
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
    const size = statSync(file.path).size;
    if (size > MAX_POLICY_BYTES) throw new WorkbenchError('policy.refused', `${file.fileName} is ${(size / 1048576).toFixed(1)} MiB; a privacy policy larger than ${MAX_POLICY_BYTES / 1048576} MiB is refused (give the policy page itself, not a site archive)`);
    const bytes = readFileSync(file.path);
    const t = policyTextFromBytes(bytes, /\.html?$/i.test(file.fileName) ? 'text/html' : null, file.fileName);
    return recordPolicy(s, { from: 'file', origin: file.fileName, text: t.text, charset: t.charset, original: { bytes, html: t.html }, pages: [], problem: null }).seq;
  }

  async fetchUrl(id: string, url: string, allowLocal: boolean): Promise<number> {
    const s = this.open(id);
    const page = await fetchPolicy(url, { allowLocal });
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
    const reading = facts.policyInputs.policy?.reading;
    const cited = new Set<number>();
    for (const r of comparison.rows) for (const i of r.evidence.sentences) cited.add(i);
    for (const l of [reading?.twoLists.collected, reading?.twoLists.shared]) if (l?.sentence !== null && l?.sentence !== undefined) cited.add(l.sentence);
    return { comparison, sentences: [...cited].sort((a, b) => a - b).map((i) => reading!.sentences[i]!).filter(Boolean) };
  }
}
