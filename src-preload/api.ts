/**
 * The contract between the renderer and the core: every method (request/response) and every event stream
 * of the workbench, as types plus the lists of names. No runtime dependencies: the Electron preload, the
 * WebSocket client and main's zod schemas all conform to this file.
 */
export interface BridgeError {
  code: string;
  messageKey: string;
  details: Record<string, string | number | boolean | null>;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export type Localized = string | { zh: string; en: string };

export type DeviceState =
  | 'device' | 'unauthorized' | 'offline' | 'authorizing' | 'connecting' | 'no-permissions'
  | 'recovery' | 'sideload' | 'bootloader' | 'unknown';

export interface DeviceInfo {
  serial: string;
  state: DeviceState;
  transport: 'usb' | 'tcp';
  model: string | null;
  manufacturer: string | null;
  androidVersion: string | null;
  sdk: number | null;
  /** i18n key of what the user should do about this state (RSA prompt, udev rule...). */
  hintKey: string | null;
  virtual: boolean;
}

export interface AdbStatus {
  state: 'starting' | 'running' | 'missing' | 'error';
  adbPath: string | null;
  source: 'setting' | 'android-sdk' | 'path' | null;
  serverPort: number;
  error: BridgeError | null;
}

export interface ScenarioInfo {
  id: string;
  name: Localized;
  description: Localized;
  violates: string[];
}

export interface VirtualDeviceStatus {
  running: boolean;
  serial: string | null;
  scenarioId: string | null;
  /** The ROM profile the demo phone wears (null when none runs). */
  profileId?: string | null;
}

/** A ROM profile the demo phone can wear: how it names itself and prints what a scenario makes happen. */
export interface RomProfileInfo {
  id: string;
  name: Localized;
  description: Localized;
}

export interface Settings {
  language: 'auto' | 'zh-CN' | 'en';
  theme: 'system' | 'light' | 'dark';
  adbPath: string | null;
  rememberedDevices: string[];
  /** Policy pages and the TSA may be on local or private addresses (set on the host only, never by a browser). */
  allowLocalAddresses: boolean;
}

export interface AppInfo {
  version: string;
  shell: 'electron' | 'browser';
  systemLocale: string;
  dataDir: string;
}

export interface DeviceDetails {
  serial: string;
  model: string | null;
  manufacturer: string | null;
  androidVersion: string | null;
  sdk: number | null;
  abis: string[];
  fingerprint: string | null;
  screen: { width: number; height: number; density: number | null } | null;
  batteryLevel: number | null;
  rooted: boolean;
  freeStorageBytes: number | null;
  /** device clock minus host clock, measured at the midpoint of the query. */
  clockOffsetMs: number | null;
  /** The phone's time zone (persist.sys.timezone, an IANA name such as Asia/Shanghai), null when it does not say. */
  timezone?: string | null;
}

export interface InstalledApp {
  packageName: string;
  versionCode: number | null;
}

export interface InstallProgress {
  serial: string;
  fileName: string;
  phase: 'push' | 'install' | 'done';
  bytes: number;
  total: number;
}

export interface InstallFailure {
  code: string;
  detail: string;
  zh: string;
  en: string;
}

export type InstallResult =
  | { ok: true; packageName: string | null; output: string }
  | { ok: false; packageName: string | null; failure: InstallFailure; output: string };

export type InputAction =
  | { kind: 'tap'; x: number; y: number }
  | { kind: 'swipe'; x1: number; y1: number; x2: number; y2: number; durationMs: number }
  | { kind: 'key'; key: 'BACK' | 'HOME' | 'APP_SWITCH' | 'POWER' | 'VOLUME_UP' | 'VOLUME_DOWN' | 'ENTER' | 'DEL' }
  | { kind: 'text'; text: string };

/** A tester's action on a phone, timed on both clocks (later recorded into the session). */
export interface DeviceInputEvent {
  serial: string;
  action: InputAction;
  hostTime: number;
  deviceTime: number | null;
}

export interface UiDumpNode {
  text: string;
  resourceId: string;
  className: string;
  packageName: string;
  contentDesc: string;
  checkable: boolean;
  checked: boolean;
  clickable: boolean;
  enabled: boolean;
  bounds: [number, number, number, number];
  /** A container the user scrolls (a list, a WebView with a long page). */
  scrollable?: boolean;
  /** uiautomator's `selected`: how an app's own picture of a tick box (an ImageView) shows that it is ticked. */
  selected?: boolean;
  children: UiDumpNode[];
}

export interface UiTree {
  rotation: 0 | 1 | 2 | 3;
  nodes: UiDumpNode[];
  nodeCount: number;
}

export interface Screenshot {
  /** base64 PNG */
  png: string;
  width: number;
  height: number;
  hostTime: number;
  savedPath: string | null;
}

export type { MonitorEvent, MonitorEventType, TimelineEvent, TesterMark, BlobRef } from './monitor-events.js';
// The analysis result is defined beside the code that produces it; only its type crosses (erased at build).
export type { ApkAnalysis } from '../src-main/core/apk/analyze-apk.js';
import type { SessionChecklistUpdate, TemplateProblem, TemplateSummary, TemplateView, Verdict } from './checklist.js';
import type { ApkAnalysis } from '../src-main/core/apk/analyze-apk.js';
import type { AppTypeView, ListKind, ListReading, PolicyComparison, PolicySentence, ReadingView } from './policy.js';
import type { MonitorEvent, TesterMark, TimelineEvent } from './monitor-events.js';
import type { LanAddress, NetworkChoice, NetworkStatus, NetworkTimelineItem, SessionCaFile, StaleProxy } from './network-api.js';
export type { LanAddress, NetworkChoice, NetworkStatus, NetworkTimelineItem, SessionCaFile, StaleProxy, TypedValue } from './network-api.js';
import type { ScreenFrame, ScreenStatus } from './screen.js';
import type { FarmConnectionView, FarmJoinRequest, FarmMembership, FarmView } from './farm.js';
export type { ScreenFrame, ScreenStatus } from './screen.js';

export interface LogLineView {
  time: number;
  pid: number;
  priority: 'V' | 'D' | 'I' | 'W' | 'E' | 'F' | 'S';
  tag: string;
  message: string;
  app: boolean;
}

/** Lines for the Logs panel; when the UI cannot keep up, some are counted instead of sent. */
export interface LogLinesBatch {
  serial: string;
  lines: LogLineView[];
  dropped: number;
}

export interface MonitorStatus {
  serial: string;
  packageName: string | null;
  rawLogPath: string;
  lines: number;
  events: number;
  reconnects: number;
}

export type SessionState = 'recording' | 'paused' | 'closed';

/** session.json: one test of one app build on one phone by one tester. */
export interface SessionMeta {
  schemaVersion: 1;
  id: string;
  state: SessionState;
  app: { packageName: string; versionName: string | null; versionCode: number | null; apkSha256: string | null };
  device: {
    serial: string; model: string | null; manufacturer: string | null; fingerprint: string | null;
    androidVersion: string | null; sdk: number | null; clockOffsetMs: number | null;
    /** The phone's time zone at the start (persist.sys.timezone); absent in sessions before it was recorded. */
    timezone?: string | null;
  };
  tester: string;
  caseRef: string;
  startedAt: number;
  endedAt: number | null;
  tool: { name: string; version: string };
  /** Count and head hash of the chained timeline as last written. */
  timeline: { count: number; head: string };
  /** Crashes recovered from: when, and the torn bytes set aside. */
  recoveries: Array<{ at: number; tornBytes: number; tornFile: string | null }>;
  /** false: the tester chose not to record the screen as video for this session (absent: recorded). */
  video?: boolean;
}

export interface SessionInfo extends SessionMeta {
  /** The session's id in the workbench: its folder's name (session.json's own id may differ, see copyOf). */
  id: string;
  dir: string;
  /** Set when the session cannot be opened (hand-edited, broken chain): it is listed, never deleted silently. */
  problem: string | null;
  /** The id session.json records when the folder has another name: a copy (`cp -r S S-backup`) or a renamed folder. */
  copyOf: string | null;
  /** While the session is open in this workbench: whether its phone is connected, and how long it was away. */
  phoneLink: PhoneLink | null;
}

/** The recording phone's connection as the session's monitor saw it (device.disconnected / device.reconnected). */
export interface PhoneLink {
  /** Host time the phone was lost, while it is away; null while connected. */
  lostAt: number | null;
  /** Time the phone was away in total, the current absence not included (ms). */
  interruptedMs: number;
  /** How many times it was lost. */
  losses: number;
}

/** One timeline line as the UI reads it. */
export interface TimelineEntry {
  seq: number;
  event: TimelineEvent;
}

export interface IdentityInfo {
  id: string;
  subject: string;
  /** SHA-256 of the signer certificate (DER), to compare out of band. */
  fingerprint: string;
  selfSigned: boolean;
  notAfter: string;
  protection: 'passphrase' | 'os';
  hasSm2: boolean;
}

export interface ExportOptions {
  sessionId: string;
  identityId: string | null;
  /** Unlocks the private key; empty when the OS keystore protects it. */
  passphrase: string;
  /** Adds SM3 digests per file and an SM2 signature. */
  national: boolean;
  /** Deflates text files: a smaller package, slower to make. */
  compress: boolean;
  tsaUrl: string | null;
  /** Names for report.html's sign-off block (the tester defaults to the session's); absent: not named. */
  tester?: string | null;
  reviewer?: string | null;
  /** Carries the session's screen recording (video/ segments); false: a package without video. Default true. */
  video?: boolean;
}

/** What a package would weigh before it is made (the Evidence page says it before exporting). */
export interface ExportEstimate {
  /** Files of the package without the video, uncompressed. */
  bytes: number;
  /** The screen recording's segments. */
  videoBytes: number;
  videoSegments: number;
  /** Seconds of video the segments cover. */
  videoSeconds: number;
}

export interface ExportProgress {
  sessionId: string;
  phase: 'hashing' | 'report' | 'signing' | 'timestamp' | 'done';
  bytes: number;
  total: number;
}

export interface ExportResult {
  fileId: string;
  fileName: string;
  path: string;
  size: number;
  manifestSha256: string;
  timestamped: boolean;
  warnings: string[];
}

/** report.html of a package as PDF, made beside the package (a staged file to download). */
export interface ReportPdfResult {
  fileId: string;
  fileName: string;
  path: string;
  size: number;
  reportNumber: string | null;
}

export interface VerifyCheck {
  id: string;
  ok: boolean;
  /** Passes, but says what the package lacks (no trusted timestamp): shown neither as ✓ nor as ✗. */
  neutral?: boolean;
  zh: string;
  en: string;
}

export interface VerifyReport {
  ok: boolean;
  checks: VerifyCheck[];
  signer: { subject: string; fingerprint: string; selfAsserted: boolean } | null;
  session: { id: string; packageName: string; tester: string; events: number } | null;
}

export interface WorkbenchMethods {
  'app.info': { args: Record<string, never>; result: AppInfo };
  'settings.get': { args: Record<string, never>; result: Settings };
  'settings.update': { args: Partial<Settings>; result: Settings };
  'adb.status': { args: Record<string, never>; result: AdbStatus };
  'adb.restart': { args: Record<string, never>; result: AdbStatus };
  'devices.list': { args: Record<string, never>; result: DeviceInfo[] };
  'devices.connect': { args: { address: string }; result: { serial: string } };
  'devices.disconnect': { args: { serial: string }; result: null };
  'virtualDevice.scenarios': { args: Record<string, never>; result: ScenarioInfo[] };
  'virtualDevice.start': { args: { scenario: string; profile?: string }; result: VirtualDeviceStatus };
  'virtualDevice.profiles': { args: Record<string, never>; result: RomProfileInfo[] };
  'virtualDevice.stop': { args: Record<string, never>; result: VirtualDeviceStatus };
  'virtualDevice.status': { args: Record<string, never>; result: VirtualDeviceStatus };
  /** Registers a local APK path (Electron: a dropped file) and returns the id to install it by. */
  'files.stage': { args: { path: string }; result: { fileId: string; fileName: string; size: number } };
  'device.details': { args: { serial: string }; result: DeviceDetails };
  'device.packages': { args: { serial: string }; result: InstalledApp[] };
  'device.install': { args: { serial: string; fileId: string }; result: InstallResult };
  'device.uninstall': { args: { serial: string; packageName: string }; result: null };
  'device.clearData': { args: { serial: string; packageName: string }; result: null };
  'device.forceStop': { args: { serial: string; packageName: string }; result: null };
  'device.launch': { args: { serial: string; packageName: string }; result: null };
  'device.screenshot': { args: { serial: string; save: boolean }; result: Screenshot };
  'device.input': { args: { serial: string; action: InputAction }; result: DeviceInputEvent };
  'device.uiTree': { args: { serial: string }; result: UiTree };
  'device.shell': { args: { serial: string; command: string }; result: { output: string } };
  'monitor.start': { args: { serial: string; packageName: string | null }; result: MonitorStatus };
  'monitor.stop': { args: { serial: string }; result: null };
  'monitor.status': { args: Record<string, never>; result: MonitorStatus[] };
  /** What a running monitor has seen, for a page opened after it started: its last lines and its events. */
  'monitor.recent': { args: { serial: string }; result: { status: MonitorStatus | null; lines: LogLineView[]; events: MonitorEvent[] } };
  'apk.analyze': { args: { fileId: string }; result: ApkAnalysis };
  'session.list': { args: Record<string, never>; result: SessionInfo[] };
  /** `video` false: no screen recording in this session (default: recorded as video). */
  'session.start': { args: { serial: string; packageName: string; tester: string; caseRef: string; video?: boolean }; result: SessionInfo };
  'session.pause': { args: { id: string }; result: SessionInfo };
  'session.resume': { args: { id: string }; result: SessionInfo };
  'session.close': { args: { id: string }; result: SessionInfo };
  'session.delete': { args: { id: string }; result: null };
  'session.mark': { args: { id: string; mark: TesterMark; label: string | null }; result: { seq: number } };
  'session.note': { args: { id: string; text: string }; result: { seq: number } };
  /** Keeps a file the tester hands over (uploaded or dropped) in the session, by hash. */
  'session.attach': { args: { id: string; fileId: string }; result: { seq: number; sha256: string } };
  'session.timeline': { args: { id: string; afterSeq: number; limit: number }; result: { entries: TimelineEntry[]; count: number } };
  /**
   * The first bytes of a file the session keeps under blobs/ (an HTTP body, a capture), by the path its event
   * names: at most `maxBytes` (≤ 1 MiB), base64, with the file's whole size (the Network view's detail pane).
   */
  'session.blob': { args: { id: string; path: string; maxBytes: number }; result: { base64: string; size: number } };
  'evidence.identities': { args: Record<string, never>; result: IdentityInfo[] };
  'evidence.createIdentity': { args: { name: string; passphrase: string }; result: IdentityInfo };
  'evidence.importIdentity': { args: { fileId: string; password: string; passphrase: string }; result: IdentityInfo };
  'evidence.export': { args: ExportOptions; result: ExportResult };
  'evidence.verify': { args: { fileId: string; caPem: string | null; tsaCaPem: string | null }; result: VerifyReport };
  /** The PDF of a package's report (the package is verified first): Electron prints it itself, browser mode with the host's Chromium. */
  'evidence.reportPdf': { args: { fileId: string }; result: ReportPdfResult };
  'checklist.templates': { args: Record<string, never>; result: TemplateSummary[] };
  'checklist.template': { args: { id: string; version: string | null }; result: { view: TemplateView; text: string } };
  /** The JSON Schema of the template format, for the editor. */
  'checklist.schema': { args: Record<string, never>; result: { schema: Record<string, unknown> } };
  'checklist.validate': { args: { text: string }; result: { problem: TemplateProblem | null; summary: { id: string; version: string; items: number } | null } };
  'checklist.save': { args: { text: string }; result: TemplateSummary };
  /** The session's findings; the template itself only when it is not the one whose SHA-256 the caller gives. */
  'checklist.session': { args: { sessionId: string; templateSha256?: string | null }; result: SessionChecklistUpdate };
  'checklist.use': { args: { sessionId: string; templateId: string; version: string | null }; result: TemplateSummary };
  'checklist.verdict': { args: { sessionId: string; item: string; verdict: Verdict | null; note: string | null; attachments: number[] }; result: { seq: number } };
  /** Evidence for an item: a screenshot or UI dump of the session's phone, or the end of its log. */
  'checklist.capture': { args: { sessionId: string; kind: 'screenshot' | 'ui.dump' | 'log' }; result: { seq: number } };
  'checklist.exportFindings': { args: { sessionId: string; format: 'csv' | 'xlsx' }; result: { fileId: string; fileName: string; path: string } };
  /** The 39 app types of 国信办秘字〔2021〕14号 with their necessary personal information. */
  'policy.appTypes': { args: Record<string, never>; result: AppTypeView[] };
  /** The session's declared-vs-observed matrix and the policy sentences it cites. */
  'policy.view': { args: { sessionId: string }; result: { comparison: PolicyComparison; sentences: PolicySentence[]; reading: ReadingView | null } };
  'policy.loadFile': { args: { sessionId: string; fileId: string }; result: { seq: number } };
  /** Local and private addresses only when the host allows them (settings.allowLocalAddresses, --allow-local). */
  'policy.fetch': { args: { sessionId: string; url: string }; result: { seq: number } };
  /** Reads the policy on the phone's screen page by page (tapping the policy link first when asked). */
  'policy.capture': { args: { sessionId: string; openLink: boolean }; result: { seq: number; pages: number; problem: string | null } };
  'policy.setAppType': { args: { sessionId: string; typeNo: number }; result: { seq: number } };
  /** The policy's text pasted by the tester (a page that gave no readable text). */
  'policy.paste': { args: { sessionId: string; text: string }; result: { seq: number } };
  /**
   * A list page the session's policy points to, captured and read with the policy as its list: by tapping the
   * reference's link on the phone, from the screen the tester opened, a URL, a file or pasted text.
   */
  'policy.captureList': { args: { sessionId: string; list: ListKind; source: ListPageSource }; result: { seq: number; pages: number; problem: string | null; verdict: ListReading['verdict'] } };
  /**
   * Walks the session's app from the screen it shows (its main screen) to find the policy, account deletion and
   * the other targets (issue #29); steps and result arrive as the session's timeline events. Limits the tester
   * leaves out take their defaults; values outside the allowed range are held to it.
   */
  'explore.start': { args: { sessionId: string; limits: Partial<import('./explore.js').ExploreLimits> }; result: { started: true } };
  /** Stops the session's walk and waits until its result is on the timeline. */
  'explore.stop': { args: { sessionId: string }; result: { stopped: boolean } };
  'explore.status': { args: { sessionId: string }; result: { running: boolean } };
  /** Outside a session (the App page): a policy file or URL against an APK and an app type. */
  'policy.check': { args: { policyFileId: string | null; url: string | null; apkFileId: string | null; typeNo: number | null }; result: { comparison: PolicyComparison; sentences: PolicySentence[]; reading: ReadingView | null } };
  /** Points the recording session's phone at a proxy of its own (restored exactly when the session stops). */
  'network.start': { args: { sessionId: string; choice: NetworkChoice }; result: NetworkStatus };
  /** Stops the session's proxy and restores the phone's setting; idempotent. */
  'network.stop': { args: { sessionId: string }; result: NetworkStatus | null };
  /** The session's proxy as the session bar shows it; null when network capture was never on. */
  'network.status': { args: { sessionId: string }; result: NetworkStatus | null };
  /** The host's addresses a Wi-Fi mode proxy may listen on. */
  'network.lanAddresses': { args: Record<string, never>; result: LanAddress[] };
  /** Phones left pointing at a dead workbench proxy (connected phones are read now). */
  'network.staleProxies': { args: Record<string, never>; result: StaleProxy[] };
  /** Restores a phone a dead workbench left pointed at its proxy; returns what is still stale. */
  'network.clearStale': { args: { serial: string }; result: StaleProxy[] };
  /** The session CA (intercepting sessions), to install on the phone as a user CA. */
  'network.ca': { args: { sessionId: string }; result: SessionCaFile };
  /** Copies the session CA to the phone's Download folder for Settings' "Install a certificate". */
  'network.pushCa': { args: { sessionId: string }; result: SessionCaFile };
  /**
   * The live screen of a phone as H.264 (`screenFrame` events) while the lease lasts: renew by calling again with
   * the returned id within SCREEN_WATCH_LEASE_MS. A new watch makes the core resend the current group of pictures.
   */
  'screen.watch': { args: { serial: string; watchId: string | null }; result: { watchId: string; status: ScreenStatus } };
  'screen.unwatch': { args: { watchId: string }; result: null };
  'evidence.estimate': { args: { sessionId: string }; result: ExportEstimate };
  /** The farm's Redis (and farm name), checked to answer, then remembered for the next start (issue #30). */
  'farm.connect': { args: { redisUrl: string; farm: string | null }; result: FarmConnectionView };
  /** The farm as Redis holds it now, or why Redis does not answer; what this workbench does for it. */
  'farm.status': { args: Record<string, never>; result: FarmView };
  /** A job that failed for good runs again from its first attempt. */
  'farm.retry': { args: { jobId: string }; result: { done: true; kind: 'analyze' | 'check' } };
  /** A job that waits (or failed) is removed; a running or finished one is refused. */
  'farm.cancel': { args: { jobId: string }; result: { done: true; kind: 'analyze' | 'check' } };
  /** This workbench becomes a worker of the farm: analyses on its cores, checks on the phones the tester offers. */
  'farm.join': { args: FarmJoinRequest; result: FarmMembership };
  /** Stops being a worker: running jobs finish (or go back to the farm); the phones are the tester's again. */
  'farm.leave': { args: Record<string, never>; result: { left: boolean } };
  /** The phones this workbench has offered to the farm (no Redis asked): the device list marks them. */
  'farm.offered': { args: Record<string, never>; result: { phones: string[] } };
}

/** Where a list page comes from: the reference's link tapped on the phone, the phone's screen as it is, a URL, a file, pasted text. */
export type ListPageSource = { kind: 'tap' } | { kind: 'screen' } | { kind: 'url'; url: string } | { kind: 'file'; fileId: string } | { kind: 'text'; text: string };

export interface WorkbenchEvents {
  devices: DeviceInfo[];
  adb: AdbStatus;
  virtualDevice: VirtualDeviceStatus;
  /** Errors that happened in the background (a monitor, the adb server) for the UI to show. */
  problem: BridgeError;
  install: InstallProgress;
  deviceInput: DeviceInputEvent;
  monitorEvent: MonitorEvent;
  logLines: LogLinesBatch;
  analysis: { fileId: string; step: string };
  /** A session's metadata changed (started, paused, closed, events counted). */
  session: SessionInfo;
  exportProgress: ExportProgress;
  /** A session's proxy changed state or counts (at most about once a second for counts). */
  network: NetworkStatus;
  /** Each network event a session writes (net.*, pi.sent), for the live Network view. */
  networkEvent: NetworkTimelineItem;
  /** The phones found pointing at a dead workbench proxy (at start, when a phone connects, after a clear). */
  staleProxies: StaleProxy[];
  /** H.264 access units of watched phones' screens, in order. */
  screenFrame: ScreenFrame;
  /** A phone's live screen source changed (H.264, PNG fallback, off). */
  screenStatus: ScreenStatus;
}

export type MethodName = keyof WorkbenchMethods;
export type EventName = keyof WorkbenchEvents;
export type MethodArgs<M extends MethodName> = WorkbenchMethods[M]['args'];
export type MethodResult<M extends MethodName> = WorkbenchMethods[M]['result'];

export const METHOD_NAMES = [
  'app.info', 'settings.get', 'settings.update', 'adb.status', 'adb.restart', 'devices.list', 'devices.connect',
  'devices.disconnect', 'virtualDevice.scenarios', 'virtualDevice.start', 'virtualDevice.stop', 'virtualDevice.status',
  'virtualDevice.profiles',
  'files.stage', 'device.details', 'device.packages', 'device.install', 'device.uninstall', 'device.clearData',
  'device.forceStop', 'device.launch', 'device.screenshot', 'device.input', 'device.uiTree', 'device.shell',
  'monitor.start', 'monitor.stop', 'monitor.status', 'monitor.recent', 'apk.analyze',
  'session.list', 'session.start', 'session.pause', 'session.resume', 'session.close', 'session.delete', 'session.mark',
  'session.note', 'session.attach', 'session.timeline', 'session.blob', 'evidence.identities', 'evidence.createIdentity', 'evidence.importIdentity',
  'evidence.export', 'evidence.verify', 'evidence.reportPdf', 'checklist.templates', 'checklist.template', 'checklist.schema', 'checklist.validate',
  'checklist.save', 'checklist.session', 'checklist.use', 'checklist.verdict', 'checklist.capture', 'checklist.exportFindings',
  'policy.appTypes', 'policy.view', 'policy.loadFile', 'policy.fetch', 'policy.capture', 'policy.setAppType', 'policy.check',
  'policy.paste', 'policy.captureList',
  'network.start', 'network.stop', 'network.status', 'network.lanAddresses', 'network.staleProxies', 'network.clearStale', 'network.ca', 'network.pushCa',
  'screen.watch', 'screen.unwatch', 'evidence.estimate', 'explore.start', 'explore.stop', 'explore.status',
  'farm.connect', 'farm.status', 'farm.retry', 'farm.cancel', 'farm.join', 'farm.leave', 'farm.offered',
] as const satisfies readonly MethodName[];

export const EVENT_NAMES = ['devices', 'adb', 'virtualDevice', 'problem', 'install', 'deviceInput', 'monitorEvent', 'logLines', 'analysis', 'session', 'exportProgress', 'network', 'networkEvent', 'staleProxies', 'screenFrame', 'screenStatus'] as const satisfies readonly EventName[];

/** One message of event traffic: many items of several streams, so floods cost few messages. */
export type EventBatch = Array<{ event: EventName; items: unknown[] }>;

export interface WorkbenchApi {
  call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<Outcome<MethodResult<M>>>;
  subscribe<E extends EventName>(event: E, listener: (items: Array<WorkbenchEvents[E]>) => void): () => void;
  /** Hands a user-chosen file to the core: Electron passes its path, browser mode uploads it. */
  stageFile(file: File): Promise<Outcome<MethodResult<'files.stage'>>>;
}

/** Channel names of the Electron IPC transport. */
export const IPC_CALL = 'workbench:call';
export const IPC_EVENTS = 'workbench:events';
