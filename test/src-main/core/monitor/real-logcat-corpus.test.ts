/**
 * The monitors against real phones' logs: every capture of test/fixtures/real-logcat/ (public sources, named in
 * SOURCES.md, lines kept as found) is replayed, and the events are compared with the hand-counted expectations
 * (kind, line, package). Prints recall and precision per kind and overall, and gates them (issue #24: overall
 * recall ≥ 90 %, precision ≥ 95 %). An event counts for the lines it was read from (its `sourceLines`: the line
 * that completed it and, for a two-line record such as `-v long`/MatLog or a continued entry, the header line
 * before it; the line during which the replayer emitted it when it names none); it matches an expectation of
 * the same kind on one of those lines, and of the same package where both name one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../../../src-preload/monitor-events.js';
import { Replayer } from '../../../../src-main/core/monitor/replay.js';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'real-logcat');

interface Expectation {
  kind: string;
  line: number;
  package: string | null;
  detail?: string;
}

/**
 * The corpus kind an event stands for (null: not a kind the corpus counts). Owned with the extractors: a new
 * event type that shows one of these signals is mapped here.
 */
function corpusKind(e: MonitorEvent): string | null {
  switch (e.type) {
    case 'permission.dialog': return 'permission.dialog';
    case 'permission.result': return 'permission.result';
    case 'process.start': return 'process.start';
    case 'process.death': return 'process.death';
    case 'identifier.access': return 'identifier.read';
    default: return null;
  }
}

interface Found {
  kind: string;
  lines: number[];
  package: string | null;
  event: MonitorEvent;
}

function replayCapture(file: string): Found[] {
  const text = readFileSync(join(DIR, file), 'utf8');
  const replayer = new Replayer({ packageName: null, year: 2026, offsetMinutes: 0 });
  const found: Found[] = [];
  let seen = 0;
  text.split('\n').forEach((line, i) => {
    replayer.line(line);
    const events = replayer.emitted;
    for (; seen < events.length; seen++) {
      const e = events[seen]!;
      const kind = corpusKind(e);
      if (kind) found.push({ kind, lines: e.sourceLines ?? [i + 1], package: e.packageName, event: e });
    }
  });
  replayer.finish();
  return found;
}

const captures = readdirSync(DIR).filter((f) => /^\d\d-.*\.(txt|log)$/.test(f)).sort();

describe('real logcat captures', () => {
  it('the corpus is there: at least 30 captures, each with its expectations', () => {
    expect(captures.length).toBeGreaterThanOrEqual(30);
    for (const c of captures) expect(readdirSync(DIR)).toContain(c.replace(/\.(txt|log)$/, '.expected.json'));
  });

  it('replay finds what a tester wants in them: recall ≥ 90 % and precision ≥ 95 % overall', () => {
    const perKind = new Map<string, { expected: number; found: number; matched: number }>();
    const tally = (kind: string) => perKind.get(kind) ?? perKind.set(kind, { expected: 0, found: 0, matched: 0 }).get(kind)!;
    const misses: string[] = [];
    const extras: string[] = [];
    for (const capture of captures) {
      const expected = (JSON.parse(readFileSync(join(DIR, capture.replace(/\.(txt|log)$/, '.expected.json')), 'utf8')) as { signals: Expectation[] }).signals;
      const found = replayCapture(capture);
      const used = new Set<Found>();
      for (const x of expected) {
        tally(x.kind).expected++;
        const hit = found.find((f) => !used.has(f) && f.kind === x.kind && f.lines.includes(x.line) && (!x.package || !f.package || f.package === x.package));
        if (hit) {
          used.add(hit);
          tally(x.kind).matched++;
        } else misses.push(`${capture}:${x.line} ${x.kind} ${x.package ?? ''} — ${x.detail ?? ''}`);
      }
      for (const f of found) {
        tally(f.kind).found++;
        if (!used.has(f)) extras.push(`${capture}:${f.lines.join('/')} ${f.kind} ${f.package ?? ''} — ${f.event.raw[0]?.slice(0, 160) ?? ''}`);
      }
    }
    const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)} %` : '—');
    const rows = [...perKind].sort(([a], [b]) => a.localeCompare(b)).map(([kind, t]) => `${kind.padEnd(26)} ${String(t.expected).padStart(5)} ${String(t.found).padStart(6)} ${String(t.matched).padStart(8)}   recall ${pct(t.matched, t.expected).padStart(8)}   precision ${pct(t.matched, t.found).padStart(8)}`);
    const total = [...perKind.values()].reduce((s, t) => ({ expected: s.expected + t.expected, found: s.found + t.found, matched: s.matched + t.matched }), { expected: 0, found: 0, matched: 0 });
    console.log([
      `real logcat corpus: ${captures.length} captures`,
      `${'kind'.padEnd(26)} expected  found  matched`,
      ...rows,
      `${'overall'.padEnd(26)} ${String(total.expected).padStart(5)} ${String(total.found).padStart(6)} ${String(total.matched).padStart(8)}   recall ${pct(total.matched, total.expected).padStart(8)}   precision ${pct(total.matched, total.found).padStart(8)}`,
      '', `missed (first 40 of ${misses.length}):`, ...misses.slice(0, 40), '', `not expected (first 40 of ${extras.length}):`, ...extras.slice(0, 40),
    ].join('\n'));
    expect(total.matched / total.expected, 'overall recall').toBeGreaterThanOrEqual(0.9);
    expect(total.matched / Math.max(1, total.found), 'overall precision').toBeGreaterThanOrEqual(0.95);
  });
});
