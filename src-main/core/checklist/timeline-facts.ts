/**
 * What evaluators read from a session's timeline, computed once: one time axis (device time where the phone
 * gave it, host time shifted by the measured clock offset otherwise), the app's own events, the stages the
 * run or the tester marked, the pre-consent and post-decline windows, the spans in which the tester had the
 * app in front (so processes they caused are not self-starts), the sensitive app ops and permission groups, and
 * what the app sent through the workbench's proxy (network-facts.ts).
 */
import type { UiTree } from '../../../src-preload/api.js';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import type { SessionPolicyInputs } from '../policy/session-policy.js';
import { computeNetwork, type NetworkFacts } from './network-facts.js';

export interface Entry {
  seq: number;
  event: TimelineEvent;
}

export interface Span {
  start: number;
  end: number;
  /** The seq of the event that opened the span and of the one that closed it (null: still open). */
  openSeq: number;
  closeSeq: number | null;
}

export interface StageSpan extends Span {
  id: string;
}

/** What the checklist knows about permissions: the group (one dialog, one category) and the app ops of each. */
export interface PermissionKnowledge {
  categoryOf(permission: string): string | null;
  /** App ops that read personal information (location, identifiers, contacts, clipboard...). */
  isSensitiveOp(op: string): boolean;
  /** The permissions an app op is guarded by. */
  permissionsOfOp(op: string): string[];
}

export interface FactsInput {
  entries: Entry[];
  packageName: string;
  clockOffsetMs: number | null;
  knowledge: PermissionKnowledge;
  /** UI dumps captured in the session, by the seq of their capture event. */
  uiDumps?: Map<number, UiTree>;
  /** The session's latest privacy policy, APK analysis and app type (the declared-vs-observed evaluators). */
  policyInputs?: SessionPolicyInputs;
}

/** The timeline events of one type (works for bodies that share a union of types, like package.installed|removed). */
export type Of<T extends TimelineEvent['type']> = TimelineEvent & { type: T };

const FRESH_START_ACTIONS = new Set(['clear-data', 'uninstall']);
const LEAVE_ACTIONS = new Set(['force-stop', 'clear-data', 'uninstall', 'reboot', 'home', 'screen-off']);
/** What guards the reads only the log shows (SensitiveData): cell info and Wi-Fi names reveal where the phone is. */
const DATA_PERMISSIONS: Record<string, string[]> = {
  'cell-info': ['android.permission.ACCESS_FINE_LOCATION', 'android.permission.ACCESS_COARSE_LOCATION'],
  'wifi-info': ['android.permission.ACCESS_FINE_LOCATION', 'android.permission.ACCESS_WIFI_STATE'],
  clipboard: [], 'running-apps': [], 'foreground-app': [], oaid: [],
};
/** A process start this soon after the tester's launch is the launch's own. */
export const LAUNCH_GRACE_MS = 5000;
/**
 * How far the phone's and the host's clocks may disagree after the offset is applied (it is measured over a
 * round trip): an effect may appear this much before the action that caused it.
 */
export const CLOCK_SLACK_MS = 250;

export class TimelineFacts {
  readonly entries: Entry[];
  readonly packageName: string;
  readonly knowledge: PermissionKnowledge;
  readonly uiDumps: Map<number, UiTree>;
  readonly policyInputs: SessionPolicyInputs;
  readonly stages: StageSpan[];
  /** From each first launch (session start, or after clear data / install) until the privacy dialog is answered. */
  readonly preConsent: Span[];
  /** From each "declined" mark until the app is started afresh or consent is given. */
  readonly afterDecline: Span[];
  /** While the tester had the app in front after launching it. */
  readonly testerForeground: Span[];
  readonly end: number;
  private offset: number;
  /** Evaluators ask for the same lists many times: each is computed once (the facts never change). */
  private memo = new Map<string, unknown>();

