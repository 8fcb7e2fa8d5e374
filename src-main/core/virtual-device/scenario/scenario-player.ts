/**
 * Plays a scenario's apps on the simulated system: installs them, listens to the system's signals (launch,
 * tap, key, permission results, background, screen, boot...) and runs the matching behaviours' actions in
 * order, with waits on the device clock. A behaviour's run stops when its app's process dies. Network requests
 * go out in the background, as an SDK's beacon does: the steps after one do not wait for its answer.
 */
import type { AndroidSystem, AppSignal } from '../android/android-system.js';
import type { Scenario, ScenarioAction, ScenarioApp, ScenarioTrigger } from './schema.js';
import { AppRequests } from './app-requests.js';

const PRIORITY: Record<string, number> = { V: 2, D: 3, I: 4, W: 5, E: 6, F: 7 };

export class ScenarioPlayer {
  private apps = new Map<string, ScenarioApp>();
  private generation = new Map<string, number>();
  private timers = new Map<string, number[]>();
  private onceDone = new Set<string>();
  /** Every action played, for tests and the trainer's view. */
  readonly played: Array<{ pkg: string; action: string; at: number }> = [];

  /** The apps' network requests (sent in the background as the app's uid). */
  readonly requests: AppRequests;

  /**
   * `systemCas`: the certificates the phone's system store holds now (the virtual internet's public CA).
   * `dropConnection`: what the phone does when an app takes it down (VirtualDevice drops its connections for `ms`).
   */
  constructor(private sys: AndroidSystem, private scenario: Scenario, systemCas: () => string[] = () => [], private dropConnection: (ms: number) => void = () => undefined) {
    this.requests = new AppRequests(sys, systemCas);
  }

  install(): void {
    for (const app of this.scenario.apps) {
      this.apps.set(app.package, app);
      // A scenario that answers BACK itself keeps the key as it was: no screen is popped for it.
      const handlesBack = app.behaviour.some((b) => typeof b.on === 'object' && 'key' in b.on && b.on.key === 'BACK');
      this.sys.registerApp(app.package, app.label, app.screens, { handlesBack });
      if (app.installed) this.installApp(app);
    }
    this.sys.on('signal', (s) => this.onSignal(s));
  }

  private installApp(app: ScenarioApp): void {
    const qualify = (n: string): string => (n.startsWith('.') ? app.package + n : n);
    this.sys.pm.install({
      name: app.package, versionCode: app.versionCode, versionName: app.versionName, targetSdk: app.targetSdk,
      requested: app.permissions, launcherActivity: qualify(app.launcher), installer: 'com.android.vending',
      components: [
        { kind: 'activity', name: qualify(app.launcher), exported: true, reachable: true, permission: null, actions: ['android.intent.action.MAIN'], categories: ['android.intent.category.LAUNCHER'] },
        ...app.components.map((c) => ({ kind: c.kind, name: qualify(c.name), exported: c.exported ?? null, reachable: c.exported ?? c.actions.length > 0, permission: null, actions: c.actions, categories: [] })),
      ],
    });
  }

  stop(): void {
    for (const ids of this.timers.values()) for (const id of ids) this.sys.clock.clearTimer(id);
    this.timers.clear();
  }

  private onSignal(s: AppSignal): void {
    if (s.type === 'process-death') {
      this.generation.set(s.pkg, (this.generation.get(s.pkg) ?? 0) + 1);
      for (const id of this.timers.get(s.pkg) ?? []) this.sys.clock.clearTimer(id);
      this.timers.delete(s.pkg);
      for (const k of [...this.onceDone]) if (k.startsWith(s.pkg + '#')) this.onceDone.delete(k);
    }
    for (const app of this.apps.values()) {
      if ('pkg' in s && s.pkg !== app.package) continue;
      if (!this.sys.pm.get(app.package)) continue;
      app.behaviour.forEach((b, i) => {
        if (this.matches(b.on, s)) this.fire(app, i);
        if (s.type === 'launch' && typeof b.on === 'object' && 'after' in b.on) this.schedule(app, i, b.on.after, false);
        if (s.type === 'process-start' && typeof b.on === 'object' && 'every' in b.on) this.schedule(app, i, b.on.every, true, b.on.screen);
      });
    }
  }

