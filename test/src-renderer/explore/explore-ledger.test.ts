// The Explore stage's reading of a session's timeline: walks opened by explore.started and closed by their result
// (or by the explore.failed problem), taps and screens counted and the latest steps kept across pages, only the
// explorer's own captures kept; a hostile or cut timeline never throws. Then a finding's evidence as the screens of
// its path, each named by the tap that opened it.
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src-preload/api.js';
import { DEFAULT_EXPLORE_LIMITS, type ExploreStep, type ExploreSummary, type PathStep, type TargetResult } from '../../../src-preload/explore.js';
import { evidenceScreens, ExploreLedger, RECENT_STEPS, type ExploreCapture } from '../../../src-renderer/src/explore/explore-ledger.js';

let seq = 0;
const entry = (body: Record<string, unknown>, time = 1000 + seq * 10): TimelineEntry =>
  ({ seq: ++seq, event: { seq, serial: 'S', packageName: 'com.demo.explore', hostTime: time, deviceTime: null, source: 'workbench', raw: [], ...body } }) as unknown as TimelineEntry;
const started = (): TimelineEntry => entry({ type: 'explore.started', limits: DEFAULT_EXPLORE_LIMITS });
const step = (s: ExploreStep): TimelineEntry => entry({ type: 'explore.step', step: s });
const tap = (n: number, label = `label ${n}`): TimelineEntry => step({ kind: 'tap', tap: n, label, bounds: [0, 0, 10, 10], screen: 'a', replay: false });
const screen = (id: string, depth: number): TimelineEntry => step({ kind: 'screen', id, depth, evidence: null });
const capture = (kind: 'screenshot' | 'ui.dump', name = 'explorer: screen 1 taps from the main screen (x)'): TimelineEntry =>
  entry({ type: 'capture', kind, blob: { sha256: 'ab', size: 10, path: `blobs/ab${seq}.png`, mediaType: 'image/png' }, name });

function summary(extra: Partial<ExploreSummary> = {}): ExploreSummary {
  return {
    app: 'com.demo.explore', stopped: 'explored', note: '', limits: DEFAULT_EXPLORE_LIMITS, taps: 7, backs: 2, relaunches: 0, elapsedMs: 12_300,
    screens: 3, screensExplored: 3, targets: [], denied: 2, leftApp: [], popups: [], switch: null, ads: [], ...extra,
  };
}

describe('ExploreLedger', () => {
  it('follows a walk page by page: taps, screens, the latest steps, then its result; a second walk opens a new view', () => {
    const ledger = new ExploreLedger();
    ledger.addPage([started(), entry({ type: 'app.action', action: 'launch', target: 'x' }), screen('root', 0), tap(1), tap(2)]);
    let walks = ledger.view().walks;
    expect(walks).toHaveLength(1);
    expect(walks[0]).toMatchObject({ taps: 2, screens: 1, result: null, failed: null, limits: DEFAULT_EXPLORE_LIMITS });
    const page: TimelineEntry[] = [];
    for (let i = 3; i <= 20; i++) page.push(tap(i));
    page.push(screen('b', 1), step({ kind: 'back', reason: 'return' }));
    ledger.addPage(page);
    walks = ledger.view().walks;
    expect(walks[0]).toMatchObject({ taps: 20, screens: 2 });
    expect(walks[0]!.recent).toHaveLength(RECENT_STEPS);
    expect(walks[0]!.recent.at(-1)!.step.kind).toBe('back');
    const result = entry({ type: 'explore.result', summary: summary({ stopped: 'stopped', taps: 20, screens: 2 }) });
    ledger.addPage([result]);
    expect(ledger.view().walks[0]!.result).toMatchObject({ seq: result.seq, summary: { stopped: 'stopped' } });

    ledger.addPage([started(), tap(1)]);
    walks = ledger.view().walks;
    expect(walks).toHaveLength(2);
    expect(walks[1]).toMatchObject({ taps: 1, screens: 0, result: null });
    expect(walks[0]!.result?.summary.stopped).toBe('stopped');
  });

  it('a walk that failed is closed by the explore.failed problem; other problems are not its', () => {
    const ledger = new ExploreLedger();
    ledger.addPage([started(), tap(1), entry({ type: 'session.problem', code: 'monitor.gap', message: 'x' }), entry({ type: 'session.problem', code: 'explore.failed', message: 'the explorer failed: adb gone' })]);
    expect(ledger.view().walks[0]!.failed?.message).toBe('the explorer failed: adb gone');
    // Steps after it (a walk whose start was not read) open a walk of their own.
    ledger.addPage([tap(1)]);
    expect(ledger.view().walks).toHaveLength(2);
  });

  it('keeps only the explorer\'s screenshots and UI dumps, by seq', () => {
    const ledger = new ExploreLedger();
    const shot = capture('screenshot');
    const dump = capture('ui.dump');
    const tester = capture('screenshot', 'the tester\'s screenshot');
    const other = entry({ type: 'capture', kind: 'policy', blob: { sha256: 'x', size: 1, path: 'blobs/x.txt', mediaType: 'text/plain' }, name: 'explorer: x' });
    ledger.addPage([shot, dump, tester, other]);
    const { captures } = ledger.view();
    expect([...captures.keys()]).toEqual([shot.seq, dump.seq]);
    expect(captures.get(shot.seq)?.kind).toBe('screenshot');
  });

  it('never throws on a hostile or cut timeline, and skips what it already read', () => {
    const ledger = new ExploreLedger();
    const hostile = [
      null, 'x', { seq: 'a', event: {} }, { seq: 5 }, { seq: 6, event: null },
      entry({ type: 'explore.step' }), entry({ type: 'explore.step', step: 'tap' }), entry({ type: 'explore.step', step: { kind: 7 } }),
      entry({ type: 'explore.step', step: { kind: 'tap', tap: 'many' } }), entry({ type: 'explore.result', summary: { targets: 'none' } }),
      entry({ type: 'explore.result' }), entry({ type: 'capture', kind: 'screenshot', name: 'explorer: x', blob: null }),
      entry({ type: 'explore.started', limits: 'wide' }), entry({ type: 'session.problem', code: 'explore.failed', message: { a: 1 } }),
    ] as unknown as TimelineEntry[];
    expect(() => ledger.addPage(hostile)).not.toThrow();
    const walks = ledger.view().walks;
    expect(walks.length).toBeGreaterThan(0);
    expect(walks.every((w) => Number.isFinite(w.taps))).toBe(true);
    const before = ledger.view();
    const last = ledger.lastSeq;
    ledger.addPage([{ seq: last, event: { type: 'explore.started', hostTime: 1 } } as unknown as TimelineEntry]);
    expect(ledger.view()).toBe(before);
  });
});

