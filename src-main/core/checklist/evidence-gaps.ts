/**
 * Holes in the evidence an item stands on: the log.gap events (lines the phone dropped or folded, a restarted
 * logcat, the clock going back) inside the item's window — the spans of its stages, or the whole session when
 * none of them was marked — that concern the app under test or the whole phone (another app's folded lines hide
 * nothing of this one). A proposal judged from the log whose window has one cannot say "nothing seen": it says
 * the evidence has a gap there ("insufficient evidence"); a violation stays one, with the gap named beside it.
 */
import type { Proposal } from '../../../src-preload/checklist.js';
import { gapText } from '../../../src-preload/gap-text.js';
import { time } from '../evidence/event-time.js';
import type { Outcome } from './evaluators/proposal.js';
import type { TimelineFacts } from './timeline-facts.js';

/** Gaps named in an explanation (the rest are counted, and all are in the evidence up to MAX_EVIDENCE). */
const MAX_NAMED = 3;
const MAX_EVIDENCE = 50;

export function gapsInWindow(f: TimelineFacts, stages: readonly string[]): Array<{ seq: number; t: number; text: { zh: string; en: string } }> {
  const spans = stages.flatMap((id) => f.stageSpans(id));
  const out: Array<{ seq: number; t: number; text: { zh: string; en: string } }> = [];
  for (const g of f.events('log.gap')) {
    const e = g.event;
    if (e.packageName !== null && e.packageName !== f.packageName) continue;
    // The hole's edges on the facts' time axis (a chatty line knows only its end; a restart at the end of a log only its start).
    const end = g.t;
    const start = e.from !== null && e.to !== null ? end - (e.to - e.from) : end;
    const lo = Math.min(start, end);
    const hi = Math.max(start, end);
    if (spans.length && !spans.some((s) => lo < s.end && hi >= s.start)) continue;
    out.push({ seq: g.seq, t: g.t, text: gapText(e, (ms) => time(ms)) });
  }
  return out;
}

/** The proposal with the window's gaps said: "nothing seen" becomes "the evidence has a gap". */
export function withGaps(p: Proposal, gaps: ReturnType<typeof gapsInWindow>): Proposal {
  if (!gaps.length) return p;
  const named = gaps.slice(0, MAX_NAMED);
  const more = gaps.length - named.length;
  const zh = `日志在本项的时间窗口内有 ${gaps.length} 处缺口：${named.map((g) => g.text.zh).join('；')}${more ? `；另有 ${more} 处` : ''}`;
  const en = `the log has ${gaps.length} gap${gaps.length === 1 ? '' : 's'} in this item's window: ${named.map((g) => g.text.en).join('; ')}${more ? `; ${more} more` : ''}`;
  const evidence = [...new Set([...p.evidence, ...gaps.slice(0, MAX_EVIDENCE).map((g) => g.seq)])].sort((a, b) => a - b);
  if (p.status === 'none-observed') {
    return { ...p, status: 'insufficient-evidence', evidence, explanation: { zh: `${p.explanation.zh}但${zh}，未观察到不能证明没有发生。`, en: `${p.explanation.en} But ${en}: not seeing it does not show it did not happen.` } };
  }
  return { ...p, evidence, explanation: { zh: `${p.explanation.zh}（另：${zh}。）`, en: `${p.explanation.en} (Also, ${en}.)` } };
}

export type { Outcome };
