// The Logs and Session pages' words for #24's event kinds, in both languages: each new kind reads as a sentence
// in Chinese and in English (the shared description, src-preload/event-description.ts), no placeholder left empty.
import { describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../../src-preload/monitor-events.js';
import { eventSubject, eventSummary, isNotable } from '../../../src-renderer/src/logs/event-text.js';

const base = { seq: 1, serial: 'S', packageName: 'com.demo.shop', hostTime: 0, deviceTime: 0, source: 'logcat' as const, raw: [] };
const EVENTS = [
  { type: 'process.killed', pid: 6878, process: 'com.codex.streetstrength', uid: 10421, adj: 900, reason: 'remove task', killer: 'ActivityManager' },
  ...(['java', 'native', 'anr'] as const).map((crash) => ({ type: 'app.crash', crash, pid: 5118, process: 'com.lotusflare.globe.de', detail: 'java.lang.IllegalStateException' })),
  { type: 'package.updated', installer: null },
  ...(['android', 'miui', 'coloros'] as const).map((blocker) => ({ type: 'start.blocked', blocker, target: 'com.tencent.wework', component: 'com.tencent.wework/.launch.ForeService', callerPackage: 'com.tencent.mobileqq', uid: 10222, reason: 'background start not allowed' })),
  { type: 'app.displayed', component: 'com.netease.yanxuan/.MainPageActivity', ms: 886 },
  ...(['allowed', 'denied', 'limited', 'unknown'] as const).flatMap((outcome) => (['clipboard', 'wifi-info', 'cell-info', 'running-apps', 'foreground-app', 'oaid'] as const).map((data) => ({ type: 'sensitive.access', data, outcome, via: 'op 29', uid: 10312 }))),
  ...(['chatty-expire', 'chatty-identical', 'restart', 'clock-back'] as const).map((reason) => ({ type: 'log.gap', reason, lines: 4, from: 1_000, to: 2_000, uid: 1000, process: 'ActivityManager' })),
].map((b) => ({ ...base, ...b }) as unknown as MonitorEvent);

describe('event texts of the new kinds', () => {
  it('read as sentences in Chinese and in English', () => {
    for (const e of EVENTS) {
      const inEn = eventSummary(e, 'en');
      const inZh = eventSummary(e, 'zh-CN');
      for (const text of [inEn, inZh]) {
        expect(text, e.type).not.toMatch(/\{\{|undefined|\[object/);
        expect(text.length).toBeGreaterThan(8);
      }
      expect(inZh, `${e.type} is translated`).not.toBe(inEn);
      expect(inZh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(eventSubject(EVENTS[0]!)).toBe('com.codex.streetstrength');
  });

  it('pop up for crashes, refused starts and reads, not for every gap in the log', () => {
    expect(EVENTS.filter(isNotable).map((e) => e.type)).not.toContain('log.gap');
    expect(EVENTS.filter(isNotable).map((e) => e.type)).toEqual(expect.arrayContaining(['app.crash', 'start.blocked', 'sensitive.access']));
  });
});
