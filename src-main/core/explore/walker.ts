/**
 * The explorer's walk (issue #29): a bounded breadth-first walk over an app's screens from its main screen, tapping
 * clickable controls, to find how many taps away the privacy policy, account deletion, consent withdrawal, the
 * personalisation switch and the other targets (targets.ts) are. Pure: it drives a `PhonePort` and returns plain
 * data (JSON-able) for a later step to write to a session timeline; it owns no session, UI or adb connection.
 *
 * It must never: tap a denied control (deny-list.ts; checked again on the live dump at the tap point before every
 * tap), toggle a switch or tick box (a state change, not a page), grant a permission (the system dialog is answered
 * Deny), stay in another app (an intent that left the app is backed out at once and its control denied for the rest
 * of the walk), revisit a screen (screenIdentity) or run past its limits (taps, depth, wall clock, screens).
 *
 * Returning to a screen: after a tap that opened another screen the walk presses Back once, which is how apps go
 * back almost always. When Back does not land on the screen being explored, the walk returns to the main screen —
 * Back presses until the main screen's identity is seen (at most maxDepth + 2), else one relaunch of the app — and
 * replays the shortest known path of taps to the screen, checking each arrival's identity; a path that no longer
 * leads there (the app changed under the walk) makes that screen `unreachable`, not a guess.
 *
 * Lists longer than the screen: on reaching a screen the walk swipes its main scrolling list down (at most
 * MAX_SWIPES times, stopping when the list no longer changes) and collects the controls and targets below the fold;
 * a control there is found again by scrolling to it. Swipes are counted apart from taps (`swipes`): a target's tap
 * count is the taps of its path — 191's "4 taps" — and each path step says how many swipes down the list its
 * control is (PathStep.swipes).
 *
 * Bad input is bounded and recorded as a problem (ExploreProblem), and the walk goes on: a screen that is one
 * WebView with nothing in its UI tree is recorded as unreadable and nothing in it is guessed; a screen that changes
 * by itself (a clock, a feed, a rotating banner) is one screen — a screen reached by a tap that looks like the one
 * tapped on is read again a moment later, and one that changed again with no input is the same screen changed; a
 * pop-up closed again and again is recorded POPUP_RECORDS times and then counted, and one that comes back as soon
 * as it is closed is left in place; a screen that goes off is woken (KEYCODE_WAKEUP, MAX_WAKES a walk, never
 * unlocking a lock screen); an app that dies under the walk is relaunched (MAX_APP_DEATHS a walk, then `app-gone`),
 * and a control it died on twice is not tapped again.
 */
import type { UiDumpNode, UiTree } from '../../../src-preload/api.js';
import type { DeviceBridge } from '../adb/device-bridge.js';
import { DeviceControl } from '../adb/device-control.js';
import { parseUiDump } from '../adb/ui-dump.js';
import { parseResumedActivity } from '../monitor/dump-parsers.js';
import { DEFAULT_EXPLORE_LIMITS, type AdWatch, type ExploreLimits, type ExploreProblem, type ExploreProblemKind, type ExploreStep, type ExploreSummary, type ExploreTarget, type PathStep, type ScreenEvidence, type StopReason, type SwitchCheck, type TargetResult } from '../../../src-preload/explore.js';
import { shellCommand } from '../adb/shell-quote.js';
import { deniedControl, deniedLabel, type DenyReason } from './deny-list.js';
import { findAdWithoutClose, findPopup, nodesOf, PERMISSION_PACKAGES, type Popup } from './popups.js';
import { identityLines, screenIdentity } from './screen-identity.js';
import { TARGETS, targetsOf } from './targets.js';

/** What the walk does to a phone. The real one is `bridgePhonePort`; tests drive a scripted graph of screens. */
export interface PhonePort {
  dump(): Promise<UiTree>;
  /** `quick`: read the phone at once after (a switch's state), without the port's settle. */
  tap(x: number, y: number, quick?: boolean): Promise<void>;
  back(): Promise<void>;
  /** The package of the resumed activity, or null when the phone does not say. */
  foreground(): Promise<string | null>;
  /** Starts the app's launcher activity (`monkey -p PKG 1`): the way back to the main screen when Back is not. */
  relaunch(packageName: string): Promise<void>;
  screenshot?(): Promise<Buffer>;
  /** The dump's own text (uiautomator's XML) for a tree this port returned, to keep as evidence. */
  xmlOf?(tree: UiTree): string | null;
  /** A slow finger drag (`input swipe`): scrolls the list under it. Without it the walk reads what is in view only. */
  swipe?(x1: number, y1: number, x2: number, y2: number, durationMs: number): Promise<void>;
  /**
   * Turns the screen on (KEYCODE_WAKEUP) after `dump` refused with reason `screen-off` (DeviceControl.uiTree's
   * refusal), and dismisses a lock screen that has no credential. Without it a screen that goes off stops the walk.
   */
  wake?(): Promise<void>;
  /** Whether the app has a live process: tells a crash (none; the launcher in front) from a control that left the app. */
  isRunning?(packageName: string): Promise<boolean>;
}

export type { ExploreLimits, PathStep, StopReason, TargetResult } from '../../../src-preload/explore.js';
export const DEFAULT_LIMITS = DEFAULT_EXPLORE_LIMITS;

export interface ScreenRecord {
  id: string;
  depth: number;
  path: PathStep[];
  /** Controls the walk could tap here, and whether every one was tried. */
  controls: number;
  explored: boolean;
  unreachable?: boolean;
  /** What was captured on arriving (the session's seqs), when the caller captures. */
  evidence: ScreenEvidence | null;
  /** The screen's first words (bounded): what a page offers, read by the evaluators (a deletion page's phone number). */
  words: string[];
  /** The labels of its tappable controls, denied ones included (a deletion page's 申请注销 button). */
  actions: string[];
  /** It is one WebView with nothing in its UI tree: the walk could not read into it (nothing there was guessed). */
  unreadable?: boolean;
}

export type WalkEvent = ExploreStep & { hostTime: number };

/** What the caller adds to a walk: evidence per screen, a stop button, and the waits of the two checks. */
export interface WalkHooks {
  /** Keeps a screenshot and the UI tree of a screen just reached (its id, the tree the walk read). */
  capture?(screen: string, tree: UiTree, why: string): Promise<ScreenEvidence>;
  /** Stops the walk at its next step (stop reason `stopped`). */
  signal?: AbortSignal;
  /** Asked before every step: a reason to stop now (the session stopped recording), or null. */
  stopWhen?(): string | null;
  /** How long the personalisation switch is watched after it was turned off (default 15 s: apps put it back after seconds). */
  switchWatchMs?: number;
  /** How long an ad without a close control is watched for one (default 15 s). */
  adWaitMs?: number;
  sleep?(ms: number): Promise<void>;
  /**
   * How many times faster the phone's clock runs than the host's (the demo's compressed virtual phone; 1 for a real
   * phone): the two checks wait and measure in the phone's time, so "a close after 10 s" means the phone's 10 s.
   */
  phoneTimeScale?: number;
}

