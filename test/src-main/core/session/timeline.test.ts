/**
 * The hash-chained timeline: lines chain as appended and on reopen; a torn last line is set aside and
 * reported, never dropped; a chain broken in the middle refuses to append; appends are fast.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineHash, scanTimeline, Session, TimelineWriter, ZERO_HASH } from '../../../../src-main/core/session/index.js';
import { makeSession } from '../../../support/evidence-fixtures.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'timeline-'));

describe('TimelineWriter', () => {
  it('chains lines (first prev is 64 zeros, each prev the SHA-256 of the line before without its newline)', async () => {
    const file = join(tmp(), 'timeline.jsonl');
    const w = new TimelineWriter(file);
    for (let i = 0; i < 5; i++) expect(w.append({ i })).toBe(i + 1);
    await w.close();
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[0]!).prev).toBe(ZERO_HASH);
    for (let i = 1; i < 5; i++) expect(JSON.parse(lines[i]!)).toMatchObject({ seq: i + 1, prev: lineHash(lines[i - 1]!) });
    expect(scanTimeline(file)).toMatchObject({ count: 5, head: lineHash(lines[4]!), broken: null, tornBytes: 0 });
  });

  it('reopening continues the chain', async () => {
    const file = join(tmp(), 'timeline.jsonl');
    const a = new TimelineWriter(file);
    a.append({ a: 1 });
    a.append({ a: 2 });
    await a.close();
    const b = new TimelineWriter(file);
    expect(b.count).toBe(2);
    expect(b.append({ b: 3 })).toBe(3);
    await b.close();
    expect(scanTimeline(file)).toMatchObject({ count: 3, broken: null });
  });

  it('sets a torn last line aside into its own file, reports it, and continues the chain', async () => {
    const dir = tmp();
    await makeSession(join(dir, 's'), { state: 'recording', events: 3 });
    const file = join(dir, 's', 'timeline.jsonl');
    const before = scanTimeline(file);
    const torn = '{"seq":99,"prev":"abc","event":{"type":"appop.acc';
    appendFileSync(file, torn);
    const s = Session.open(join(dir, 's'));
    expect(s.writer.recovery?.tornBytes).toBe(Buffer.byteLength(torn));
    expect(readFileSync(s.writer.recovery!.tornFile!, 'utf8')).toBe(torn);
    expect(s.meta.recoveries).toHaveLength(1);
    await s.release();
    const after = scanTimeline(file);
    expect(after.broken).toBeNull();
    expect(after.count).toBe(before.count + 1);
    const last = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').pop()!);
    expect(last.event).toMatchObject({ type: 'session.recovered', tornBytes: Buffer.byteLength(torn) });
  });

  it('refuses to append to a chain edited by hand, leaving the file as it was', () => {
    const file = join(tmp(), 'timeline.jsonl');
    const w = new TimelineWriter(file);
    for (let i = 0; i < 4; i++) w.append({ i });
    return w.close().then(() => {
      const text = readFileSync(file, 'utf8').replace('{"i":1}', '{"i":7}');
      writeFileSync(file, text);
      expect(() => new TimelineWriter(file)).toThrow(/line 3: prev does not equal the SHA-256 of line 2/);
      expect(readFileSync(file, 'utf8')).toBe(text);
    });
  });

  it('appends at well over 50,000 events/s with chaining (benchmark: npm run bench)', async () => {
    const w = new TimelineWriter(join(tmp(), 'timeline.jsonl'));
    const event = { seq: 0, serial: '127.0.0.1:5555', packageName: 'com.demo.shop', hostTime: Date.now(), deviceTime: Date.now(), source: 'appops', raw: ['11-30 13:00:00.000 1000 1000 I AppOps: noteOperation READ_PHONE_STATE uid 10123 com.demo.shop'], type: 'appop.access', op: 'READ_PHONE_STATE', uidState: 'top', flags: 'self', accessTime: null };
    const n = 100_000;
    const t = performance.now();
    for (let i = 0; i < n; i++) w.append({ ...event, seq: i });
    await w.flush();
    const rate = n / ((performance.now() - t) / 1000);
    await w.close();
    // The goal is 50,000/s; the bound here is looser so a busy CI machine does not fail it.
    expect(rate).toBeGreaterThan(25_000);
  });
});
