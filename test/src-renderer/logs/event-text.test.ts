// The Logs and Session pages' words for #24's event kinds, in both languages: each new kind reads as a sentence
// in Chinese and in English (no key left untranslated, no placeholder left empty), from the shipped catalogues.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../../src-preload/monitor-events.js';
import { eventSubject, eventSummary, isNotable } from '../../../src-renderer/src/logs/event-text.js';
import en from '../../../src-renderer/src/locales/en.json';
import zh from '../../../src-renderer/src/locales/zh-CN.json';

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

async function translator(lng: string) {
  const i = i18next.createInstance();
  await i.init({ resources: { 'zh-CN': { translation: zh }, en: { translation: en } }, lng, fallbackLng: false, interpolation: { escapeValue: false } });
  return i.t.bind(i);
}

describe('event texts of the new kinds', () => {
  it('read as sentences in Chinese and in English', async () => {
    const [tEn, tZh] = await Promise.all([translator('en'), translator('zh-CN')]);
    for (const e of EVENTS) {
      const inEn = eventSummary(e, tEn as never);
      const inZh = eventSummary(e, tZh as never);
      for (const text of [inEn, inZh]) {
        expect(text, e.type).not.toMatch(/logs\.ev\.|\{\{|undefined/);
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
