/**
 * The explorer's walks in a session, as the Explore stage shows them: each `explore.started` opens a walk, its
 * `explore.step`s count taps and screens and keep the latest few, its `explore.result` (or the session problem
 * `explore.failed`) closes it; beside them, the screenshots and UI dumps the explorer captured, by seq, so a
 * finding's evidence can be shown as pictures. Folded page by page as the timeline is read (the whole timeline
 * once, then what was appended), bounded in what it keeps. A session folder is untrusted: a field that is not what
 * it claims is skipped, never thrown on. Pure: no DOM, no bridge.
 */
import type { TimelineEntry } from '../../../src-preload/api';
import type { ExploreLimits, ExploreStep, ExploreSummary } from '../../../src-preload/explore';
import type { BlobRef, CaptureKind } from '../../../src-preload/monitor-events';

/** Steps a walk keeps to show (the latest); the rest are counted. */
export const RECENT_STEPS = 8;
/** Walks kept (the latest); earlier ones are dropped. */
export const MAX_WALKS = 20;
/** Explorer captures kept by seq (a walk captures two per screen and is bounded by its screen limit). */
export const MAX_CAPTURES = 4000;

export interface WalkView {
  /** Seq of the walk's `explore.started` (of its first event, when the start is missing). */
  startSeq: number;
  /** Host time the walk started (ms). */
  startedAt: number;
  limits: ExploreLimits | null;
  /** The highest tap count a step reported (taps include closing pop-ups and retracing a path). */
  taps: number;
  /** New screens reached. */
  screens: number;
  /** Host time of the walk's latest event. */
  lastAt: number;
  recent: Array<{ seq: number; step: ExploreStep }>;
  result: { seq: number; summary: ExploreSummary } | null;
  /** The walk failed without a result (the session problem `explore.failed`): its message. */
  failed: { seq: number; message: string } | null;
}

export interface ExploreCapture {
  kind: CaptureKind;
  blob: BlobRef;
}

export interface ExploreView {
  walks: readonly WalkView[];
  captures: ReadonlyMap<number, ExploreCapture>;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

export class ExploreLedger {
  /** The last seq folded in: the next page is read after it. */
  lastSeq = 0;
  private walks: WalkView[] = [];
  private captures = new Map<number, ExploreCapture>();
  private changed = true;
  private snapshot: ExploreView = { walks: [], captures: new Map() };

  addPage(entries: readonly TimelineEntry[]): void {
    for (const e of entries) {
      if (!isObj(e) || !isNum(e.seq) || e.seq <= this.lastSeq || !isObj(e.event)) continue;
      this.lastSeq = e.seq;
      this.add(e.seq, e.event as unknown as Record<string, unknown>);
    }
  }

  /** What the view shows; the same object until a page changes it. */
  view(): ExploreView {
    if (this.changed) {
      this.snapshot = { walks: this.walks.map((w) => ({ ...w, recent: [...w.recent] })), captures: new Map(this.captures) };
      this.changed = false;
    }
    return this.snapshot;
  }

  private add(seq: number, ev: Record<string, unknown>): void {
    const at = isNum(ev.hostTime) ? ev.hostTime : 0;
    switch (ev.type) {
      case 'explore.started':
        this.open(seq, at, isObj(ev.limits) ? (ev.limits as unknown as ExploreLimits) : null);
        break;
      case 'explore.step': {
        if (!isObj(ev.step) || typeof ev.step.kind !== 'string') return;
        const step = ev.step as unknown as ExploreStep;
        const walk = this.current(seq, at);
        if (step.kind === 'tap' && isNum(step.tap)) walk.taps = Math.max(walk.taps, step.tap);
        if (step.kind === 'screen') walk.screens++;
        walk.recent.push({ seq, step });
        if (walk.recent.length > RECENT_STEPS) walk.recent.shift();
        walk.lastAt = at;
        break;
      }
      case 'explore.result': {
        if (!isObj(ev.summary) || !Array.isArray(ev.summary.targets)) return;
        const summary = ev.summary as unknown as ExploreSummary;
        const walk = this.current(seq, at);
        walk.result = { seq, summary };
        if (isNum(summary.taps)) walk.taps = summary.taps;
        if (isNum(summary.screens)) walk.screens = summary.screens;
        walk.lastAt = at;
        break;
      }
      case 'session.problem': {
        if (ev.code !== 'explore.failed') return;
        const walk = this.current(seq, at);
        walk.failed = { seq, message: typeof ev.message === 'string' ? ev.message.slice(0, 500) : '' };
        walk.lastAt = at;
        break;
      }
      case 'capture': {
        // The explorer names what it captures "explorer: …" (session-explore.ts); other captures are not its evidence.
        if (typeof ev.name !== 'string' || !ev.name.startsWith('explorer:') || !isObj(ev.blob) || typeof ev.blob.path !== 'string') return;
        if (ev.kind !== 'screenshot' && ev.kind !== 'ui.dump') return;
        this.captures.set(seq, { kind: ev.kind, blob: ev.blob as unknown as BlobRef });
        if (this.captures.size > MAX_CAPTURES) this.captures.delete(this.captures.keys().next().value!);
        break;
      }
      default:
        return;
    }
    this.changed = true;
  }

