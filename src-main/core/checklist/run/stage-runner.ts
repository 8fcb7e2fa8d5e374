/**
 * The automatable stages of a guided test, performed on one phone while its session records: first launch
 * with cleared data (screenshot and UI dump before any tap), the decline path, the agree path, denying every
 * permission dialog, background, screen off, revoking what was granted, force-stop and wait, and optionally a
 * reboot. Every action is recorded just before it is sent (so what the app does in reply comes after it on the
 * timeline); a stage that fails is recorded and the run goes on, unless the phone is gone.
 * Taps and keys are the workbench's (source `workbench`). A mark that claims an answer (consent given or
 * declined, a permission denied) is written only once the screen showed the tap was taken — stamped just
 * before that tap, so what the app did in reply still comes after the answer; a tap the screen never answered
 * is a `workbench.step-failed` event, and no mark.
 */
import type { InputAction, TesterMark, UiTree } from '../../../../src-preload/api.js';
import type { DeviceBridge } from '../../adb/device-bridge.js';
import type { DeviceControl } from '../../adb/device-control.js';
import { shellCommand } from '../../adb/shell-quote.js';
import type { Session } from '../../session/session.js';
import type { StageId } from '../template-schema.js';
import { LAUNCH_GRACE_MS } from '../timeline-facts.js';
import { WorkbenchError } from '../../errors.js';
import { capturePolicyFromPhone } from '../../policy/capture-policy.js';
import { listPageLink } from '../../policy/capture-list.js';
import { readPolicy } from '../../policy/read-policy.js';
import { recordListPage, recordPolicy } from '../../policy/session-policy.js';
import { recordStepFailure, type StepFailure } from '../../session/step-failure.js';
import { flatten } from '../evaluators/consent-ui.js';
import { consentNotAnswered, permissionNotAnswered } from './automation-failures.js';
import { backButton, consentButtons, permissionDialogDeny, policyLink, type Button } from './screen-reading.js';
import type { ExploreLimits } from '../../../../src-preload/explore.js';
import { exploreInSession, type SessionExploreOptions } from '../../explore/session-explore.js';

export interface StageTiming {
  /** How long each observing stage waits (ms). */
  dwellMs: number;
  /** How long to let the app draw after a launch before reading the screen (ms). */
  settleMs: number;
  /** Longest wait for a rebooted phone to come back (ms). */
  rebootTimeoutMs: number;
  /**
   * How long to observe once a rebooted phone is back (ms; default dwellMs). Not shorter than the monitors take
   * to reconnect (they look every second) and read the log since: what the app does at boot is the stage's point.
   */
  afterRebootMs?: number;
}

export interface StageOutcome {
  stage: StageId;
  outcome: 'done' | 'skipped' | 'failed';
  message: string | null;
}

export interface StageRunnerOptions {
  bridge: DeviceBridge;
  control: DeviceControl;
  session: Session;
  serial: string;
  packageName: string;
  timing: StageTiming;
  reboot: boolean;
  /**
   * Walk the app's menus (issue #29) in the explore stage, with these limits; null: the stage is skipped.
   * `phoneClock`: a phone whose clock runs fast (the demo's): the stage runs it at real speed, since the walk times
   * the app in seconds (an ad's close, a switch turning itself back on) across adb round trips and settles that,
   * 40 times compressed, would each be seconds of the phone's time.
   */
  explore?: { limits: Partial<ExploreLimits>; hooks?: SessionExploreOptions['hooks']; phoneClock?: { realTime(on: boolean): void } } | null;
  log: (message: string) => void;
  /**
   * Resolves once the session's monitors have read the phone after the call. Awaited at the end of each stage:
   * the next one may clear the app's data, and with it what the app did since the monitors' last look.
   */
  caughtUp?: () => Promise<void>;
}

/** Longest wait for the monitors to catch up at the end of a stage (their shell round trip's own limit). */
const CATCH_UP_MS = 15_000;

class PhoneGone extends Error {}

/** When a tap was sent: a mark set once its outcome is seen takes this time (less a millisecond). */
interface TapStamp {
  hostTime: number;
  deviceTime: number | null;
}

/** How long the screen may take to answer a tap before the step is called failed. */
const ANSWER_WAIT_MS = 1500;