  private once<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  constructor(input: FactsInput) {
    this.entries = [...input.entries].sort((a, b) => a.seq - b.seq);
    this.packageName = input.packageName;
    this.knowledge = input.knowledge;
    this.uiDumps = input.uiDumps ?? new Map();
    this.policyInputs = input.policyInputs ?? { policy: null, analysis: null, appType: null };
    this.offset = input.clockOffsetMs ?? 0;
    this.end = this.entries.reduce((m, e) => Math.max(m, this.time(e.event)), 0);
    this.stages = this.computeStages();
    this.preConsent = this.computePreConsent();
    this.afterDecline = this.computeAfterDecline();
    this.testerForeground = this.computeTesterForeground();
  }

  /** One time axis for every event: the phone's clock. */
  time(e: TimelineEvent): number {
    return e.deviceTime ?? e.hostTime + this.offset;
  }

  /** Events of the app under test (its package, its uid's dialogs, its installs), of the given types. */
  appEvents<T extends TimelineEvent['type']>(...types: T[]): Array<{ seq: number; event: Of<T>; t: number }> {
    return this.once(`app:${types.join(',')}`, () => this.computeAppEvents(types));
  }

  private computeAppEvents<T extends TimelineEvent['type']>(types: T[]): Array<{ seq: number; event: Of<T>; t: number }> {
    const want = new Set<string>(types);
    const out: Array<{ seq: number; event: Of<T>; t: number }> = [];
    for (const { seq, event } of this.entries) {
      if (!want.has(event.type)) continue;
      if (event.source !== 'tester' && event.source !== 'workbench' && event.source !== 'session' && event.packageName !== this.packageName) {
        if (!(event.type === 'package.installed' && event.installer === this.packageName) && !(event.type === 'intent.start' && event.callerPackage === this.packageName) &&
          !(event.type === 'start.blocked' && (event.target === this.packageName || event.callerPackage === this.packageName))) continue;
      }
      out.push({ seq, event: event as Of<T>, t: this.time(event) });
    }
    return out.sort((a, b) => a.t - b.t || a.seq - b.seq);
  }

  /** Any events of the given types, whoever they concern. */
  events<T extends TimelineEvent['type']>(...types: T[]): Array<{ seq: number; event: Of<T>; t: number }> {
    return this.once(`all:${types.join(',')}`, () => this.computeEvents(types));
  }

  private computeEvents<T extends TimelineEvent['type']>(types: T[]): Array<{ seq: number; event: Of<T>; t: number }> {
    const want = new Set<string>(types);
    return this.entries.filter((e) => want.has(e.event.type))
      .map(({ seq, event }) => ({ seq, event: event as Of<T>, t: this.time(event) }))
      .sort((a, b) => a.t - b.t || a.seq - b.seq);
  }

  /**
   * The app's sensitive accesses and attempts (an app-op reject, a refused identifier read, a read the phone refused
   * or limited is an attempt): app ops, identifier reads, and what only the log shows (clipboard, Wi-Fi and cell
   * info, the running apps, the foreground app, id-provider look-ups).
   */
  sensitiveAccesses(): Array<{ seq: number; t: number; what: string; attempt: boolean; uidState: string | null }> {
    return this.once('sensitive', () => this.computeSensitiveAccesses());
  }

  private computeSensitiveAccesses(): Array<{ seq: number; t: number; what: string; attempt: boolean; uidState: string | null }> {
    const out: Array<{ seq: number; t: number; what: string; attempt: boolean; uidState: string | null }> = [];
    for (const a of this.appEvents('appop.access', 'appop.reject', 'identifier.access', 'sensitive.access')) {
      const e = a.event;
      if (e.type === 'identifier.access') out.push({ seq: a.seq, t: a.t, what: `identifier:${e.method}`, attempt: true, uidState: null });
      else if (e.type === 'sensitive.access') out.push({ seq: a.seq, t: a.t, what: e.data, attempt: e.outcome !== 'allowed', uidState: null });
      else if (this.knowledge.isSensitiveOp(e.op)) out.push({ seq: a.seq, t: a.t, what: e.op, attempt: e.type === 'appop.reject', uidState: e.uidState });
    }
    return out;
  }

