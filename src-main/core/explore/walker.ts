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
 */
import type { UiDumpNode, UiTree } from '../../../src-preload/api.js';
import type { DeviceBridge } from '../adb/device-bridge.js';
import { DeviceControl } from '../adb/device-control.js';
import { parseResumedActivity } from '../monitor/dump-parsers.js';
import { deniedControl, deniedLabel, type DenyReason } from './deny-list.js';
import { findPopup, nodesOf, PERMISSION_PACKAGES, type PopupKind } from './popups.js';
import { screenIdentity } from './screen-identity.js';
import { TARGETS, targetsOf, type ExploreTarget } from './targets.js';

/** What the walk does to a phone. The real one is `bridgePhonePort`; tests drive a scripted graph of screens. */
export interface PhonePort {
  dump(): Promise<UiTree>;
  tap(x: number, y: number): Promise<void>;
  back(): Promise<void>;
  /** The package of the resumed activity, or null when the phone does not say. */
  foreground(): Promise<string | null>;
  /** Starts the app's launcher activity (`monkey -p PKG 1`): the way back to the main screen when Back is not. */
  relaunch(packageName: string): Promise<void>;
  screenshot?(): Promise<Buffer>;
}

export interface ExploreLimits {
  maxTaps: number;
  maxDepth: number;
  maxMs: number;
  maxScreens: number;
}

export const DEFAULT_LIMITS: ExploreLimits = { maxTaps: 300, maxDepth: 6, maxMs: 10 * 60_000, maxScreens: 80 };

export type StopReason = 'explored' | 'maxTaps' | 'maxDepth' | 'maxMs' | 'maxScreens' | 'lost';

/** One tap on the way from the main screen: its 1-based count, the control's label and bounds, the screen it was on. */
export interface PathStep {
  tap: number;
  label: string;
  bounds: [number, number, number, number];
  screen: string;
}

export type TargetResult =
  | { target: ExploreTarget; item: string; found: true; label: string; screen: string; taps: number; path: PathStep[] }
  | { target: ExploreTarget; item: string; found: false };

export interface ScreenRecord {
  id: string;
  depth: number;
  path: PathStep[];
  /** Controls the walk could tap here, and whether every one was tried. */
  controls: number;
  explored: boolean;
  unreachable?: boolean;
}

export type WalkEvent =
  | { kind: 'screen'; id: string; depth: number; hostTime: number }
  | { kind: 'tap'; tap: number; label: string; bounds: [number, number, number, number]; screen: string; replay: boolean; hostTime: number }
  | { kind: 'back'; reason: 'return' | 'left-app' | 'popup'; hostTime: number }
  | { kind: 'relaunch'; hostTime: number }
  | { kind: 'popup'; popup: PopupKind; words: string; closedWith: string | null; hostTime: number }
  | { kind: 'left-app'; label: string; screen: string; package: string; hostTime: number }
  | { kind: 'denied'; label: string; screen: string; reason: DenyReason | 'toggles' | 'left-app'; hostTime: number };

/** An event before the walk stamps it (distributes over the union). */
type WithoutTime<E> = E extends unknown ? Omit<E, 'hostTime'> : never;

export interface ExploreResult {
  app: string;
  stopped: StopReason;
  /** Why the walk stopped, in a sentence (which limit, or that everything within the limits was tried). */
  note: string;
  limits: ExploreLimits;
  taps: number;
  backs: number;
  relaunches: number;
  elapsedMs: number;
  root: string | null;
  screens: ScreenRecord[];
  targets: TargetResult[];
  denied: Array<{ label: string; screen: string; bounds: [number, number, number, number]; reason: DenyReason | 'toggles' | 'left-app' }>;
  /** Denied controls beyond the first MAX_DENIED_RECORDS (a hostile screen of a thousand "删除 n" buttons). */
  deniedNotListed: number;
  leftApp: Array<{ label: string; screen: string; package: string }>;
  popups: Array<{ kind: PopupKind; words: string; closedWith: string | null }>;
}

/** Bounds on one dump: controls tried per screen, nodes read, characters of a label kept. */
const MAX_CONTROLS = 40;
const MAX_NODES = 20_000;
const LABEL_MAX = 80;
const POPUPS_IN_A_ROW = 3;
const MAX_DENIED_RECORDS = 500;
/** Descendant marks per screen (which control a word belongs to). */
const MAX_MARKED = 100_000;

