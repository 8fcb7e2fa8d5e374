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
  it('sends a lone line at once and batches a flood per window', () => {
    const sends: Array<{ at: number; n: number }> = [];
    const t = new LineThrottle((lines) => sends.push({ at: Date.now(), n: lines.length }), 1000, 50);
    const line = { time: 0, pid: 1, priority: 'I' as const, tag: 'x', message: 'dialog', app: true };
    const t0 = Date.now();
    t.push([line]);
    vi.advanceTimersByTime(0);
    expect(sends).toEqual([{ at: t0, n: 1 }]);
    for (let i = 0; i < 200; i++) {
      t.push([line, line]);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    for (let i = 2; i < sends.length; i++) expect(sends[i]!.at - sends[i - 1]!.at).toBeGreaterThanOrEqual(50);
    expect(sends.reduce((n, s) => n + s.n, 0)).toBe(401);
  });
});