/** An event before the walk stamps it (distributes over the union). */
type WithoutTime<E> = E extends unknown ? Omit<E, 'hostTime'> : never;

/** The walk's own record: the summary's counts and findings, with every screen and denied control in full. */
export interface ExploreResult extends Omit<ExploreSummary, 'screens' | 'screensExplored' | 'denied' | 'swipes' | 'problems'> {
  root: string | null;
  screens: ScreenRecord[];
  denied: Array<{ label: string; screen: string; bounds: [number, number, number, number]; reason: DenyReason | 'toggles' | 'left-app' }>;
  /** Denied controls beyond the first MAX_DENIED_RECORDS (a hostile screen of a thousand "删除 n" buttons). */
  deniedNotListed: number;
  /** Swipes made (never counted as taps). */
  swipes: number;
  /** What made the walk harder, each with how often (at most MAX_PROBLEMS kinds-and-places). */
  problems: ExploreProblem[];
}

/** Bounds on one dump: controls tried per screen, nodes read, characters of a label kept. */
const MAX_CONTROLS = 40;
const MAX_NODES = 20_000;
const LABEL_MAX = 80;
const POPUPS_IN_A_ROW = 3;
const MAX_DENIED_RECORDS = 500;
/** Descendant marks per screen (which control a word belongs to). */
const MAX_MARKED = 100_000;
/** Words kept per screen: enough to say what a page offers. */
const WORDS_KEPT = 40;
/** Swipes down one list when a screen is first reached: a settings page a few screens long, not an endless feed. */
const MAX_SWIPES = 4;
/** A swipe moves the list by 40 % of its height, slowly, so that the pages read overlap (a fling would skip rows). */
const SWIPE_SHARE = 0.4;
const SWIPE_MS = 800;
/** Times the screen is woken in one walk: a phone that keeps going off needs its timeout changed, not a walk of wake-ups. */
const MAX_WAKES = 10;
/** Deaths of the app in one walk, each followed by a relaunch; one more stops the walk ('app-gone'). */
const MAX_APP_DEATHS = 3;
/** Times the same pop-up is recorded before it is only counted (a dialog that comes back after every tap). */
const POPUP_RECORDS = 3;
/** Problems kept (kind and place); each counts its repeats. */
const MAX_PROBLEMS = 50;
/** Identity lines two reads of one screen changed may differ in, or the share they must have in common (alike()). */
const CHANGED_LINES = 2;
const SAME_SCREEN = 0.75;
/** Phone time between the two reads that tell a screen changing by itself from one a tap opened. */
const CHURN_RECHECK_MS = 1200;
/** A WebView this much of the window with nothing in its tree is a page the walk cannot read; one more look after this wait. */
const OPAQUE_SHARE = 0.4;
const WEBVIEW_WAIT_MS = 1500;
/** Identity lines kept per screen for comparisons. */
const LINES_KEPT = 2_000;

interface Control {
  key: string;
  label: string;
  bounds: [number, number, number, number];
  /** Swipes down the screen's list from its top before it is in view (0: in view). */
  swipes: number;
}

interface Look {
  tree: UiTree;
  id: string;
  foreground: string | null;
}

class LimitReached extends Error {
  constructor(readonly reason: Exclude<StopReason, 'explored' | 'maxDepth'>, note: string) {
    super(note);
  }
}

/** The app's process died under the walk (the launcher is in front and the app has no process). */
class AppDied extends Error {}

/** Is this the phone saying its screen is off (DeviceControl.uiTree's refusal, reason `screen-off`)? */
function isScreenOff(err: unknown): boolean {
  const details = typeof err === 'object' && err !== null ? (err as { details?: unknown }).details : undefined;
  return typeof details === 'object' && details !== null && (details as { reason?: unknown }).reason === 'screen-off';
}

/** A tree's nodes, read once per dump (a hostile window has 20,000 of them). */
const nodesCache = new WeakMap<UiTree, UiDumpNode[]>();
function allNodes(tree: UiTree): UiDumpNode[] {
  let nodes = nodesCache.get(tree);
  if (!nodes) nodesCache.set(tree, (nodes = nodesOf(tree, MAX_NODES)));
  return nodes;
}

function clean(text: string): string {
  return text.slice(0, 400).replace(/\s+/g, ' ').trim();
}

/** A control's label: its own words, else its first descendants' (a clickable row holds a TextView). */
function controlLabel(node: UiDumpNode): string {
  const own = clean(node.text || node.contentDesc);
  if (own) return own.slice(0, LABEL_MAX);
  const words: string[] = [];
  for (const n of nodesOf({ rotation: 0, nodes: node.children, nodeCount: 0 }, 50)) {
    const w = clean(n.text || n.contentDesc);
    if (w) words.push(w);
    if (words.length >= 3) break;
  }
  return words.join(' ').slice(0, LABEL_MAX);
}

function hasArea(b: [number, number, number, number]): boolean {
  return b[2] > b[0] && b[3] > b[1];
}

function center(b: [number, number, number, number]): [number, number] {
  return [Math.round((b[0] + b[2]) / 2), Math.round((b[1] + b[3]) / 2)];
}

function contains(b: [number, number, number, number], x: number, y: number): boolean {
  return x >= b[0] && x < b[2] && y >= b[1] && y < b[3];
}

/** Why a control must not be tapped, or null: the deny list on it and on its label, or it is a switch. */
function whyNot(node: UiDumpNode, label: string): DenyReason | 'toggles' | null {
  const denied = deniedControl(node) ?? deniedLabel(label);
  if (denied) return denied;
  return node.checkable ? 'toggles' : null;
}

/** Is any node under the point denied? The last check before a tap, on the live dump. */
function deniedAt(nodes: UiDumpNode[], x: number, y: number): DenyReason | null {
  for (const n of nodes) {
    const why = contains(n.bounds, x, y) ? deniedControl(n) : null;
    if (why) return why;
  }
  return null;
}

function controlKey(node: UiDumpNode, label: string): string {
  return `${node.className}|${node.resourceId}|${label}`;
}

function area(b: [number, number, number, number]): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

/**
 * A WebView that fills much of the window and has nothing in its UI tree (a page whose accessibility tree the app
 * or its web engine does not give): what the walk cannot read into. Any engine's (android.webkit, X5's, UC's).
 */
function opaqueWebView(nodes: UiDumpNode[]): UiDumpNode | null {
  const window = Math.max(0, ...nodes.slice(0, 5).map((n) => area(n.bounds)));
  return nodes.find((n) => /WebView$/.test(n.className) && n.children.length === 0 && window > 0 && area(n.bounds) >= OPAQUE_SHARE * window) ?? null;
}

