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
import { parseUiDump } from '../adb/ui-dump.js';
import { parseResumedActivity } from '../monitor/dump-parsers.js';
import { DEFAULT_EXPLORE_LIMITS, type AdWatch, type ExploreLimits, type ExploreStep, type ExploreTarget, type PathStep, type ScreenEvidence, type StopReason, type SwitchCheck, type TargetResult } from '../../../src-preload/explore.js';
import { deniedControl, deniedLabel, type DenyReason } from './deny-list.js';
import { findAdWithoutClose, findPopup, nodesOf, PERMISSION_PACKAGES, type PopupKind } from './popups.js';
import { screenIdentity } from './screen-identity.js';
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
  switch: SwitchCheck | null;
  ads: AdWatch[];
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
export async function explore(port: PhonePort, app: string, limits: ExploreLimits = DEFAULT_LIMITS, onStep?: (e: WalkEvent) => void, now: () => number = Date.now, hooks: WalkHooks = {}): Promise<ExploreResult> {
  const started = now();
  const result: ExploreResult = {
    app, stopped: 'explored', note: '', limits: { ...limits }, taps: 0, backs: 0, relaunches: 0, elapsedMs: 0, root: null,
    screens: [], targets: [], denied: [], deniedNotListed: 0, leftApp: [], popups: [], switch: null, ads: [],
  };
  const scale = hooks.phoneTimeScale && hooks.phoneTimeScale > 0 ? hooks.phoneTimeScale : 1;
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const emit = (e: WithoutTime<WalkEvent>): void => onStep?.({ ...e, hostTime: now() } as WalkEvent);
  const screens = new Map<string, ScreenRecord>();
  const controlsOf = new Map<string, Control[]>();
  const best = new Map<ExploreTarget, Extract<TargetResult, { found: true }>>();
  const walkDenied = new Set<string>();
  const deniedSeen = new Set<string>();
  let depthCut = false;

  const checkClock = (): void => {
    if (hooks.signal?.aborted) throw new LimitReached('stopped', 'the walk was stopped');
    const why = hooks.stopWhen?.();
    if (why) throw new LimitReached('stopped', why);
    if (now() - started >= limits.maxMs) throw new LimitReached('maxMs', `the wall-clock limit of ${limits.maxMs} ms was reached`);
  };

  const look = async (): Promise<Look> => {
    checkClock();
    for (let i = 0; ; i++) {
      const tree = await port.dump();
      const foreground = await port.foreground();
      const popup = findPopup(tree, foreground);
      if (!popup && i < POPUPS_IN_A_ROW && foreground === app && (await watchAd(tree))) continue;
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

  const deny = (label: string, screen: string, bounds: [number, number, number, number], reason: DenyReason | 'toggles' | 'left-app'): void => {
    const k = `${screen}|${label}|${reason}`;
    if (deniedSeen.has(k)) return;
    deniedSeen.add(k);
    if (result.denied.length >= MAX_DENIED_RECORDS) { result.deniedNotListed++; return; }
    result.denied.push({ label, screen, bounds, reason });
    emit({ kind: 'denied', label, screen, reason });
  };

  /** Records a screen reached by `path`: its targets and the controls the walk may tap there. */
  const arrive = async (look: Look, path: PathStep[]): Promise<ScreenRecord | null> => {
    if (screens.has(look.id)) return null;
    const rec: ScreenRecord = { id: look.id, depth: path.length, path, controls: 0, explored: false, evidence: null, words: [], actions: [] };
    screens.set(look.id, rec);
    result.screens.push(rec);
    if (hooks.capture) rec.evidence = await hooks.capture(look.id, look.tree, `screen ${path.length} taps from the main screen`);
    emit({ kind: 'screen', id: look.id, depth: path.length, evidence: rec.evidence });
    const controls: Control[] = [];
    const keys = new Set<string>();
    let switchLabel: UiDumpNode | null = null;
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
      const said = rec.words.length < WORDS_KEPT ? clean(node.text || node.contentDesc).slice(0, LABEL_MAX) : '';
      if (said) rec.words.push(said);
      const named = targetsOf(node);
      if (named.includes('personalisation') && !switchLabel) switchLabel = node;
      for (const target of named) {
        const opens = via !== undefined && !via.checkable;
        const taps = path.length + (opens ? 1 : 0);
        const prior = best.get(target);
        if (!prior || prior.taps > taps) {
          const full = opens ? [...path, { tap: taps, label: via.label, bounds: via.bounds, screen: look.id }] : path;
          best.set(target, { target, item: TARGETS[target].item, found: true, label: clean(node.text || node.contentDesc).slice(0, LABEL_MAX), screen: look.id, taps, path: full, evidence: [], landing: null });
        }
      }
      if (!tapTarget) continue;
      if (label && rec.actions.length < WORDS_KEPT) rec.actions.push(label);
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
    if (switchLabel && !result.switch) await checkSwitch(look, switchLabel);
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
      last = await port.dump();
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
    const rowOf = (tree: UiTree): UiDumpNode | null => {
      const [, top, , bottom] = labelNode.bounds;
      if (labelNode.checkable) return allNodes(tree).find((n) => n.checkable && n.bounds.join() === labelNode.bounds.join()) ?? null;
      return allNodes(tree).find((n) => n.checkable && hasArea(n.bounds) && (n.bounds[1] + n.bounds[3]) / 2 >= top && (n.bounds[1] + n.bounds[3]) / 2 <= bottom) ?? null;
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
    let tree = await port.dump();
    let now1 = rowOf(tree);
    if (!now1 || now1.checked) return record('not-off', Math.round((now() - tapped) * scale), tree);
    await sleep((hooks.switchWatchMs ?? 15_000) / scale);
    tree = await port.dump();
    now1 = rowOf(tree);
    if (now1?.checked) return record('back-on', Math.round((now() - tapped) * scale), tree, 'watch');
    // Off for the whole watch: leave the page and open it again (a switch the app does not keep is on again then).
    const rec = screens.get(at.id);
    if (rec && rec.depth > 0) {
      await back('return');
      const again = await goTo(rec, await look());
      if (again) {
        tree = again.tree;
        if (rowOf(tree)?.checked) return record('back-on', Math.round((now() - tapped) * scale), tree, 'reopened');
      }
    }
    return record('stays-off', Math.round((now() - tapped) * scale), tree);
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
    const root = await arrive(cur, []);
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
        const rec = await arrive(cur, [...screen.path, step]);
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
    // A limit, the stop button, or the phone failing under the walk (adb gone, a dump refused): the walk so far
    // is the record either way, with the reason.
    result.stopped = err instanceof LimitReached ? err.reason : 'error';
    result.note = err instanceof LimitReached ? err.message : `the phone stopped answering: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
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
  };
}
