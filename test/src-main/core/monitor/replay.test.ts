// Replaying logs captured elsewhere: a capture from the virtual phone (`adb logcat -d -b all` plus dumps,
// stored in test/fixtures/monitor) and an Android 9 excerpt in AOSP's layout.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replay } from '../../../../src-main/core/monitor/index.js';

const fixtures = join(__dirname, '../../../fixtures/monitor');

describe('replay', () => {
  it('extracts the collects-before-consent violations from a captured log and dumps', () => {
    const log = readFileSync(join(fixtures, 'virtual-phone-collects-before-consent.logcat.txt'), 'utf8');
    const dumps = readdirSync(join(fixtures, 'dumps')).map((f) => readFileSync(join(fixtures, 'dumps', f), 'utf8'));
    const { events, unparsed } = replay(log, { packageName: 'com.demo.shop', year: 2026, offsetMinutes: 480, dumps });
    expect(unparsed).toBe(0);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'process.start')).toHaveLength(1);
    expect(types).toContain('identifier.access');
    expect(types).toContain('permission.dialog');
    expect(events.filter((e) => e.type === 'appop.reject').map((e) => (e.type === 'appop.reject' ? e.op : ''))).toEqual(['READ_DEVICE_IDENTIFIERS', 'READ_PHONE_STATE', 'COARSE_LOCATION']);
    // Events come in time order, numbered.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    for (let i = 1; i < events.length; i++) expect(events[i]!.deviceTime!).toBeGreaterThanOrEqual(events[i - 1]!.deviceTime!);
    expect(events.find((e) => e.type === 'process.start' && e.caller)).toBeUndefined();
  });

  it('reads an Android 9 log for one app and ignores other apps and garbage', () => {
    const log = [
      '--------- beginning of main',
      '03-07 18:05:30.101  1012  2044 I ActivityManager: START u0 {act=android.intent.action.MAIN cat=[android.intent.category.LAUNCHER] flg=0x10200000 cmp=com.example.app/.Main} from uid 10026 on display 0',
      '03-07 18:05:30.250  1012  1030 I ActivityManager: Start proc 5511:com.example.app/u0a120 for activity com.example.app/.Main',
      '03-07 18:05:31.000  1012  2044 I ActivityManager: START u0 {act=android.content.pm.action.REQUEST_PERMISSIONS pkg=com.android.packageinstaller cmp=com.android.packageinstaller/.permission.ui.GrantPermissionsActivity (has extras)} from uid 10120 on display 0',
      '03-07 18:05:31.100  1012  2044 I ActivityManager: START u0 {act=android.content.pm.action.REQUEST_PERMISSIONS pkg=com.android.packageinstaller cmp=com.android.packageinstaller/.permission.ui.GrantPermissionsActivity (has extras)} from uid 10999 on display 0',
      'garbage \u0000\u001b[2J line',
      '03-07 18:05:40.000  1012  1030 I ActivityManager: Process com.example.app (pid 5511) has died.',
      '03-07 18:06:10.000  1012  1030 I ActivityManager: Start proc 5600:com.example.app/u0a120 for broadcast com.example.app/.BootReceiver',
    ].join('\n');
    const { events, unparsed } = replay(log, { packageName: 'com.example.app', year: 2022, offsetMinutes: 480 });
    expect(unparsed).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['intent.start', 'process.start', 'permission.dialog', 'process.death', 'process.start']);
    expect(events[0]).toMatchObject({ launcher: true, target: 'com.example.app' });
    expect(events[2]).toMatchObject({ uid: 10120, packageName: 'com.example.app' });
    expect(events[4]).toMatchObject({ selfStart: true, hostingType: 'broadcast' });
    expect(new Date(events[1]!.deviceTime!).toISOString()).toBe('2022-03-07T10:05:30.250Z');
  });
});

describe('replay of a log whose clock jumps back', () => {
  it('stays linear: intents before a jump back are let go (they were kept, and every start searched them all)', () => {
    // Real lines of capture 06 (an FGS start naming its caller, and a process start), repeated 20,000 times with
    // each repeat a minute earlier than the one before: a log of reboots, or of captures appended newest first.
    const corpus = readFileSync(join(__dirname, '../../../fixtures/real-logcat/06-lineage-pixel4-microg-boot.txt'), 'utf8').split('\n');
    const fgs = corpus.find((l) => l.includes('started FGS') && l.includes('callingPackage'))!.slice(18);
    const start = corpus.find((l) => l.includes('Start proc') && l.includes('{'))!.slice(18);
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const t = new Date(Date.UTC(2026, 2, 13, 23, 0) - i * 60_000).toISOString();
      const stamp = `${t.slice(5, 10)} ${t.slice(11, 23)}`;
      lines.push(stamp + fgs, stamp + start);
    }
    const t0 = performance.now();
    const r = replay(lines.join('\n'), { packageName: null, year: 2026, offsetMinutes: 0 });
    const ms = performance.now() - t0;
    expect(r.events.filter((e) => e.type === 'process.start')).toHaveLength(20_000);
    expect(r.clock.jumpCount).toBe(19_999);
    // Linear: ~0.3 s here; quadratic (20,000 starts each copying up to 20,000 intents) took many seconds.
    expect(ms).toBeLessThan(3000);
  });
});
