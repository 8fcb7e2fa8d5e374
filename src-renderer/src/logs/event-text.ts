/**
 * How a monitor event reads in the timeline and in pop-ups, in the user's language. The sentences themselves
 * are src-preload/event-description.ts, shared with report.html and the CLI; this adds the table's columns.
 */
import type { MonitorEvent, TimelineEvent } from '../../../src-preload/api';
import { describeText, type DescribeOptions } from '../../../src-preload/event-description';

const short = (p: string): string => p.replace(/^android\.permission\./, '');

export function eventSubject(e: MonitorEvent): string {
  switch (e.type) {
    case 'permission.result':
    case 'permission.state':
      return short(e.permission);
    case 'appop.access':
    case 'appop.reject':
      return e.op;
    case 'identifier.access':
      return e.method;
    case 'process.start':
    case 'process.death':
      return e.process;
    case 'process.killed':
    case 'app.crash':
      return e.process ?? '';
    case 'sensitive.access':
      return e.data;
    case 'start.blocked':
      return e.component ?? e.target;
    case 'app.displayed':
      return e.component;
    case 'app.foreground':
      return e.component;
    case 'permission.dialog':
      return `uid ${e.uid}`;
    default:
      return '';
  }
}

export function eventState(e: MonitorEvent): string {
  if (e.type === 'appop.access' || e.type === 'appop.reject') return e.uidState;
  if (e.type === 'process.start') return e.hostingType;
  if (e.type === 'sensitive.access') return e.outcome;
  if (e.type === 'log.gap') return e.reason;
  if (e.type === 'screen.state') return e.on ? 'on' : 'off';
  return '';
}

/** The event's line in the user's language: the one description the report and the CLI use too. */
export function eventSummary(e: TimelineEvent, lang: string, stageTitle?: StageTitleIn): string {
  return describeText(e, lang.startsWith('zh') ? 'zh' : 'en', describeOptions(stageTitle));
}

/** A stage's title in the app's language (the guided workspace knows them), by its id. */
export type StageTitleIn = (id: string) => string | undefined;

/** The options the shared description takes, from what the renderer has: its clock and, where known, stage titles. */
export function describeOptions(stageTitle?: StageTitleIn): DescribeOptions {
  return {
    clock: localClock,
    stageTitle: stageTitle && ((id) => {
      const title = stageTitle(id);
      return title === undefined ? undefined : { zh: title, en: title };
    }),
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** An event's moment in a table's time column: the viewer's local time to the millisecond (hh:mm:ss.mmm). */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A moment inside a line (a gap's edges) in the viewer's local time (hh:mm:ss), "?" when not known. */
export function localClock(ms: number | null): string {
  const d = ms === null ? null : new Date(ms);
  return d && !Number.isNaN(d.getTime()) ? d.toLocaleTimeString() : '?';
}

/**
 * Events worth a pop-up as they happen: prompts, answers, sensitive accesses, crashes and refused starts. A gap in
 * the log is in the event list, not a pop-up: an Android 8-10 phone's chatty lines come several a second.
 */
export function isNotable(e: MonitorEvent): boolean {
  return e.type === 'permission.dialog' || e.type === 'permission.result' || e.type === 'identifier.access' ||
    e.type === 'appop.access' || e.type === 'appop.reject' || (e.type === 'process.start' && (e.selfStart || !!e.caller)) || (e.type === 'intent.start' && !e.launcher) ||
    e.type === 'package.installed' || e.type === 'device.disconnected' || e.type === 'device.clock-refused' ||
    e.type === 'sensitive.access' || e.type === 'app.crash' || e.type === 'start.blocked';
}
