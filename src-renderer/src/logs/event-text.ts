/** How a monitor event, and who did what on the phone, read in the timeline and in pop-ups, in the user's language. */
import type { TFunction } from 'i18next';
import type { MonitorEvent, TimelineEvent } from '../../../src-preload/api';

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

export function eventSummary(e: MonitorEvent, t: TFunction): string {
  switch (e.type) {
    case 'permission.dialog': return t('logs.ev.dialog', { uid: e.uid });
    case 'permission.result': return t('logs.ev.result', { perm: short(e.permission), result: e.resultName });
    case 'permission.state': return t(`logs.ev.state.${e.change}`, { perm: short(e.permission), flags: e.flags.join('|') });
    case 'process.start': return t(e.selfStart ? 'logs.ev.selfStart' : 'logs.ev.start', { proc: e.process, hosting: e.hostingType }) + (e.caller ? ` · ${t('logs.ev.caller', { caller: e.caller })}` : '');
    case 'process.death': return t('logs.ev.death', { proc: e.process, state: procState(e.state, t) });
    case 'package.installed': return t('logs.ev.installed', { pkg: e.packageName, installer: e.installer ?? '?' });
    case 'package.removed': return t('logs.ev.removed', { pkg: e.packageName });
    case 'identifier.access': return t('logs.ev.identifier', { method: e.method });
    case 'appop.access': return t(e.uidState === 'top' ? 'logs.ev.access' : 'logs.ev.accessBackground', { op: e.op, state: uidState(e.uidState, t) });
    case 'appop.reject': return t('logs.ev.reject', { op: e.op, state: uidState(e.uidState, t) });
    case 'app.foreground': return t('logs.ev.foreground', { component: e.component });
    case 'intent.start': return t('logs.ev.intent', { caller: e.callerPackage ?? (e.callerUid === null ? '?' : `uid ${e.callerUid}`), kind: t(`logs.ev.kind.${e.kind}`), target: e.target });
    case 'screen.state': return t(e.on ? 'logs.ev.screenOn' : 'logs.ev.screenOff');
    case 'device.disconnected': return t('logs.ev.disconnected');
    case 'device.reconnected': return t('logs.ev.reconnected', { s: Math.round((e.gapMs ?? 0) / 1000) });
    case 'device.clock-refused': return t('logs.ev.clockRefused', { reported: e.reported });
    case 'process.killed': return t('logs.ev.killed', { proc: e.process ?? `pid ${e.pid}`, killer: e.killer, reason: e.reason });
    case 'app.crash': return t(`logs.ev.crash.${e.crash}`, { proc: e.process ?? (e.pid === null ? '?' : `pid ${e.pid}`), detail: e.detail });
    case 'package.updated': return t('logs.ev.updated', { pkg: e.packageName });
    case 'start.blocked': return t(`logs.ev.blocked.${e.blocker}`, { target: e.component ?? e.target, reason: e.reason }) + (e.callerPackage && e.callerPackage !== e.target ? ` · ${t('logs.ev.caller', { caller: e.callerPackage })}` : '');
    case 'app.displayed': return t('logs.ev.displayed', { component: e.component, ms: e.ms ?? '?' });
    case 'sensitive.access': return t(`logs.ev.sensitive.${e.outcome}`, { data: t(`logs.ev.data.${e.data}`), who: e.packageName ?? (e.uid === null ? '?' : `uid ${e.uid}`), via: e.via });
    case 'log.gap': return t(`logs.ev.gap.${e.reason}`, { lines: e.lines ?? '?', process: e.process ?? '?', from: clock(e.from), to: clock(e.to) });
  }
}

/** Android's process state at death ("fore TOP", "cch CACHED"…) by its adjustment class; an unknown one as written. */
function procState(state: string, t: TFunction): string {
  const adj = state.trim().split(/\s+/)[0] ?? '';
  return t(`logs.ev.procState.${adj}`, { defaultValue: state });
}

/** Android's app-op uid state (top, fg, bg…) in words; an unknown one as Android wrote it. */
function uidState(state: string, t: TFunction): string {
  return t(`logs.ev.uidState.${state}`, { defaultValue: state });
}

/** A gap's edge in the viewer's local time (hh:mm:ss), "?" when not known. */
function clock(ms: number | null): string {
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

type Acted = Extract<TimelineEvent, { type: 'tester.mark' | 'tester.input' | 'workbench.step-failed' }>;

/** A mark's label as the workbench wrote it (`tapped "X"`, `…; at the tap #N`), in the user's language; anything else as written. */
function markLabel(label: string, t: TFunction): string {
  const tapped = /^tapped "([\s\S]*)"$/.exec(label);
  if (tapped) return t('session.tapped', { text: tapped[1] });
  const atTap = /^(.*?)(?:; )?at the tap #(\d+)$/.exec(label);
  if (atTap) return `${atTap[1] ? `${atTap[1]}; ` : ''}${t('session.atTap', { seq: atTap[2] })}`;
  return label;
}

function inputText(a: Extract<TimelineEvent, { type: 'tester.input' }>['action'], t: TFunction): string {
  switch (a.kind) {
    case 'tap': return t('session.inputs.tap', { x: a.x, y: a.y });
    case 'swipe': return t('session.inputs.swipe', { x1: a.x1, y1: a.y1, x2: a.x2, y2: a.y2 });
    case 'key': return t('session.inputs.key', { key: t(`device.screen.keys.${a.key}`, { defaultValue: a.key }) });
    case 'text': return t('session.inputs.text', { text: a.text });
  }
}

/**
 * Marks, inputs and failed steps, worded by who did them — from the event's `source` alone: the workbench's
 * automation is never called the tester (old sessions carry the same field and read the same way).
 */
export function actText(e: Acted, t: TFunction): string {
  const auto = e.source === 'workbench';
  switch (e.type) {
    case 'tester.mark': {
      const mark = auto ? t(`session.autoMarks.${e.mark}`, { defaultValue: t(`session.marks.${e.mark}`) }) : t(`session.marks.${e.mark}`);
      return t(auto ? 'session.ev.autoMark' : 'session.ev.mark', { mark, label: e.label ? markLabel(e.label, t) : '' });
    }
    case 'tester.input': return t(auto ? 'session.ev.autoInput' : 'session.ev.input', { action: inputText(e.action, t) });
    case 'workbench.step-failed': {
      // The event carries its own words in both languages (what the record signed); the catalogue says which is ours.
      // A session folder is untrusted: a line without its words still reads (its reason code stands in).
      const carried = (e.message ?? {}) as Partial<{ zh: unknown; en: unknown }>;
      const words = String((t('session.stepWords') === 'zh' ? carried.zh : carried.en) ?? e.reason);
      return t('session.ev.stepFailed', { step: t(`session.steps.${e.step}`, { defaultValue: e.step }), message: words });
    }
  }
}