  /** The app's connections and the phone's values found in what it sent, and when the proxy recorded (network-facts.ts). */
  network(): NetworkFacts {
    return this.once('network', () => computeNetwork(this));
  }

  /** The permissions guarding what an access read: an app op's, or those a log-only read needs (cell info: location). */
  permissionsOf(what: string): string[] {
    return DATA_PERMISSIONS[what] ?? this.knowledge.permissionsOfOp(what);
  }

  stageAt(t: number): StageSpan | null {
    for (let i = this.stages.length - 1; i >= 0; i--) if (this.stages[i]!.start <= t && t < this.stages[i]!.end) return this.stages[i]!;
    return null;
  }

  stageSpans(id: string): StageSpan[] {
    return this.stages.filter((s) => s.id === id);
  }

  /** The span holding t. Spans are in start order and do not overlap (binary search for long sessions). */
  within(spans: Span[], t: number): Span | null {
    if (spans.length < 32) return spans.find((s) => s.start <= t && t < s.end) ?? null;
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]!.start <= t) lo = mid + 1;
      else hi = mid;
    }
    const s = spans[lo - 1];
    return s && t < s.end ? s : null;
  }

  private marks(...marks: string[]): Array<{ seq: number; t: number; label: string | null; mark: string }> {
    return this.events('tester.mark').filter((m) => marks.includes(m.event.mark)).map((m) => ({ seq: m.seq, t: m.t, label: m.event.label, mark: m.event.mark }));
  }

  private actions(...actions: string[]): Array<{ seq: number; t: number; action: string }> {
    return this.once(`actions:${actions.join(',')}`, () => this.events('app.action').filter((a) => actions.includes(a.event.action) && (a.event.action === 'reboot' || a.event.action.startsWith('screen') || a.event.action === 'home' || a.event.target === this.packageName || a.event.target.startsWith(this.packageName + ' ')))
      .map((a) => ({ seq: a.seq, t: a.t, action: a.event.action })));
  }

  private computeStages(): StageSpan[] {
    const marks = this.marks('stage.started').filter((m) => m.label);
    return marks.map((m, i) => ({ id: m.label!, start: m.t, end: marks[i + 1]?.t ?? Infinity, openSeq: m.seq, closeSeq: marks[i + 1]?.seq ?? null }));
  }

  /** Launches of the app with nothing remembered: the session's first, and each after clear data, uninstall or install. */
  freshLaunches(): Array<{ seq: number; t: number }> {
    return this.once('fresh', () => this.computeFreshLaunches());
  }

  private computeFreshLaunches(): Array<{ seq: number; t: number }> {
    const launches = this.actions('launch');
    const resets = [...this.actions(...FRESH_START_ACTIONS), ...this.appEvents('app.installed').filter((i) => i.event.ok).map((i) => ({ seq: i.seq, t: i.t, action: 'install' }))].sort((a, b) => a.t - b.t);
    const fresh: Array<{ seq: number; t: number }> = [];
    const resetTimes = resets.map((r) => r.t);
    let lastLaunch = -Infinity;
    for (const l of launches) {
      const resetBetween = anyBetween(resetTimes, lastLaunch, l.t);
      if (fresh.length === 0 && lastLaunch === -Infinity) fresh.push(l);
      else if (resetBetween) fresh.push(l);
      lastLaunch = l.t;
    }
    return fresh;
  }

  private computePreConsent(): Span[] {
    const answers = this.marks('consent.given', 'consent.declined');
    const enders = [...answers, ...this.actions('force-stop', 'clear-data', 'uninstall', 'reboot')].sort((a, b) => a.t - b.t);
    return this.freshLaunches().map((l) => {
      const end = enders.find((e) => e.t > l.t);
      return { start: l.t, end: end?.t ?? Infinity, openSeq: l.seq, closeSeq: end?.seq ?? null };
    });
  }

  private computeAfterDecline(): Span[] {
    const declines = this.marks('consent.declined');
    const enders = [...this.marks('consent.given'), ...this.actions('clear-data', 'uninstall'), ...this.freshLaunches()].sort((a, b) => a.t - b.t);
    return declines.map((d) => {
      const end = enders.find((e) => e.t > d.t);
      return { start: d.t, end: end?.t ?? Infinity, openSeq: d.seq, closeSeq: end?.seq ?? null };
    });
  }

  /**
   * The app is in front because the tester put it there: from a launch (by the workbench, or a foreground
   * change right after the tester's input) until they leave it (HOME, force-stop, screen off, another app).
   */
  private computeTesterForeground(): Span[] {
    const openers: Array<{ seq: number; t: number }> = [...this.actions('launch')];
    const inputs = this.events('tester.input');
    const inputTimes = inputs.map((i) => i.t).sort((a, b) => a - b);
    for (const f of this.events('app.foreground')) {
      const pkg = f.event.component.split('/')[0];
      if (pkg === this.packageName && anyBetween(inputTimes, f.t - LAUNCH_GRACE_MS, f.t)) openers.push({ seq: f.seq, t: f.t });
    }
    const closers: Array<{ seq: number; t: number }> = [...this.actions(...LEAVE_ACTIONS)];
    for (const i of inputs) if (i.event.action.kind === 'key' && ['HOME', 'APP_SWITCH', 'POWER'].includes(i.event.action.key)) closers.push({ seq: i.seq, t: i.t });
    for (const f of this.events('app.foreground')) {
      const pkg = f.event.component.split('/')[0]!;
      if (pkg !== this.packageName && !/permissioncontroller|packageinstaller/.test(pkg)) closers.push({ seq: f.seq, t: f.t });
    }
    for (const s of this.events('screen.state')) if (!s.event.on) closers.push({ seq: s.seq, t: s.t });
    openers.sort((a, b) => a.t - b.t);
    closers.sort((a, b) => a.t - b.t);
    const spans: Span[] = [];
    let next = 0;
    for (const o of openers) {
      const last = spans[spans.length - 1];
      if (last && o.t < last.end) continue;
      while (next < closers.length && closers[next]!.t <= o.t) next++;
      const c = closers[next];
      spans.push({ start: o.t, end: c?.t ?? Infinity, openSeq: o.seq, closeSeq: c?.seq ?? null });
    }
    return spans;
  }

  /** A process start of the app the tester caused: inside their foreground span or right after a launch. */
  testerCaused(t: number): boolean {
    return !!this.within(this.testerForeground, t + CLOCK_SLACK_MS) || this.actions('launch').some((l) => l.t <= t + CLOCK_SLACK_MS && t - l.t < LAUNCH_GRACE_MS);
  }

  /** The tester answered the privacy dialog or acted on the app between two moments (what followed is theirs). */
  testerActedBetween(from: number, to: number): boolean {
    return this.marks('consent.given', 'consent.declined', 'consent.withdrawn').some((m) => m.t > from && m.t <= to + CLOCK_SLACK_MS) ||
      this.actions('launch', 'force-stop', 'clear-data', 'uninstall', 'reboot', 'revoke-permission', 'home', 'screen-off').some((a) => a.t > from && a.t <= to + CLOCK_SLACK_MS);
  }

  /**
   * The workbench or tester stopped the app just before t (a force-stop, clear data, revoke or reboot with no
   * new start of the app in between): its death then is not the app's doing.
   */
  stoppedByTester(t: number, graceMs = 2000): boolean {
    const starts = this.appEvents('process.start').filter((s) => s.event.packageName === this.packageName);
    return this.actions('force-stop', 'clear-data', 'uninstall', 'reboot', 'revoke-permission')
      .some((a) => a.t <= t + CLOCK_SLACK_MS && t - a.t < graceMs && !starts.some((s) => s.t > a.t && s.t < t));
  }
}

/** Whether a sorted list of times has one in (from, to]: binary search, for long sessions. */
export function anyBetween(sorted: number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! <= to;
}
