/**
 * The explorer's record in a session (issue #29), shared by the core that writes it, the evaluators that judge it
 * and the views that show it: the walk's limits, each step as it happens (`explore.step`), and the outcome
 * (`explore.result`): for every target the tap path from the main screen with the evidence captured on the way,
 * the personalisation switch's check and the ads watched for a close control. Plain JSON, bounded by the walk.
 */

export type ExploreTarget = 'privacy-policy' | 'account-deletion' | 'pi-rights' | 'complaints' | 'consent-withdrawal' | 'personalisation';

export const EXPLORE_TARGETS: readonly ExploreTarget[] = ['privacy-policy', 'account-deletion', 'pi-rights', 'complaints', 'consent-withdrawal', 'personalisation'];

export interface ExploreLimits {
  maxTaps: number;
  maxDepth: number;
  maxMs: number;
  maxScreens: number;
}

/**
 * `stopped`: the tester (or the run) stopped the walk; `lost`: the app's main screen could not be reached again;
 * `error`: the phone stopped answering (adb gone, a dump refused); `app-gone`: the app kept dying under the walk;
 * `screen-off`: the screen went off and would not come back on when woken (or kept going off, or woke to a lock
 * screen the walk may not unlock).
 */
export type StopReason = 'explored' | 'maxTaps' | 'maxDepth' | 'maxMs' | 'maxScreens' | 'lost' | 'stopped' | 'error' | 'app-gone' | 'screen-off';

/** `withdraws`: the tap would withdraw the consent the session's later stages rely on (the target is found by its words). */
export type DenyReason = 'pays' | 'posts' | 'deletes' | 'withdraws' | 'logs-out' | 'calls' | 'leaves-app' | 'types' | 'toggles';

export type PopupKind = 'permission' | 'ad' | 'update' | 'permission-explainer';

export type Bounds = [number, number, number, number];

/** One tap on the way from the main screen: its 1-based count, the control's label and bounds, the screen it was on. */
export interface PathStep {
  tap: number;
  label: string;
  bounds: Bounds;
  screen: string;
  /**
   * How many swipes down the screen's list the control is from the list's top (absent: in view without scrolling).
   * A swipe is not a tap: `tap` and a target's `taps` count taps only (191's "4 taps"), the swipes are said beside.
   */
  swipes?: number;
}

/** What the walk captured on arriving at a screen: the timeline seqs of its screenshot and UI dump. */
export interface ScreenEvidence {
  screenshot: number | null;
  uiDump: number | null;
}

export type TargetResult =
  | {
    target: ExploreTarget; item: string; found: true; label: string; screen: string; taps: number; path: PathStep[]; evidence: number[];
    /**
     * The page the path opens (its id, first words and its controls' labels), when the walk reached it: what
     * account deletion asks for.
     */
    landing: { screen: string; words: string[]; actions: string[] } | null;
    /** The words are this many swipes down the last screen's list (absent: in view). Not counted in `taps`. */
    swipes?: number;
  }
  | { target: ExploreTarget; item: string; found: false };

/**
 * The personalisation switch, checked once found: the walk turns it off (the one toggle it makes: turning
 * personalisation off is what the user must be able to do), reads it again after `watchedMs`, then leaves its page
 * and opens it again (a setting the app does not keep).
 * `state`: 'stays-off', 'back-on' (it turned itself on again), 'not-off' (the tap did not turn it off),
 * 'was-off' (found off; not touched), 'no-switch' (the words are there, no switch beside them).
 */
export interface SwitchCheck {
  label: string;
  screen: string;
  state: 'stays-off' | 'back-on' | 'not-off' | 'was-off' | 'no-switch';
  /** When a switch turned off was found on again: during the watch, or when its page was left and opened again. */
  backOn: 'watch' | 'reopened' | null;
  watchedMs: number;
  evidence: number[];
}

/**
 * An ad the walk saw without a control to close it: watched for up to `waitedMs`; `closeAfterMs` is when a close
 * control appeared after the walk first saw the ad (null: none within the wait). A lower bound of the ad's delay:
 * the ad may have been on the screen before the walk looked.
 */
