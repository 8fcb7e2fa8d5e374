/**
 * report.html names the gaps in the evidence: the log.gap events a replay of real lines gives (a chatty line of
 * test/fixtures/real-logcat/27 line 59, ActivityManager's own lines dropped; a restart), in Chinese and English,
 * also those past the events the report lists, and says so when there is none.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../../../src-preload/monitor-events.js';
import { Session } from '../../../../src-main/core/session/index.js';
import { MAX_REPORT_EVENTS } from '../../../../src-main/core/evidence/report-html.js';
import { replay } from '../../../../src-main/core/monitor/replay.js';
import { exportSession, makeSession, readEntries, TOOL } from '../../../support/evidence-fixtures.js';
import { corpusRun } from '../../../support/real-lines.js';

const gapsOf = (lines: string[]): MonitorEvent[] => replay(lines.join('\n'), { packageName: null, year: 2026, offsetMinutes: 0 }).events.filter((e) => e.type === 'log.gap');

describe('the report\'s gaps in the evidence', () => {
  it('lists every gap with its text in both languages, also past the listed events', async () => {
    const root = mkdtempSync(join(tmpdir(), 'report-gaps-'));
    const dir = join(root, 's');
    const s = Session.create(dir, {
      id: 's', app: { packageName: 'com.demo.shop', versionName: '1.0', versionCode: 1, apkSha256: 'a'.repeat(64) },
      device: { serial: 'S', model: 'Pixel 7', manufacturer: 'Google', fingerprint: null, androidVersion: '13', sdk: 33, clockOffsetMs: 0 },
      tester: '张三', caseRef: 'CASE-1', startedAt: Date.now(), tool: TOOL,
    });
    const [chatty] = gapsOf(corpusRun('27', 59, 59));
    const first = corpusRun('05', 1, 3);
    const [restart] = gapsOf([...first, ...first]);
    expect(chatty).toMatchObject({ reason: 'chatty-expire', lines: 4 });
    expect(restart).toMatchObject({ reason: 'restart' });
    s.appendObserved({ ...chatty!, serial: 'S' });
    for (let i = 0; i < MAX_REPORT_EVENTS + 10; i++) s.appendObserved({ seq: i, serial: 'S', packageName: 'com.demo.shop', hostTime: Date.now(), deviceTime: Date.now(), source: 'appops', raw: [], type: 'appop.access', op: 'WAKE_LOCK', uidState: 'top', flags: '', accessTime: null });
    s.appendObserved({ ...restart!, serial: 'S' });
    await s.setState('closed', null);
    await s.release();
    const out = await exportSession(dir, join(root, 'pkg.zip'), join(root, 'data'));
    const html = new Map(await readEntries(out.path)).get('report.html')!.toString('utf8');
    const marked = html.slice(html.indexOf('<h2 id="gaps">'), html.indexOf('<h2 id="timeline">'));
    // The words as read (the phone's identifiers are in <code>, each language in its own span).
    const section = marked.replace(/<(?!\/?td)[^>]+>/g, '');
    expect(marked).toContain('<code>ActivityManager</code>');
    expect(section).toContain('手机日志有 2 处缺口（被丢弃 4 行）');
    expect(section).toContain("The phone's log has 2 gaps (4 lines dropped)");
    expect(section).toContain('证据缺口：手机日志系统（chatty）在 ');
    expect(section).toContain('丢弃了 ActivityManager 的 4 行日志');
    expect(section).toContain('Gap in the evidence: the phone dropped 4 lines of ActivityManager (chatty) before ');
    expect(section).toContain('Gap in the evidence: logcat restarted or its buffer was cleared: lines between ');
    // The first is in the listed timeline (a link to it); the last is past the listed events, named all the same.
    expect(marked).toMatch(/<td><a href="#e1">1<\/a><\/td>/);
    expect(marked).toMatch(new RegExp(`<td>${MAX_REPORT_EVENTS + 12}</td>`));
  }, 120_000);

  it('says the log shows no gap when it has none', async () => {
    const root = mkdtempSync(join(tmpdir(), 'report-nogap-'));
    await makeSession(join(root, 's'));
    const out = await exportSession(join(root, 's'), join(root, 'pkg.zip'), join(root, 'data'));
    expect(new Map(await readEntries(out.path)).get('report.html')!.toString('utf8')).toMatch(/日志中未发现缺口。<br><span class="en" lang="en">The log shows no gap.<\/span>/);
  }, 60_000);
});
