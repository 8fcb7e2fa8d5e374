/** One line of plain English per event, for the CLI's readable output: the shared description's English, times in UTC. */
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import { describeText } from '../../../src-preload/event-description.js';
import { gapText } from '../../../src-preload/gap-text.js';

/** "10:14:36.188" (UTC) for a gap's edges (the CLI prints UTC; no Date-breaking value reaches toISOString). */
function utc(ms: number | null): string {
  const d = ms === null ? null : new Date(ms);
  return d && !Number.isNaN(d.getTime()) ? d.toISOString().slice(11, 23) : '?';
}

export function summarize(e: TimelineEvent): string {
  // The CLI's line already names the event's type: a gap reads without the report's "Gap in the evidence:".
  return e.type === 'log.gap' ? gapText(e, utc).en : describeText(e, 'en', { clock: utc });
}
