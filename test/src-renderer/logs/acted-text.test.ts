// Who did it, as the Session and guided pages word it (issue #26), through the line the renderer shows
// (eventSummary: the shared description report.html uses too): the workbench's automated taps and marks are
// "工作台自动操作" / "Workbench automation", never the tester's; a failed step reads in the user's language from the
// words the event carries; marks and inputs written before this (same fields) read the same way.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import { eventSummary } from '../../../src-renderer/src/logs/event-text.js';

const base = { seq: 1, serial: 'S', packageName: 'com.demo.shop', hostTime: 0, deviceTime: 0, raw: [] };
const ev = (b: object): TimelineEvent => ({ ...base, ...b }) as unknown as TimelineEvent;
const zh = (e: TimelineEvent, titles?: (id: string) => string | undefined): string => eventSummary(e, 'zh-CN', titles);
const en = (e: TimelineEvent): string => eventSummary(e, 'en');

describe('marks, inputs and failed steps by who did them', () => {
  it('the workbench\'s automation is never called the tester, in Chinese and in English', () => {
    // As the run and the phone capture write them (these shapes are also what older sessions hold).
    const tap = ev({ type: 'tester.input', source: 'workbench', action: { kind: 'tap', x: 330, y: 1065 } });
    const swipe = ev({ type: 'tester.input', source: 'workbench', action: { kind: 'swipe', x1: 540, y1: 1900, x2: 540, y2: 500, durationMs: 300 } });
    const reached = ev({ type: 'tester.mark', source: 'workbench', mark: 'policy.reached', label: 'tapped "《隐私政策》"' });
    const denied = ev({ type: 'tester.mark', source: 'workbench', mark: 'permission.denied-by-tester', label: 'tapped "不允许"' });
    const guest = ev({ type: 'tester.mark', source: 'workbench', mark: 'consent.declined', label: 'tapped "仅浏览" (guest mode)' });
    const stage = ev({ type: 'tester.mark', source: 'workbench', mark: 'stage.started', label: 'decline' });
    expect(zh(tap)).toBe('工作台自动操作：点击 330,1065');
    expect(en(tap)).toBe('Workbench automation: tap 330,1065');
    expect(zh(swipe)).toBe('工作台自动操作：滑动 540,1900 → 540,500');
    expect(zh(reached)).toBe('工作台自动操作：打开隐私政策（点击“《隐私政策》”）');
    expect(en(reached)).toBe('Workbench automation: policy reached (tapped “《隐私政策》”)');
    expect(zh(denied)).toBe('工作台自动操作：拒绝权限（点击“不允许”）');
    expect(en(denied)).toBe('Workbench automation: permission denied (tapped “不允许”)');
    expect(zh(guest)).toBe('工作台自动操作：拒绝隐私政策（点击“仅浏览”（游客模式））');
    expect(zh(stage)).toBe('工作台自动操作：开始检测阶段（decline）');
    // In the guided workspace the stage is named by its title.
    expect(zh(stage, (id) => (id === 'decline' ? '拒绝路径' : undefined))).toBe('工作台自动操作：开始检测阶段（拒绝路径）');
    for (const e of [tap, swipe, reached, denied, guest, stage]) expect(zh(e)).not.toContain('检测人员');
  });

  it('the tester\'s own taps, keys and marks are the tester\'s', () => {
    const tap = ev({ type: 'tester.input', source: 'tester', action: { kind: 'tap', x: 540, y: 1250 } });
    const key = ev({ type: 'tester.input', source: 'tester', action: { kind: 'key', key: 'BACK' } });
    const consent = ev({ type: 'tester.mark', source: 'tester', mark: 'consent.given', label: 'at the tap #12' });
    const denied = ev({ type: 'tester.mark', source: 'tester', mark: 'permission.denied-by-tester', label: null });
    expect(zh(tap)).toBe('检测人员操作：点击 540,1250');
    expect(zh(key)).toBe('检测人员操作：按键 BACK');
    expect(en(key)).toBe('Tester input: key BACK');
    expect(zh(consent)).toBe('检测人员标记：同意隐私政策（对应点击 #12）');
    expect(en(consent)).toBe('Tester mark: consent given (at the tap #12)');
    expect(zh(denied)).toBe('检测人员标记：检测人员拒绝权限');
  });

  it('a failed step reads in the user\'s language, from the words the event carries', () => {
    const failed = ev({ type: 'workbench.step-failed', source: 'workbench', step: 'policy.capture', reason: 'link-dead', message: { zh: '点击“《隐私政策》”后手机屏幕没有任何变化', en: 'tapping "《隐私政策》" changed nothing on the screen' } });
    expect(zh(failed)).toBe('工作台自动操作未完成（从手机采集隐私政策）：点击“《隐私政策》”后手机屏幕没有任何变化');
    expect(en(failed)).toBe('Workbench automation failed (capturing the policy from the phone): tapping "《隐私政策》" changed nothing on the screen');
    // A step this build does not know (a newer session): named as written, still read.
    expect(zh(ev({ ...failed, step: 'explore.walk' }))).toMatch(/^工作台自动操作未完成（explore\.walk）：/);
    expect(zh(ev({ type: 'workbench.step-failed', source: 'workbench', step: 'policy.capture', reason: 'link-dead' }))).toBe('工作台自动操作未完成（从手机采集隐私政策）：link-dead');
  });
});
