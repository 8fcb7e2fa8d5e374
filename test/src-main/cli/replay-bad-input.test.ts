/**
 * `apprights monitor --replay` on what a tester may hand it that is not a plain log (issue #24, "Bad input"):
 * each refused with what the file is and what to do, and a non-zero exit — never an empty success — or, for a
 * log that is merely odd (mixed formats, a truncated last line, a clock that jumps back, escape and bidi
 * characters), read with what was odd said. Real captures (test/fixtures/real-logcat) are the material; the
 * byte forms are made here. Runs the built CLI (`npm run build` first).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { buildZip } from '../../support/zip-builder.js';
import { formatBinary } from '../../../src-main/core/virtual-device/android/log-format.js';
import { replay } from '../../../src-main/core/monitor/replay.js';

const corpus = join(import.meta.dirname, '../../fixtures/real-logcat');
const capture = (name: string): string => readFileSync(join(corpus, name), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'replay-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

const replayCli = (path: string, ...more: string[]) => runCli(['monitor', '--replay', path, ...more], process.env, 60_000);

interface JsonOut {
  events: Array<{ type: string; sourceLines?: number[]; raw: string[]; packageName: string | null }>;
  summary: { formats: Record<string, number>; mixedFormats: boolean; unparsed: number; entries: number; year: { value: number; assumed: boolean; needed: boolean }; zone: { utcOffset: string; assumed: boolean }; clockJumps: { count: number; first: Array<{ line: number }> } };
}

function parseJson(stdout: string): JsonOut {
  const records = stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  const summary = records.pop() as unknown as JsonOut['summary'] & { type: string };
  expect(summary.type).toBe('replay.summary');
  return { events: records as JsonOut['events'], summary };
}

describe('refused, with what the file is', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ['a binary file (the node executable)', () => file('node.bin', readFileSync(process.execPath).subarray(0, 65536)), /binary file, not log text \(it holds NUL bytes/],
    ['binary logcat (`logcat -B`)', () => file('b.bin', Buffer.concat([1, 2, 3].map((i) => formatBinary({ seq: i, lid: 0, pid: 1234, tid: 1250, uid: 1000, timeMs: 1_700_000_000_000 + i, nsec: 0, priority: 4, tag: 'ActivityManager', message: `Start proc ${i}` })))), /binary logcat output \(`logcat -B`\)/],
    ['a gzip of a real capture', () => file('log.gz', gzipSync(capture('24-motorola-android15-mtk-boot.txt'))), /gzip file, not log text: unpack it first/],
    ['a zip that is not a bugreport', () => file('notes.zip', buildZip([{ name: 'notes.txt', data: Buffer.from(capture('24-motorola-android15-mtk-boot.txt')) }, { name: 'photo.jpg', data: Buffer.from([0xff, 0xd8]) }])), /This is a zip, not an adb bugreport: it has no bugreport-\*\.txt \(it holds notes\.txt, photo\.jpg\)/],
    ['an APK', () => file('app.apk', buildZip([{ name: 'AndroidManifest.xml', data: Buffer.from([3, 0, 8, 0]) }, { name: 'classes.dex', data: Buffer.from('dex\n035\0') }])), /This is an APK, not an adb bugreport/],
    ['a damaged zip', () => file('broken.zip', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)])), /This is a zip file, but it cannot be read: not a zip file \(no end of central directory\)/],
    ['a bugreport zip whose text is damaged (CRC)', () => {
      const text = Buffer.from(['== dumpstate: 2025-03-12 11:20:00', '------ SYSTEM LOG (logcat -v threadtime -d *:v) ------', capture('24-motorola-android15-mtk-boot.txt')].join('\n'));
      return file('damaged.zip', buildZip([{ name: 'bugreport-x.txt', deflated: { bytes: deflateRawSync(text), size: text.length, crc: 12345 } }]));
    }, /The bugreport inside the zip cannot be read to its end: bugreport-x\.txt: CRC mismatch \(the zip is damaged\)/],
    ['a bugreport without a log section', () => file('dumpsys.txt', ['== dumpstate: 2025-03-12 11:20:00', '------ DUMPSYS (/system/bin/dumpsys) ------', 'DUMP OF SERVICE activity:', '------ 0.1s was the duration of \'DUMPSYS\' ------'].join('\n')), /bugreport has no log section/],
    ['text that is not a log', () => file('readme.txt', readFileSync(join(corpus, 'SOURCES.md'))), /No line of this file is in a logcat format the workbench reads .*the first \(line 1\) reads "# Real logcat captures \(issue #24\)"/],
    ['an empty file', () => file('empty.txt', ''), /The file is empty/],
    ['blank lines only', () => file('blank.txt', '\n\n  \n\t\n'), /holds no log line \(4 lines, all blank or headers\)/],
  ];
  for (const [what, make, message] of cases) {
    it(what, async () => {
      const r = await replayCli(make());
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }
});

describe('read, with what was odd said', () => {
  it('a file mixing formats: each line in its own, the formats named, every capture\'s events found', async () => {
    const parts = ['02-oneplus-coloros16-time.txt', '24-motorola-android15-mtk-boot.txt', '09-studio-samsung.txt', '25-oneplus-oxygenos-permission-grant-matlog-issue.txt'].map(capture);
    const r = await replayCli(file('mixed.txt', parts.join('\n')), '--json', '--year', '2026', '--utc-offset', '+00:00');
    expect(r.code, r.stderr).toBe(0);
    const { events, summary } = parseJson(r.stdout);
    expect(Object.keys(summary.formats).sort()).toEqual(['matlog', 'studio', 'threadtime', 'time']);
    expect(summary.mixedFormats).toBe(true);
    expect(r.stderr).toMatch(/the file mixes formats; each line was read in its own/);
    // Read apart or together, the captures give the same events; together, the clock going back between them is
    // a gap in the evidence besides.
    const separately = parts.reduce((n, p) => n + replay(p, { packageName: null, year: 2026, offsetMinutes: 0 }).events.filter((e) => e.type !== 'log.gap').length, 0);
    expect(events.filter((e) => e.type !== 'log.gap').length).toBe(separately);
    expect(events.filter((e) => e.type === 'log.gap' && (e as { reason?: string }).reason === 'clock-back').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'permission.result')).toHaveLength(2);
  });

  it('a truncated last line (the capture cut mid-line, no newline): the lines before it are all read', async () => {
    const text = capture('24-motorola-android15-mtk-boot.txt');
    const cut = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 30);
    const r = await replayCli(file('cut.txt', cut), '--json', '--year', '2026', '--utc-offset', '+00:00');
    expect(r.code, r.stderr).toBe(0);
    const { events, summary } = parseJson(r.stdout);
    expect(summary.entries).toBe(267);
    expect(summary.unparsed).toBe(1);
    expect(r.stderr).toMatch(/1 lines could not be read as log entries \(the first, line 268: "03-12 11:11:24\.963 {3}941 {2}1/);
    expect(events.length).toBe(replay(text.slice(0, text.lastIndexOf('\n', text.length - 2)), { packageName: null, year: 2026, offsetMinutes: 0 }).events.length);
  });

  it('a clock that jumps back (a later capture, then an earlier one appended): said, and events keep file order', async () => {
    const later = capture('06-lineage-pixel4-microg-boot.txt'); // 03-13
    const earlier = capture('24-motorola-android15-mtk-boot.txt'); // 03-12
    const r = await replayCli(file('jump.txt', `${later}\n${earlier}`), '--json', '--year', '2026', '--utc-offset', '+00:00');
    expect(r.code, r.stderr).toBe(0);
    const { events, summary } = parseJson(r.stdout);
    expect(summary.clockJumps).toMatchObject({ count: 1, first: [{ line: later.split('\n').length + 1 }] });
    expect(r.stderr).toMatch(/the clock jumps back once \(first at line 629, by 22\.8 h: a reboot, or captures appended\): events keep the file's order across it/);
    const lines = events.map((e) => e.sourceLines![0]!);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(lines.some((l) => l > 628)).toBe(true);
  });

  it('escape and bidi characters in a real line: cleaned (escapes removed, bidi shown), the event still found', async () => {
    // Start proc 4590:org.lineageos.lineageparts/1000 for broadcast {org.lineageos.lineageparts/….BootReceiver}
    const line = capture('06-lineage-pixel4-microg-boot.txt').split('\n')[3]!;
    const hostile = line.replace('Start proc', '\u001b]0;owned\u0007\u001b[2JStart proc').replace('for broadcast', 'for broad\u202ecast');
    const path = file('escapes.txt', hostile);
    const r = await replayCli(path, '--year', '2026', '--utc-offset', '+00:00');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/process\.start\s+org\.lineageos\.lineageparts\s+process org\.lineageos\.lineageparts \(pid 4590\) started for broad<U\+202E>cast/);
    expect(r.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
    const { events } = parseJson((await replayCli(path, '--json', '--year', '2026', '--utc-offset', '+00:00')).stdout);
    expect(events[0]!.raw[0]).toBe(line.replace('for broadcast', 'for broad<U+202E>cast'));
  });

  it('times: the readable output names its zone; a year and zone not in the capture are said to be assumed or given', async () => {
    const path = file('plain.txt', capture('24-motorola-android15-mtk-boot.txt'));
    const assumed = await replayCli(path);
    expect(assumed.code).toBe(0);
    expect(assumed.stdout.split('\n')[0]).toMatch(/^Times are the phone's clock, UTC[+-]\d\d:\d\d \(assumed: see below\)$/);
    expect(assumed.stderr).toMatch(new RegExp(`year assumed: ${new Date().getFullYear()} — the capture does not say which year`));
    expect(assumed.stderr).toMatch(/zone assumed: UTC[+-]\d\d:\d\d \(this computer's\)/);
    const given = await replayCli(path, '--year', '2025', '--utc-offset', '+08:00');
    expect(given.stdout.split('\n')[0]).toBe("Times are the phone's clock, UTC+08:00");
    // The phone printed 11:11:22.427 in its zone; the readable output shows that, not UTC's 03:11.
    expect(given.stdout).toMatch(/^11:11:22\.4\d\d {2}process\.start/m);
    expect(given.stderr).toMatch(/year 2025, from --year \(needed: the capture does not say\)/);
    expect(given.stderr).toMatch(/zone UTC\+08:00, from --utc-offset \(needed: the capture does not say\)/);
    const studio = await replayCli(file('studio.txt', capture('09-studio-samsung.txt')), '--json');
    expect(parseJson(studio.stdout).summary.year).toMatchObject({ value: 2025, assumed: false, needed: false });
  });
});