/** What the screen shows (every window but the status bar), to tell whether a tap changed it. */
function screenSignature(tree: UiTree): string {
  return flatten(tree.nodes).filter((n) => n.packageName !== 'com.android.systemui').map((n) => `${n.packageName}|${n.text}|${n.contentDesc}|${n.bounds.join(',')}`).join('\n');
}

/** Whether the button tapped is still on the screen where it was. */
function stillShows(tree: UiTree, b: Button): boolean {
  return flatten(tree.nodes).some((n) => (n.text || n.contentDesc).trim() === b.text && n.bounds[0] <= b.x && b.x <= n.bounds[2] && n.bounds[1] <= b.y && b.y <= n.bounds[3]);
}

const RUNNABLE: StageId[] = ['first-launch', 'policy', 'decline', 'agree', 'permissions', 'explore', 'background', 'screen-off', 'revoke', 'self-start', 'reboot'];

export class StageRunner {
  readonly outcomes: StageOutcome[] = [];
  /** Why the run stopped early (the phone went away), if it did. */
  incomplete: string | null = null;
  /** The run ended because the phone went away (whether or not it is back by the end). */
  phoneLeft = false;
  /** The screen of a permission dialog that did not answer the workbench's tap. */
  private unanswered: string | null = null;
  /** When the runner last launched the app (host ms): what the app starts soon after is the launch's doing. */
  private lastLaunchAt = -Infinity;

  constructor(private o: StageRunnerOptions) {}

  /** Runs the stages in template order; stages this runner cannot automate are left to the tester. */
  async run(stages: StageId[]): Promise<StageOutcome[]> {
    for (const stage of stages) {
      if (!RUNNABLE.includes(stage)) continue;
      if (this.incomplete) {
        this.record(stage, 'skipped', `not run: ${this.incomplete}`);
        continue;
      }
      if (stage === 'reboot' && !this.o.reboot) {
        this.record(stage, 'skipped', 'reboot not requested (--reboot)');
        continue;
      }
      if (stage === 'explore' && !this.o.explore) {
        this.record(stage, 'skipped', 'exploring not requested (--explore)');
        continue;
      }
      this.o.log(`stage ${stage}`);
      try {
        this.o.session.append({ type: 'tester.mark', mark: 'stage.started', label: stage }, { source: 'workbench', deviceTime: await this.deviceNow() });
        const message = await this.runStage(stage);
        await this.monitorsCaughtUp();
        this.record(stage, message?.startsWith('skipped:') ? 'skipped' : message?.startsWith('failed:') ? 'failed' : 'done', message?.replace(/^(skipped|failed): /, '') ?? null);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        this.record(stage, 'failed', why);
        if (err instanceof PhoneGone || !(await this.phonePresent())) {
          this.incomplete = `the phone disconnected during stage ${stage}: ${why}`;
          this.phoneLeft = true;
          this.o.log(this.incomplete);
        }
      }
    }
    return this.outcomes;
  }

