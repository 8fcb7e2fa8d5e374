// The monitor reads whole lines as bytes when it can (log-chunk.ts) and as text otherwise. Both must give the
// same lines, app flags, events and raw log: the same logs are fed in random chunk sizes through the monitor's
// chunk entry, and line by line through its text path, and the outcomes compared — for a log the byte path
// takes whole, and for one full of what it must hand over (controls, bidi, \r, banners, other formats,
// time going back, a line longer than the cap, UTF-8 split across chunks).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../../../src-preload/api.js';
import { DeviceMonitor, type MonitoredLine } from '../../../../src-main/core/monitor/device-monitor.js';
import { LineThrottle } from '../../../../src-main/core/monitor/line-throttle.js';

const PKG = 'com.demo.shop';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function stamp(ms: number): string {
  const t = new Date(ms).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 23)}`;
}

/** A phone's log: chatter, the app's lines, lines naming it or its uid, and lines that carry events. */
function phoneLog(seed: number, lines: number, unusual: boolean): string {
  const r = rng(seed);
  let t = Date.UTC(2026, 10, 30, 8, 0, 0);
  const out: string[] = [];
  const pick = <T,>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  for (let i = 0; i < lines; i++) {
    t += Math.floor(r() * 3);
    const at = stamp(t);
    const kind = r();
    let line: string;
    if (i === 40) line = `${at}  1234  1250 I ActivityManager: Start proc 4321:${PKG}/u0a234 for activity {${PKG}/.MainActivity}`;
    else if (kind < 0.04) line = `${at}  2300  2300 V GrantPermissionsActivity: Permission grant result requestId=${i} callingUid=10234 callingPackage=${PKG} permission=android.permission.CAMERA isImplicit=false result=${pick([0, 1, 2])}`;
    else if (kind < 0.07 && i > 40) line = `${at}  ${pick([4321, 5555])}  ${pick([4321, 4400])} W System.err: java.lang.SecurityException: getDeviceId: The uid ${pick([10234, 10300])} does not meet the requirements to access device identifiers.`;
    else if (kind < 0.09) line = `${at}  1500  1530 I ActivityTaskManager: START u0 {act=android.intent.action.VIEW cmp=com.other.app/.Main} from uid 10234`;
    else if (kind < 0.1) line = `${at}  1234  1250 I am_proc_died: [0,${pick([4321, 7777])},${pick([PKG, 'com.other.app'])}]`;
    else if (kind < 0.25) line = `${at}  4321  ${pick([4321, 4330])} ${pick(['D', 'I'])} ${pick(['ShopMain', 'OkHttp', '支付SDK', 'Tag with spaces  '])}: request ${i}\t${pick(['done', '完成', 'ok'])}`;
    else if (kind < 0.3) line = `${at}  6000  6001 I Chatter: mentions ${pick([PKG, `uid 10234`, 'uid 102345', 'nothing'])} here`;
    else line = `${at}  ${pick([800, 1201, 9999])}  ${pick([801, 1202])} ${pick(['V', 'D', 'I', 'W', 'E'])} ${pick(['Chatter', 'wpa_supplicant', 'ActivityManager', 'PackageManager', 'x'])}: ${'y'.repeat(Math.floor(r() * 120))} ${i}`;
    if (unusual) {
      const u = r();
      if (u < 0.01) out.push('--------- beginning of main');
      else if (u < 0.02) line += '\r';
      else if (u < 0.03) line = line.replace(': ', ': \u001b[31mred\u001b[0m ');
      else if (u < 0.035) line += ' \u202eevil';
      else if (u < 0.04) line += ' \u009bc1';
      else if (u < 0.05) line = `plain text that is not logcat ${i}`;
      else if (u < 0.055) line = '';
      else if (u < 0.06) line = `${stamp(t - 5000)}  1  1 I Old: from before`;
      else if (u < 0.0605) line = `${at}  1  1 I Long: ${'z'.repeat(70_000)}`;
      else if (u < 0.065) line = `11-30 08:00:00.000  1  1 I NoYear: threadtime without a year`;
    }
    out.push(line);
  }
  return out.join('\n') + '\n';
}

interface Outcome {
  lines: Array<Omit<MonitoredLine, 'raw'> & { raw: string }>;
  events: Array<Omit<MonitorEvent, 'seq' | 'hostTime'>>;
  raw: string;
  counted: number;
}

function monitor(o: { wanted?: () => number; skipped?: (n: number) => void; onLines?: (l: MonitoredLine[]) => void } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'byte-path-'));
  const lines: MonitoredLine[] = [];
  const events: MonitorEvent[] = [];
  const m = new DeviceMonitor({
    bridge: null as never, serial: 's', packageName: PKG, rawLogPath: join(dir, 'raw.log'),
    onEvent: (e) => events.push(e), onLines: o.onLines ?? ((l) => lines.push(...l)), linesWanted: o.wanted, onLinesSkipped: o.skipped,
  });
  const inner = m as unknown as { onChunk(b: Buffer): void; flushPartial(): void; ingest(lines: string[], bytes: Buffer | null): void };
  const outcome = async (): Promise<Outcome> => {
    await m.stop();
    return {
      lines: lines.map((l) => ({ ...l })),
      events: events.map(({ seq: _s, hostTime: _h, ...e }) => e),
      raw: readFileSync(join(dir, 'raw.log'), 'utf8'),
      counted: m.stats.lines,
    };
  };
  return { m, inner, outcome, lines };
}

/** The text path alone, line by line: what the monitor did before it read bytes. */
async function byText(log: string): Promise<Outcome> {
  const { inner, outcome } = monitor();
  const rows = log.split('\n');
  rows.pop();
  // As the splitter would give them: a line over the cap cut with its mark.
  inner.ingest(rows.map((l) => (l.length > 65536 ? `${l.slice(0, 65536)} …[cut]` : l)), null);
  return outcome();
}

async function byChunks(log: string, seed: number): Promise<Outcome & { m: DeviceMonitor }> {
  const { m, inner, outcome } = monitor();
  const bytes = Buffer.from(log, 'utf8');
  const r = rng(seed);
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(r() * (r() < 0.2 ? 40 : 9000));
    // A fresh buffer per chunk, as a socket gives them.
    inner.onChunk(Buffer.from(bytes.subarray(at, at + size)));
    at += size;
  }
  inner.flushPartial();
  return { ...(await outcome()), m };
}

describe('the byte path and the text path agree', () => {
  it('on a log the byte path reads whole: lines, app flags, events and raw bytes', async () => {
    for (const seed of [1, 2, 3]) {
      const log = phoneLog(seed, 4000, false);
      const text = await byText(log);
      const bytes = await byChunks(log, seed * 7);
      expect(bytes.counted).toBe(4000);
      expect(bytes.lines).toEqual(text.lines);
      expect(bytes.events).toEqual(text.events);
      expect(bytes.raw).toBe(log);
      expect(text.raw).toBe(log);
      // The log was built to exercise the focus: the app's start, its lines, events for it.
      expect(bytes.events.map((e) => e.type)).toEqual(expect.arrayContaining(['process.start', 'permission.result', 'identifier.access', 'process.death']));
      expect(bytes.lines.filter((l) => l.app).length).toBeGreaterThan(400);
      expect(bytes.lines.filter((l) => !l.app).length).toBeGreaterThan(1000);
    }
  });

  it('on a log full of what the byte path hands to the text path', async () => {
    for (const seed of [4, 5, 6, 7]) {
      const log = phoneLog(seed, 3000, true);
      const text = await byText(log);
      const bytes = await byChunks(log, seed * 11);
      expect(bytes.lines).toEqual(text.lines);
      expect(bytes.events).toEqual(text.events);
      expect(bytes.counted).toBe(text.counted);
      // No terminal control reaches a line; the raw log holds no torn line.
      expect(bytes.lines.some((l) => /[\u001b\u009b\u202e]/.test(l.message))).toBe(false);
      expect(bytes.raw.split('\n').every((l) => l === '' || /^(\d{4}-|\d\d-|plain|--)/.test(l) || l.startsWith('z'))).toBe(true);
    }
  });

  it('makes only the lines the consumer keeps and reports the rest as skipped, the newest kept', async () => {
    const log = phoneLog(9, 5000, false);
    const text = await byText(log);
    const sent: MonitoredLine[][] = [];
    let dropped = 0;
    const throttle = new LineThrottle<MonitoredLine>((lines, d) => {
      sent.push(lines);
      dropped += d;
    }, 50, 1_000_000);
    const { inner, outcome } = monitor({ wanted: () => throttle.room(), skipped: (n) => throttle.skip(n), onLines: (l) => throttle.push(l) });
    inner.onChunk(Buffer.from(log));
    throttle.flush();
    const got = await outcome();
    expect(got.counted).toBe(5000);
    expect(sent.flat().map((l) => l.raw)).toEqual(text.lines.slice(-50).map((l) => l.raw));
    expect(sent.flat().map((l) => l.app)).toEqual(text.lines.slice(-50).map((l) => l.app));
    expect(dropped).toBe(4950);
    // Events do not depend on what the UI is sent.
    expect(got.events).toEqual(text.events);
  });
});
