/**
 * The one event union of the workbench: what monitors extract from a phone (log lines, app-op and
 * permission dumps, foreground and screen state), what the tester does and what the workbench does on the
 * phone (inputs, installs, captures), and the session's own lifecycle. Types only — shared by the core,
 * the bridge, the renderer, session timelines and evaluators.
 */
import type { NetworkEventBody } from './network.js';
import type { ScreenEventBody } from './screen.js';
import type { ListKind, PolicySource } from './policy.js';

/** `network`: the workbench's proxy (what left the phone through it). */
export type EventSource = 'logcat' | 'appops' | 'package' | 'activity' | 'power' | 'monitor' | 'tester' | 'workbench' | 'session' | 'network' | 'screen';

export interface EventBase {
  /** Increasing per monitor. */
  seq: number;
  serial: string;
  /** The package the monitor focuses on, or the package the event concerns. */
  packageName: string | null;
  hostTime: number;
  deviceTime: number | null;
  source: EventSource;
  /** The device output the event was read from, control sequences stripped. */
  raw: string[];
  /** A replayed log: the 1-based line(s) of the file the event was read from (a record's header and the line that completed it). */
  sourceLines?: number[];
}

export const GRANT_RESULT_NAMES: Record<number, string> = {
  1: 'IGNORED', 2: 'IGNORED_USER_FIXED', 3: 'IGNORED_POLICY_FIXED', 4: 'USER_GRANTED', 5: 'AUTO_GRANTED',
  6: 'USER_DENIED', 7: 'USER_DENIED_WITH_PREJUDICE', 8: 'AUTO_DENIED', 9: 'IGNORED_RESTRICTED_PERMISSION',
};

export type MonitorEventBody =
  | { type: 'permission.dialog'; uid: number; controller: string }
  | { type: 'permission.result'; uid: number; permission: string; result: number; resultName: string; granted: boolean }
  | { type: 'permission.state'; permission: string; granted: boolean; flags: string[]; change: 'granted' | 'revoked' | 'flags' }
  /** `component`: empty when the line names none (`for on-hold`, `for null`, `for restart PKG`). `uid`: where the line gives it. */
  | { type: 'process.start'; pid: number; process: string; hostingType: string; component: string; selfStart: boolean; caller: string | null; uid?: number | null }
  | { type: 'process.death'; pid: number; process: string; state: string }
  /** The system (or a vendor's process manager) killed a process, with its reason (`empty #17`, `bg anr`, `remove task`, `crash`...). */
  | { type: 'process.killed'; pid: number; process: string | null; uid: number | null; adj: number | null; reason: string; killer: string }
  /** An app crashed: a Java exception (FATAL EXCEPTION), a native signal, or stopped answering (ANR). */
  | { type: 'app.crash'; crash: 'java' | 'native' | 'anr'; pid: number | null; process: string | null; detail: string }
  | { type: 'package.installed' | 'package.removed'; installer: string | null }
  /** An installed package replaced by a new build (`Update package … code path from … to …`). */
  | { type: 'package.updated'; installer: string | null }
  /** `pid`: the process that tried, where the line is the app's own (its SecurityException), not the system's report. */
  | { type: 'identifier.access'; method: string; uid: number | null; pid?: number | null }
  | { type: 'appop.access' | 'appop.reject'; op: string; uidState: string; flags: string; accessTime: number | null }
  | { type: 'app.foreground'; component: string }
  /** `allowed`: false when the system refused the start (Android 14+ `Background started FGS: Disallowed`). */
  | { type: 'intent.start'; callerUid: number | null; callerPackage: string | null; target: string; kind: 'activity' | 'service' | 'broadcast'; launcher: boolean; allowed?: boolean; uidState?: string | null }
  /**
   * A start the system or a vendor's start manager refused: AOSP `Background start not allowed` and the app's own
   * `Not allowed to start service … app is in background`, MIUI's AutoStartManagerService, ColorOS's
   * OplusAppStartupManager. `callerPackage`: who asked, where the line says.
   */
  | { type: 'start.blocked'; blocker: 'android' | 'miui' | 'coloros' | 'emui'; target: string; component: string | null; callerPackage: string | null; uid: number | null; reason: string }
  /** An activity drawn for the first time (`Displayed PKG/.Act: +886ms`). */
  | { type: 'app.displayed'; component: string; ms: number | null }
  /**
   * Personal data read (or refused) through something app ops do not show: the clipboard, Wi-Fi connection
   * info, cell info, the running apps, the foreground app, the advertising/OAID providers.
   */
  | { type: 'sensitive.access'; data: SensitiveData; outcome: 'allowed' | 'denied' | 'limited' | 'unknown'; via: string; uid: number | null }
  /**
   * The log has a hole: logd dropped lines (chatty `expire N lines`), collapsed repeats (`identical N lines`),
   * logcat was restarted or its buffer cleared (a buffer's banner again), or the clock went back. `lines`: how
   * many, when the phone says; `from`/`to`: the times around the hole, when known.
   */
  | { type: 'log.gap'; reason: LogGapReason; lines: number | null; from: number | null; to: number | null; uid: number | null; process: string | null }
  | { type: 'screen.state'; on: boolean }
  | { type: 'device.disconnected' | 'device.reconnected'; gapMs: number | null }
  /** The phone's clock read as something no clock can say (1e20 s, negative, not a number): host time is used from here. */
  | { type: 'device.clock-refused'; reported: string };

