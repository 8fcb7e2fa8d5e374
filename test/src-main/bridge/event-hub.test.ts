// Event batching: a quiet stream goes out at once; a busy one in batches, at most one per interval. Fake
// timers make it exact: "at once" means before any time passes, whatever the machine's load.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventHub, FLUSH_MS } from '../../../src-main/bridge/event-hub.js';
import { LineThrottle } from '../../../src-main/core/monitor/line-throttle.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const adbState = (port: number) => ({ state: 'running', adbPath: null, source: 'path', serverPort: port, error: null }) as never;

describe('latency by design', () => {
  it('a lone event goes out at once; under load batches come at most once per interval', () => {
    const hub = new EventHub();
    const arrivals: number[] = [];
    hub.subscribe(() => arrivals.push(Date.now()));
    const t0 = Date.now();
    hub.emit('adb', adbState(1));
    vi.advanceTimersByTime(0);
    expect(arrivals).toEqual([t0]);
    // 300 ms of an event every millisecond: batched, never two batches within one flush interval.
    for (let i = 0; i < 300; i++) {
      hub.emit('adb', adbState(2));
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    const busy = arrivals.slice(1);
    expect(busy.length).toBeGreaterThan(300 / FLUSH_MS / 2);
    expect(busy.length).toBeLessThanOrEqual(Math.ceil(400 / FLUSH_MS));
    for (let i = 1; i < busy.length; i++) expect(busy[i]! - busy[i - 1]!).toBeGreaterThanOrEqual(FLUSH_MS);
  });
});

describe('LineThrottle', () => {
  it('sends a lone line at once, chatter under the cap at once, and a flood at most perWindow lines per window', () => {
    const sends: Array<{ at: number; n: number; dropped: number }> = [];
    const t = new LineThrottle((lines, dropped) => sends.push({ at: Date.now(), n: lines.length, dropped }), 1000, 50);
    const line = { time: 0, pid: 1, priority: 'I' as const, tag: 'x', message: 'dialog', app: true };
    const t0 = Date.now();
    t.push([line]);
    vi.advanceTimersByTime(0);
    expect(sends).toEqual([{ at: t0, n: 1, dropped: 0 }]);
    // 2 lines a millisecond (40 per 50 ms window, far under 1000): every tick's lines go on in that tick.
    for (let i = 0; i < 200; i++) {
      const at = Date.now();
      t.push([line, line]);
      vi.advanceTimersByTime(0);
      expect(sends.at(-1)).toEqual({ at, n: 2, dropped: 0 });
      vi.advanceTimersByTime(1);
    }
    // 100 lines a millisecond (5000 per window): at most 1000 lines per window reach the page (windows follow
    // each other, so any 50 ms sees at most two windows' worth), the rest counted.
    const floodStart = sends.length;
    const floodT0 = Date.now();
    for (let i = 0; i < 300; i++) {
      t.push(Array.from({ length: 100 }, () => line));
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    const flood = sends.slice(floodStart);
    for (const s of flood) expect(flood.filter((o) => o.at >= s.at && o.at < s.at + 50).reduce((n, o) => n + o.n, 0)).toBeLessThanOrEqual(2000);
    expect(flood.reduce((n, o) => n + o.n, 0)).toBeLessThanOrEqual(1000 * Math.ceil((Date.now() - floodT0) / 50 + 1));
    expect(flood.reduce((n, o) => n + o.n + o.dropped, 0)).toBe(30_000);
    expect(flood.reduce((n, o) => n + o.n, 0)).toBeGreaterThan(5000);
  });
});
