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
    case 'process.killed': return 'process.killed';
    case 'identifier.access': return 'identifier.read';
    case 'app.crash': return e.crash === 'java' ? 'crash' : e.crash === 'native' ? 'native-crash' : 'anr';
    // Foreground-service starts (the only service-start line Android 12+ prints), allowed or refused.
    case 'intent.start': return e.kind === 'service' ? 'service.start' : null;
    case 'start.blocked': return e.blocker === 'android' ? 'background-start.blocked' : 'autostart.blocked';
    case 'app.displayed': return 'app.displayed';
    case 'package.updated': return 'package.updated';
    case 'sensitive.access':
      switch (e.data) {
        case 'clipboard': return e.outcome === 'allowed' ? 'clipboard.read' : e.outcome === 'denied' ? 'clipboard.denied' : null;
        case 'oaid': return 'oaid.lookup';
        case 'cell-info': return e.outcome === 'denied' ? 'cell.blocked' : 'cell.read';
        case 'wifi-info': return 'wifi.read';
        case 'running-apps': case 'foreground-app': return 'tasks.read';
        default: return null;
      }
    // Lines the phone dropped (chatty); a restart or a clock going back is a gap too, but no line count the corpus has.
    case 'log.gap': return e.reason.startsWith('chatty') ? 'lines.dropped' : null;
    default: return null;
  }
}

interface Found {
  kind: string;
  /** The file lines the event was read from (replay's sourceLines). */
  lines: number[];
  package: string | null;
  event: MonitorEvent;
}

function replayCapture(file: string): Found[] {
  const text = readFileSync(join(DIR, file), 'utf8');
  const lines = text.split('\n');
  const replayer = new Replayer({ packageName: null, year: 2026, offsetMinutes: 0 });
  const found: Found[] = [];
  let seen = 0;
  const take = (at: number): void => {
    const events = replayer.emitted;
    for (; seen < events.length; seen++) {
      const e = events[seen]!;
      const kind = corpusKind(e);
      if (kind) found.push({ kind, lines: e.sourceLines ?? [at], package: e.packageName, event: e });
    }
  };
  lines.forEach((line, i) => {
    replayer.line(line);
    take(i + 1);
  });
  // What the end of the log closes (a crash still waiting for its next line, an events-buffer line) counts too.
  replayer.finish();
  take(lines.length);
  return found;
}

const captures = readdirSync(DIR).filter((f) => /^\d\d-.*\.(txt|log)$/.test(f)).sort();

describe('real logcat captures', () => {
  it('the corpus is there: at least 30 captures, each with its expectations', () => {
    expect(captures.length).toBeGreaterThanOrEqual(30);
    for (const c of captures) expect(readdirSync(DIR)).toContain(c.replace(/\.(txt|log)$/, '.expected.json'));
  });

  it('replay finds what a tester wants in them: recall ≥ 90 % and precision ≥ 95 % overall', () => {
    type Tally = Map<string, { expected: number; found: number; matched: number }>;
    const tally = (t: Tally, kind: string) => t.get(kind) ?? t.set(kind, { expected: 0, found: 0, matched: 0 }).get(kind)!;
    const perKind: Tally = new Map();
    /** The threadtime captures (the events buffer printed in threadtime too): what the monitors read before #24's formats. */
    const threadtime: Tally = new Map();
    const perCapture: string[] = [];
    const misses: string[] = [];
    const extras: string[] = [];
    for (const capture of captures) {
      const spec = JSON.parse(readFileSync(join(DIR, capture.replace(/\.(txt|log)$/, '.expected.json')), 'utf8')) as { format: string; signals: Expectation[] };
      const expected = spec.signals;
      const isThreadtime = /^threadtime|-v threadtime/.test(spec.format);
      const found = replayCapture(capture);
      const used = new Set<Found>();
      let matched = 0;
      for (const x of expected) {
        tally(perKind, x.kind).expected++;
        if (isThreadtime) tally(threadtime, x.kind).expected++;
        const hit = found.find((f) => !used.has(f) && f.kind === x.kind && f.lines.includes(x.line) && (!x.package || !f.package || f.package === x.package));
        if (hit) {
          used.add(hit);
          matched++;
          tally(perKind, x.kind).matched++;
          if (isThreadtime) tally(threadtime, x.kind).matched++;
        } else misses.push(`${capture}:${x.line} ${x.kind} ${x.package ?? ''} — ${x.detail ?? ''}`);
      }
      for (const f of found) {
        tally(perKind, f.kind).found++;
        if (isThreadtime) tally(threadtime, f.kind).found++;
        if (!used.has(f)) extras.push(`${capture}:${f.lines.join('/')} ${f.kind} ${f.package ?? ''} — ${f.event.raw[0]?.slice(0, 160) ?? ''}`);
      }
      perCapture.push(`${capture.slice(0, 52).padEnd(52)} ${spec.format.slice(0, 28).padEnd(28)} ${String(expected.length).padStart(4)} ${String(found.length).padStart(6)} ${String(matched).padStart(8)}`);
    }
    const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)} %` : '—');
    const row = (kind: string, t: { expected: number; found: number; matched: number }) => `${kind.padEnd(26)} ${String(t.expected).padStart(5)} ${String(t.found).padStart(6)} ${String(t.matched).padStart(8)}   recall ${pct(t.matched, t.expected).padStart(8)}   precision ${pct(t.matched, t.found).padStart(8)}`;
    const sum = (t: Tally) => [...t.values()].reduce((s, x) => ({ expected: s.expected + x.expected, found: s.found + x.found, matched: s.matched + x.matched }), { expected: 0, found: 0, matched: 0 });
    const table = (t: Tally) => [`${'kind'.padEnd(26)} expected  found  matched`, ...[...t].sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => row(k, x)), row('overall', sum(t))];
    const total = sum(perKind);
    console.log([
      `real logcat corpus: ${captures.length} captures`, ...table(perKind),
      '', 'threadtime captures only:', ...table(threadtime),
      '', `${'capture'.padEnd(52)} ${'format'.padEnd(28)} expected  found  matched`, ...perCapture,
      '', `missed (first 60 of ${misses.length}):`, ...misses.slice(0, 60), '', `not expected (first 40 of ${extras.length}):`, ...extras.slice(0, 40),
    ].join('\n'));
    expect(total.matched / total.expected, 'overall recall').toBeGreaterThanOrEqual(0.9);
    expect(total.matched / Math.max(1, total.found), 'overall precision').toBeGreaterThanOrEqual(0.95);
  });
});