export type SensitiveData = 'clipboard' | 'wifi-info' | 'cell-info' | 'running-apps' | 'foreground-app' | 'oaid';
export const SENSITIVE_DATA: readonly SensitiveData[] = ['clipboard', 'wifi-info', 'cell-info', 'running-apps', 'foreground-app', 'oaid'];
export type LogGapReason = 'chatty-expire' | 'chatty-identical' | 'restart' | 'clock-back';

/**
 * Marks set during a test: by the tester (source `tester`), or by the workbench's automation (source
 * `workbench`) once the outcome a mark claims was seen on the phone — never before, and never for a step
 * that failed (that is a `workbench.step-failed` event).
 */
export const TESTER_MARKS = ['consent.given', 'consent.declined', 'consent.withdrawn', 'policy.reached', 'stage.started', 'permission.denied-by-tester', 'app.backgrounded', 'other'] as const;
export type TesterMark = (typeof TESTER_MARKS)[number];

/** A file kept in a session's blob store, named by its SHA-256. */
export interface BlobRef {
  sha256: string;
  size: number;
  /** File name inside the session (blobs/<sha256>.<ext>) and the evidence package. */
  path: string;
  mediaType: string;
}

export type CaptureKind = 'screenshot' | 'ui.dump' | 'apk.analysis' | 'install.output' | 'attachment' | 'policy';

/** What the tester and the workbench do, and what happens to the session itself. */
export type SessionEventBody =
  | { type: 'tester.mark'; mark: TesterMark; label: string | null }
  | { type: 'tester.note'; text: string }
  | { type: 'tester.input'; action: import('./api.js').InputAction }
  | { type: 'capture'; kind: CaptureKind; blob: BlobRef; name: string | null }
  | { type: 'app.installed'; ok: boolean; installedPackage: string | null; failureCode: string | null; apkSha256: string | null; output: BlobRef | null }
  | { type: 'app.action'; action: 'launch' | 'force-stop' | 'clear-data' | 'uninstall' | 'grant-permission' | 'revoke-permission' | 'reboot' | 'home' | 'screen-off' | 'screen-on'; target: string }
  /** `origin`: shipped, saved in the data folder, or a file given to a headless run (absent in older sessions). */
  | { type: 'checklist.template'; templateId: string; version: string; origin?: 'shipped' | 'saved' | 'file'; sha256: string }
  /** A privacy policy's text, kept as captured (`original`) and as read (`text`); `pages`: screenshots of a phone capture. */
  | { type: 'policy.captured'; from: PolicySource; origin: string; text: BlobRef; original: BlobRef | null; charset: string; pages: number[]; problem: string | null }
  /**
   * A separate list page the policy points to (《…清单》, a link), captured after it and read with it as its list.
   * `policySeq`: the policy.captured event it belongs to; `reference`: the policy's words pointing to it;
   * `tapped`: the label the workbench tapped on the phone to open it (null: the tester opened it, or a URL, file, paste).
   */
  | { type: 'policy.list-captured'; list: ListKind; policySeq: number; reference: string; tapped: string | null; from: PolicySource; origin: string; text: BlobRef; original: BlobRef | null; charset: string; pages: number[]; problem: string | null }
  /** The tester's choice of app type (国信办秘字〔2021〕14号, 1-39). */
  | { type: 'app.type'; typeNo: number; name: string }
  | { type: 'checklist.verdict'; item: string; verdict: import('./checklist.js').Verdict | null; note: string | null; attachments: number[] }
  | { type: 'run.stage'; stage: string; outcome: 'done' | 'skipped' | 'failed'; message: string | null }
  /** The explorer (issue #29): a walk started with its limits, each step as it happened, and what it found. */
  | { type: 'explore.started'; limits: import('./explore.js').ExploreLimits }
  | { type: 'explore.step'; step: import('./explore.js').ExploreStep }
  | { type: 'explore.result'; summary: import('./explore.js').ExploreSummary }
  | { type: 'session.started' | 'session.paused' | 'session.resumed' | 'session.closed'; reason: string | null }
  | { type: 'session.recovered'; tornBytes: number; tornFile: string | null }
  | { type: 'session.problem'; code: string; message: string }
  /**
   * A step the workbench's automation tried that did not reach its outcome (a capture that read nothing, a tap
   * the phone did not answer): what was tried, a stable reason code and the words shown, in both languages.
   * Never a mark: a mark claims an outcome.
   */
  | { type: 'workbench.step-failed'; step: WorkbenchStep; reason: string; message: { zh: string; en: string } };

/** What the workbench's automation does on a phone, as named in `workbench.step-failed`. */
export const WORKBENCH_STEPS = ['policy.capture', 'list-page.capture', 'consent.decline', 'consent.agree', 'permission.deny'] as const;
export type WorkbenchStep = (typeof WORKBENCH_STEPS)[number];

/** Who set a mark or sent an input: the tester's own, or the workbench's automation. */
export type Actor = 'tester' | 'workbench';

export type MonitorEvent = EventBase & MonitorEventBody;
export type MonitorEventType = MonitorEventBody['type'];
/** Any event a session timeline holds. */
export type TimelineEvent = EventBase & (MonitorEventBody | SessionEventBody | NetworkEventBody | ScreenEventBody);
export type TimelineEventType = TimelineEvent['type'];
