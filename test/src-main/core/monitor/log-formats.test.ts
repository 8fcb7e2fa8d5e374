/**
 * Every capture format replay reads, found from the content. Real lines first: each capture of
 * test/fixtures/real-logcat (SOURCES.md) is read whole in its own format. The byte forms the committed files
 * cannot hold (the index returns UTF-8 text with LF) are MADE HERE at test time by re-encoding real captures:
 * UTF-8 with BOM and UTF-16LE with BOM and CRLF (what Windows PowerShell's `adb logcat > x.txt` writes; the
 * originals of 02, 03, 23 and 26 had a BOM, the dropped capture 01 was PowerShell UTF-16LE), UTF-16BE, UTF-16
 * without BOM, CRLF (the originals of 04 and 09), indentation by spaces. Formats the corpus lacks are written
 * here as short samples in AOSP logprint.cpp's layout and say so: `-v long` proper, `-v process`, `-v tag`,
 * `-v zone`, `-v usec`, bugreport text (no real bugreport could be found in public sources: SOURCES.md).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replay, type ReplayOptions, type ReplayResult } from '../../../../src-main/core/monitor/replay.js';
import { replayFile } from '../../../../src-main/core/monitor/replay-file.js';
import { FormatReader } from '../../../../src-main/core/monitor/log-formats/format-reader.js';
import { CaptureClock } from '../../../../src-main/core/monitor/log-formats/capture-clock.js';
import type { LogLine } from '../../../../src-main/core/monitor/log-line.js';
import { buildZip } from '../../../support/zip-builder.js';

const CORPUS = join(__dirname, '..', '..', '..', 'fixtures', 'real-logcat');
const capture = (name: string): string => readFileSync(join(CORPUS, name), 'utf8');
const O: ReplayOptions = { packageName: null, year: 2026, offsetMinutes: 0 };
const tmp = mkdtempSync(join(tmpdir(), 'log-formats-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Lines that hold something (not blank, not logcat's buffer banners). */
const contentLines = (text: string): number => text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('--------- beginning of')).length;
const eventView = (r: ReplayResult) => r.events.map((e) => ({ type: e.type, time: e.deviceTime, lines: e.sourceLines, pkg: e.packageName }));

function reader(year = 2026, offsetMinutes = 0): FormatReader {
  return new FormatReader(new CaptureClock({ year, yearGiven: true, offsetMinutes, offsetGiven: true }));
}