  private matches(t: ScenarioTrigger, s: AppSignal): boolean {
    if (t === 'first-launch') return s.type === 'launch' && s.fresh;
    if (t === 'relaunch') return s.type === 'launch' && !s.fresh;
    if (typeof t === 'string') return t === s.type;
    if ('tap' in t) return s.type === 'tap' && s.node === t.tap && (!t.screen || t.screen === s.screen);
    if ('key' in t) return s.type === 'key' && s.key === t.key;
    if ('permissionResult' in t) {
      return s.type === 'permission-result' && (!t.permissionResult.permission || t.permissionResult.permission === s.permission) &&
        (t.permissionResult.result === 'granted') === s.granted;
    }
    return false;
  }

  private schedule(app: ScenarioApp, index: number, ms: number, repeat: boolean, screen?: string): void {
    const tick = (): void => {
      const list = this.timers.get(app.package) ?? [];
      this.timers.set(app.package, list.filter((t) => t !== id));
      if (!this.sys.am.processOf(app.package)) return;
      if (!screen || this.sys.screenOf(app.package) === screen) this.fire(app, index);
      if (repeat) this.schedule(app, index, ms, true, screen);
    };
    const id = this.sys.clock.setTimer(tick, ms);
    this.timers.set(app.package, [...(this.timers.get(app.package) ?? []), id]);
  }

  private fire(app: ScenarioApp, index: number): void {
    const b = app.behaviour[index]!;
    const key = `${app.package}#${index}`;
    if (b.once) {
      if (this.onceDone.has(key)) return;
      this.onceDone.add(key);
    }
    void this.run(app, b.do);
  }

  private async run(app: ScenarioApp, actions: ScenarioAction[]): Promise<void> {
    const pkg = app.package;
    const gen = this.generation.get(pkg) ?? 0;
    for (const a of actions) {
      if ((this.generation.get(pkg) ?? 0) !== gen) return;
      this.played.push({ pkg, action: Object.keys(a)[0]!, at: this.sys.clock.now() });
      if ('wait' in a) await this.sys.clock.sleep(a.wait);
      else if ('show' in a) this.sys.appShow(pkg, a.show);
      else if ('reveal' in a) this.sys.appSetNode(pkg, a.reveal.node, a.reveal.screen, { shown: true });
      else if ('hide' in a) this.sys.appSetNode(pkg, a.hide.node, a.hide.screen, { shown: false });
      else if ('setChecked' in a) this.sys.appSetNode(pkg, a.setChecked.node, a.setChecked.screen, { checked: a.setChecked.checked });
      else if ('requestPermissions' in a) this.sys.appRequestPermissions(pkg, a.requestPermissions);
      else if ('access' in a) this.sys.appAccess(pkg, a.access);
      else if ('log' in a) this.sys.appLog(pkg, PRIORITY[a.log.level] ?? 4, a.log.tag, a.log.message);
      else if ('identifierAccess' in a) this.sys.appIdentifierAccess(pkg, a.identifierAccess);
      else if ('startProcess' in a) this.sys.appSelfStart(pkg, a.startProcess.for, a.startProcess.component, a.startProcess.process);
      else if ('startPackage' in a) this.sys.appStartPackage(pkg, a.startPackage);
      else if ('backgroundStartRefused' in a) this.sys.appStartRefused(pkg, a.backgroundStartRefused);
      else if ('installPackage' in a) this.sys.appInstallPackage(pkg, a.installPackage);
      else if ('exit' in a) this.sys.appExit(pkg);
      else if ('crash' in a) this.sys.appCrash(pkg);
      else if ('screenOff' in a) this.sys.setScreenOn(false);
      else if ('dropConnection' in a) this.dropConnection(a.dropConnection);
      else if ('update' in a) this.sys.appUpdate(pkg, a.update);
      else if ('request' in a) void this.requests.send(app, a.request);
    }
  }
}
