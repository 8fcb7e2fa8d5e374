/**
 * The explorer in a session (issue #29): runs the walk on the session's phone and writes it to the timeline as it
 * goes — `explore.started` with the limits, an `explore.step` per tap, Back, pop-up, denied control and screen
 * reached (each new screen with a screenshot and its uiautomator XML kept as `capture` events), and at the end
 * `explore.result`, whose targets carry their tap paths and the seqs of the evidence along them. The evaluators
 * (checklist/evaluators/explore.ts) judge that record; nothing here decides a verdict.
 */
import type { UiTree } from '../../../src-preload/api.js';
import { DEFAULT_EXPLORE_LIMITS, EXPLORE_LIMIT_RANGE, type ExploreLimits, type ExploreSummary, type ScreenEvidence } from '../../../src-preload/explore.js';
import type { DeviceBridge } from '../adb/device-bridge.js';
import type { Session } from '../session/session.js';
import { bridgePhonePort, explore, type ExploreResult, type PhonePort, type WalkHooks } from './walker.js';

export interface SessionExploreOptions {
  bridge: DeviceBridge;
  serial: string;
  session: Session;
  packageName: string;
  limits?: Partial<ExploreLimits>;
  signal?: AbortSignal;
  /** Wait after each tap or Back before reading the phone (ms). */
  settleMs?: number;
  /** The phone the walk drives (tests and the benchmark); the session's phone through adb by default. */
  port?: PhonePort;
  hooks?: Pick<WalkHooks, 'switchWatchMs' | 'adWaitMs' | 'phoneTimeScale'>;
  log?: (message: string) => void;
}

/** Limits as the tester gave them, held inside what the core allows (a missing or absurd value takes the default). */
export function exploreLimits(given: Partial<ExploreLimits> = {}): ExploreLimits {
  const out = { ...DEFAULT_EXPLORE_LIMITS };
  for (const key of Object.keys(out) as Array<keyof ExploreLimits>) {
    const v = given[key];
    const [lo, hi] = EXPLORE_LIMIT_RANGE[key];
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = Math.min(hi, Math.max(lo, Math.round(v)));
  }
  return out;
}

/** The walk's result as the timeline keeps it: counts and findings, not every screen. */
export function summarize(r: ExploreResult): ExploreSummary {
  return {
    app: r.app, stopped: r.stopped, note: r.note, limits: r.limits, taps: r.taps, backs: r.backs, relaunches: r.relaunches,
    elapsedMs: r.elapsedMs, screens: r.screens.length, screensExplored: r.screens.filter((s) => s.explored).length,
    targets: r.targets, denied: r.denied.length + r.deniedNotListed, leftApp: r.leftApp.slice(0, 50), popups: r.popups.slice(0, 50),
    switch: r.switch, ads: r.ads, swipes: r.swipes, problems: r.problems,
  };
}

export async function exploreInSession(o: SessionExploreOptions): Promise<ExploreSummary> {
  const limits = exploreLimits(o.limits);
  const port = o.port ?? bridgePhonePort(o.bridge, o.serial, o.settleMs);
  const { session } = o;
  session.append({ type: 'explore.started', limits });
  let shots = 0;
  const capture = async (screen: string, tree: UiTree, why: string): Promise<ScreenEvidence> => {
    const name = `explorer: ${why} (${screen.slice(0, 80)})`;
    let screenshot: number | null = null;
    if (port.screenshot) {
      try {
        screenshot = session.capture('screenshot', await port.screenshot(), 'image/png', name, { source: 'workbench' }).seq;
        shots++;
      } catch (err) {
        o.log?.(`explorer: no screenshot of ${screen}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const xml = port.xmlOf?.(tree) ?? null;
    const bytes = Buffer.from(xml ?? JSON.stringify(tree));
    const uiDump = session.capture('ui.dump', bytes, xml ? 'application/xml' : 'application/json', name, { source: 'workbench' }).seq;
    return { screenshot, uiDump };
  };
  const result = await explore(port, o.packageName, limits, (e) => {
    const { hostTime, ...step } = e;
    session.append({ type: 'explore.step', step }, { hostTime });
    if (e.kind === 'tap') o.log?.(`explorer tap ${e.tap}: ${e.label}`);
  }, Date.now, {
    capture, signal: o.signal, ...o.hooks,
    // A paused or closed session takes no more steps: the walk ends there, its result the last event.
    stopWhen: () => (session.meta.state === 'recording' ? null : `the session stopped recording (${session.meta.state})`),
  });
  const summary = summarize(result);
  session.append({ type: 'explore.result', summary });
  o.log?.(`explorer stopped (${result.stopped}): ${result.taps} taps, ${result.screens.length} screens, ${shots} screenshots — ${result.note}`);
  return summary;
}