/**
 * The screen's main scrolling list: the largest scrollable container tall enough to swipe in, or null. Not a
 * WebView: a page's words below the fold are prose (a policy's), not menus.
 */
function mainScroller(nodes: UiDumpNode[]): UiDumpNode | null {
  let best: UiDumpNode | null = null;
  for (const n of nodes) {
    if (!n.scrollable || /WebView$/.test(n.className) || n.bounds[3] - n.bounds[1] < 200 || n.bounds[2] <= n.bounds[0]) continue;
    if (!best || area(n.bounds) > area(best.bounds)) best = n;
  }
  return best;
}

/** What the list shows now (its rows' words, ids and places): equal before and after a swipe when it did not move. */
function listSignature(nodes: UiDumpNode[], box: [number, number, number, number]): string {
  const list = nodes.find((n) => n.scrollable && n.bounds.join() === box.join());
  if (!list) return '';
  return nodesOf({ rotation: 0, nodes: list.children, nodeCount: 0 }, 300).map((n) => `${n.resourceId}|${n.text.slice(0, 40)}|${n.contentDesc.slice(0, 40)}|${n.bounds.join()}`).join('\n');
}

/**
 * Two reads of one screen changed: identity lines (multisets) that differ in at most CHANGED_LINES on either side (a
 * headline's words and a badge), or have SAME_SCREEN of them in common.
 */
function alike(a: string[], b: string[]): boolean {
  if (!a.length || !b.length) return false;
  const counts = new Map<string, number>();
  for (const l of a) counts.set(l, (counts.get(l) ?? 0) + 1);
  let common = 0;
  for (const l of b) {
    const n = counts.get(l) ?? 0;
    if (n > 0) { common++; counts.set(l, n - 1); }
  }
  return Math.max(a.length, b.length) - common <= CHANGED_LINES || common / (a.length + b.length - common) >= SAME_SCREEN;
}

/**
 * Walks the app from the screen it shows now (its main screen: the caller launches it and lets the splash pass).
 * `onStep` hears every action as it happens (for a live view or a timeline); the result says it all again.
 */
