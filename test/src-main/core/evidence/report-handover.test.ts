/**
 * report.html as a lab hands it over (issue #26): a report number derived from the session (the same on every
 * export), tester and reviewer with a sign-off block, the findings before the rest, phone times in the phone's
 * zone and host times in the host's (both named), every event line in Chinese and English each marked with its
 * lang and the phone's identifiers in <code>, and a 57,000-character note folded instead of printed whole.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../../../src-main/core/session/index.js';
import { reportNumber } from '../../../../src-main/core/evidence/report-number.js';
import { zonedTime } from '../../../../src-main/core/evidence/event-time.js';
import { exportSession, readEntries, TOOL } from '../../../support/evidence-fixtures.js';

const STARTED = Date.UTC(2026, 11, 6, 17, 30); // 01:30 on 7 December in Shanghai

async function session(dir: string, timezone: string | null): Promise<void> {
  const s = Session.create(dir, {
    id: 'case-7', app: { packageName: 'com.demo.shop', versionName: '1.0', versionCode: 1, apkSha256: 'a'.repeat(64) },
    device: { serial: 'S', model: 'Pixel 7', manufacturer: 'Google', fingerprint: null, androidVersion: '13', sdk: 33, clockOffsetMs: 0, timezone },
    tester: '张三', caseRef: 'CASE-7', startedAt: STARTED, tool: TOOL,
  });
  s.append({ type: 'session.started', reason: null });
  s.appendObserved({ seq: 1, serial: 'S', packageName: 'com.demo.shop', hostTime: STARTED + 1000, deviceTime: STARTED + 1000, source: 'logcat', raw: [], type: 'identifier.access', method: 'getImeiForSlot', uid: 10123 });
  s.appendObserved({ seq: 2, serial: 'S', packageName: 'com.demo.shop', hostTime: STARTED + 2000, deviceTime: STARTED + 2000, source: 'appops', raw: [], type: 'appop.reject', op: 'READ_PHONE_STATE', uidState: 'top', flags: 'self', accessTime: null });
  s.append({ type: 'tester.note', text: `第一行\n${'很长的备注。'.repeat(9500)}` });
  await s.setState('closed', null);
  await s.release();
}

async function report(root: string, name: string, timezone: string | null, signOff?: { tester?: string | null; reviewer?: string | null }): Promise<string> {
  await session(join(root, name), timezone);
  const out = await exportSession(join(root, name), join(root, `${name}.zip`), join(root, 'data'), { signOff });
  return new Map(await readEntries(out.path)).get('report.html')!.toString('utf8');
}

describe('report.html for handing over', () => {
  const root = mkdtempSync(join(tmpdir(), 'report-handover-'));

  it('carries a stable report number, tester, reviewer and a sign-off block', async () => {
    const html = await report(root, 'a', 'Asia/Shanghai', { tester: '张三', reviewer: '李四' });
    const number = reportNumber({ id: 'case-7', startedAt: STARTED, device: { timezone: 'Asia/Shanghai' } });
    expect(number).toMatch(/^AR-20261207-[0-9A-F]{8}$/);
    expect(html).toContain(`<span class="number">${number}</span>`);
    expect(html).toContain(`<meta name="apprights-report-number" content="${number}">`);
    // Exported again (another package, the same session): the same number.
    expect(await report(root, 'b', 'Asia/Shanghai')).toContain(`<span class="number">${number}</span>`);
    const signOff = html.slice(html.indexOf('<h2 id="sign-off">'));
    expect(signOff).toMatch(/检测人员 \/ <span class="en" lang="en">Tester<\/span><\/th><td class="name"><span class="quote" lang="">张三<\/span>/);
    expect(signOff).toMatch(/审核人员 \/ <span class="en" lang="en">Reviewer<\/span><\/th><td class="name"><span class="quote" lang="">李四<\/span>/);
    expect(signOff.match(/<td class="line">/g)).toHaveLength(4);
  });

  it('shows phone times in the phone\'s zone and host times in the host\'s, both named', async () => {
    const html = await report(root, 'c', 'Asia/Shanghai');
    const row = html.slice(html.indexOf('<tr id="e2">'), html.indexOf('</tr>', html.indexOf('<tr id="e2">')));
    expect(row).toContain('2026-12-07 01:30:01.000 UTC+08:00');
    expect(html).toContain('手机时间（<code>Asia/Shanghai</code>）');
    expect(html).toMatch(/主机时间（<code>[^<]+<\/code>）/);
    expect(zonedTime(STARTED, 'America/New_York')).toBe('2026-12-06 12:30:00.000 UTC-05:00');
    // A session from before the zone was recorded says so and shows UTC.
    const old = await report(root, 'd', null);
    expect(old).toContain('手机时间（UTC，手机时区未记录）');
  });

  it('every event line in Chinese and English, marked, the phone\'s words in <code>', async () => {
    const html = await report(root, 'e', 'Asia/Shanghai');
    const row = (seq: number): string => html.slice(html.indexOf(`<tr id="e${seq}">`), html.indexOf('</tr>', html.indexOf(`<tr id="e${seq}">`)));
    expect(row(2)).toContain('<span class="zh" lang="zh-CN">请求设备标识符：<code>getImeiForSlot</code></span><br><span class="en" lang="en">device identifier requested: <code>getImeiForSlot</code></span>');
    expect(row(3)).toContain('<span class="zh" lang="zh-CN"><code>READ_PHONE_STATE</code> 访问被拒绝（前台）</span>');
  });

  it('folds a 57,000-character note: its first lines shown, the rest behind <details>', async () => {
    const html = await report(root, 'f', 'Asia/Shanghai');
    const row = html.slice(html.indexOf('<tr id="e4">'), html.indexOf('</tr>', html.indexOf('<tr id="e4">')));
    expect(row).toMatch(/<details class="long"><summary>备注：<span class="quote" lang="">第一行\n很长的备注。/);
    const summary = row.slice(row.indexOf('<summary>'), row.indexOf('</summary>'));
    expect(summary.length).toBeLessThan(600);
    expect(summary).toContain('（共 57007 字，展开查看全文）'); // "备注：", the first line and 57,000 characters
    expect(row).toContain('<div class="full">');
  });
});
