/**
 * The live monitor when the phone prints something else than the `-v threadtime -v year -v UTC` it asks for:
 * the virtual phone, through the REAL adb server, prints (a) real captures' lines verbatim (its logcat test
 * hook set to `raw`, each entry one captured line: `-v time`, a tab-indented threadtime paste, Android Studio,
 * MatLog, `-v brief`, the events buffer, and a written `-v long` sample) and (b) its own entries as a phone that
 * ignores `-v year`/`-v UTC` would (`-v time` in the phone's zone, `-v brief`). The monitor must yield the same
 * events as replay of the same lines.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../../../src-preload/monitor-events.js';
import { AdbkitBridge } from '../../../../src-main/core/adb/index.js';
import { DeviceMonitor, type MonitoredLine } from '../../../../src-main/core/monitor/device-monitor.js';
import { replay } from '../../../../src-main/core/monitor/replay.js';
import { summarize } from '../../../../src-main/core/monitor/summary.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { formatText, type TextFormat } from '../../../../src-main/core/virtual-device/android/log-format.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

const CORPUS = join(__dirname, '..', '..', '..', 'fixtures', 'real-logcat');
const SENTINEL_TAG = 'LiveFormatsEnd';
let adb: TestAdbServer;
let bridge: AdbkitBridge;
let phone: VirtualDevice;

beforeAll(async () => {
  adb = await startAdbServer();
  bridge = new AdbkitBridge('adb', adb.port);
  phone = await startPhone(adb, 'collects-before-consent');
});
afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
});

/** What an event says, without the host's clock; `timed`: with the phone's time too. */
const view = (e: MonitorEvent, timed: boolean): string => `${e.type} ${e.packageName ?? '-'} ${summarize(e)}${timed ? ` @${e.deviceTime}` : ''}`;

/**
 * Starts a monitor, has the phone log `entries` (printed in `format`), then a blank line and a sentinel (so a
 * `-v long` record is closed and the end is known), and returns the events and the lines the phone printed.
 */
async function live(format: TextFormat, entries: Array<{ pid: number; tag: string; message: string }>): Promise<{ events: MonitorEvent[]; printed: string[] }> {
  const events: MonitorEvent[] = [];
  let done = false;
  const m = new DeviceMonitor({
    bridge, serial: phone.serial, packageName: null, rawLogPath: join(mkdtempSync(join(tmpdir(), 'live-formats-')), 'raw.log'),
    onEvent: (e) => events.push(e), onLines: (ls: MonitoredLine[]) => (done ||= ls.some((l) => l.tag === SENTINEL_TAG)),
  });
  await m.start();
  phone.system.logcatFormat = format;
  const printed: string[] = [];
  try {
    // The default profile prints every line (no chatty folding), so append always returns the entry.
    for (const e of entries) printed.push(formatText(phone.system.log.append({ ...e, priority: 4 })!, format, phone.system.device.timezoneOffsetMinutes).slice(0, -1));
    phone.system.log.append({ pid: 1, priority: 4, tag: '', message: '' });
    phone.system.log.append({ pid: 1, priority: 4, tag: SENTINEL_TAG, message: `${new Date().toISOString().slice(5, 10)} 00:00:00.000  1  1 I ${SENTINEL_TAG}: end` });
    await waitFor('the sentinel line', async () => done, 15_000);
  } finally {
    phone.system.logcatFormat = null;
    await m.stop();
  }
  return { events, printed };
}

const RAW: TextFormat = { style: 'raw', utc: false, year: false };
const captured = (name: string): string[] => readFileSync(join(CORPUS, name), 'utf8').split('\n').filter((l) => !l.startsWith('--------- beginning of'));
const LONG_SAMPLE = [
  '[ 05-04 21:31:02.879  3496: 3520 I/ActivityManager ]', 'Start proc 12208:com.demo.shop/u0a127 for broadcast {com.demo.shop/com.demo.shop.BootReceiver}', '',
  '[ 05-04 21:31:03.100  3496: 3521 I/ActivityManager ]', 'Process com.demo.shop (pid 12208) has died: fore TOP', '',
];

describe('live monitor: a phone printing other formats gives the events replay gives', () => {
  const year = new Date().getUTCFullYear();
  const verbatim: Array<[string, string[], boolean]> = [
    ['-v time (02, ColorOS 16)', captured('02-oneplus-coloros16-time.txt'), true],
    ['tab-indented threadtime paste (07, MIUI 12)', captured('07-xiaomi-miui12-tab-indented-blog.txt'), true],
    // Capture 09 holds no ActivityManager line: one is written here in its columns, after its first entries.
    ['Android Studio copy (09)', [...captured('09-studio-samsung.txt').slice(0, 6), '2025-01-24 11:39:16.600  1249-1321  ActivityManager         system_process                       I  Start proc 2155:br.com.ohmybread/u0a420 for top-activity {br.com.ohmybread/br.com.ohmybread.MainActivity}', ...captured('09-studio-samsung.txt').slice(6)], true],
    ['MatLog export (25)', captured('25-oneplus-oxygenos-permission-grant-matlog-issue.txt'), true],
    ['-v brief (10, EMUI)', captured('10-huawei-honor8-emui-brief-issue.txt'), false],
    ['events buffer, threadtime (12)', captured('12-cyanogenmod-events-buffer-issue.txt'), true],
    ['-v long (written sample)', LONG_SAMPLE, true],
  ];
  for (const [what, lines, timed] of verbatim) {
    it(`${what}, printed verbatim`, async () => {
      const { events } = await live(RAW, lines.map((message) => ({ pid: 1, tag: '', message })));
      // The test's own end-of-capture line (today's date) is not the capture's: a gap its clock makes is not compared.
      const logged = events.filter((e) => e.source === 'logcat' && !e.raw.some((r) => r.includes(SENTINEL_TAG)));
      const replayed = replay(lines.join('\n'), { packageName: null, year, offsetMinutes: 0 }).events;
      expect(replayed.length, 'the capture holds events').toBeGreaterThan(0);
      expect(logged.map((e) => view(e, timed)).sort()).toEqual(replayed.map((e) => view(e, timed)).sort());
    }, 30_000);
  }

  // The phone's own entries: real process starts and deaths of capture 06 (LineageOS) and 02 (ColorOS).
  const own = [...captured('06-lineage-pixel4-microg-boot.txt'), ...captured('02-oneplus-coloros16-time.txt')]
    .map((l) => /(?:ActivityManager|ActivityManager\( *\d+\)): ((?:Start proc|Process ).*)$/.exec(l)?.[1])
    .filter((m): m is string => !!m)
    .map((message) => ({ pid: 1817, tag: 'ActivityManager', message }));
  const formats: Array<[string, TextFormat, boolean]> = [
    ['-v time in the phone\'s zone (ignoring -v year, -v UTC)', { style: 'time', utc: false, year: false }, true],
    ['-v brief (ignoring -v threadtime)', { style: 'brief', utc: false, year: false }, false],
    ['threadtime without year, in the phone\'s zone', { style: 'threadtime', utc: false, year: false }, true],
  ];
  for (const [what, format, timed] of formats) {
    it(`the phone's own entries as ${what}`, async () => {
      expect(own.length).toBeGreaterThan(20);
      const { events, printed } = await live(format, own);
      const logged = events.filter((e) => e.source === 'logcat');
      const replayed = replay(printed.join('\n'), { packageName: null, year, offsetMinutes: 0 }).events;
      expect(replayed.length).toBe(own.length);
      expect(logged.map((e) => view(e, timed)).sort()).toEqual(replayed.map((e) => view(e, timed)).sort());
    }, 30_000);
  }
});
