/**
 * Who did it, on a real Session (issue #26): a mark or an input always names its actor (the type checker
 * insists), only the tester's own inputs are what a tester's consent mark may take the time of, a failed step is
 * its own event, and the report words every one of them from `source` — including the lines older sessions hold.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import { describeText } from '../../../../src-preload/event-description.js';

/** The shared description as the two plain lines (report, UI and CLI say the same). */
const describeEvent = (e: TimelineEvent): { zh: string; en: string } => ({ zh: describeText(e, 'zh'), en: describeText(e, 'en') });
import { Session, TIMELINE_FILE } from '../../../../src-main/core/session/session.js';
import { recordStepFailure } from '../../../../src-main/core/session/step-failure.js';
import { scanTimeline } from '../../../../src-main/core/session/timeline-chain.js';

function newSession(): Session {
  const dir = join(mkdtempSync(join(tmpdir(), 'actors-')), 's');
  return Session.create(dir, {
    id: 's', app: { packageName: 'com.demo.shop', versionName: null, versionCode: null, apkSha256: null },
    device: { serial: 'S1', model: null, manufacturer: null, fingerprint: null, androidVersion: null, sdk: null, clockOffsetMs: 0 },
    tester: '王五', caseRef: 'c', startedAt: Date.now(), tool: { name: 't', version: '0' },
  });
}

function lines(s: Session): TimelineEvent[] {
  return readFileSync(join(s.dir, TIMELINE_FILE), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { event: TimelineEvent }).event);
}

describe('the actor of a mark or an input', () => {
  it('is always given; only the tester\'s own input is the tap a tester\'s mark may answer with', async () => {
    const s = newSession();
    // @ts-expect-error a mark must say who set it
    s.append({ type: 'tester.mark', mark: 'consent.given', label: null });
    // @ts-expect-error an input must say who sent it
    s.append({ type: 'tester.input', action: { kind: 'key', key: 'BACK' } });
    const tester = s.append({ type: 'tester.input', action: { kind: 'tap', x: 1, y: 2 } }, { source: 'tester' });
    expect(s.lastInput?.seq).toBe(tester);
    s.append({ type: 'tester.input', action: { kind: 'tap', x: 330, y: 1065 } }, { source: 'workbench' });
    s.append({ type: 'tester.input', action: { kind: 'swipe', x1: 1, y1: 2, x2: 3, y2: 4, durationMs: 300 } }, { source: 'workbench' });
    expect(s.lastInput?.seq, 'the workbench\'s taps are not the tester\'s answer').toBe(tester);
    await s.release();
  });

  it('a failed step is its own event, the workbench\'s, with its words cut to a bound; the chain holds', async () => {
    const s = newSession();
    const seq = recordStepFailure(s, { step: 'policy.capture', reason: 'link-dead', zh: '点'.repeat(50_000), en: 'x'.repeat(50_000) });
    await s.release();
    const e = lines(s)[seq - 1] as Extract<TimelineEvent, { type: 'workbench.step-failed' }>;
    expect(e).toMatchObject({ type: 'workbench.step-failed', source: 'workbench', step: 'policy.capture', reason: 'link-dead' });
    expect(e.message.zh.length).toBeLessThanOrEqual(2001);
    expect(e.message.en.length).toBeLessThanOrEqual(2001);
    expect(scanTimeline(join(s.dir, TIMELINE_FILE))).toMatchObject({ broken: null, count: lines(s).length });
    expect(lines(s).some((x) => x.type === 'tester.mark')).toBe(false);
  });
});

describe('the report\'s words', () => {
  const base = { seq: 1, serial: 'S1', packageName: 'com.demo.shop', hostTime: 1, deviceTime: 1, raw: [] };
  it('word older sessions\' lines (the same fields) by their source: the run\'s taps and marks are the workbench\'s', () => {
    // Lines as earlier builds wrote them into timeline.jsonl (stage runner, phone capture, the tester's marks).
    const old = [
      { type: 'tester.mark', mark: 'consent.declined', label: 'tapped "不同意"', source: 'workbench' },
      { type: 'tester.mark', mark: 'permission.denied-by-tester', label: 'tapped "不允许"', source: 'workbench' },
      { type: 'tester.input', action: { kind: 'tap', x: 330, y: 1065 }, source: 'workbench' },
      { type: 'tester.mark', mark: 'consent.given', label: 'at the tap #7', source: 'tester' },
      { type: 'tester.input', action: { kind: 'key', key: 'BACK' }, source: 'tester' },
    ].map((b) => describeEvent({ ...base, ...b } as TimelineEvent));
    expect(old).toEqual([
      { zh: '工作台自动操作：拒绝隐私政策（点击“不同意”）', en: 'Workbench automation: consent declined (tapped “不同意”)' },
      { zh: '工作台自动操作：拒绝权限（点击“不允许”）', en: 'Workbench automation: permission denied (tapped “不允许”)' },
      { zh: '工作台自动操作：点击 330,1065', en: 'Workbench automation: tap 330,1065' },
      { zh: '检测人员标记：同意隐私政策（对应点击 #7）', en: 'Tester mark: consent given (at the tap #7)' },
      { zh: '检测人员操作：按键 BACK', en: 'Tester input: key BACK' },
    ]);
  });

  it('name a failed step in both languages; a step or mark this build does not know is shown as written', () => {
    const failed = { ...base, source: 'workbench', type: 'workbench.step-failed', step: 'consent.agree', reason: 'dialog-still-shown', message: { zh: '弹窗未被应答', en: 'the dialog was not answered' } } as TimelineEvent;
    expect(describeEvent(failed)).toEqual({ zh: '工作台自动操作未完成（同意隐私政策）：弹窗未被应答', en: 'Workbench automation failed (agreeing to the privacy policy): the dialog was not answered' });
    expect(describeEvent({ ...failed, step: '__proto__' } as unknown as TimelineEvent).zh).toBe('工作台自动操作未完成（__proto__）：弹窗未被应答');
    expect(describeEvent({ ...base, source: 'workbench', type: 'tester.mark', mark: 'toString', label: null } as unknown as TimelineEvent).zh).toBe('工作台自动操作：toString');
    // A line a hand-made session folder carries without its words: still read, by its reason.
    expect(describeEvent({ ...base, source: 'workbench', type: 'workbench.step-failed', step: 'policy.capture', reason: 'link-dead' } as unknown as TimelineEvent))
      .toEqual({ zh: '工作台自动操作未完成（从手机采集隐私政策）：link-dead', en: 'Workbench automation failed (capturing the policy from the phone): link-dead' });
  });
});
