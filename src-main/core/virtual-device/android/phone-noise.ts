/**
 * What a real phone does besides the app under test: the boot log (init, zygote, system_server, package scan,
 * system processes), then, every couple of seconds on the phone's clock, other apps living their lives —
 * their log lines, process starts and deaths, their own permission dialogs and answers, app-op accesses under
 * their uids, one app starting another, identifier checks. Deterministic (a fixed sequence), so tests that
 * prove evaluators against this noise are repeatable. Printed as the phone's ROM profile prints it, with the
 * vendor's own background lines after each tick.
 */
import type { AndroidSystem } from './android-system.js';
import { SYSTEM_SERVER_PID } from '../rom/system-lines.js';

/** Other apps on the phone (installed as preloaded apps, so they do not crowd the launcher). */
const OTHERS: Array<{ pkg: string; tag: string; line: string }> = [
  { pkg: 'com.tencent.mm', tag: 'MicroMsg.SyncService', line: 'sync done, selector=7 cost=38ms' },
  { pkg: 'com.eg.android.AlipayGphone', tag: 'mPaaS', line: 'RPC heartbeat ok rtt=56ms' },
  { pkg: 'com.google.android.gms', tag: 'GmsClientEvents', line: 'unregisterConnectionFailedListener' },
  { pkg: 'com.ss.android.ugc.aweme', tag: 'AwemeApplication', line: 'feed prefetch 12 items' },
  { pkg: 'com.autonavi.minimap', tag: 'AMapLocation', line: 'location update provider=network acc=30' },
];

const BOOT: Array<[number, string, string, 'main' | 'system']> = [
  [1, 'init', 'init second stage started!', 'main'],
  [312, 'logd', 'logd.auditd: start', 'main'],
  [640, 'Zygote', 'System server process 1234 has been created', 'main'],
  [SYSTEM_SERVER_PID, 'SystemServer', 'Entered the Android system server!', 'system'],
  [SYSTEM_SERVER_PID, 'PackageManager', 'Finished scanning system apps. Time: 812 ms, packageCount: 214', 'system'],
  [SYSTEM_SERVER_PID, 'PackageManager', 'Finished scanning non-system apps. Time: 96 ms, packageCount: 38', 'system'],
  [SYSTEM_SERVER_PID, 'ActivityManager', 'System now ready', 'system'],
  [SYSTEM_SERVER_PID, 'WindowManager', 'Display 0 is ready', 'system'],
  [SYSTEM_SERVER_PID, 'BootReceiver', 'Copying audit failures to DropBox', 'system'],
  [SYSTEM_SERVER_PID, 'ActivityManager', 'Finished processing BOOT_COMPLETED for u0', 'system'],
];

export const NOISE_INTERVAL_MS = 2000;

export class PhoneNoise {
  private step = 0;
  private timer: number | null = null;
  private uids = new Map<string, number>();

  constructor(private sys: AndroidSystem) {}

  /** Installs the other apps, writes the boot log and starts their activity. */
  start(): void {
    for (const o of OTHERS) {
      const p = this.sys.pm.get(o.pkg) ?? this.sys.pm.install({ name: o.pkg, versionCode: 100, versionName: '8.0', requested: ['android.permission.ACCESS_COARSE_LOCATION', 'android.permission.READ_PHONE_STATE'], components: [], system: true, installer: 'com.android.vending' });
      this.uids.set(o.pkg, p.uid);
    }
    this.boot();
    this.schedule();
  }

  stop(): void {
    if (this.timer !== null) this.sys.clock.clearTimer(this.timer);
    this.timer = null;
  }

  /** A reboot starts the boot log again. */
  boot(): void {
    for (const [pid, tag, message, buffer] of BOOT) this.sys.log.append({ pid, priority: 4, tag, message, buffer });
    this.sys.print(this.sys.profile.noise.boot());
    for (const pkg of ['com.google.android.gms', 'com.tencent.mm']) this.startProcess(pkg, 'broadcast', `${pkg}/.BootReceiver`);
  }

  private schedule(): void {
    this.timer = this.sys.clock.setTimer(() => {
      this.tick();
      this.schedule();
    }, NOISE_INTERVAL_MS);
  }

  private startProcess(pkg: string, hosting: string, component: string, caller: { packageName: string; uid: number } | null = null): void {
    const uid = this.uids.get(pkg);
    if (uid !== undefined) this.sys.am.ensureProcess(pkg, uid, hosting, component, caller);
  }

  private tick(): void {
    const o = OTHERS[this.step % OTHERS.length]!;
    const uid = this.uids.get(o.pkg)!;
    const proc = this.sys.am.processOf(o.pkg);
    const pid = proc?.pid ?? 3000 + (this.step % 97);
    const { lines, controller } = this.sys.profile;
    const step = this.step++ % 6;
    switch (step) {
      case 0:
        this.sys.log.append({ pid, uid, priority: 4, tag: o.tag, message: o.line });
        this.sys.log.append({ pid: 1650, uid: 10100, priority: 3, tag: 'StatusBar', message: 'updateNotification key=0|com.tencent.mm|1|null|10250' });
        break;
      case 1:
        this.startProcess(o.pkg, 'service', `${o.pkg}/.push.PushService`);
        break;
      case 2: {
        // Another app's own permission dialog and the user's answer (its uid, not the app under test's).
        this.sys.print(lines.activityStart({ intent: `act=android.content.pm.action.REQUEST_PERMISSIONS pkg=${controller.packageName} cmp=${controller.packageName}/${controller.activity} (has extras)`, fromUid: uid, launchMode: 'LAUNCH_MULTIPLE', bal: 'BAL_ALLOW_VISIBLE_WINDOW', tid: this.sys.binderTid(), binderThread: true }));
        this.sys.log.append({ pid: 2300, uid: 10102, priority: 2, tag: 'GrantPermissionsActivity', message: `Permission grant result requestId=${this.step * 7919} callingUid=${uid} callingPackage=${o.pkg} permission=android.permission.ACCESS_COARSE_LOCATION isImplicit=false result=${this.step % 2 ? 4 : 6}` });
        break;
      }
      case 3:
        this.sys.appOps.noteAccess(o.pkg, 'COARSE_LOCATION', 'bg');
        this.sys.appOps.noteReject(o.pkg, 'READ_DEVICE_IDENTIFIERS', 'bg', 'deny');
        this.sys.print(lines.identifierDenied({ packageName: o.pkg, uid, pid, method: 'getImeiForSlot' }));
        break;
      case 4: {
        // One other app starting another (an associated start, but not the app under test's).
        const target = OTHERS[(this.step + 1) % OTHERS.length]!.pkg;
        this.sys.print(lines.fgsStart({ caller: { packageName: o.pkg, uid }, callerTop: false, component: `${target}/.KeepAlive`, targetSdk: 33, callerTargetSdk: 33 }));
        this.startProcess(target, 'service', `${target}/.KeepAlive`, { packageName: o.pkg, uid });
        break;
      }
      case 5:
        if (proc && this.sys.am.foreground !== o.pkg) this.sys.am.kill(o.pkg, 'empty');
        break;
    }
    const other = OTHERS[(this.step + 2) % OTHERS.length]!.pkg;
    this.sys.print(this.sys.profile.noise.afterTick(step, { packageName: o.pkg, uid, pid, otherPackage: other === o.pkg ? OTHERS[0]!.pkg : other }));
  }
}