  private open(seq: number, at: number, limits: ExploreLimits | null): WalkView {
    const walk: WalkView = { startSeq: seq, startedAt: at, limits, taps: 0, screens: 0, lastAt: at, recent: [], result: null, failed: null };
    this.walks.push(walk);
    if (this.walks.length > MAX_WALKS) this.walks.shift();
    return walk;
  }

  /** The walk an event belongs to: the open one, or a new one when the last has ended (its start was not read). */
  private current(seq: number, at: number): WalkView {
    const last = this.walks[this.walks.length - 1];
    return last && !last.result && !last.failed ? last : this.open(seq, at, null);
  }
}

/** One screen along a finding's path, with what was captured on arriving: `afterTap` null is the main screen. */
export interface EvidenceScreen {
  /** Taps from the main screen. */
  taps: number;
  /** The label of the tap that opened it (the app's words); null for the main screen. */
  afterTap: string | null;
  screenshot: number | null;
  uiDump: number | null;
}

type FoundTarget = Extract<ExploreSummary['targets'][number], { found: true }>;

/**
 * A finding's evidence as the screens of its path: the walk lists, per screen of the path and then the page it
 * opens, the screenshot's seq (when one was taken) and the UI dump's (walker.ts, evidenceAlong), so a dump ends a
 * screen's pair. A list that does not read so (an older or a hand-edited session) is given seq by seq, unnamed.
 */
export function evidenceScreens(target: FoundTarget, captures: ReadonlyMap<number, ExploreCapture>): EvidenceScreen[] {
  const path = Array.isArray(target.path) ? target.path : [];
  const evidence = Array.isArray(target.evidence) ? target.evidence.filter(isNum) : [];
  const pairs: Array<{ screenshot: number | null; uiDump: number | null }> = [];
  let open: { screenshot: number | null; uiDump: number | null } | null = null;
  let readable = true;
  for (const seq of evidence) {
    const kind = captures.get(seq)?.kind;
    if (kind === 'screenshot') {
      if (open) pairs.push(open);
      open = { screenshot: seq, uiDump: null };
    } else if (kind === 'ui.dump') {
      pairs.push({ screenshot: open?.screenshot ?? null, uiDump: seq });
      open = null;
    } else readable = false;
  }
  if (open) pairs.push(open);
  // The screens the walk named: those the path's taps were made on, the one the target was read on, and the page it opens.
  const screens: string[] = [];
  for (const id of [...path.map((p) => p?.screen), target.screen]) if (typeof id === 'string' && !screens.includes(id)) screens.push(id);
  const landed = path.length === target.taps && target.landing && typeof target.landing.screen === 'string' && !screens.includes(target.landing.screen);
  if (landed) screens.push(target.landing!.screen);
  if (readable && pairs.length === screens.length && screens.length <= path.length + 1) {
    return pairs.map((p, i) => ({ taps: i, afterTap: i === 0 ? null : typeof path[i - 1]?.label === 'string' ? path[i - 1]!.label : '?', ...p }));
  }
  return evidence.map((seq) => ({ taps: -1, afterTap: null, screenshot: captures.get(seq)?.kind === 'screenshot' ? seq : null, uiDump: captures.get(seq)?.kind === 'ui.dump' ? seq : null }))
    .filter((e) => e.screenshot !== null || e.uiDump !== null);
}
