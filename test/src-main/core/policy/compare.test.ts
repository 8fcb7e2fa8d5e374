/**
 * Declared vs observed: an APK with four SDKs against policies naming some, all or none of them; run-time
 * SDK processes; a practical-tools app reading location against its type's necessary PI (none); and the
 * checklist evaluators (164-3.1, 164-2.3, 191-1.4, 191-2.1) over the same comparison.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeApk } from '../../../../src-main/core/apk/index.js';
import type { ApkAnalysis } from '../../../../src-main/core/apk/analyze-apk.js';
import { EVALUATORS } from '../../../../src-main/core/checklist/evaluators/index.js';
import { TimelineFacts } from '../../../../src-main/core/checklist/timeline-facts.js';
import { permissionKnowledge } from '../../../../src-main/core/checklist/permission-knowledge.js';
import { compare } from '../../../../src-main/core/policy/compare.js';
import { observe } from '../../../../src-main/core/policy/observed.js';
import { appTypeByNo } from '../../../../src-main/core/policy/policy-knowledge.js';
import { policyTextFromBytes } from '../../../../src-main/core/policy/policy-text.js';
import { readPolicy } from '../../../../src-main/core/policy/read-policy.js';
import type { SessionPolicyInputs } from '../../../../src-main/core/policy/session-policy.js';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import { sdkApk } from '../../../support/sdk-apk.js';
import { APP, TimelineBuilder } from '../../../support/timeline-builder.js';
import { TEST_APKS } from '../../../support/virtual-phone.js';

const FIXTURES = join(__dirname, '../../../fixtures/policies');
const reading = (name: string) => readPolicy(policyTextFromBytes(readFileSync(join(FIXTURES, name))).text);
const analysis: ApkAnalysis = await analyzeApk(sdkApk(), 'sdks.apk');
const settings: ApkAnalysis = await analyzeApk(readFileSync(TEST_APKS.settings), 'settings.apk');

function inputsFor(b: TimelineBuilder, policy: string | null, analysisSeq: number | null, a: ApkAnalysis | null, typeNo: number | null): TimelineFacts {
  const policySeq = policy ? b.at(1, { type: 'policy.captured', from: 'file', origin: policy, text: { sha256: 'x', size: 1, path: 'blobs/x.txt', mediaType: 'text/plain' }, original: null, charset: 'utf-8', pages: [], problem: null }) : null;
  const policyInputs: SessionPolicyInputs = {
    policy: policy && policySeq ? { seq: policySeq, event: b.entries[policySeq - 1]!.event as Extract<TimelineEvent, { type: 'policy.captured' }>, reading: reading(policy) } : null,
    analysis: a && analysisSeq !== null ? { seq: analysisSeq, analysis: a } : null,
    appType: typeNo ? { seq: b.at(2, { type: 'app.type', typeNo, name: appTypeByNo(typeNo)!.name.zh }), type: appTypeByNo(typeNo)! } : null,
  };
  return new TimelineFacts({ entries: b.entries, packageName: APP, clockOffsetMs: 0, knowledge: permissionKnowledge(), policyInputs });
}

const judge = (name: string, f: TimelineFacts) => EVALUATORS.get(name)!.evaluate(f, {});

describe('declared vs observed', () => {
  it('the SDK-bearing APK against a policy naming only some SDKs: exactly the unnamed ones are flagged', () => {
    expect(analysis.sdks.map((s) => s.id).sort()).toEqual(['bugly', 'jpush', 'tencent-gdt', 'umeng-analytics']);
    const c = compare({ reading: reading('shop-partial.txt'), policy: null, observed: observe(analysis, null), appType: null });
    expect(c.undeclaredSdks.map((s) => s.name).sort()).toEqual(['腾讯 Bugly', '腾讯优量汇（广点通）']);
    expect(c.undeclaredSdks.find((s) => s.name === '腾讯 Bugly')!.evidence.apk).toEqual(['sdk:bugly']);
    const jpush = c.rows.find((r) => r.key === 'jpush')!;
    expect(jpush).toMatchObject({ status: 'declared-observed', observedBy: ['static'] });
    expect(jpush.evidence.sentences.length).toBeGreaterThan(0);
    expect(c.twoLists).toEqual({ collected: true, shared: false, missingFields: [], referencedOnly: [] });
    expect(c.withoutPurpose).toEqual(['location']);
  });

  it('a complete policy flags nothing, and its rows are declared and observed', () => {
    const c = compare({ reading: reading('shop-complete.html'), policy: null, observed: observe(analysis, null), appType: appTypeByNo(6) });
    expect(c.undeclaredSdks).toEqual([]);
    expect(c.undeclaredPi).toEqual([]);
    expect(c.beyondNecessary).toEqual([]);
    expect(c.twoLists).toEqual({ collected: true, shared: true, missingFields: [], referencedOnly: [] });
    expect(c.rows.filter((r) => r.kind === 'sdk').map((r) => r.status)).toEqual(['declared-observed', 'declared-observed', 'declared-observed', 'declared-observed']);
  });

  it('a 实用工具类 app reading location at run time goes beyond its necessary PI (none), even though its policy declares it', () => {
    const b = new TimelineBuilder();
    b.launch(1000);
    const read = b.access(3000, 'FINE_LOCATION');
    const f = inputsFor(b, 'tool-flashlight.txt', null, null, 38);
    const c = compare({ reading: reading('tool-flashlight.txt'), policy: null, observed: observe(null, f), appType: appTypeByNo(38) });
    expect(c.beyondNecessary.map((x) => x.category)).toEqual(['location']);
    expect(c.beyondNecessary[0]!.evidence.timeline).toEqual([read]);
    expect(c.rows[0]).toMatchObject({ key: 'location', status: 'declared-observed', beyondNecessary: true, observedBy: ['runtime'] });
    expect(c.rows[0]!.note!.zh).toContain('无须个人信息');
    const p = judge('necessary-pi', f);
    expect(p.status).toBe('violation');
    expect(p.evidence).toContain(read);
    expect(p.explanation.zh).toContain('实用工具类');
  });

  it('a declared-PI app (网上购物类) requesting SMS, microphone and location in its manifest: beyond necessary, for the tester to judge', () => {
    const b = new TimelineBuilder();
    const aSeq = b.at(5, { type: 'capture', kind: 'apk.analysis', blob: { sha256: 'y', size: 1, path: 'blobs/y.json', mediaType: 'application/json' }, name: 'settings.apk' });
    const f = inputsFor(b, 'shop-complete.html', aSeq, settings, 6);
    const p = judge('necessary-pi', f);
    expect(p.status).toBe('needs-tester');
    expect(p.explanation.en).toMatch(/SMS/);
    expect(p.explanation.en).toMatch(/Location/);
    expect(p.evidence).toContain(aSeq);
  });

  it('an SDK seen only at run time (its own process) is compared too; the evaluator names it and cites the start', () => {
    const b = new TimelineBuilder();
    const aSeq = b.at(5, { type: 'capture', kind: 'apk.analysis', blob: { sha256: 'y', size: 1, path: 'blobs/y.json', mediaType: 'application/json' }, name: 'sdks.apk' });
    b.launch(1000);
    const start = b.at(2000, { type: 'process.start', pid: 4321, process: `${APP}:pushservice`, hostingType: 'service', component: `${APP}/com.igexin.sdk.PushService`, selfStart: true, caller: null });
    const f = inputsFor(b, 'shop-complete.html', aSeq, analysis, null);
    const p = judge('policy-sdks', f);
    expect(p.status).toBe('violation');
    expect(p.explanation.zh).toContain('个推');
    expect(p.explanation.zh).not.toContain('极光');
    expect(p.evidence).toEqual(expect.arrayContaining([start, aSeq]));
  });

  it('the evaluators without their inputs say what is missing', () => {
    const f = inputsFor(new TimelineBuilder(), null, null, null, null);
    for (const name of ['policy-sdks', 'policy-two-lists', 'policy-purposes']) expect(judge(name, f)).toMatchObject({ status: 'insufficient-evidence', explanation: { en: expect.stringMatching(/no privacy policy text/) } });
    expect(judge('necessary-pi', f)).toMatchObject({ status: 'insufficient-evidence', explanation: { en: expect.stringMatching(/No app type/) } });
  });

  it('the two lists: absent, only referenced, and complete', () => {
    expect(judge('policy-two-lists', inputsFor(new TimelineBuilder(), 'shop-partial.txt', null, null, null))).toMatchObject({ status: 'violation', explanation: { en: 'no third-party sharing list.' } });
    const flashlight = judge('policy-two-lists', inputsFor(new TimelineBuilder(), 'tool-flashlight.txt', null, null, null));
    expect(flashlight.status).toBe('violation');
    expect(flashlight.explanation.en).toBe('no third-party sharing list; the collected-PI list is only referenced: capture that page.');
    expect(judge('policy-two-lists', inputsFor(new TimelineBuilder(), 'shop-complete.html', null, null, null)).status).toBe('none-observed');
    expect(judge('policy-purposes', inputsFor(new TimelineBuilder(), 'shop-partial.txt', null, null, null))).toMatchObject({ status: 'needs-tester', explanation: { en: expect.stringMatching(/Location/) } });
    expect(judge('policy-purposes', inputsFor(new TimelineBuilder(), 'shop-complete.html', null, null, null)).status).toBe('none-observed');
  });
});
