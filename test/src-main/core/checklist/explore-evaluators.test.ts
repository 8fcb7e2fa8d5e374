/**
 * The explorer's evaluators (issue #29) on hand-written walk results: the policy's tap count against the limit of
 * 191 1.3, a target not found after a complete walk and after a cut-short one, the deletion page that only gives
 * a phone number, the personalisation switch's states and the ad watches — and the shipped template's items judged
 * through `propose`, so the template's parameters are the ones used.
 */
import { describe, expect, it } from 'vitest';
import type { ExploreSummary, PathStep, TargetResult } from '../../../../src-preload/explore.js';
import { EXPLORE_TARGETS } from '../../../../src-preload/explore.js';
import { propose } from '../../../../src-main/core/checklist/evaluate.js';
import { loadTemplateFile } from '../../../../src-main/core/checklist/load-template.js';
import { TimelineBuilder } from '../../../support/timeline-builder.js';
import { resourcesDir } from '../../../../src-main/core/resources-dir.js';
import { join } from 'node:path';

const template = loadTemplateFile(join(resourcesDir(), 'templates', 'miit-164.yaml')).template;
const ITEMS = ['164-1.7', '164-4.1', '164-7.2', '191-6.1', '191-6.2', '191-6.3', '191-6.4'];

const step = (tap: number, label: string, screen: string): PathStep => ({ tap, label, bounds: [0, 0, 10, 10], screen });
const path = (...labels: string[]): PathStep[] => labels.map((l, i) => step(i + 1, l, `app#s${i}`));

function found(target: TargetResult['target'], labels: string[], evidence: number[] = [], landing: { words: string[]; actions: string[] } | null = null): TargetResult {
  const item = { 'privacy-policy': '164-1.7', 'account-deletion': '191-6.1', 'pi-rights': '191-6.2', complaints: '191-6.3', 'consent-withdrawal': '191-6.4', personalisation: '164-4.1' }[target];
  return { target, item, found: true, label: labels[labels.length - 1]!, screen: `app#s${labels.length - 1}`, taps: labels.length, path: path(...labels), evidence, landing: landing && { screen: 'app#landing', ...landing } };
}

function summary(targets: TargetResult[], over: Partial<ExploreSummary> = {}): ExploreSummary {
  const all = EXPLORE_TARGETS.map((t) => targets.find((x) => x.target === t) ?? { target: t, item: '?', found: false as const });
  return {
    app: 'com.demo.app', stopped: 'explored', note: '', limits: { maxTaps: 300, maxDepth: 6, maxMs: 600_000, maxScreens: 80 }, taps: 30, backs: 20, relaunches: 0,
    elapsedMs: 40_000, screens: 9, screensExplored: 9, targets: all, denied: 3, leftApp: [], popups: [], switch: null, ads: [], ...over,
  };
}

function judge(s: ExploreSummary | null): Map<string, { status: string; zh: string; en: string; evidence: number[] }> {
  const b = new TimelineBuilder();
  b.stage(0, 'explore');
  if (s) {
    b.at(100, { type: 'capture', kind: 'screenshot', blob: { sha256: 'a', size: 1, path: 'blobs/a.png', mediaType: 'image/png' }, name: null });
    b.at(200, { type: 'explore.result', summary: s }, { source: 'workbench' });
  }
  const out = new Map<string, { status: string; zh: string; en: string; evidence: number[] }>();
  for (const p of propose(template, b.facts())) if (ITEMS.includes(p.item)) out.set(p.item, { status: p.status, zh: p.explanation.zh, en: p.explanation.en, evidence: p.evidence });
  return out;
}