describe('real captures: each read whole in its own format', () => {
  // capture → [format, lines of it no format reads (named in SOURCES.md / the capture)]
  const cases: Array<[string, string, number]> = [
    ['02-oneplus-coloros16-time.txt', 'time', 0],
    ['03-emulator-android14-time.txt', 'time', 0],
    ['04-lineage151-j7-boot.txt', 'threadtime', 2], // adb's '* daemon not running' lines
    ['07-xiaomi-miui12-tab-indented-blog.txt', 'threadtime', 0],
    ['10-huawei-honor8-emui-brief-issue.txt', 'brief', 0],
    ['12-cyanogenmod-events-buffer-issue.txt', 'threadtime', 0],
    ['13-xiaomi-miui8-time-issue.txt', 'time', 0],
    ['16-meizu-flyme6-threadtime-issue.txt', 'threadtime', 2], // the reporter's '...' lines
    ['17-honor-emui8-studio-legacy-issue.txt', 'studio-legacy', 0],
    ['23-oneplus-coloros16-startup-manager.txt', 'time', 0],
    ['29-motorola-android5-brief-old-start-format-issue.txt', 'brief', 0],
    ['30-xiaomi-miui-android4-brief-blank-lines-issue.txt', 'brief', 0],
  ];
  for (const [file, format, unread] of cases) {
    it(`${file}: ${format}`, () => {
      const text = capture(file);
      const r = replay(text, O);
      expect(r.formats).toEqual({ [format]: contentLines(text) - unread });
      expect(r.unparsed).toBe(unread);
    });
  }

  it('a paste indented by a tab (07) reads as the threadtime it is, and says it was indented', () => {
    const r = replay(capture('07-xiaomi-miui12-tab-indented-blog.txt'), O);
    expect(r.indented).toBe(433);
    expect(r.events.some((e) => e.type === 'identifier.access')).toBe(true);
  });

  it('Android Studio copies (08, 09): package column, PROCESS STARTED/ENDED markers, indented continuation lines', () => {
    const text = capture('09-studio-samsung.txt');
    const rd = reader();
    const lines = text.split('\n').map((l) => rd.read(l));
    const started = lines[6] as LogLine;
    expect(started).toMatchObject({ tag: 'AndroidStudio', pid: 2155, packageName: 'br.com.ohmybread', message: 'PROCESS STARTED (2155) for package br.com.ohmybread', timeKnown: false });
    expect((lines[270] as LogLine).message).toBe('PROCESS ENDED (2155) for package br.com.ohmybread');
    const entry = lines.find((l): l is LogLine => typeof l === 'object' && l !== null && l.tag === 'BufferQueueDebug')!;
    expect(entry).toMatchObject({ pid: 1249, tid: 1321, priority: 'E', packageName: 'surfaceflinger', time: Date.UTC(2025, 0, 24, 11, 39, 16, 533) });
    // Line 85 continues the message of line 84, at its message column.
    expect(lines[84]).toMatchObject({ message: expect.stringMatching(/^Set 'android:enableOnBackInvokedCallback/), pid: (lines[83] as LogLine).pid });
    const r = replay(text, O);
    expect(r).toMatchObject({ formats: { studio: 278 }, continued: 2, unparsed: 0 });
    expect(r.clock).toMatchObject({ year: { value: 2026, source: 'option' }, yearNeeded: false });
    const hms = replay(capture('08-studio-logcat-hms-sdk.txt'), { ...O, yearGiven: false });
    expect(hms.clock.year).toMatchObject({ value: 2023, source: 'capture' });
  });

  it('Android Studio legacy copy (17): `pid-tid/?` (package unknown) and `pid-tid/pkg`', () => {
    const rd = reader();
    const l = rd.read(capture('17-honor-emui8-studio-legacy-issue.txt').split('\n')[0]!) as LogLine;
    expect(l).toMatchObject({ pid: 1145, tid: 1640, priority: 'D', tag: 'ActivityManager', time: Date.UTC(2020, 4, 11, 1, 29, 49, 269) });
    expect(l.packageName).toBeUndefined();
    const named = rd.read('2019-01-01 10:00:00.000 1234-1250/com.demo.shop I/ActivityManager: Start proc 4100:com.demo.shop/u0a230 for broadcast {com.demo.shop/.Boot}') as LogLine;
    expect(named).toMatchObject({ packageName: 'com.demo.shop', pid: 1234 });
  });

  it('MatLog/App Manager exports (19, 25): a two-line record counts for its header and message lines', () => {
    const r = replay(capture('25-oneplus-oxygenos-permission-grant-matlog-issue.txt'), O);
    expect(r.formats).toEqual({ matlog: 7 });
    const results = r.events.filter((e) => e.type === 'permission.result');
    expect(results.map((e) => e.sourceLines)).toEqual([[4, 5], [7, 8]]);
    expect(results[0]!.raw).toEqual(['[12-26 19:05:03.796 16606:16606 V/GrantPermissionsActivity]', expect.stringMatching(/^Permission grant result requestId=4901778718226251680/)]);
    expect(replay(capture('19-oneplus-oxygenos-matlog-long-issue.txt'), O)).toMatchObject({ formats: { matlog: 4 }, unparsed: 0 });
  });

  it('events entries a terminal wrapped onto the next line (22) are read whole', () => {
    const rd = reader();
    const lines = capture('22-slim-events-time-wrapped-issue.txt').split('\n').map((l) => rd.read(l));
    expect(lines[1]).toMatchObject({ tag: 'am_destroy_activity', pid: 1192, message: '[0,123141398,118,com.vanced.manager/.ui.MainActivity,finish-imm]' });
    expect(rd.entryFirstLine).toBeGreaterThan(0);
    expect(lines[7]).toMatchObject({ tag: 'am_kill', message: '[0,5355,com.vanced.manager,900,crash]' });
  });
});

describe('pastes as the corpus holds them', () => {
  it('a log pasted into source code as comments, every line `//` and spaces (34): read as the -v time it is', () => {
    const text = capture('34-huawei-emui9-android9-comment-prefixed-permission-dialog.txt');
    const r = replay(text, O);
    expect(r.formats.time).toBeGreaterThan(500);
    // What is left is the source around the paste (its `package` and `class` lines).
    expect(r.firstUnparsed.map((u) => u.text)).toEqual(['package com.ndtlg.pettime;', 'class com.ndtlg.pettime.frg.FrgAddDevice']);
    expect(r.events.find((e) => e.type === 'permission.dialog')).toMatchObject({ sourceLines: [489] });
  });
  it('-v time lines whose date and hour the reporter cut off (39): read, time unknown', () => {
    const r = replay(capture('39-appmanager-package-update-time-cut-issue.txt'), O);
    expect(r.formats).toEqual({ brief: 6 });
    expect(r.events).toMatchObject([{ type: 'package.updated', packageName: 'io.github.muntashirakon.AppManager.debug', deviceTime: null, sourceLines: [3] }]);
  });
  it('threadtime without pid and tid, as a log viewer copies it (40)', () => {
    const r = replay(capture('40-grapheneos-pixel9-clipboard-denied-issue.txt'), O);
    expect(r.unparsed).toBe(0);
    expect(r.events.filter((e) => e.type === 'sensitive.access')).toHaveLength(6);
  });
});

describe('formats the corpus lacks (samples written here in logprint.cpp layout)', () => {
  it('-v long: header, message lines (an events message may start with "["), blank line', () => {
    const text = [
      '[ 05-04 21:31:02.879  3496: 3520 I/ActivityManager ]',
      'Start proc 12208:com.demo.shop/u0a127 for broadcast {com.demo.shop/com.demo.shop.BootReceiver}',
      '',
      '[ 05-04 21:31:02.880  3496: 3521 I/am_proc_start ]',
      '[0,12209,10127,com.demo.shop:push,service,{com.demo.shop/com.demo.shop.Push}]',
      '',
    ].join('\n');
    const r = replay(text, { ...O, packageName: 'com.demo.shop' });
    expect(r.formats).toEqual({ long: 2 });
    expect(r.events.map((e) => [e.type, e.sourceLines])).toEqual([['process.start', [1, 2]], ['process.start', [4, 5]]]);
    expect(r.events[0]!.deviceTime).toBe(Date.UTC(2026, 4, 4, 21, 31, 2, 879));
  });

  it('-v process and -v tag (no time: the events say so with a null device time)', () => {
    const rd = reader();
    expect(rd.read('I( 3496) Start proc 12208:com.demo.shop/u0a127 for activity {com.demo.shop/.Main}  (ActivityManager)')).toMatchObject({ pid: 3496, tag: 'ActivityManager', message: 'Start proc 12208:com.demo.shop/u0a127 for activity {com.demo.shop/.Main}', timeKnown: false });
    expect(rd.read('I/ActivityManager: Process com.demo.shop (pid 12208) has died: fore TOP')).toMatchObject({ tag: 'ActivityManager', pid: 0, timeKnown: false });
    const r = replay('I/ActivityManager( 3496): Start proc 12208:com.demo.shop/u0a127 for activity {com.demo.shop/.Main}', O);
    expect(r.events[0]).toMatchObject({ type: 'process.start', deviceTime: null, sourceLines: [1] });
  });

  it('threadtime variants: -v year, -v usec, -v zone (the line\'s own zone wins), -v uid (a name or a number)', () => {
    const rd = reader(2026, 480);
    expect((rd.read('2024-05-04 21:31:02.879123 +0200  3496  3520 I ActivityManager: x') as LogLine).time).toBe(Date.UTC(2024, 4, 4, 19, 31, 2, 879));
    expect((rd.read('05-04 21:31:02.879  3496  3520 I ActivityManager: x') as LogLine).time).toBe(Date.UTC(2026, 4, 4, 13, 31, 2, 879));
    // A real -v uid line from a Pixel 6 bugreport, quoted in mlopatkin/andlogview issue #327.
    expect(rd.read('11-19 18:12:44.976  root   167   167 I vold    : Vold 3.0 (the awakening) firing up')).toMatchObject({ uid: 'root', pid: 167, tid: 167, tag: 'vold', message: 'Vold 3.0 (the awakening) firing up' });
    expect(rd.read('05-04 21:31:02.879  1000  3496  3520 I ActivityManager: x')).toMatchObject({ uid: '1000', pid: 3496, tid: 3520 });
    expect(rd.read('05-04 21:31:02.879 I/ActivityManager(u0_a12: 3496): x')).toMatchObject({ uid: 'u0_a12', pid: 3496 });
  });

  it('a bugreport: only its logcat sections are log; year from `== dumpstate:`, zone from persist.sys.timezone', () => {
    // Written sample (no real bugreport text is in public sources reachable here); the log lines are real, from 24.
    const real = capture('24-motorola-android15-mtk-boot.txt').split('\n').slice(0, 3);
    const text = [
      '========================================================',
      '== dumpstate: 2025-03-12 11:20:00',
      '========================================================',
      '',
      'Build: VVTA35.51-18-6',
      "Build fingerprint: 'motorola/vienna/vienna:15/VVTA35.51-18-6/abc:user/release-keys'",
      '------ DUMPSYS CRITICAL (/system/bin/dumpsys) ------',
      '03-12 11:11:22.428  1639  2135 I ActivityManager: Start proc 9999:com.not.a.log/u0a1 for service {com.not.a.log/.X}',
      '------ 0.010s was the duration of \'DUMPSYS CRITICAL\' ------',
      '------ SYSTEM LOG (logcat -v threadtime -v printable -v uid -d *:v) ------',
      '--------- beginning of main',
      ...real.map((l) => l.replace(/^(\S+ \S+)/, '$1  1000')),
      '------ 0.326s was the duration of \'SYSTEM LOG\' ------',
      '------ EVENT LOG (logcat -b events -v threadtime -v printable -v uid -d *:v) ------',
      real[0]!,
      '------ 0.020s was the duration of \'EVENT LOG\' ------',
      '------ SYSTEM PROPERTIES (getprop) ------',
      '[persist.sys.timezone]: [Asia/Shanghai]',
      '[ro.build.version.release]: [15]',
    ].join('\n');
    const r = replay(text, { ...O, yearGiven: false, offsetGiven: false });
    expect(r.bugreport).toMatchObject({ dumpstate: '2025-03-12 11:20:00', fingerprint: 'motorola/vienna/vienna:15/VVTA35.51-18-6/abc:user/release-keys', logSections: ['SYSTEM LOG', 'EVENT LOG'] });
    expect(r.formats).toEqual({ threadtime: 4 });
    expect(r.firstUnparsed).toEqual([]);
    expect(r.clock.year).toMatchObject({ value: 2025, source: 'capture' });
    expect(r.clock.zone).toMatchObject({ offsetMinutes: 480, source: 'capture' });
    // The dumpsys line that looks like a log line is not read; the start is found once (the events buffer's
    // am_proc_start lines and the system buffer's Start proc agree), at the system buffer's line, the one a tester reads.
    expect(r.events.map((e) => [e.type, e.packageName, e.deviceTime])).toEqual([['process.start', 'com.mediatek.ims', Date.UTC(2025, 2, 12, 3, 11, 22, 428)]]);
  });

  it('a `date` line gives the year and, when numeric, the zone', () => {
    const r = replay(['Sat May  4 21:31:02 +0800 2024', '05-04 21:31:02.879  3496  3520 I ActivityManager: Start proc 1:com.a/u0a1 for service {com.a/.S}'].join('\n'), { ...O, yearGiven: false, offsetGiven: false });
    expect(r.clock).toMatchObject({ year: { value: 2024, source: 'capture' }, zone: { offsetMinutes: 480, source: 'capture' } });
    expect(r.events[0]!.deviceTime).toBe(Date.UTC(2024, 4, 4, 13, 31, 2, 879));
  });

  it('without a year anywhere, the year is assumed and said; December → January moves to the next year', () => {
    const r = replay(['12-31 23:59:59.000  1  1 I ActivityManager: Start proc 1:com.a/u0a1 for service {com.a/.S}', '01-01 00:00:01.000  1  1 I ActivityManager: Start proc 2:com.a/u0a1 for service {com.a/.S}'].join('\n'), { ...O, yearGiven: false });
    expect(r.clock).toMatchObject({ year: { source: 'assumed' }, yearNeeded: true });
    expect(r.events.map((e) => new Date(e.deviceTime!).toISOString())).toEqual(['2026-12-31T23:59:59.000Z', '2027-01-01T00:00:01.000Z']);
    expect(r.clock.jumpCount).toBe(0);
  });
});

describe('byte forms made at test time from real captures', () => {
  const base = capture('02-oneplus-coloros16-time.txt');
  const plain = replay(base, O);

  async function fromBytes(name: string, bytes: Buffer): Promise<Awaited<ReturnType<typeof replayFile>>> {
    const path = join(tmp, name);
    writeFileSync(path, bytes);
    return replayFile(path, O);
  }

  const utf16be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();
  const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
  const forms: Array<[string, Buffer, { encoding: string; bom: boolean; crlf: boolean }]> = [
    ['utf-8 with BOM (02\'s original)', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(base)]), { encoding: 'utf-8', bom: true, crlf: false }],
    ['PowerShell: UTF-16LE with BOM and CRLF', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf(base), 'utf16le')]), { encoding: 'utf-16le', bom: true, crlf: true }],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(base)]), { encoding: 'utf-16be', bom: true, crlf: false }],
    ['UTF-16LE without BOM', Buffer.from(base, 'utf16le'), { encoding: 'utf-16le', bom: false, crlf: false }],
  ];
  for (const [what, bytes, expected] of forms) {
    it(`${what}: the same entries and events as the UTF-8 capture`, async () => {
      const { result, source } = await fromBytes(what.replace(/\W+/g, '-') + '.txt', bytes);
      expect(source).toMatchObject({ encoding: expected.encoding, bom: expected.bom });
      expect(result.formats).toEqual(plain.formats);
      expect(result.carriageReturns > 0).toBe(expected.crlf);
      expect(eventView(result)).toEqual(eventView(plain));
      expect(plain.events.length).toBeGreaterThan(0);
    });
  }

  it('CRLF (04 and 09 had it, 09 with a BEL after its last line) and space indentation', async () => {
    for (const name of ['04-lineage151-j7-boot.txt', '09-studio-samsung.txt']) {
      const text = capture(name);
      const { result } = await fromBytes(`crlf-${name}`, Buffer.from(crlf(text) + (name.startsWith('09') ? '\u0007' : '')));
      const lf = replay(text, O);
      expect(result.formats).toEqual(lf.formats);
      expect(eventView(result)).toEqual(eventView(lf));
    }
    const spaced = capture('24-motorola-android15-mtk-boot.txt').split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
    const r = replay(spaced, O);
    expect(eventView(r)).toEqual(eventView(replay(capture('24-motorola-android15-mtk-boot.txt'), O)));
    expect(r.indented).toBe(268);
  });

  it('a bugreport zip: the entry main_entry.txt names, inflated as a stream; the same events as its text', async () => {
    const text = ['== dumpstate: 2025-03-12 11:20:00', '------ SYSTEM LOG (logcat -v threadtime -v printable -d *:v) ------', capture('24-motorola-android15-mtk-boot.txt'), "------ 0.3s was the duration of 'SYSTEM LOG' ------"].join('\n');
    const zip = buildZip([
      { name: 'version.txt', data: Buffer.from('2.0') },
      { name: 'main_entry.txt', data: Buffer.from('bugreport-vienna-VVTA35.51-2025-03-12-11-20-00.txt') },
      { name: 'bugreport-vienna-VVTA35.51-2025-03-12-11-20-00.txt', data: Buffer.from(text) },
      { name: 'FS/data/anr/anr_1', data: Buffer.from('----- pid 1 at 2025-03-12 -----') },
    ]);
    const { result, source } = await fromBytes('bugreport.zip', zip);
    expect(source).toMatchObject({ container: 'bugreport-zip', entry: 'bugreport-vienna-VVTA35.51-2025-03-12-11-20-00.txt' });
    expect(eventView(result)).toEqual(eventView(replay(text, O)));
    expect(result.events.length).toBeGreaterThan(5);
  });
});