export interface AdWatch {
  words: string;
  screen: string;
  closeAfterMs: number | null;
  closeLabel: string | null;
  waitedMs: number;
  evidence: number[];
}

/**
 * What made the walk harder, bounded and recorded rather than fatal: `unreadable-webview` a screen that is one
 * WebView with nothing in its UI tree (nothing inside is guessed); `changing-screen` a screen that changes by itself
 * (a clock, a feed, a rotating banner), taken as one screen; `recurring-popup` a pop-up closed again and again;
 * `stuck-popup` one that comes back as soon as it is closed (the walk reads the screen with it); `screen-off` the
 * screen went off and was woken; `app-died` the app's process died and it was relaunched.
 */
export type ExploreProblemKind = 'unreadable-webview' | 'changing-screen' | 'recurring-popup' | 'stuck-popup' | 'screen-off' | 'app-died';

/** A problem as the result keeps it: where (a screen id, or '' for the phone), what (a label or a pop-up's words), how often. */
export interface ExploreProblem {
  problem: ExploreProblemKind;
  screen: string;
  label: string;
  count: number;
}

/**
 * Problems after which a walk that tried everything within its limits still did not see the whole app (a page it
 * could not read, a pop-up it could not close, the app dying under it): a target not found there is not "absent".
 */
export const PROBLEMS_LEAVING_GAPS: readonly ExploreProblemKind[] = ['unreadable-webview', 'stuck-popup', 'app-died'];

export type ExploreStep =
  | { kind: 'screen'; id: string; depth: number; evidence: ScreenEvidence | null }
  | { kind: 'tap'; tap: number; label: string; bounds: Bounds; screen: string; replay: boolean }
  | { kind: 'back'; reason: 'return' | 'left-app' | 'popup' }
  | { kind: 'relaunch' }
  | { kind: 'popup'; popup: PopupKind; words: string; closedWith: string | null }
  | { kind: 'left-app'; label: string; screen: string; package: string }
  | { kind: 'denied'; label: string; screen: string; reason: DenyReason | 'left-app' }
  | { kind: 'switch'; check: SwitchCheck }
  | { kind: 'ad'; watch: AdWatch }
  /** `direction` 'down' shows what is below (the finger moves up); `revealed`: controls and words first seen after it. */
  | { kind: 'scroll'; screen: string; direction: 'down' | 'up'; revealed: number }
  /** `what`: the problem in an English sentence (older sessions have only that); the rest words it in both languages. */
  | { kind: 'problem'; what: string; problem?: ExploreProblemKind; screen?: string; label?: string; count?: number };

export interface ExploreSummary {
  app: string;
  stopped: StopReason;
  /** Why the walk stopped, in a sentence (English; the views word the reason from `stopped`). */
  note: string;
  limits: ExploreLimits;
  taps: number;
  backs: number;
  relaunches: number;
  elapsedMs: number;
  screens: number;
  screensExplored: number;
  targets: TargetResult[];
  denied: number;
  leftApp: Array<{ label: string; screen: string; package: string }>;
  popups: Array<{ kind: PopupKind; words: string; closedWith: string | null }>;
  switch: SwitchCheck | null;
  ads: AdWatch[];
  /** Swipes made to read lists below the fold and to reach controls there (not taps). Absent in older sessions. */
  swipes?: number;
  /** What made the walk harder (bounded). Absent in older sessions. */
  problems?: ExploreProblem[];
}

export const DEFAULT_EXPLORE_LIMITS: ExploreLimits = { maxTaps: 300, maxDepth: 6, maxMs: 10 * 60_000, maxScreens: 80 };

/** What the tester may set, and the bounds the core holds them to. */
export const EXPLORE_LIMIT_RANGE: Record<keyof ExploreLimits, [number, number]> = {
  maxTaps: [1, 2000],
  maxDepth: [1, 12],
  maxMs: [5_000, 60 * 60_000],
  maxScreens: [1, 500],
};