describe('evidenceScreens', () => {
  const captures = new Map<number, ExploreCapture>();
  const blob = { sha256: 'x', size: 1, path: 'blobs/x.png', mediaType: 'image/png' };
  const put = (s: number, kind: 'screenshot' | 'ui.dump'): number => (captures.set(s, { kind, blob }), s);
  const step = (tap: number, label: string, screen: string): PathStep => ({ tap, label, bounds: [0, 0, 1, 1], screen });
  const path = [step(1, '我的', 'root'), step(2, '设置', 'mine'), step(3, '关于我们', 'settings'), step(4, '法律条款', 'about'), step(5, '《隐私政策》', 'legal')];
  const policy = (evidence: number[], landing = true): Extract<TargetResult, { found: true }> => ({
    target: 'privacy-policy', item: '164-1.7', found: true, label: '《隐私政策》', screen: 'legal', taps: 5, path, evidence,
    landing: landing ? { screen: 'policy', words: [], actions: [] } : null,
  });

  it('names each screen of the path by the tap that opened it, the main screen first', () => {
    const evidence = [put(10, 'screenshot'), put(11, 'ui.dump'), put(20, 'screenshot'), put(21, 'ui.dump'), put(30, 'screenshot'), put(31, 'ui.dump'),
      put(40, 'screenshot'), put(41, 'ui.dump'), put(50, 'screenshot'), put(51, 'ui.dump'), put(60, 'screenshot'), put(61, 'ui.dump')];
    const screens = evidenceScreens(policy(evidence), captures);
    expect(screens.map((s) => [s.taps, s.afterTap, s.screenshot, s.uiDump])).toEqual([
      [0, null, 10, 11], [1, '我的', 20, 21], [2, '设置', 30, 31], [3, '关于我们', 40, 41], [4, '法律条款', 50, 51], [5, '《隐私政策》', 60, 61],
    ]);
  });

  it('a screen without its screenshot keeps its place by its UI dump', () => {
    const evidence = [put(110, 'screenshot'), put(111, 'ui.dump'), put(121, 'ui.dump'), put(130, 'screenshot'), put(131, 'ui.dump'), put(140, 'screenshot'), put(141, 'ui.dump'), put(150, 'screenshot'), put(151, 'ui.dump')];
    const screens = evidenceScreens(policy(evidence, false), captures);
    expect(screens.map((s) => [s.taps, s.screenshot, s.uiDump])).toEqual([[0, 110, 111], [1, null, 121], [2, 130, 131], [3, 140, 141], [4, 150, 151]]);
  });

  it('evidence that does not read as the path\'s screens is given seq by seq, unnamed', () => {
    const evidence = [put(210, 'screenshot'), put(211, 'ui.dump'), 999, put(220, 'screenshot')];
    const screens = evidenceScreens(policy(evidence), captures);
    expect(screens.every((s) => s.taps === -1)).toBe(true);
    expect(screens.map((s) => s.screenshot ?? s.uiDump)).toEqual([210, 211, 220]);
  });
});