describe('explore evaluators through the shipped template', () => {
  it('moves the explorer\'s seven items to ASSISTED, and 80 % or more of the template is AUTO or ASSISTED', () => {
    for (const id of ITEMS) expect(template.items.find((i) => i.id === id)?.observation, id).toBe('ASSISTED');
    const automated = template.items.filter((i) => i.observation !== 'MANUAL').length;
    expect(automated / template.items.length).toBeGreaterThanOrEqual(0.8);
    expect(template.stages.map((s) => s.id)).toContain('explore');
  });

  it('without a walk every explore item is left to the tester, saying how to run the explorer', () => {
    for (const [item, p] of judge(null)) {
      expect(p.status, item).toBe('needs-tester');
      expect(p.en).toContain('Explore stage');
    }
  });

  it('164-1.7: 4 taps is a pass with the path, 5 taps a violation; the evidence is the result and the path\'s captures', () => {
    const four = judge(summary([found('privacy-policy', ['我的', '设置', '关于', '《隐私政策》'], [1])])).get('164-1.7')!;
    expect(four.status).toBe('none-observed');
    expect(four.zh).toContain('我的 › 设置 › 关于 › 《隐私政策》');
    const five = judge(summary([found('privacy-policy', ['我的', '设置', '关于我们', '法律条款', '《隐私政策》'], [1])])).get('164-1.7')!;
    expect(five.status).toBe('violation');
    expect(five.en).toBe('The privacy policy is 5 taps from the main screen (more than 4): 我的 › 设置 › 关于我们 › 法律条款 › 《隐私政策》');
    expect(five.evidence).toEqual([1, 3]);
  });

  it('a target not found: a violation to confirm after a complete walk, the tester\'s to look for after a cut-short one', () => {
    expect(judge(summary([])).get('191-6.4')!.status).toBe('violation');
    const cut = judge(summary([], { stopped: 'maxTaps' })).get('191-6.4')!;
    expect(cut.status).toBe('needs-tester');
    expect(cut.en).toContain('the tap limit was reached');
    expect(judge(summary([], { stopped: 'stopped' })).get('164-1.7')!.status).toBe('needs-tester');
  });

  it('191-6.1: a deletion page with only a phone number is a violation; with a deletion button it is found; too deep is a violation', () => {
    const phoneOnly = judge(summary([found('account-deletion', ['我的', '设置', '账号与安全', '注销账号'], [], { words: ['注销账号', '请致电客服 400-000-0000 注销'], actions: [] })])).get('191-6.1')!;
    expect(phoneOnly.status).toBe('violation');
    expect(phoneOnly.en).toContain('400-000-0000');
    const button = judge(summary([found('account-deletion', ['我的', '设置', '注销账号'], [], { words: ['注销账号', '客服电话 400-000-0000'], actions: ['申请注销'] })])).get('191-6.1')!;
    expect(button.status).toBe('none-observed');
    expect(judge(summary([found('account-deletion', ['a', 'b', 'c', 'd', 'e', '注销账号'])])).get('191-6.1')!.status).toBe('violation');
  });

  it('164-4.1: the switch turning itself back on or not turning off is a violation; staying off or already off passes; words without a switch go to the tester', () => {
    const sw = (state: NonNullable<ExploreSummary['switch']>['state'], backOn: 'watch' | 'reopened' = 'watch') => judge(summary([found('personalisation', ['我的', '隐私设置', '个性化推荐'])], { switch: { label: '个性化推荐', screen: 'app#s2', state, backOn: state === 'back-on' ? backOn : null, watchedMs: 15_000, evidence: [1] } })).get('164-4.1')!;
    expect(sw('back-on').status).toBe('violation');
    expect(sw('back-on').zh).toContain('自动重新打开');
    expect(sw('back-on', 'reopened').status).toBe('violation');
    expect(sw('back-on', 'reopened').en).toContain('the setting is not kept');
    expect(sw('not-off').status).toBe('violation');
    expect(sw('stays-off').status).toBe('none-observed');
    expect(sw('was-off').status).toBe('none-observed');
    expect(sw('no-switch').status).toBe('needs-tester');
    expect(judge(summary([])).get('164-4.1')!.status).toBe('needs-tester');
  });

  it('164-7.2: a close after more than 5 s, or none, is a violation; a close in time passes', () => {
    const ad = (closeAfterMs: number | null) => judge(summary([], { ads: [{ words: '限时优惠', screen: 'app#home', closeAfterMs, closeLabel: closeAfterMs === null ? null : '关闭', waitedMs: closeAfterMs ?? 15_000, evidence: [1] }] })).get('164-7.2')!;
    expect(ad(9_500).status).toBe('violation');
    expect(ad(9_500).en).toContain('9.5 s');
    expect(ad(null).status).toBe('violation');
    expect(ad(2_000).status).toBe('none-observed');
    expect(judge(summary([])).get('164-7.2')!.status).toBe('none-observed');
  });

  it('a hand-edited result (targets missing, wrong types) never throws: the items are judged or left to the tester', () => {
    const b = new TimelineBuilder();
    b.at(0, { type: 'explore.result', summary: { stopped: 'explored', targets: 'nope' } }, { source: 'workbench' });
    b.at(1, { type: 'explore.result', summary: null }, { source: 'workbench' });
    for (const p of propose(template, b.facts())) if (ITEMS.includes(p.item)) expect(p.status, p.item).toBe('needs-tester');
  });
});

describe('a complete walk, and what it met on the way', () => {
  it('calls a target it never found a violation when nothing kept part of the app from it (a screen that changed is no gap)', () => {
    const j = judge(summary([], { problems: [{ problem: 'changing-screen', screen: 'app#s0', label: '', count: 3 }, { problem: 'screen-off', screen: '', label: '', count: 1 }] }));
    expect(j.get('164-1.7')?.status).toBe('violation');
    expect(j.get('191-6.1')?.status).toBe('violation');
  });

  it('leaves it to the tester after an unreadable WebView, a pop-up it could not close, or the app dying, and says why', () => {
    for (const problem of ['unreadable-webview', 'stuck-popup', 'app-died'] as const) {
      const j = judge(summary([], { problems: [{ problem, screen: 'app#s1', label: '', count: 1 }] }));
      expect([problem, j.get('164-1.7')?.status, j.get('191-6.1')?.status]).toEqual([problem, 'needs-tester', 'needs-tester']);
      expect(j.get('164-1.7')?.en).toContain('a page could not be read');
      expect(j.get('164-1.7')?.zh).toContain('无法读取的网页');
    }
  });
});
