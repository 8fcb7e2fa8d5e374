// Event batching: a quiet stream goes out at once; a busy one in batches, at most one per interval.
import { describe, expect, it } from 'vitest';

describe('latency by design', () => {
  it('a lone event goes out at once; under load batches come at most once per interval', async () => {
    const { EventHub } = await import('../../../src-main/bridge/event-hub.js');
    const hub = new EventHub();
    const arrivals: number[] = [];
    hub.subscribe(() => arrivals.push(performance.now()));
    const t0 = performance.now();
    hub.emit('adb', { state: 'running', adbPath: null, source: 'path', serverPort: 1, error: null } as never);
    await new Promise((r) => setTimeout(r, 30));
    expect(arrivals.length).toBe(1);
    expect(arrivals[0]! - t0).toBeLessThan(25);
    // 300 ms of an event every millisecond: batched, not one message per event.
    const until = performance.now() + 300;
    while (performance.now() < until) {
      hub.emit('adb', { state: 'running', adbPath: null, source: 'path', serverPort: 2, error: null } as never);
      await new Promise((r) => setTimeout(r, 1));
    }
    await new Promise((r) => setTimeout(r, 60));
    const busy = arrivals.slice(1);
    expect(busy.length).toBeLessThanOrEqual(10);
    for (let i = 1; i < busy.length; i++) expect(busy[i]! - busy[i - 1]!).toBeGreaterThan(30);
  });
});

describe('LineThrottle', () => {
  it('sends a lone line at once and batches a flood per window', async () => {
    const { LineThrottle } = await import('../../../src-main/core/monitor/line-throttle.js');
    const sends: Array<{ at: number; n: number }> = [];
    const t = new LineThrottle((lines) => sends.push({ at: performance.now(), n: lines.length }), 1000, 50);
    const t0 = performance.now();
    t.push([{ time: 0, pid: 1, priority: 'I', tag: 'x', message: 'dialog', app: true }]);
    await new Promise((r) => setTimeout(r, 30));
    expect(sends).toHaveLength(1);
    expect(sends[0]!.at - t0).toBeLessThan(25);
  });
});