  private async monitorsCaughtUp(): Promise<void> {
    if (!this.o.caughtUp) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.o.caughtUp(), new Promise<void>((r) => (timer = setTimeout(r, CATCH_UP_MS)))]);
    clearTimeout(timer);
  }

  private record(stage: StageId, outcome: StageOutcome['outcome'], message: string | null): void {
    this.outcomes.push({ stage, outcome, message });
    this.o.session.append({ type: 'run.stage', stage, outcome, message });
    if (message) this.o.log(`  ${stage}: ${outcome} — ${message}`);
  }

  private async runStage(stage: StageId): Promise<string | null> {
    const { timing } = this.o;
    switch (stage) {
      case 'first-launch': {
        await this.freshLaunch();
        await this.capture('first launch');
        // A permission dialog shown before consent hides the privacy dialog: answer it, then read the screen again.
        if (await this.denyDialogs()) await this.capture('first launch, after the permission dialogs');
        await this.dwell(timing.dwellMs);
        return null;
      }
      case 'policy': {
        await this.denyDialogs();
        if (!policyLink(await this.o.control.uiTree(this.o.serial))) return 'skipped: no privacy-policy link was recognised on the screen; load the policy from a file or URL';
        let c;
        try {
          c = await capturePolicyFromPhone({ control: this.o.control, serial: this.o.serial, session: this.o.session, openLink: true, settleMs: Math.min(500, timing.settleMs) });
        } catch (err) {
          if (!(err instanceof WorkbenchError) || err.code !== 'policy.capture-failed') throw err;
          return `skipped: ${err.message}`;
        }
        const { seq } = recordPolicy(this.o.session, { from: 'phone', origin: `${this.o.serial} ${c.packageName}`, text: c.text, charset: 'utf-8', original: null, pages: c.pages, problem: c.problem });
        const lists = await this.listPages(seq, c.text);
        return `${c.pages.length} pages read${c.problem ? `; ${c.problem}` : ''}${lists}${await this.backToDialog()}`;
      }
      case 'decline': {
        await this.denyDialogs();
        const tree = await this.o.control.uiTree(this.o.serial);
        const buttons = consentButtons(tree);
        // No decline button but a guest mode ("仅浏览", "游客模式"): that is how this app is used without consent.
        const decline = buttons.decline ?? buttons.guest;
        if (!decline) {
          await this.dwell(timing.dwellMs / 2);
          return `skipped: no decline button was recognised on the screen${buttons.dialog ? ' (a privacy dialog is showing)' : ''}; the decline path needs the tester`;
        }
        const started = Date.now();
        if (!(await this.answer('consent.declined', decline, tree, decline === buttons.guest ? ' (guest mode)' : ''))) return `failed: the privacy dialog did not go away after tapping "${decline.text}"; no decline mark was set`;
        await this.dwell(timing.dwellMs - (Date.now() - started));
        await this.denyDialogs();
        return null;
      }
      case 'agree': {
        await this.freshLaunch();
        await this.denyDialogs();
        const tree = await this.o.control.uiTree(this.o.serial);
        const buttons = consentButtons(tree);
        if (!buttons.agree) {
          await this.dwell(timing.dwellMs);
          return `skipped: no agree button was recognised${buttons.dialog ? ' although a privacy dialog is showing' : ''}; the run goes on without a consent mark`;
        }
        const started = Date.now();
        if (!(await this.answer('consent.given', buttons.agree, tree))) return `failed: the privacy dialog did not go away after tapping "${buttons.agree.text}"; no consent mark was set`;
        await this.dwell(timing.settleMs - (Date.now() - started));
        await this.denyDialogs();
        await this.capture('after consent');
        await this.dwell(timing.dwellMs);
        return null;
      }
      case 'permissions': {
        const until = Date.now() + timing.dwellMs;
        let denied = 0;
        while (Date.now() < until) {
          denied += await this.denyDialogs();
          await this.dwell(Math.min(timing.settleMs, Math.max(0, until - Date.now())));
        }
        return denied ? `${denied} permission dialogs denied` : null;
      }
      case 'explore': {
        this.o.explore!.phoneClock?.realTime(true);
        try {
          return await this.explore();
        } finally {
          this.o.explore!.phoneClock?.realTime(false);
        }
      }
      case 'background': {
        await this.action('home', this.o.packageName, () => this.o.control.input(this.o.serial, { kind: 'key', key: 'HOME' }));
        await this.dwell(timing.dwellMs);
        await this.action('launch', this.o.packageName, () => this.o.control.launch(this.o.serial, this.o.packageName));
        await this.dwell(timing.settleMs);
        await this.denyDialogs();
        return null;
      }
      case 'screen-off': {
        await this.action('screen-off', this.o.packageName, () => this.o.control.shell(this.o.serial, 'input keyevent KEYCODE_SLEEP'));
        await this.dwell(timing.dwellMs);
        await this.action('screen-on', this.o.packageName, () => this.o.control.shell(this.o.serial, 'input keyevent KEYCODE_WAKEUP'));
        await this.dwell(timing.settleMs);
        return null;
      }
      case 'revoke': {
        // As a user would: grant what the app asks for (in Settings), use it, then revoke and come back.
        const runtime = await this.runtimePermissions();
        if (!runtime.length) {
          await this.dwell(timing.settleMs);
          return 'skipped: the app requests no runtime permission';
        }
        for (const p of runtime.filter((r) => !r.granted)) {
          await this.action('grant-permission', `${this.o.packageName} ${p.name}`, () => this.o.control.shell(this.o.serial, shellCommand(['pm', 'grant', this.o.packageName, p.name])));
        }
        await this.action('launch', this.o.packageName, () => this.o.control.launch(this.o.serial, this.o.packageName));
        await this.dwell(timing.dwellMs / 2);
        for (const p of runtime) {
          await this.action('revoke-permission', `${this.o.packageName} ${p.name}`, () => this.o.control.shell(this.o.serial, shellCommand(['pm', 'revoke', this.o.packageName, p.name])));
        }
        await this.action('launch', this.o.packageName, () => this.o.control.launch(this.o.serial, this.o.packageName));
        await this.dwell(timing.settleMs);
        await this.denyDialogs();
        await this.dwell(timing.dwellMs);
        return `granted, then revoked ${runtime.map((p) => p.name.replace('android.permission.', '')).join(', ')}`;
      }
      case 'self-start': {
        await this.action('force-stop', this.o.packageName, () => this.o.control.forceStop(this.o.serial, this.o.packageName));
        // A start within LAUNCH_GRACE_MS of a launch is counted as the launch's (timeline-facts.ts): the stage
        // watches for its whole dwell after that grace, or a short dwell (a fast demo) could see nothing that counts.
        await this.dwell(Math.max(0, this.lastLaunchAt + LAUNCH_GRACE_MS - Date.now()) + timing.dwellMs);
        return null;
      }
      case 'reboot': {
        await this.action('reboot', this.o.serial, () => this.o.bridge.shell(this.o.serial, 'reboot', 5000).catch(() => ''));
        const back = await this.waitForPhone(timing.rebootTimeoutMs);
        if (!back) throw new PhoneGone(`the phone did not come back within ${Math.round(timing.rebootTimeoutMs / 1000)} s of the reboot`);
        await this.dwell(timing.afterRebootMs ?? timing.dwellMs);
        return null;
      }
      default:
        return 'skipped: the tester does this stage';
    }
  }

  /** The explore stage: the walk from a cold start (consent kept), the main screen as a user first sees it, launch ads included. */
  private async explore(): Promise<string> {
    const { timing } = this.o;
    await this.action('force-stop', this.o.packageName, () => this.o.control.forceStop(this.o.serial, this.o.packageName));
    await this.action('launch', this.o.packageName, () => this.o.control.launch(this.o.serial, this.o.packageName));
    await this.dwell(timing.settleMs);
    await this.denyDialogs();
    const r = await exploreInSession({
      bridge: this.o.bridge, serial: this.o.serial, session: this.o.session, packageName: this.o.packageName,
      limits: this.o.explore!.limits, hooks: this.o.explore!.hooks, log: this.o.log,
      // A tap's screen has come by then on a phone (and on the demo's, whose timing is short).
      settleMs: Math.min(700, timing.settleMs),
    });
    if (r.stopped === 'error' && !(await this.phonePresent())) throw new PhoneGone(r.note);
    const found = r.targets.filter((t) => t.found).map((t) => `${t.target} (${t.found ? t.taps : 0} taps)`);
    return `${r.taps} taps, ${r.screens} screens, stopped: ${r.stopped}; found: ${found.join(', ') || 'nothing'}`;
  }

  /**
   * From the policy page back to the privacy dialog as a user goes: the page's back button, else the BACK key;
   * only if the dialog is still not showing, a fresh launch (which an app may answer with its first-launch requests).
   */
  /**
   * The list pages the policy only points to (issue #25), as a tester would open them: the reference's link
   * tapped on the policy screen, the page read and kept with the policy, then back to the policy. A link not on
   * the screen, a link that opens nothing, a page of pictures: said, and the list stays "referenced".
   */
  private async listPages(policySeq: number, text: string): Promise<string> {
    const reading = readPolicy(text);
    const said: string[] = [];
    for (const list of ['collected', 'shared'] as const) {
      const ref = reading.twoLists[list].reference;
      if (reading.twoLists[list].verdict !== 'referenced' || !ref) continue;
      try {
        const p = await capturePolicyFromPhone({ control: this.o.control, serial: this.o.serial, session: this.o.session, openLink: listPageLink(ref.text), settleMs: Math.min(500, this.o.timing.settleMs) });
        recordListPage(this.o.session, { from: 'phone', origin: `${this.o.serial} ${p.packageName}`, text: p.text, charset: 'utf-8', original: null, pages: p.pages, problem: p.problem, list, policySeq, reference: ref.text, tapped: p.tapped });
        said.push(`the ${list} list page read (${p.pages.length} pages)`);
        await this.backToPolicy();
      } catch (err) {
        if (!(err instanceof WorkbenchError) || (err.code !== 'policy.capture-failed' && err.code !== 'policy.no-text')) throw err;
        if (err.code === 'policy.no-text') {
          said.push(`the ${list} list page shows pictures and no text: not read (the tester gives its text)`);
          await this.backToPolicy();
        } else said.push(`the ${list} list page not read: ${err.message}`);
      }
    }
    return said.length ? `; ${said.join('; ')}` : '';
  }

  private async backToPolicy(): Promise<void> {
    const back = backButton(await this.o.control.uiTree(this.o.serial));
    if (back) await this.tap(back);
    await this.dwell(Math.min(500, this.o.timing.settleMs));
  }

  private async backToDialog(): Promise<string> {
    const back = backButton(await this.o.control.uiTree(this.o.serial));
    if (back) await this.tap(back);
    else {
      const action: InputAction = { kind: 'key', key: 'BACK' };
      this.o.session.append({ type: 'tester.input', action }, { source: 'workbench', deviceTime: await this.deviceNow() });
      await this.o.control.input(this.o.serial, action);
    }
    await this.dwell(Math.min(500, this.o.timing.settleMs));
    if (consentButtons(await this.o.control.uiTree(this.o.serial)).dialog) return '';
    await this.freshLaunch();
    return '; the privacy dialog came back only with a fresh launch';
  }

  private async freshLaunch(): Promise<void> {
    const pkg = this.o.packageName;
    await this.action('force-stop', pkg, () => this.o.control.forceStop(this.o.serial, pkg));
    await this.action('clear-data', pkg, () => this.o.control.clearData(this.o.serial, pkg));
    await this.action('launch', pkg, () => this.o.control.launch(this.o.serial, pkg));
    await this.dwell(this.o.timing.settleMs);
  }

  /** Records the action, then performs it: the app's reaction lands after it on the timeline. */
  private async action(action: 'launch' | 'force-stop' | 'clear-data' | 'home' | 'screen-off' | 'screen-on' | 'grant-permission' | 'revoke-permission' | 'reboot', target: string, fn: () => Promise<unknown>): Promise<void> {
    this.o.session.append({ type: 'app.action', action, target }, { deviceTime: await this.deviceNow() });
    if (action === 'launch') this.lastLaunchAt = Date.now();
    await fn();
  }

  private async tap(b: Button): Promise<TapStamp> {
    const action: InputAction = { kind: 'tap', x: b.x, y: b.y };
    const hostTime = Date.now();
    const stamp = { hostTime, deviceTime: await this.deviceNow() };
    this.o.session.append({ type: 'tester.input', action }, { source: 'workbench', ...stamp });
    await this.o.control.input(this.o.serial, action);
    return stamp;
  }

  /**
   * Taps the privacy dialog's button and waits for the screen to take it (the button gone from where it was):
   * then, and only then, marks the answer. Otherwise the failed step is recorded and no mark is set.
   */
  private async answer(mark: 'consent.given' | 'consent.declined', b: Button, before: UiTree, how = ''): Promise<boolean> {
    const tap = await this.tap(b);
    const after = await this.screenAfter(tap, screenSignature(before), (tree) => !stillShows(tree, b));
    if (!after) {
      this.failed(consentNotAnswered(mark === 'consent.given' ? 'consent.agree' : 'consent.decline', b.text, ANSWER_WAIT_MS));
      return false;
    }
    this.markAnswered(mark, `tapped "${b.text}"${how}`, tap);
    return true;
  }

  /**
   * The screen once it moved on from `before` and `done` holds, read a few times over ANSWER_WAIT_MS (the first
   * read after a short settle, as before); null when it never did.
   */
  private async screenAfter(tap: TapStamp, before: string, done: (tree: UiTree) => boolean): Promise<UiTree | null> {
    const until = tap.hostTime + ANSWER_WAIT_MS;
    let wait = Math.min(400, this.o.timing.settleMs);
    for (;;) {
      await this.dwell(wait);
      const tree = await this.o.control.uiTree(this.o.serial);
      if (screenSignature(tree) !== before && done(tree)) return tree;
      if (Date.now() >= until) return null;
      wait = Math.min(300, Math.max(0, until - Date.now()));
    }
  }

  /** A mark of an answer the screen showed, stamped a millisecond before the tap that gave it. */
  private markAnswered(mark: TesterMark, label: string, tap: TapStamp): void {
    this.o.session.append({ type: 'tester.mark', mark, label }, { source: 'workbench', hostTime: tap.hostTime - 1, deviceTime: tap.deviceTime === null ? null : tap.deviceTime - 1 });
  }

  private failed(f: StepFailure): void {
    recordStepFailure(this.o.session, f);
    this.o.log(`  ${f.step} failed: ${f.en}`);
  }

  /**
   * A screenshot and a UI dump, each at the phone's time read just before it was asked for: on a busy machine a
   * host time shifted by the measured offset could put the first-launch dump before the launch it shows.
   */
  private async capture(name: string): Promise<void> {
    const shotAt = await this.deviceNow();
    const shot = await this.o.control.screenshot(this.o.serial);
    this.o.session.capture('screenshot', shot.png, 'image/png', name, { source: 'workbench', deviceTime: shotAt });
    const dumpAt = await this.deviceNow();
    const xml = await this.o.control.uiDumpXml(this.o.serial);
    this.o.session.capture('ui.dump', Buffer.from(xml), 'application/xml', name, { source: 'workbench', deviceTime: dumpAt });
  }

  /** Denies every permission dialog showing (at most ten in a row); returns how many. */
  /**
   * Denies every permission dialog showing (at most ten in a row); returns how many. Each denial is marked once
   * the dialog went away or the next one came (the screen changed); a dialog the tap did not change stops it.
   */
  private async denyDialogs(): Promise<number> {
    let n = 0;
    let tree = await this.o.control.uiTree(this.o.serial);
    while (n < 10) {
      const deny = permissionDialogDeny(tree);
      if (!deny) break;
      const before = screenSignature(tree);
      // A dialog that did not answer the last tap is not tapped again and again while a stage waits: once is recorded.
      if (before === this.unanswered) break;
      const tap = await this.tap(deny);
      const after = await this.screenAfter(tap, before, () => true);
      if (!after) {
        this.unanswered = before;
        this.failed(permissionNotAnswered(deny.text, ANSWER_WAIT_MS));
        break;
      }
      this.markAnswered('permission.denied-by-tester', `tapped "${deny.text}"`, tap);
      n++;
      tree = after;
    }
    return n;
  }

  /** The app's runtime (dangerous) permissions and whether each is granted, from `dumpsys package`. */
  private async runtimePermissions(): Promise<Array<{ name: string; granted: boolean }>> {
    const out = await this.o.control.shell(this.o.serial, `dumpsys package ${shellCommand([this.o.packageName])}`);
    const section = /runtime permissions:\n((?:\s+[\w.]+: granted=\w+.*\n?)*)/.exec(out)?.[1] ?? '';
    const perms = new Map<string, boolean>();
    for (const m of section.matchAll(/^\s*([\w.]+\.permission\.[A-Z_]+): granted=(true|false)/gm)) perms.set(m[1]!, m[2] === 'true');
    return [...perms].map(([name, granted]) => ({ name, granted }));
  }

  private async phonePresent(): Promise<boolean> {
    try {
      return (await this.o.bridge.listDevices()).some((d) => d.serial === this.o.serial && d.type === 'device');
    } catch {
      return false;
    }
  }

  private async waitForPhone(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    // The phone first goes away; give it a moment so the old connection is not mistaken for the new one.
    await this.dwell(500);
    while (Date.now() < until) {
      if (await this.phonePresent()) {
        try {
          if ((await this.o.bridge.shell(this.o.serial, 'getprop sys.boot_completed', 5000)).trim() === '1') return true;
        } catch {
          // Not answering yet.
        }
      }
      await this.dwell(500);
    }
    return false;
  }

  /**
   * The phone's clock read just before an action is sent: what the app does in reply is later on the same
   * clock, which a host time shifted by a measured offset cannot promise (the offset is only known to half a
   * round trip, tens of milliseconds on a busy machine — longer than an app takes to react to a tap).
   */
  private async deviceNow(): Promise<number | null> {
    return this.o.control.readClock(this.o.serial).catch(() => null);
  }

  private dwell(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.max(0, ms)));
  }
}
