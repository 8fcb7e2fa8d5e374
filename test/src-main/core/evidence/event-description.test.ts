// report.html's line per event for #24's kinds, in Chinese and English, and the CLI's English (summarize): every
// new kind, every variant, reads as its own sentence in each language.
import { describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../../../src-preload/monitor-events.js';
import { describeEvent } from '../../../../src-main/core/evidence/event-description.js';
import { summarize } from '../../../../src-main/core/monitor/summary.js';

const base = { seq: 1, serial: 'S', packageName: 'com.demo.shop', hostTime: 0, deviceTime: 0, source: 'logcat' as const, raw: [] };
const EVENTS = [
  { type: 'process.killed', pid: 6878, process: 'com.codex.streetstrength', uid: 10421, adj: 900, reason: 'remove task', killer: 'ActivityManager' },
  ...(['java', 'native', 'anr'] as const).map((crash) => ({ type: 'app.crash', crash, pid: 5118, process: 'com.lotusflare.globe.de', detail: 'java.lang.IllegalStateException' })),
  { type: 'package.updated', installer: null },
  ...(['android', 'miui', 'coloros'] as const).map((blocker) => ({ type: 'start.blocked', blocker, target: 'com.tencent.wework', component: null, callerPackage: null, uid: 10222, reason: 'RestartService' })),
  { type: 'app.displayed', component: 'com.netease.yanxuan/.MainPageActivity', ms: 886 },
  ...(['allowed', 'denied', 'limited', 'unknown'] as const).flatMap((outcome) => (['clipboard', 'wifi-info', 'cell-info', 'running-apps', 'foreground-app', 'oaid'] as const).map((data) => ({ type: 'sensitive.access', data, outcome, via: 'op 29', uid: 10312 }))),
  ...(['chatty-expire', 'chatty-identical', 'restart', 'clock-back'] as const).map((reason) => ({ type: 'log.gap', reason, lines: 4, from: 1_000, to: 2_000, uid: 1000, process: 'ActivityManager' })),
  { type: 'intent.start', callerUid: 10398, callerPackage: 'com.oplus.aiwriter', target: 'com.oplus.aiwriter', kind: 'service', launcher: false, allowed: false, uidState: 'IMPF' },
].map((b) => ({ ...base, ...b }) as unknown as MonitorEvent);

describe('descriptions of the new kinds', () => {
  it('every kind and variant in Chinese and English, each its own sentence', () => {
    const zh = new Set<string>();
    const en = new Set<string>();
    for (const e of EVENTS) {
      const d = describeEvent(e);
      expect(d.zh, e.type).toMatch(/[\u4e00-\u9fff]/);
      expect(d.en, e.type).not.toMatch(/[\u4e00-\u9fff]|undefined/);
      expect(summarize(e), e.type).not.toMatch(/undefined/);
      zh.add(d.zh);
      en.add(d.en);
    }
    expect(zh.size).toBe(EVENTS.length);
    expect(en.size).toBe(EVENTS.length);
    expect(describeEvent(EVENTS.at(-1)!).en).toBe('com.oplus.aiwriter was refused starting service com.oplus.aiwriter (caller state IMPF)');
  });
});
