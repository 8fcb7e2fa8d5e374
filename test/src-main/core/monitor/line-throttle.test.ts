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
});
