// Under a flood the Logs panel gets bounded batches and a count of what it was not sent.
import { describe, expect, it } from 'vitest';
import { LineThrottle } from '../../../../src-main/core/monitor/line-throttle.js';

const line = (i: number) => ({ time: i, pid: 1, priority: 'I' as const, tag: 'T', message: String(i), app: true });

describe('LineThrottle', () => {
  it('sends at most perWindow lines per window, newest kept, and counts the rest', async () => {
    const sent: Array<[number, number, string]> = [];
    const th = new LineThrottle<ReturnType<typeof line>>((lines, dropped) => sent.push([lines.length, dropped, lines.at(-1)?.message ?? '']), 100, 20);
    th.push(Array.from({ length: 60 }, (_, i) => line(i)));
    th.push(Array.from({ length: 90 }, (_, i) => line(60 + i)));
    await new Promise((r) => setTimeout(r, 40));
    expect(sent).toEqual([[100, 50, '149']]);
    th.push([line(1)]);
    th.flush();
    expect(sent[1]).toEqual([1, 0, '1']);
  });

  it('sends lines on at once while the window has room, and makes only a full window wait', async () => {
    const sent: Array<{ at: number; n: number; dropped: number }> = [];
    const t0 = Date.now();
    const th = new LineThrottle<ReturnType<typeof line>>((lines, dropped) => sent.push({ at: Date.now() - t0, n: lines.length, dropped }), 100, 200);
    // Background chatter well under the cap: each tick's lines go out in that tick's batch, not a window later.
    for (let i = 0; i < 5; i++) {
      th.push([line(i), line(i + 100)]);
      await new Promise((r) => setImmediate(r));
      expect(sent.length).toBe(i + 1);
    }
    expect(sent.every((b) => b.n === 2 && b.at < 100)).toBe(true);
    // A flood would overfill the window: it waits for the next one, at most a window's worth, the rest counted.
    th.push(Array.from({ length: 150 }, (_, i) => line(i)));
    await new Promise((r) => setImmediate(r));
    th.push(Array.from({ length: 150 }, (_, i) => line(1000 + i)));
    await new Promise((r) => setImmediate(r));
    expect(sent.length).toBe(5);
    await new Promise((r) => setTimeout(r, 250));
    expect(sent.length).toBe(6);
    expect(sent[5]).toMatchObject({ n: 100, dropped: 200 });
    expect(sent[5]!.at).toBeGreaterThanOrEqual(150);
  });
});
