// The one description of every event (src-preload/event-description.ts), used by report.html, the renderer and the
// CLI: each kind and variant reads as its own sentence in Chinese and English; the Chinese line holds no English
// word outside the phone's identifiers (code parts); who did it comes from `source`; the CLI's English is the
// same line as plain text.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../src-preload/monitor-events.js';
import { describeEvent, describeText } from '../../src-preload/event-description.js';
import { saidText } from '../../src-preload/said.js';
import { summarize } from '../../src-main/core/monitor/summary.js';
import { englishWords } from '../support/zh-text.js';

const base = { seq: 1, serial: 'S', packageName: 'com.demo.shop', hostTime: 0, deviceTime: 0, source: 'logcat' as const, raw: [] };
const blob = { sha256: 'a'.repeat(64), size: 3, path: `blobs/${'a'.repeat(64)}.png`, mediaType: 'image/png' };
const MONITOR = [
  { type: 'permission.dialog', uid: 10123, controller: 'com.android.permissioncontroller' },
  ...(['USER_GRANTED', 'USER_DENIED', 'SOMETHING_NEW'] as const).map((resultName) => ({ type: 'permission.result', uid: 10123, permission: 'android.permission.READ_PHONE_STATE', result: 4, resultName, granted: true })),
  ...(['granted', 'revoked', 'flags'] as const).map((change) => ({ type: 'permission.state', permission: 'android.permission.CAMERA', granted: true, flags: ['USER_SET'], change })),
  ...(['activity', 'service', 'weird hosting'] as const).map((hostingType) => ({ type: 'process.start', pid: 4242, process: 'com.demo.shop', hostingType, component: 'com.demo.shop/.Main', selfStart: hostingType === 'service', caller: hostingType === 'service' ? 'com.other' : null })),
  { type: 'process.death', pid: 4242, process: 'com.demo.shop', state: 'TOP' },
  { type: 'process.killed', pid: 6878, process: 'com.codex.streetstrength', uid: 10421, adj: 900, reason: 'remove task', killer: 'ActivityManager' },
  ...(['java', 'native', 'anr'] as const).map((crash) => ({ type: 'app.crash', crash, pid: 5118, process: 'com.lotusflare.globe.de', detail: 'java.lang.IllegalStateException' })),
  { type: 'package.installed', installer: 'com.android.vending' }, { type: 'package.removed', installer: null }, { type: 'package.updated', installer: null },
  ...(['android', 'miui', 'coloros', 'emui'] as const).map((blocker) => ({ type: 'start.blocked', blocker, target: 'com.tencent.wework', component: null, callerPackage: null, uid: 10222, reason: 'RestartService' })),
  { type: 'app.displayed', component: 'com.netease.yanxuan/.MainPageActivity', ms: 886 },
  ...(['allowed', 'denied', 'limited', 'unknown'] as const).flatMap((outcome) => (['clipboard', 'wifi-info', 'cell-info', 'running-apps', 'foreground-app', 'oaid'] as const).map((data) => ({ type: 'sensitive.access', data, outcome, via: 'op 29', uid: 10312 }))),
  ...(['chatty-expire', 'chatty-identical', 'restart', 'clock-back'] as const).map((reason) => ({ type: 'log.gap', reason, lines: 4, from: 1_000, to: 2_000, uid: 1000, process: 'ActivityManager' })),
  { type: 'identifier.access', method: 'getImeiForSlot', uid: 10123 },
  ...(['top', 'bg', 'cch'] as const).map((uidState) => ({ type: 'appop.access', op: 'READ_PHONE_STATE', uidState, flags: 'self', accessTime: null })),
  { type: 'appop.reject', op: 'READ_PHONE_STATE', uidState: 'top', flags: 'self', accessTime: null },
  { type: 'app.foreground', component: 'com.demo.shop/.Main' },
  { type: 'intent.start', callerUid: 10398, callerPackage: 'com.oplus.aiwriter', target: 'com.oplus.aiwriter', kind: 'service', launcher: false, allowed: false, uidState: 'IMPF' },
  { type: 'intent.start', callerUid: null, callerPackage: null, target: 'com.demo.shop', kind: 'activity', launcher: true },
  { type: 'screen.state', on: true }, { type: 'screen.state', on: false },
  { type: 'device.disconnected', gapMs: null }, { type: 'device.reconnected', gapMs: 4000 }, { type: 'device.clock-refused', reported: '1970-01-01 00:00:03' },
];
const SESSION = [
  ...(['consent.given', 'policy.reached', 'other'] as const).map((mark) => ({ type: 'tester.mark', source: 'tester', mark, label: mark === 'other' ? '首页' : null })),
  { type: 'tester.note', source: 'tester', text: '弹窗出现前已读取 Android ID' },
  ...[{ kind: 'tap', x: 330, y: 1065 }, { kind: 'swipe', x1: 1, y1: 2, x2: 3, y2: 4, durationMs: 300 }, { kind: 'key', key: 'KEYCODE_BACK' }, { kind: 'text', text: '张三' }].map((action) => ({ type: 'tester.input', source: 'tester', action })),
  ...(['screenshot', 'ui.dump', 'policy'] as const).map((kind) => ({ type: 'capture', source: 'workbench', kind, blob, name: null })),
  { type: 'app.installed', source: 'workbench', ok: true, installedPackage: 'com.demo.shop', failureCode: null, apkSha256: null, output: null },
  { type: 'app.installed', source: 'workbench', ok: false, installedPackage: null, failureCode: 'INSTALL_FAILED_OLDER_SDK', apkSha256: null, output: null },
  ...(['launch', 'force-stop', 'reboot'] as const).map((action) => ({ type: 'app.action', source: 'workbench', action, target: 'com.demo.shop' })),
  { type: 'checklist.template', source: 'workbench', templateId: 'miit-164', version: '2026.1', sha256: 'b'.repeat(64) },
  { type: 'policy.captured', source: 'workbench', from: 'phone', origin: 'com.demo.shop/.PolicyActivity', text: blob, original: null, charset: 'utf-8', pages: [1, 2], problem: null },
  { type: 'policy.list-captured', source: 'workbench', list: 'shared', policySeq: 3, reference: '《第三方共享清单》', tapped: '《第三方共享清单》', from: 'phone', origin: 'com.demo.shop/.Web', text: blob, original: null, charset: 'utf-8', pages: [], problem: null },
  { type: 'app.type', source: 'tester', typeNo: 8, name: '网络购物类' },
  { type: 'checklist.verdict', source: 'tester', item: '164-1.3', verdict: 'fail', note: '同意前读取 IMEI', attachments: [] },
  { type: 'checklist.verdict', source: 'tester', item: '164-1.3', verdict: null, note: null, attachments: [] },
  ...(['done', 'skipped', 'failed'] as const).map((outcome) => ({ type: 'run.stage', source: 'workbench', stage: 'before-consent', outcome, message: null })),
  ...(['session.started', 'session.paused', 'session.resumed', 'session.closed'] as const).map((type) => ({ type, source: 'session', reason: null })),
  { type: 'session.recovered', source: 'session', tornBytes: 12, tornFile: null },
  // The explorer (issue #29): every step kind and its variants, the start and the result.
  { type: 'explore.started', source: 'workbench', limits: { maxTaps: 300, maxDepth: 6, maxMs: 600_000, maxScreens: 80 } },
  ...[
    { kind: 'tap', tap: 3, label: '关于我们', bounds: [0, 0, 9, 9], screen: 's', replay: false },
    { kind: 'tap', tap: 4, label: '关于我们', bounds: [0, 0, 9, 9], screen: 's', replay: true },
    { kind: 'screen', id: 'com.demo.shop#ab12', depth: 2, evidence: { screenshot: 5, uiDump: 6 } },
    ...(['return', 'left-app', 'popup'] as const).map((reason) => ({ kind: 'back', reason })),
    { kind: 'relaunch' },
    ...(['permission', 'ad', 'update', 'permission-explainer'] as const).map((popup) => ({ kind: 'popup', popup, words: '限时优惠', closedWith: popup === 'ad' ? null : '关闭' })),
    { kind: 'left-app', label: '去好评', screen: 's', package: 'com.android.vending' },
    ...(['pays', 'posts', 'deletes', 'withdraws', 'logs-out', 'calls', 'leaves-app', 'types', 'toggles'] as const).map((reason) => ({ kind: 'denied', label: '立即支付', screen: 's', reason })),
    ...(['stays-off', 'back-on', 'not-off', 'was-off', 'no-switch'] as const).map((state) => ({ kind: 'switch', check: { label: '个性化推荐', screen: 's', state, watchedMs: 15_000, evidence: [] } })),
    { kind: 'ad', watch: { words: '新人礼包', screen: 's', closeAfterMs: 9_500, closeLabel: '关闭', waitedMs: 9_500, evidence: [] } },
    { kind: 'ad', watch: { words: '新人礼包', screen: 's', closeAfterMs: null, closeLabel: null, waitedMs: 15_000, evidence: [] } },
    { kind: 'scroll', screen: 's', direction: 'down', revealed: 4 },
    { kind: 'scroll', screen: 's', direction: 'down', revealed: 0 },
    { kind: 'scroll', screen: 's', direction: 'up', revealed: 0 },
    ...(['unreadable-webview', 'changing-screen', 'recurring-popup', 'stuck-popup', 'screen-off', 'app-died'] as const).map((problem) => ({ kind: 'problem', what: 'x', problem, screen: 'com.demo.shop#ab12', label: '开启通知权限', count: 3 })),
    { kind: 'problem', what: 'the app died', problem: 'app-died', screen: '', label: '', count: 4 },
    { kind: 'problem', what: 'an older session says only this' },
  ].map((step) => ({ type: 'explore.step', source: 'workbench', step })),
  ...(['explored', 'maxTaps', 'stopped', 'error', 'app-gone', 'screen-off'] as const).map((stopped) => ({ type: 'explore.result', source: 'workbench', summary: {
    app: 'com.demo.shop', stopped, note: '', limits: { maxTaps: 300, maxDepth: 6, maxMs: 600_000, maxScreens: 80 }, taps: 28, backs: 20, relaunches: 0, elapsedMs: 41_000,
    screens: 9, screensExplored: 9, denied: 3, leftApp: [], popups: [], switch: null, ads: [],
    targets: [{ target: 'privacy-policy', item: '164-1.7', found: true, label: '《隐私政策》', screen: 's', taps: 5, path: [], evidence: [], landing: null }, { target: 'consent-withdrawal', item: '191-6.4', found: false }],
  } })),
];
const EVENTS = [...MONITOR, ...SESSION].map((b) => ({ ...base, ...b }) as unknown as TimelineEvent);