interface Control {
  key: string;
  label: string;
  bounds: [number, number, number, number];
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

/**
 * Walks the app from the screen it shows now (its main screen: the caller launches it and lets the splash pass).
 * `onStep` hears every action as it happens (for a live view or a timeline); the result says it all again.
 */
export async function explore(port: PhonePort, app: string, limits: ExploreLimits = DEFAULT_LIMITS, onStep?: (e: WalkEvent) => void, now: () => number = Date.now): Promise<ExploreResult> {
  const started = now();
  const result: ExploreResult = {
    app, stopped: 'explored', note: '', limits: { ...limits }, taps: 0, backs: 0, relaunches: 0, elapsedMs: 0, root: null,
    screens: [], targets: [], denied: [], deniedNotListed: 0, leftApp: [], popups: [],
  };
  const emit = (e: WithoutTime<WalkEvent>): void => onStep?.({ ...e, hostTime: now() } as WalkEvent);
  const screens = new Map<string, ScreenRecord>();
  const controlsOf = new Map<string, Control[]>();
  const best = new Map<ExploreTarget, Extract<TargetResult, { found: true }>>();
  const walkDenied = new Set<string>();
  const deniedSeen = new Set<string>();
  let depthCut = false;

  const checkClock = (): void => {
    if (now() - started >= limits.maxMs) throw new LimitReached('maxMs', `the wall-clock limit of ${limits.maxMs} ms was reached`);
  };

  const look = async (): Promise<Look> => {
    checkClock();
    for (let i = 0; ; i++) {
      const tree = await port.dump();
      const foreground = await port.foreground();
      const popup = findPopup(tree, foreground);
      if (!popup || i >= POPUPS_IN_A_ROW) return { tree, id: screenIdentity(tree), foreground };
      result.popups.push({ kind: popup.kind, words: popup.words, closedWith: popup.close?.label ?? null });
      emit({ kind: 'popup', popup: popup.kind, words: popup.words, closedWith: popup.close?.label ?? null });
      if (popup.close && (await tapAt(tree, popup.close.bounds, popup.close.label, null, false)) === null) continue;
      if (popup.kind === 'permission') await back('popup'); // Back on the system dialog is Deny.
      else return { tree, id: screenIdentity(tree), foreground };
    }
  };

  const back = async (reason: 'return' | 'left-app' | 'popup'): Promise<void> => {
    checkClock();
    await port.back();
    result.backs++;
    emit({ kind: 'back', reason });
  };

  /** Taps the centre of `bounds` unless the live dump says a denied control is there; counts the tap. */
  const tapAt = async (tree: UiTree, bounds: [number, number, number, number], label: string, screen: string | null, replay: boolean): Promise<DenyReason | null> => {
    checkClock();
    if (result.taps >= limits.maxTaps) throw new LimitReached('maxTaps', `the limit of ${limits.maxTaps} taps was reached`);
    const [x, y] = center(bounds);
    const denied = deniedAt(allNodes(tree), x, y);
    if (denied) return denied;
    await port.tap(x, y);
    result.taps++;
    emit({ kind: 'tap', tap: result.taps, label, bounds, screen: screen ?? '', replay });
    return null;
  };

  const deny = (label: string, screen: string, bounds: [number, number, number, number], reason: DenyReason | 'toggles' | 'left-app'): void => {
    const k = `${screen}|${label}|${reason}`;
    if (deniedSeen.has(k)) return;
    deniedSeen.add(k);
    if (result.denied.length >= MAX_DENIED_RECORDS) { result.deniedNotListed++; return; }
    result.denied.push({ label, screen, bounds, reason });
    emit({ kind: 'denied', label, screen, reason });
  };

  /** Records a screen reached by `path`: its targets and the controls the walk may tap there. */
  const arrive = (look: Look, path: PathStep[]): ScreenRecord | null => {
    if (screens.has(look.id)) return null;
    const rec: ScreenRecord = { id: look.id, depth: path.length, path, controls: 0, explored: false };
    screens.set(look.id, rec);
    result.screens.push(rec);
    emit({ kind: 'screen', id: look.id, depth: path.length });
    const controls: Control[] = [];
    const keys = new Set<string>();
    // The control a node's words belong to (a row's TextView is opened by tapping the row), bounded in work.
    const owner = new Map<UiDumpNode, { label: string; bounds: [number, number, number, number]; checkable: boolean }>();
    let marked = 0;
    for (const node of allNodes(look.tree)) {
      const tapTarget = node.clickable && node.enabled && hasArea(node.bounds) && !PERMISSION_PACKAGES.has(node.packageName) && node.packageName !== 'com.android.systemui';
      const label = tapTarget ? controlLabel(node) : '';
      const self = tapTarget ? { label, bounds: node.bounds, checkable: node.checkable } : undefined;
      if (self && marked < MAX_MARKED) {
        for (const d of nodesOf({ rotation: 0, nodes: node.children, nodeCount: 0 }, 200)) owner.set(d, self);
        marked += 200;
      }
      // Targets: words on the screen are `depth` taps away; words on a control are opened by one more tap
      // (a switch is the target itself: reaching it is enough, and the walk never toggles it).
      const via = self ?? owner.get(node);
      for (const target of targetsOf(node)) {
        const opens = via !== undefined && !via.checkable;
        const taps = path.length + (opens ? 1 : 0);
        const prior = best.get(target);
        if (!prior || prior.taps > taps) {
          const full = opens ? [...path, { tap: taps, label: via.label, bounds: via.bounds, screen: look.id }] : path;
          best.set(target, { target, item: TARGETS[target].item, found: true, label: clean(node.text || node.contentDesc).slice(0, LABEL_MAX), screen: look.id, taps, path: full });
        }
      }
      if (!tapTarget) continue;
      const why = whyNot(node, label);
      if (why) { deny(label, look.id, node.bounds, why); continue; }
      const key = controlKey(node, label);
      if (walkDenied.has(key)) { deny(label, look.id, node.bounds, 'left-app'); continue; }
      if (!label && !node.resourceId) continue; // nothing to find it by again
      if (keys.has(key) || controls.length >= MAX_CONTROLS) continue;
      keys.add(key);
      controls.push({ key, label, bounds: node.bounds });
    }
    rec.controls = controls.length;
    controlsOf.set(look.id, controls);
    if (screens.size >= limits.maxScreens) throw new LimitReached('maxScreens', `the limit of ${limits.maxScreens} screens was reached`);
    return rec;
  };

  /** The live node for a control (found by class, id and label; its bounds may have moved), or null. */
  const findControl = (tree: UiTree, key: string): UiDumpNode | null => {
    for (const node of allNodes(tree)) {
      if (node.clickable && hasArea(node.bounds) && controlKey(node, controlLabel(node)) === key) return node;
    }
    return null;
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
   * what a relaunch shows when it still holds at least 80 % of the main screen's controls.
   */
  const rootIds = new Set<string>();
  const isRoot = (look: Look): boolean => {
    if (rootIds.has(look.id)) return true;
    const first = [...rootIds][0];
    const controls = first ? controlsOf.get(first) ?? [] : [];
    if (!controls.length || look.foreground !== app || !look.id.startsWith(`${app}#`)) return false;
    const kept = controls.filter((c) => findControl(look.tree, c.key)).length;
    if (kept < 0.8 * controls.length) return false;
    rootIds.add(look.id);
    return true;
  };

  /** Back to the main screen: Back presses until it shows, else one relaunch. */
  const toRoot = async (current: Look): Promise<Look> => {
    let cur = current;
    for (let i = 0; i < limits.maxDepth + 2 && !rootIds.has(cur.id); i++) {
      if (cur.foreground !== null && cur.foreground !== app) break; // Back has left the app: relaunch.
      await back('return');
      cur = await look();
    }
    if (rootIds.has(cur.id)) return cur;
    await relaunch();
    cur = await look();
    if (!isRoot(cur)) throw new LimitReached('lost', 'the main screen could not be reached again (Back and a relaunch did not show it)');
    return cur;
  };

  /** Brings the phone to `target` along its path; null when the path no longer leads there. */
  const goTo = async (target: ScreenRecord, current: Look): Promise<Look | null> => {
    if (current.id === target.id || (target.depth === 0 && rootIds.has(current.id))) return current;
    let cur = await toRoot(current);
    for (let i = 0; i < target.path.length; i++) {
      const step = target.path[i]!;
      const expected = i + 1 < target.path.length ? target.path[i + 1]!.screen : target.id;
      const c = controlsOf.get(step.screen)?.find((k) => k.label === step.label && k.bounds.join() === step.bounds.join());
      const node = c ? findControl(cur.tree, c.key) : null;
      if (!node || (await tapAt(cur.tree, node.bounds, step.label, step.screen, true)) !== null) return null;
      cur = await look();
      if (cur.id !== expected) return null;
    }
    return cur;
  };

  /** The package in front; when the phone does not say, the package of what the dump shows. */
  const inFront = async (): Promise<string> => {
    const fg = await port.foreground();
    return fg ?? screenIdentity(await port.dump()).split('#')[0]!;
  };

  try {
    const first = await inFront();
    if (first !== app && !PERMISSION_PACKAGES.has(first)) await relaunch();
    let cur = await look();
    if (!cur.id.startsWith(`${app}#`)) throw new LimitReached('lost', `${app} is not in front: the walk starts from its main screen`);
    rootIds.add(cur.id);
    result.root = cur.id;
    const root = arrive(cur, []);
    const queue: ScreenRecord[] = root ? [root] : [];
    for (let qi = 0; qi < queue.length; qi++) {
      const screen = queue[qi]!;
      if (screen.depth >= limits.maxDepth) {
        if ((controlsOf.get(screen.id) ?? []).length > 0) depthCut = true;
        continue;
      }
      for (const control of controlsOf.get(screen.id) ?? []) {
        if (walkDenied.has(control.key)) { deny(control.label, screen.id, control.bounds, 'left-app'); continue; }
        const here = await goTo(screen, cur);
        if (!here) {
          screen.unreachable = true;
          cur = await look();
          break;
        }
        cur = here;
        const node = findControl(cur.tree, control.key);
        if (!node) continue; // gone from the live screen (a feed refreshed)
        const refused = await tapAt(cur.tree, node.bounds, control.label, screen.id, false);
        if (refused) { deny(control.label, screen.id, node.bounds, refused); continue; }
        const fg = await inFront();
        if (fg !== app && !PERMISSION_PACKAGES.has(fg)) {
          // An intent left the app (browser, store, dialer, share sheet): out at once, and never that control again.
          result.leftApp.push({ label: control.label, screen: screen.id, package: fg.slice(0, 255) });
          emit({ kind: 'left-app', label: control.label, screen: screen.id, package: fg.slice(0, 255) });
          walkDenied.add(control.key);
          deny(control.label, screen.id, control.bounds, 'left-app');
          cur = await backIntoApp();
          continue;
        }
        cur = await look();
        if (cur.id === screen.id) continue; // nothing opened (or a pop-up came and went)
        // The bounds first seen: the replay finds the control by them and its label.
        const step: PathStep = { tap: screen.depth + 1, label: control.label, bounds: control.bounds, screen: screen.id };
        const rec = arrive(cur, [...screen.path, step]);
        if (rec) queue.push(rec);
        // Back once: the usual way home. goTo takes the long way when it was not.
        await back('return');
        cur = await look();
      }
      screen.explored = !screen.unreachable;
    }
    result.stopped = depthCut ? 'maxDepth' : 'explored';
    result.note = depthCut
      ? `every screen within ${limits.maxDepth} taps was tried; screens at that depth were not opened further`
      : 'every control the walk may tap on every screen it reached was tried';
  } catch (err) {
    if (!(err instanceof LimitReached)) throw err;
    result.stopped = err.reason;
    result.note = err.message;
  }
  for (const target of Object.keys(TARGETS) as ExploreTarget[]) {
    result.targets.push(best.get(target) ?? { target, item: TARGETS[target].item, found: false });
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
  return {
    dump: () => control.uiTree(serial),
    tap: async (x, y) => { await control.input(serial, { kind: 'tap', x, y }); await settle(); },
    back: async () => { await control.input(serial, { kind: 'key', key: 'BACK' }); await settle(); },
    foreground: async () => parseResumedActivity(await bridge.shell(serial, FOREGROUND_COMMAND, 10_000))?.split('/')[0] ?? null,
    relaunch: async (packageName) => { await control.launch(serial, packageName); await settle(); },
    screenshot: async () => (await control.screenshot(serial)).png,
  };
}
