// Who did it, as the Session and guided pages word it (issue #26), from the shipped catalogues: the workbench's
// automated taps and marks are "工作台自动操作" / "Workbench automation", never the tester's; a failed step reads
// in the user's language from the words the event carries; marks and inputs written before this (same fields)
// read the same way.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import { actText } from '../../../src-renderer/src/logs/event-text.js';
import en from '../../../src-renderer/src/locales/en.json';
import zh from '../../../src-renderer/src/locales/zh-CN.json';

async function translator(lng: string) {
  const i = i18next.createInstance();
  await i.init({ resources: { 'zh-CN': { translation: zh }, en: { translation: en } }, lng, fallbackLng: false, interpolation: { escapeValue: false } });
  return i.t.bind(i) as never;
}

const base = { seq: 1, serial: 'S', packageName: 'com.demo.shop', hostTime: 0, deviceTime: 0, raw: [] };
type Acted = Extract<TimelineEvent, { type: 'tester.mark' | 'tester.input' | 'workbench.step-failed' }>;
const ev = (b: object): Acted => ({ ...base, ...b }) as unknown as Acted;

describe('marks, inputs and failed steps by who did them', () => {
  it('the workbench\'s automation is never called the tester, in Chinese and in English', async () => {
    const [tZh, tEn] = await Promise.all([translator('zh-CN'), translator('en')]);
    // As the run and the phone capture write them (these shapes are also what older sessions hold).
    const tap = ev({ type: 'tester.input', source: 'workbench', action: { kind: 'tap', x: 330, y: 1065 } });
    const swipe = ev({ type: 'tester.input', source: 'workbench', action: { kind: 'swipe', x1: 540, y1: 1900, x2: 540, y2: 500, durationMs: 300 } });
    const reached = ev({ type: 'tester.mark', source: 'workbench', mark: 'policy.reached', label: 'tapped "《隐私政策》"' });
    const denied = ev({ type: 'tester.mark', source: 'workbench', mark: 'permission.denied-by-tester', label: 'tapped "不允许"' });
    const stage = ev({ type: 'tester.mark', source: 'workbench', mark: 'stage.started', label: 'decline' });
    expect(actText(tap, tZh)).toBe('工作台自动操作：点击 330,1065');
    expect(actText(tap, tEn)).toBe('Workbench automation: tap 330,1065');
    expect(actText(swipe, tZh)).toBe('工作台自动操作：滑动 540,1900 → 540,500');
    expect(actText(reached, tZh)).toBe('工作台自动操作：已打开隐私政策 点击“《隐私政策》”');
    expect(actText(reached, tEn)).toBe('Workbench automation: Policy reached tapped “《隐私政策》”');
    expect(actText(denied, tZh)).toBe('工作台自动操作：拒绝权限 点击“不允许”');
    expect(actText(denied, tEn)).toBe('Workbench automation: Permission denied tapped “不允许”');
    expect(actText(stage, tZh)).toBe('工作台自动操作：开始检测阶段 decline');
    for (const e of [tap, swipe, reached, denied, stage]) expect(actText(e, tZh)).not.toContain('检测人员');
  });

  it('the tester\'s own taps, keys and marks are the tester\'s', async () => {
    const [tZh, tEn] = await Promise.all([translator('zh-CN'), translator('en')]);
    const tap = ev({ type: 'tester.input', source: 'tester', action: { kind: 'tap', x: 540, y: 1250 } });
    const key = ev({ type: 'tester.input', source: 'tester', action: { kind: 'key', key: 'BACK' } });
    const consent = ev({ type: 'tester.mark', source: 'tester', mark: 'consent.given', label: 'at the tap #12' });
    const denied = ev({ type: 'tester.mark', source: 'tester', mark: 'permission.denied-by-tester', label: null });
    expect(actText(tap, tZh)).toBe('检测人员操作：点击 540,1250');
    expect(actText(key, tZh)).toBe('检测人员操作：按键 BACK');
    expect(actText(key, tEn)).toBe('Tester input: key BACK');
    expect(actText(consent, tZh)).toBe('检测人员标记：已同意隐私政策 对应点击 #12');
    expect(actText(consent, tEn)).toBe('Tester mark: Consent given at the tap #12');
    expect(actText(denied, tZh).trim()).toBe('检测人员标记：检测人员拒绝权限');
  });

  it('a failed step reads in the user\'s language, from the words the event carries', async () => {
    const [tZh, tEn] = await Promise.all([translator('zh-CN'), translator('en')]);
    const failed = ev({ type: 'workbench.step-failed', source: 'workbench', step: 'policy.capture', reason: 'link-dead', message: { zh: '点击“《隐私政策》”后手机屏幕没有任何变化', en: 'tapping "《隐私政策》" changed nothing on the screen' } });
    expect(actText(failed, tZh)).toBe('工作台自动操作未完成（从手机采集隐私政策）：点击“《隐私政策》”后手机屏幕没有任何变化');
    expect(actText(failed, tEn)).toBe('Workbench automation failed (capturing the policy from the phone): tapping "《隐私政策》" changed nothing on the screen');
    // A step this build does not know (a newer session): named as written, still read.
    expect(actText(ev({ ...failed, step: 'explore.walk' }), tZh)).toMatch(/^工作台自动操作未完成（explore\.walk）：/);
    expect(actText(ev({ type: 'workbench.step-failed', source: 'workbench', step: 'policy.capture', reason: 'link-dead' }), tZh)).toBe('工作台自动操作未完成（从手机采集隐私政策）：link-dead');
  });
});