describe('the shared event description', () => {
  it('every kind and variant in Chinese and English, each its own sentence', () => {
    const zh = new Set<string>();
    const en = new Set<string>();
    for (const e of EVENTS) {
      const d = describeEvent(e);
      expect(saidText(d.zh), e.type).toMatch(/[\u4e00-\u9fff]/);
      // The English line's own words are English (a quoted note or label stays as the tester wrote it).
      expect(saidText(d.en.filter((p) => p.kind !== 'quote')), e.type).not.toMatch(/[\u4e00-\u9fff]|undefined|null|\[object/);
      zh.add(saidText(d.zh));
      en.add(saidText(d.en));
    }
    expect(zh.size).toBe(EVENTS.length);
    expect(en.size).toBe(EVENTS.length);
  });

  it('a Chinese line has English only in the phone\'s identifiers (code parts)', () => {
    for (const e of EVENTS) {
      const words = describeEvent(e).zh.filter((p) => p.kind === 'text').flatMap((p) => englishWords(p.text));
      expect(words, `${e.type}: ${describeText(e, 'zh')}`).toEqual([]);
    }
    const imei = describeEvent(EVENTS.find((e) => e.type === 'identifier.access')!).zh;
    expect(imei).toEqual([{ kind: 'text', text: '请求设备标识符：' }, { kind: 'code', text: 'getImeiForSlot' }]);
    expect(describeText(EVENTS.find((e) => e.type === 'appop.reject')!, 'zh')).toBe('READ_PHONE_STATE 访问被拒绝（前台）');
  });

  it('says who did it from the source: a workbench mark or input is not the tester\'s', () => {
    const mark = { ...base, source: 'workbench', type: 'tester.mark', mark: 'policy.reached', label: '《隐私政策》' } as unknown as TimelineEvent;
    expect(describeText(mark, 'zh')).toBe('工作台自动操作：打开隐私政策（《隐私政策》）');
    expect(describeText({ ...mark, source: 'tester' } as TimelineEvent, 'zh')).toMatch(/^检测人员标记/);
    const tap = { ...base, source: 'workbench', type: 'tester.input', action: { kind: 'tap', x: 330, y: 1065 } } as unknown as TimelineEvent;
    expect(describeText(tap, 'en')).toBe('Workbench automation: tap 330,1065');
  });

  it('a type or table key it does not know is shown as written, never looked up blindly', () => {
    const odd = [
      { ...base, type: 'tester.mark', source: 'tester', mark: '__proto__', label: null },
      { ...base, type: 'sensitive.access', data: 'constructor', outcome: 'toString', via: 'x', uid: null, packageName: null },
      { ...base, type: 'brand.new', source: 'phone' },
    ] as unknown as TimelineEvent[];
    expect(describeEvent(odd[0]!).zh).toContainEqual({ kind: 'code', text: '__proto__' });
    expect(describeText(odd[1]!, 'en')).toBe('constructor toString (x)');
    expect(describeText(odd[2]!, 'zh')).toBe('未知事件 brand.new');
  });

  it('the CLI\'s English is the same line as plain text', () => {
    const intent = EVENTS.find((e) => e.type === 'intent.start')!;
    expect(summarize(intent as never)).toBe('com.oplus.aiwriter was refused starting service com.oplus.aiwriter (caller state IMPF)');
    expect(summarize(intent as never)).toBe(describeText(intent, 'en'));
  });
});