export async function explore(port: PhonePort, app: string, limits: ExploreLimits = DEFAULT_LIMITS, onStep?: (e: WalkEvent) => void, now: () => number = Date.now, hooks: WalkHooks = {}): Promise<ExploreResult> {
  const started = now();
  const result: ExploreResult = {
    app, stopped: 'explored', note: '', limits: { ...limits }, taps: 0, backs: 0, relaunches: 0, elapsedMs: 0, root: null,
    screens: [], targets: [], denied: [], deniedNotListed: 0, leftApp: [], popups: [], switch: null, ads: [], swipes: 0, problems: [],
  };
  const scale = hooks.phoneTimeScale && hooks.phoneTimeScale > 0 ? hooks.phoneTimeScale : 1;
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const emit = (e: WithoutTime<WalkEvent>): void => onStep?.({ ...e, hostTime: now() } as WalkEvent);
  const screens = new Map<string, ScreenRecord>();
  const controlsOf = new Map<string, Control[]>();
  const best = new Map<ExploreTarget, Extract<TargetResult, { found: true }>>();
  const walkDenied = new Set<string>();
  const deniedSeen = new Set<string>();
  /** Identity lines of each screen as first read, and the other ids a screen that changes by itself was seen with. */
  const linesOf = new Map<string, string[]>();
  const aliasOf = new Map<string, string>();
  const changing = new Set<string>();
  const problemsAt = new Map<string, ExploreProblem>();
  const popupsSeen = new Map<string, number>();
  const stuckPopups = new Set<string>();
  /** Tries of a control beyond the first (a tap the dark screen swallowed, a tap the app died on), by control key. */
  const retries = new Map<string, number>();
  const diedOn = new Map<string, number>();
  let depthCut = false;
  let wakes = 0;
  let deaths = 0;

  const checkClock = (): void => {
    if (hooks.signal?.aborted) throw new LimitReached('stopped', 'the walk was stopped');
    const why = hooks.stopWhen?.();
    if (why) throw new LimitReached('stopped', why);
    if (now() - started >= limits.maxMs) throw new LimitReached('maxMs', `the wall-clock limit of ${limits.maxMs} ms was reached`);
  };

  /** Records a problem once per kind and place, then counts it (`count` given: its count is that). `every`: say each repeat too. */
  const problem = (kind: ExploreProblemKind, screen: string, label: string, what: string, o: { count?: number; every?: boolean } = {}): void => {
    const key = `${kind}|${screen}|${label}`;
    let p = problemsAt.get(key);
    const repeat = p !== undefined;
    if (!p) {
      if (result.problems.length >= MAX_PROBLEMS) return;
      p = { problem: kind, screen, label: label.slice(0, LABEL_MAX), count: 0 };
      problemsAt.set(key, p);
      result.problems.push(p);
    }
    p.count = o.count ?? p.count + 1;
    if (!repeat || o.every) emit({ kind: 'problem', what: what.slice(0, 300), problem: kind, screen, label: p.label, count: p.count });
  };

  /**
   * The phone's UI tree. A screen that went off (uiautomator reads no window) is woken once and read again; a phone
   * that stays dark, wakes to a lock screen, or goes off more than MAX_WAKES times stops the walk ('screen-off').
   */
  const dump = async (): Promise<UiTree> => {
    try {
      return await port.dump();
    } catch (err) {
      if (!isScreenOff(err)) throw err;
    }
    if (!port.wake) throw new LimitReached('screen-off', 'the screen went off and this phone cannot be woken from the walk');
    if (wakes >= MAX_WAKES) throw new LimitReached('screen-off', `the screen went off ${wakes + 1} times in one walk: lengthen its timeout and explore again`);
    checkClock();
    wakes++;
    await port.wake();
    problem('screen-off', '', '', `the screen went off; woke it (${wakes} in this walk)`, { count: wakes, every: true });
    let tree: UiTree;
    try {
      tree = await port.dump();
    } catch (err) {
      if (isScreenOff(err)) throw new LimitReached('screen-off', 'the screen went off and did not stay on when woken');
      throw err;
    }
    // Only the phone's own windows: its lock screen (the walk never types a PIN or draws a pattern).
    if (screenIdentity(tree).startsWith('?#')) throw new LimitReached('screen-off', 'the screen went off and woke to the lock screen: unlock the phone and explore again');
    return tree;
  };

  /** The app is not in front: is it still alive? A second look a second later (a relaunched app may still be starting). */
  const checkAlive = async (): Promise<void> => {
    if (!port.isRunning || (await port.isRunning(app))) return;
    await sleep(1000);
    if ((await port.foreground()) === app || (await port.isRunning(app))) return;
    throw new AppDied(`${app} has no process`);
  };

  /** One pop-up over whatever screen it comes on: its kind and its own words. */
  const popupKey = (popup: Popup): string => `${popup.kind}|${popup.about}`;

  /** A pop-up closed: recorded POPUP_RECORDS times, then counted as one that keeps coming back. */
  const notePopup = (popup: Popup): void => {
    const n = (popupsSeen.get(popupKey(popup)) ?? 0) + 1;
    popupsSeen.set(popupKey(popup), n);
    if (n <= POPUP_RECORDS) {
      result.popups.push({ kind: popup.kind, words: popup.words, closedWith: popup.close?.label ?? null });
      emit({ kind: 'popup', popup: popup.kind, words: popup.words, closedWith: popup.close?.label ?? null });
    } else {
      problem('recurring-popup', '', popup.about, `the pop-up “${popup.about.slice(0, 60)}” keeps coming back: closed ${n} times so far, counted from now on`, { count: n });
    }
  };

  const look = async (): Promise<Look> => {
    checkClock();
    const closedHere: string[] = [];
    for (let i = 0; ; i++) {
      const tree = await dump();
      const foreground = await port.foreground();
      if (foreground !== null && foreground !== app && !PERMISSION_PACKAGES.has(foreground)) await checkAlive();
      const popup = findPopup(tree, foreground);
      if (!popup && i < POPUPS_IN_A_ROW && foreground === app && (await watchAd(tree))) continue;
      const seen = (): Look => ({ tree, id: screenIdentity(tree), foreground });
      if (!popup || stuckPopups.has(popupKey(popup))) return seen();
      if (i >= POPUPS_IN_A_ROW) {
        // The same pop-up closed every time round and back at once: left in place from now on (closing it only spends taps).
        if (closedHere.every((k) => k === popupKey(popup))) {
          stuckPopups.add(popupKey(popup));
          problem('stuck-popup', '', popup.about, `the pop-up “${popup.about.slice(0, 60)}” came back each time it was closed (${i} times in a row): the walk reads the screen with it in front`, { count: i });
        }
        return seen();
      }
      notePopup(popup);
      closedHere.push(popupKey(popup));
      if (popup.close && (await tapAt(tree, popup.close.bounds, popup.close.label, null, false)) === null) continue;
      if (popup.kind === 'permission') await back('popup'); // Back on the system dialog is Deny.
      else return seen();
    }
  };

  const back = async (reason: 'return' | 'left-app' | 'popup'): Promise<void> => {
    checkClock();
    await port.back();
    result.backs++;
    emit({ kind: 'back', reason });
  };

  /** Taps the centre of `bounds` unless the live dump says a denied control is there; counts the tap. */
  const tapAt = async (tree: UiTree, bounds: [number, number, number, number], label: string, screen: string | null, replay: boolean, quick = false): Promise<DenyReason | null> => {
    checkClock();
    if (result.taps >= limits.maxTaps) throw new LimitReached('maxTaps', `the limit of ${limits.maxTaps} taps was reached`);
    const [x, y] = center(bounds);
    const denied = deniedAt(allNodes(tree), x, y);
    if (denied) return denied;
    await port.tap(x, y, quick);
    result.taps++;
    emit({ kind: 'tap', tap: result.taps, label, bounds, screen: screen ?? '', replay });
    return null;
  };

  /** One slow swipe inside `box`: 'down' shows what is below (the finger moves up). Counted in `swipes`, never in taps. */
  const swipe = async (box: [number, number, number, number], direction: 'down' | 'up'): Promise<void> => {
    checkClock();
    const x = Math.round((box[0] + box[2]) / 2);
    const h = box[3] - box[1];
    const low = box[1] + Math.round(h * (0.5 + SWIPE_SHARE / 2));
    const high = box[1] + Math.round(h * (0.5 - SWIPE_SHARE / 2));
    if (direction === 'down') await port.swipe!(x, low, x, high, SWIPE_MS);
    else await port.swipe!(x, high, x, low, SWIPE_MS);
    result.swipes++;
  };

  const deny = (label: string, screen: string, bounds: [number, number, number, number], reason: DenyReason | 'toggles' | 'left-app'): void => {
    const k = `${screen}|${label}|${reason}`;
    if (deniedSeen.has(k)) return;
    deniedSeen.add(k);
    if (result.denied.length >= MAX_DENIED_RECORDS) { result.deniedNotListed++; return; }
    result.denied.push({ label, screen, bounds, reason });
    emit({ kind: 'denied', label, screen, reason });
  };

  /**
   * Is `l` the screen `rec`: its id, or an id it was seen changing to? Read alike (closeTo), it is also `rec` changed
   * — then remembered as such — when the walk has good reason to expect `rec` (`expected`: a swipe on it, or the
   * tap of a replayed path that leads to it) or `rec` is known to change by itself (`if-changing`: after Back to it).
   */
  const shows = (l: Look, rec: ScreenRecord, tolerance: 'exact' | 'if-changing' | 'expected'): boolean => {
    if (l.id === rec.id || aliasOf.get(l.id) === rec.id) return true;
    if (tolerance === 'exact' || (tolerance === 'if-changing' && !changing.has(rec.id)) || !closeTo(l, rec)) return false;
    sameScreen(l.id, rec);
    return true;
  };

  /** The same app's window, with the screen's identity lines but a few: the screen with a banner's words changed or a badge shown. */
  const closeTo = (l: Look, rec: ScreenRecord | Look): boolean => {
    if ((l.foreground !== null && l.foreground !== app) || l.id.split('#')[0] !== rec.id.split('#')[0] || screens.has(l.id)) return false;
    const lines = 'tree' in rec ? identityLines(rec.tree).slice(0, LINES_KEPT) : linesOf.get(rec.id);
    return lines !== undefined && alike(identityLines(l.tree).slice(0, LINES_KEPT), lines);
  };

  /** `id` is the screen `rec` changed by itself: remembered, and recorded once per screen with the ids seen. */
  const sameScreen = (id: string, rec: ScreenRecord): void => {
    if (id === rec.id || aliasOf.has(id) || screens.has(id)) return;
    aliasOf.set(id, rec.id);
    changing.add(rec.id);
    const seen = 1 + [...aliasOf.values()].filter((v) => v === rec.id).length;
    problem('changing-screen', rec.id, '', `screen ${rec.id} changes by itself (a clock, a feed, a rotating banner): seen ${seen} ways, taken as one screen`, { count: seen });
  };

  interface Scan { rec: ScreenRecord; path: PathStep[]; controls: Control[]; keys: Set<string>; switchLabel: UiDumpNode | null; marked: number }

  /** Reads one view of a screen (`swipes` down its list): its words, targets and the controls the walk may tap. Returns how many were new. */
  const scan = (tree: UiTree, st: Scan, swipes: number): number => {
    const { rec, path } = st;
    const before = st.controls.length + rec.words.length;
    const web = opaqueWebView(allNodes(tree));
    // The control a node's words belong to (a row's TextView is opened by tapping the row), bounded in work.
    const owner = new Map<UiDumpNode, { label: string; bounds: [number, number, number, number]; checkable: boolean }>();
    for (const node of allNodes(tree)) {
      if (node === web) continue; // nothing to read in it, and no tap into it is guessed
      const tapTarget = node.clickable && node.enabled && hasArea(node.bounds) && !PERMISSION_PACKAGES.has(node.packageName) && node.packageName !== 'com.android.systemui';
      const label = tapTarget ? controlLabel(node) : '';
      const self = tapTarget ? { label, bounds: node.bounds, checkable: node.checkable } : undefined;
      if (self && st.marked < MAX_MARKED) {
        for (const d of nodesOf({ rotation: 0, nodes: node.children, nodeCount: 0 }, 200)) owner.set(d, self);
        st.marked += 200;
      }
      // Targets: words on the screen are `depth` taps away; words on a control are opened by one more tap
      // (a switch is the target itself: reaching it is enough, and the walk never toggles it).
      const via = self ?? owner.get(node);
      const said = rec.words.length < WORDS_KEPT ? clean(node.text || node.contentDesc).slice(0, LABEL_MAX) : '';
      if (said && !rec.words.includes(said)) rec.words.push(said);
      const named = targetsOf(node);
      if (named.includes('personalisation') && !st.switchLabel) st.switchLabel = node;
      for (const target of named) {
        const opens = via !== undefined && !via.checkable;
        const taps = path.length + (opens ? 1 : 0);
        const prior = best.get(target);
        if (!prior || prior.taps > taps) {
          const full = opens ? [...path, { tap: taps, label: via.label, bounds: via.bounds, screen: rec.id, ...(swipes ? { swipes } : {}) }] : path;
          best.set(target, { target, item: TARGETS[target].item, found: true, label: clean(node.text || node.contentDesc).slice(0, LABEL_MAX), screen: rec.id, taps, path: full, evidence: [], landing: null, ...(!opens && swipes ? { swipes } : {}) });
        }
      }
      if (!tapTarget) continue;
      if (label && rec.actions.length < WORDS_KEPT && !rec.actions.includes(label)) rec.actions.push(label);
      const why = whyNot(node, label);
      if (why) { deny(label, rec.id, node.bounds, why); continue; }
      const key = controlKey(node, label);
      if (walkDenied.has(key)) { deny(label, rec.id, node.bounds, 'left-app'); continue; }
      if (!label && !node.resourceId) continue; // nothing to find it by again
      if (st.keys.has(key) || st.controls.length >= MAX_CONTROLS) continue;
      st.keys.add(key);
      st.controls.push({ key, label, bounds: node.bounds, swipes });
    }
    return st.controls.length + rec.words.length - before;
  };

  /**
   * Records a screen reached by `path`: its targets and the controls the walk may tap there, those below the fold of
   * its list too (swiped to, bounded). Returns the record (null: a screen already known) and what the phone shows now.
   */
  const arrive = async (seen: Look, path: PathStep[]): Promise<{ rec: ScreenRecord | null; now: Look }> => {
    if (screens.has(seen.id) || aliasOf.has(seen.id)) return { rec: null, now: seen };
    const rec: ScreenRecord = { id: seen.id, depth: path.length, path, controls: 0, explored: false, evidence: null, words: [], actions: [] };
    screens.set(seen.id, rec);
    result.screens.push(rec);
    linesOf.set(seen.id, identityLines(seen.tree).slice(0, LINES_KEPT));
    if (hooks.capture) rec.evidence = await hooks.capture(seen.id, seen.tree, `screen ${path.length} taps from the main screen`);
    emit({ kind: 'screen', id: seen.id, depth: path.length, evidence: rec.evidence });
    const web = opaqueWebView(allNodes(seen.tree));
    if (web) {
      rec.unreadable = true;
      problem('unreadable-webview', rec.id, clean(web.contentDesc || web.text).slice(0, LABEL_MAX), `screen ${rec.id} is a WebView with nothing in its UI tree: the walk cannot read into it and guessed nothing there`);
    }
    const st: Scan = { rec, path, controls: [], keys: new Set(), switchLabel: null, marked: 0 };
    scan(seen.tree, st, 0);
    let at = seen;
    // `pos`: swipes down from the list's top. The switch check leaves the page and opens it again, at its top.
    let pos = 0;
    const switchHere = async (): Promise<void> => {
      if (!st.switchLabel || result.switch) return;
      await checkSwitch({ ...at, id: rec.id }, st.switchLabel);
      at = await look();
      pos = 0;
    };
    await switchHere();
    for (let k = 1; k <= 2 * MAX_SWIPES && pos < MAX_SWIPES && port.swipe; k++) {
      const box = mainScroller(allNodes(at.tree))?.bounds;
      if (!box || !shows(at, rec, 'expected')) break;
      const before = listSignature(allNodes(at.tree), box);
      await swipe(box, 'down');
      const next = await look();
      const moved = shows(next, rec, 'expected') && listSignature(allNodes(next.tree), box) !== before;
      if (moved) pos++;
      emit({ kind: 'scroll', screen: rec.id, direction: 'down', revealed: moved ? scan(next.tree, st, pos) : 0 });
      at = next;
      if (!moved) break; // the end of the list, or the swipe took the app elsewhere (the caller finds its way back)
      await switchHere(); // a personalisation switch below the fold
    }
    rec.controls = st.controls.length;
    controlsOf.set(rec.id, st.controls);
    if (screens.size >= limits.maxScreens) throw new LimitReached('maxScreens', `the limit of ${limits.maxScreens} screens was reached`);
    return { rec, now: at };
  };

  /** The live node for a control (found by class, id and label; its bounds may have moved), or null. */
  const findControl = (tree: UiTree, key: string): UiDumpNode | null => {
    for (const node of allNodes(tree)) {
      if (node.clickable && hasArea(node.bounds) && controlKey(node, controlLabel(node)) === key) return node;
    }
    return null;
  };

  /**
   * A control on the screen `rec` shows, scrolled into view when it is not in view: towards the list's top first for
   * a control above the fold, down first for one below it, each way until the list stops moving. The node is null
   * when it is not there (a feed refreshed); `now` is what the phone shows after the search.
   */
  const reach = async (at: Look, control: Control, rec: ScreenRecord): Promise<{ now: Look; node: UiDumpNode | null }> => {
    const r = await scrollFor(at, rec, (tree) => findControl(tree, control.key), control.swipes > 0);
    return { now: r.now, node: r.found };
  };

  /** Scrolls the screen's list until `find` finds something (down first, or up first), each way until it stops moving. */
  const scrollFor = async <T>(at: Look, rec: ScreenRecord, find: (tree: UiTree) => T | null, downFirst: boolean): Promise<{ now: Look; found: T | null }> => {
    let found = find(at.tree);
    if (found || !port.swipe || !mainScroller(allNodes(at.tree))) return { now: at, found };
    let cur = at;
    for (const direction of downFirst ? ['down', 'up'] as const : ['up', 'down'] as const) {
      for (let i = 0; i <= MAX_SWIPES + 1; i++) {
        const box = mainScroller(allNodes(cur.tree))?.bounds;
        if (!box) return { now: cur, found: null };
        const before = listSignature(allNodes(cur.tree), box);
        await swipe(box, direction);
        cur = await look();
        emit({ kind: 'scroll', screen: rec.id, direction, revealed: 0 });
        if (!shows(cur, rec, 'expected')) return { now: cur, found: null };
        found = find(cur.tree);
        if (found) return { now: cur, found };
        if (listSignature(allNodes(cur.tree), box) === before) break;
      }
    }
    return { now: cur, found: null };
  };

  /** Leaves another app: Back until the app is in front again, else relaunch (which lands on the main screen). */
  const backIntoApp = async (): Promise<Look> => {
    for (let i = 0; i < 3; i++) {
      await back('left-app');
      const fg = await port.foreground();
      if (fg === app) return look();
    }
    await relaunch();
    return look();
  };

  const relaunch = async (): Promise<void> => {
    checkClock();
    await port.relaunch(app);
    result.relaunches++;
    emit({ kind: 'relaunch' });
  };

  /**
   * The main screen's identities: the first, and the same screen with a pop-up or panel gone (an ad closed on it) —
   * what a relaunch shows when it still holds at least 80 % of the main screen's controls in view without scrolling.
   */
  const rootIds = new Set<string>();
  const isRoot = (l: Look): boolean => {
    if (rootIds.has(l.id)) return true;
    const first = [...rootIds][0];
    if (first && aliasOf.get(l.id) === first) return true;
    const controls = first ? (controlsOf.get(first) ?? []).filter((c) => c.swipes === 0) : [];
    if (!controls.length || l.foreground !== app || !l.id.startsWith(`${app}#`)) return false;
    const kept = controls.filter((c) => findControl(l.tree, c.key)).length;
    if (kept < 0.8 * controls.length) return false;
    rootIds.add(l.id);
    return true;
  };
  const atRoot = (l: Look): boolean => {
    const root = screens.get([...rootIds][0] ?? '');
    return rootIds.has(l.id) || (root !== undefined && shows(l, root, 'if-changing'));
  };

  /** Back to the main screen: Back presses until it shows, else one relaunch. */
  const toRoot = async (current: Look): Promise<Look> => {
    let cur = current;
    for (let i = 0; i < limits.maxDepth + 2 && !atRoot(cur); i++) {
      if (cur.foreground !== null && cur.foreground !== app) break; // Back has left the app: relaunch.
      await back('return');
      cur = await look();
    }
    if (atRoot(cur)) return cur;
    await relaunch();
    cur = await look();
    if (!isRoot(cur)) throw new LimitReached('lost', 'the main screen could not be reached again (Back and a relaunch did not show it)');
    // The main screen read otherwise than first: changing by itself, or a panel shown (an ad at launch)? Time tells.
    const root = screens.get([...rootIds][0] ?? '');
    if (root && cur.id !== root.id && !aliasOf.has(cur.id) && closeTo(cur, root)) cur = (await changesByItself(cur, root)) ?? cur;
    return cur;
  };

  /** Brings the phone to `target` along its path; null when the path no longer leads there. */
  const goTo = async (target: ScreenRecord, current: Look): Promise<Look | null> => {
    if (shows(current, target, 'if-changing') || (target.depth === 0 && atRoot(current))) return current;
    let cur = await toRoot(current);
    for (let i = 0, retried = false; i < target.path.length; i++) {
      const step = target.path[i]!;
      const expected = screens.get(i + 1 < target.path.length ? target.path[i + 1]!.screen : target.id);
      const from = screens.get(step.screen);
      const c = controlsOf.get(step.screen)?.find((k) => k.label === step.label && k.bounds.join() === step.bounds.join());
      if (!c || !expected || !from) return null;
      const found = await reach(cur, c, from);
      cur = found.now;
      const wakesBefore = wakes;
      if (!found.node || (await tapAt(cur.tree, found.node.bounds, step.label, step.screen, true)) !== null) return null;
      cur = await look();
      if (shows(cur, expected, 'expected')) continue;
      // The screen went dark as the tap came (a tap on a dark screen goes nowhere): that step once more.
      if (wakes > wakesBefore && !retried && shows(cur, from, 'if-changing')) { retried = true; i--; continue; }
      return null;
    }
    return cur;
  };

  /** The seqs captured on the screens of a path, in order (a screen named twice counts once). */
  const evidenceAlong = (ids: string[]): number[] => {
    const out: number[] = [];
    for (const id of new Set(ids)) {
      const e = screens.get(id)?.evidence;
      for (const seq of [e?.screenshot, e?.uiDump]) if (typeof seq === 'number') out.push(seq);
    }
    return out;
  };

  /**
   * An ad with nothing to close it by (at launch, or in an overlay): watched for a close control for adWaitMs at
   * most, twice a walk at most. True when one appeared (the caller reads the screen again and closes it).
   */
  const adWatchesLeft = { n: 2 };
  const watchAd = async (tree: UiTree): Promise<boolean> => {
    if (adWatchesLeft.n <= 0) return false;
    const ad = findAdWithoutClose(tree, screens.size === 0);
    if (!ad || result.ads.some((a) => a.words === ad.words)) return false;
    adWatchesLeft.n--;
    const wait = Math.min((hooks.adWaitMs ?? 15_000) / scale, Math.max(0, limits.maxMs - (now() - started)));
    const seen = now();
    const screen = screenIdentity(tree);
    let closeAfterMs: number | null = null;
    let closeLabel: string | null = null;
    let last = tree;
    while (now() - seen < wait) {
      if (hooks.signal?.aborted) break;
      await sleep(Math.min(500 / scale, wait));
      last = await dump();
      if (!findAdWithoutClose(last, true)) {
        const popup = findPopup(last, app);
        closeAfterMs = Math.round((now() - seen) * scale);
        closeLabel = popup?.close?.label ?? null;
        break;
      }
    }
    const evidence = hooks.capture ? await hooks.capture(screen, last, closeAfterMs === null ? 'an ad with no close control' : 'an ad once its close control appeared') : null;
    const watch: AdWatch = { words: ad.words, screen, closeAfterMs, closeLabel, waitedMs: Math.round((now() - seen) * scale), evidence: [evidence?.screenshot, evidence?.uiDump].filter((x): x is number => typeof x === 'number') };
    result.ads.push(watch);
    emit({ kind: 'ad', watch });
    return closeAfterMs !== null;
  };

  /**
   * The personalisation switch beside its words (the row's checkable control): turned off once — the one toggle the
   * walk makes, since switching personalisation off is what the user must be able to do — then read again at once
   * and after switchWatchMs (an app that turns it back on has not let the user turn it off).
   */
  const checkSwitch = async (at: Look, labelNode: UiDumpNode): Promise<void> => {
    const label = clean(labelNode.text || labelNode.contentDesc).slice(0, LABEL_MAX);
    // Found by its words, not where they were: in a list the row moves (another switch may be where it was).
    const words = clean(labelNode.text || labelNode.contentDesc);
    const rowOf = (tree: UiTree): UiDumpNode | null => {
      for (const l of allNodes(tree)) {
        if (clean(l.text || l.contentDesc) !== words) continue;
        if (labelNode.checkable) { if (l.checkable) return l; continue; }
        const [, top, , bottom] = l.bounds;
        const sw = allNodes(tree).find((n) => n.checkable && hasArea(n.bounds) && (n.bounds[1] + n.bounds[3]) / 2 >= top && (n.bounds[1] + n.bounds[3]) / 2 <= bottom);
        if (sw) return sw;
      }
      return null;
    };
    const record = async (state: SwitchCheck['state'], watchedMs: number, tree: UiTree, backOn: SwitchCheck['backOn'] = null): Promise<void> => {
      const e = hooks.capture ? await hooks.capture(at.id, tree, `the personalisation switch: ${state}`) : null;
      const check: SwitchCheck = { label, screen: at.id, state, backOn, watchedMs, evidence: [e?.screenshot, e?.uiDump].filter((x): x is number => typeof x === 'number') };
      result.switch = check;
      emit({ kind: 'switch', check });
    };
    const sw = rowOf(at.tree);
    if (!sw) return record('no-switch', 0, at.tree);
    if (!sw.checked) return record('was-off', 0, at.tree);
    if ((await tapAt(at.tree, sw.bounds, label, at.id, false, true)) !== null) return record('no-switch', 0, at.tree);
    const tapped = now();
    await sleep(300 / scale);
    let tree = await dump();
    let now1 = rowOf(tree);
    if (!now1 || now1.checked) return record('not-off', Math.round((now() - tapped) * scale), tree);
    await sleep((hooks.switchWatchMs ?? 15_000) / scale);
    tree = await dump();
    now1 = rowOf(tree);
    if (now1?.checked) return record('back-on', Math.round((now() - tapped) * scale), tree, 'watch');
    // Off for the whole watch: leave the page and open it again (a switch the app does not keep is on again then).
    const rec = screens.get(at.id);
    if (rec && rec.depth > 0) {
      await back('return');
      const again = await goTo(rec, await look());
      if (again) {
        // Opened again at its top: a switch below the fold is scrolled to.
        tree = rowOf(again.tree) ? again.tree : (await scrollFor(again, rec, rowOf, true)).now.tree;
        if (rowOf(tree)?.checked) return record('back-on', Math.round((now() - tapped) * scale), tree, 'reopened');
      }
    }
    return record('stays-off', Math.round((now() - tapped) * scale), tree);
  };

  /**
   * The package in front; when the phone does not say, the package of what the dump shows. When it is not the app,
   * the window is read first: a screen gone dark names no resumed app (or the launcher) until it is woken.
   */
  const inFront = async (): Promise<string> => {
    const fg = await port.foreground();
    if (fg === app) return fg;
    const tree = await dump();
    return (await port.foreground()) ?? screenIdentity(tree).split('#')[0]!;
  };

  /**
   * Is `l`, read alike `rec` but not as it, `rec` changed by itself? Read again a moment later, twice half the wait
   * apart (something that flips on a period is caught at one of them): a screen that changes by itself has changed
   * again with no input. Then both reads are `rec`'s (remembered and recorded) and the last is returned; else null.
   */
  const changesByItself = async (l: Look, rec: ScreenRecord): Promise<Look | null> => {
    let again = l;
    for (let i = 0; i < 2 && again.id === l.id; i++) {
      await sleep(CHURN_RECHECK_MS / 2 / scale);
      again = await look();
    }
    if (again.id === l.id || !(again.id === rec.id || aliasOf.get(again.id) === rec.id || closeTo(again, rec) || closeTo(again, l))) return null;
    sameScreen(l.id, rec);
    sameScreen(again.id, rec);
    return again;
  };

  /** A WebView still loading has an empty tree for a moment: one more look after WEBVIEW_WAIT_MS before taking it as unreadable. */
  const readable = async (l: Look): Promise<Look> => {
    if (!opaqueWebView(allNodes(l.tree))) return l;
    await sleep(WEBVIEW_WAIT_MS / scale);
    return look();
  };

  let cur: Look;

  /**
   * Tries one control of a screen: goes there, finds it (scrolling), taps it and records where it led, then Back.
   * 'again': the tap may not have reached the app (the screen was dark) — try it once more.
   */
  const tryControl = async (screen: ScreenRecord, control: Control): Promise<'next' | 'again' | 'unreachable'> => {
    if (walkDenied.has(control.key)) { deny(control.label, screen.id, control.bounds, 'left-app'); return 'next'; }
    const here = await goTo(screen, cur);
    if (!here) {
      cur = await look();
      return 'unreachable';
    }
    const found = await reach(here, control, screen);
    cur = found.now;
    if (!found.node) return 'next'; // gone from the live screen (a feed refreshed)
    const wakesBefore = wakes;
    const refused = await tapAt(cur.tree, found.node.bounds, control.label, screen.id, false);
    if (refused) { deny(control.label, screen.id, found.node.bounds, refused); return 'next'; }
    const fg = await inFront();
    if (fg !== app && !PERMISSION_PACKAGES.has(fg)) {
      await checkAlive();
      // An intent left the app (browser, store, dialer, share sheet): out at once, and never that control again.
      result.leftApp.push({ label: control.label, screen: screen.id, package: fg.slice(0, 255) });
      emit({ kind: 'left-app', label: control.label, screen: screen.id, package: fg.slice(0, 255) });
      walkDenied.add(control.key);
      deny(control.label, screen.id, control.bounds, 'left-app');
      cur = await backIntoApp();
      return 'next';
    }
    cur = await look();
    if (shows(cur, screen, 'if-changing')) return wakes > wakesBefore ? 'again' : 'next'; // nothing opened (or a pop-up came and went)
    if (closeTo(cur, screen)) {
      // Like the screen tapped on: opened a similar page, or the screen changed by itself?
      const changed = await changesByItself(cur, screen);
      if (changed) { cur = changed; return 'next'; }
    }
    cur = await readable(cur);
    // The bounds first seen: the replay finds the control by them and its label.
    const step: PathStep = { tap: screen.depth + 1, label: control.label, bounds: control.bounds, screen: screen.id, ...(control.swipes ? { swipes: control.swipes } : {}) };
    const arrived = await arrive(cur, [...screen.path, step]);
    cur = arrived.now;
    if (arrived.rec) queue.push(arrived.rec);
    // Back once: the usual way home. goTo takes the long way when it was not.
    await back('return');
    cur = await look();
    return 'next';
  };

  /** The app died under the walk: recorded, relaunched (again while it dies at once), until MAX_APP_DEATHS is passed. */
  const afterDeath = async (screen: string, label: string): Promise<void> => {
    for (;;) {
      deaths++;
      problem('app-died', screen, label, `the app's process died${label ? ` after a tap on “${label}”` : ''}; relaunched it (${deaths} in this walk)`, { count: deaths, every: true });
      if (deaths > MAX_APP_DEATHS) throw new LimitReached('app-gone', `the app died ${deaths} times under the walk`);
      await relaunch();
      try {
        cur = await look();
        return;
      } catch (err) {
        if (!(err instanceof AppDied)) throw err;
      }
    }
  };

  const queue: ScreenRecord[] = [];
  try {
    const first = await inFront();
    if (first !== app && !PERMISSION_PACKAGES.has(first)) await relaunch();
    cur = await readable(await look());
    if (!cur.id.startsWith(`${app}#`)) throw new LimitReached('lost', `${app} is not in front: the walk starts from its main screen`);
    rootIds.add(cur.id);
    result.root = cur.id;
    const root = await arrive(cur, []);
    cur = root.now;
    if (root.rec) queue.push(root.rec);
    for (let qi = 0; qi < queue.length; qi++) {
      const screen = queue[qi]!;
      if (screen.depth >= limits.maxDepth) {
        if ((controlsOf.get(screen.id) ?? []).length > 0) depthCut = true;
        continue;
      }
      const controls = controlsOf.get(screen.id) ?? [];
      for (let ci = 0; ci < controls.length; ci++) {
        const control = controls[ci]!;
        if ((diedOn.get(control.key) ?? 0) >= 2) continue; // the app died on it twice: not a third time
        let outcome: 'next' | 'again' | 'unreachable';
        try {
          outcome = await tryControl(screen, control);
        } catch (err) {
          if (!(err instanceof AppDied)) throw err;
          diedOn.set(control.key, (diedOn.get(control.key) ?? 0) + 1);
          await afterDeath(screen.id, control.label);
          // Once more: an app that dies at a random moment is not that control's doing.
          outcome = 'again';
        }
        if (outcome === 'unreachable') { screen.unreachable = true; break; }
        if (outcome === 'again' && (retries.get(control.key) ?? 0) < 2) {
          retries.set(control.key, (retries.get(control.key) ?? 0) + 1);
          ci--;
        }
      }
      screen.explored = !screen.unreachable;
    }
    result.stopped = depthCut ? 'maxDepth' : 'explored';
    result.note = depthCut
      ? `every screen within ${limits.maxDepth} taps was tried; screens at that depth were not opened further`
      : 'every control the walk may tap on every screen it reached was tried';
  } catch (err) {
    // A limit, the stop button, the app gone, or the phone failing under the walk (adb gone, a dump refused): the
    // walk so far is the record either way, with the reason.
    if (err instanceof AppDied) {
      problem('app-died', '', '', `the app's process died (${deaths + 1} in this walk)`, { count: deaths + 1, every: true });
      result.stopped = 'app-gone';
      result.note = 'the app died under the walk and could not be brought back to explore on';
    } else {
      result.stopped = err instanceof LimitReached ? err.reason : 'error';
      result.note = err instanceof LimitReached ? err.message : `the phone stopped answering: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
    }
  }
  for (const target of Object.keys(TARGETS) as ExploreTarget[]) {
    const found = best.get(target);
    if (found) {
      const same = (a: PathStep[], b: PathStep[]): boolean => a.length === b.length && a.every((p, i) => p.label === b[i]!.label && p.screen === b[i]!.screen);
      const landed = found.taps === found.path.length ? result.screens.find((r) => same(r.path, found.path)) : undefined;
      found.landing = landed ? { screen: landed.id, words: landed.words, actions: landed.actions } : null;
      found.evidence = evidenceAlong(found.path.map((p) => p.screen).concat(found.screen, landed?.id ?? []));
    }
    result.targets.push(found ?? { target, item: TARGETS[target].item, found: false });
  }
  result.elapsedMs = now() - started;
  return result;
}

/** `dumpsys activity activities` names the resumed activity; its package is what is in front. */
const FOREGROUND_COMMAND = "dumpsys activity activities | grep -E 'ResumedActivity'";

/**
 * The walk's port over a real phone: DeviceControl's dump, input and launch (monkey), and the resumed activity.
 * After a tap or Back it waits `settleMs` so that an activity being started is the one `foreground` reads.
 */
export function bridgePhonePort(bridge: DeviceBridge, serial: string, settleMs = 700): PhonePort {
  const control = new DeviceControl(bridge);
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, settleMs));
  const xml = new WeakMap<UiTree, string>();
  return {
    dump: async () => {
      const text = await control.uiDumpXml(serial);
      let tree: UiTree;
      try {
        tree = parseUiDump(text);
      } catch {
        tree = await control.uiTree(serial); // its refusal says why (the screen is off), or it reads this time
      }
      xml.set(tree, text);
      return tree;
    },
    xmlOf: (tree) => xml.get(tree) ?? null,
    tap: async (x, y, quick) => { await control.input(serial, { kind: 'tap', x, y }); if (!quick) await settle(); },
    back: async () => { await control.input(serial, { kind: 'key', key: 'BACK' }); await settle(); },
    foreground: async () => parseResumedActivity(await bridge.shell(serial, FOREGROUND_COMMAND, 10_000))?.split('/')[0] ?? null,
    relaunch: async (packageName) => { await control.launch(serial, packageName); await settle(); },
    screenshot: async () => (await control.screenshot(serial)).png,
    swipe: async (x1, y1, x2, y2, durationMs) => { await control.input(serial, { kind: 'swipe', x1, y1, x2, y2, durationMs }); await settle(); },
    // WAKEUP turns the screen on (never off, unlike POWER); dismiss-keyguard lifts a lock screen without a credential.
    wake: async () => { await bridge.shell(serial, 'input keyevent KEYCODE_WAKEUP; wm dismiss-keyguard', 10_000); await settle(); },
    // pidof prints the app's pid(s), nothing once its process is gone.
    isRunning: async (packageName) => /\d/.test(await bridge.shell(serial, `${shellCommand(['pidof', packageName])} 2>/dev/null`, 10_000)),
  };
}
