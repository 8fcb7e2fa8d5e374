/**
 * The simulated Android userland: one object that owns the phone's state (properties, packages, processes,
 * app ops, logs, files, screen, permission dialogs) and the transitions input causes. Shell commands read
 * and change it; the scenario player drives apps through its `app*` methods and hears `AppSignal`s back.
 * What it logs, and how it names itself, is its ROM profile's (rom/): the same happening prints as that ROM does.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from './clock.js';
import { LogBuffer } from './log-buffer.js';
import type { TextFormat } from './log-format.js';
import { MemoryFs } from './memory-fs.js';
import { PackageManager, type InstalledPackage } from './package-manager.js';
import { AppOps } from './app-ops.js';
import { ActivityManager, userName } from './activity-manager.js';
import { SYSTEM_SERVER_PID, shortComponent, type SystemLine } from '../rom/system-lines.js';
import type { RomProfile } from '../rom/rom-profile.js';
import { identityProperties } from '../rom/rom-profiles.js';
import { virtualProfile } from '../rom/virtual-profile.js';
import { GRANT_RESULT, permissionForOp, runtimePermission } from './permissions.js';
import type { ScenarioDevice, Localized } from '../scenario/schema.js';
import type { ScreenContent, UiNode } from './ui-tree.js';
import { hitTest } from './ui-tree.js';
import { layoutFull, layoutPage, paragraphsOf, scrollAfterSwipe, scrollOffsetPx } from './document-layout.js';
import { SettingsStore } from './settings-store.js';
import { warmDocument } from './screen-render.js';
import { PhoneNetwork } from './phone-network.js';
import { phoneIdentity, type PhoneIdentity } from './phone-identity.js';
import { CaInstallFlow } from './ca-install-flow.js';
import { ScreenBackStack } from './screen-stack.js';

export type AppSignal =
  | { type: 'launch'; pkg: string; fresh: boolean }
  | { type: 'background' | 'foreground' | 'process-start' | 'process-death'; pkg: string }
  | { type: 'tap'; pkg: string; screen: string; node: string }
  | { type: 'key'; pkg: string; key: string }
  | { type: 'permission-result'; pkg: string; permission: string; granted: boolean }
  | { type: 'screen-off' | 'screen-on' | 'boot' | 'connectivity' };

export interface AppScreenSpec {
  id: string;
  activity?: string;
  background: string;
  nodes: ScreenNodeSpec[];
  /** The window sets FLAG_SECURE (a payment or login page): recorded and captured black. */
  secure?: boolean;
}

export interface ScreenNodeSpec {
  id: string;
  text: Localized;
  style: UiNode['style'];
  bounds: [number, number, number, number];
  resourceId?: string;
  className?: string;
  clickable?: boolean;
  checkable: boolean;
  checked: boolean;
  /** Not on the screen until the app reveals it (an ad's close button that comes after a while). */
  hidden?: boolean;
  children?: ScreenNodeSpec[];
  /** A list the user scrolls: its children are laid out from its top and may lie below its bottom (schema.ts). */
  scrollable?: boolean;
}

interface PendingDialog {
  pkg: string;
  group: string;
  permissions: string[];
  requestId: string;
  denials: number;
}

/**
 * A list's row moved by `dy` and cut to the list's visible band [top, bottom): null when none of it is in view.
 * Its children move and are cut with it (uiautomator reports what is on screen, with on-screen bounds).
 */
function inView(n: UiNode, dy: number, top: number, bottom: number): UiNode | null {
  const y1 = n.bounds[1] + dy, y2 = n.bounds[3] + dy;
  if (y2 <= top || y1 >= bottom) return null;
  return { ...n, bounds: [n.bounds[0], Math.max(top, y1), n.bounds[2], Math.min(bottom, y2)], children: n.children.flatMap((c) => inView(c, dy, top, bottom) ?? []) };
}

const KEYCODES: Record<string, string> = { 3: 'HOME', 4: 'BACK', 26: 'POWER', 187: 'APP_SWITCH', 224: 'WAKEUP', 223: 'SLEEP' };

export class AndroidSystem extends EventEmitter<{ signal: [AppSignal] }> {
  readonly log: LogBuffer;
  readonly fs: MemoryFs;
  readonly pm: PackageManager;
  readonly appOps: AppOps;
  readonly am: ActivityManager;
  readonly bootTime: number;
  readonly androidId: string;
  /** `settings` namespaces (system, secure, global). */
  readonly settings = new SettingsStore();
  /** The phone's TCP network: loopback listeners, app sockets by uid, the global proxy, user CAs. */
  readonly network: PhoneNetwork;
  /** IMEI, MACs, IP addresses, last known location (phone-identity.ts). */
  readonly phoneIdentity: PhoneIdentity;
  /** Settings' user-CA install screens (Install a certificate > CA certificate) and the certificate installer. */
  readonly caInstall: CaInstallFlow;
  /** Screens each simulated app can show, and the one it shows now. */
  private screenSpecs = new Map<string, Map<string, AppScreenSpec>>();
  private currentScreen = new Map<string, string>();
  private checked = new Map<string, boolean>();
  /** Nodes the app revealed (true) or hid (false) in this process, by pkg/screen/node; the others are as declared. */
  private shown = new Map<string, boolean>();
  /** Each app's screens under the current one (BACK goes to the top one). */
  readonly backStack = new ScreenBackStack();
  /** Apps whose scenario answers BACK itself (`on: {key: BACK}`): the key does for them what it always did. */
  private ownBack = new Set<string>();
  /** Scroll position (first paragraph shown) of each document node, by pkg/screen/node. */
  private scrolled = new Map<string, number>();
  /** Scroll offset (pixels) of each scrolling list, by pkg/screen/node. */
  private listScroll = new Map<string, number>();
  /** A swipe's scroll as the screen shows it: from one pixel offset to the next over the swipe's duration. */
  private scrolling = new Map<string, { fromPx: number; toPx: number; start: number; durationMs: number }>();
  private dialogs: PendingDialog[] = [];
  private labels = new Map<string, Localized>();
  inputEvents = 0;
  /** screenrecord runs now (their frame clocks): a swipe then renders the page it scrolls to ahead. */
  screenRecorders = 0;
  /** Whether the shell may read /proc/net/tcp{,6} (the ROM profile's say, unless the device options override it). */
  shellReadsProcNet: boolean;
  /** Names of the shell commands the phone has (for `which`); filled by the device. */
  shellCommands: Record<string, unknown> = {};
  /**
   * Test hook: the text format `logcat` prints whatever `-v` asks for (a phone that ignores `-v year`/`-v UTC`;
   * `raw` prints entries' messages alone, so entries holding whole captured lines print those lines verbatim).
   */
  logcatFormat: TextFormat | null = null;

  constructor(readonly device: ScenarioDevice, readonly clock: Clock, readonly profile: RomProfile = virtualProfile) {
    super();
    const now = (): number => clock.now();
    this.log = new LogBuffer(now);
    // chatty names a uid as logd does: the app's package, or the system user's name (`uid=1000(system)`).
    if (profile.chatty) this.log.enableChatty((uid) => (uid < 10000 ? userName(uid) : [...this.pm.packages.values()].find((p) => p.uid === uid)?.name ?? userName(uid)));
    this.fs = new MemoryFs(now);
    this.pm = new PackageManager(now);
    this.appOps = new AppOps(now);
    this.am = new ActivityManager((lines) => this.print(lines), profile.lines, now);
    this.bootTime = now();
    this.androidId = Buffer.from(device.serial).toString('hex').padEnd(16, '7').slice(0, 16);
    this.settings.put('secure', 'android_id', this.androidId);
    this.network = new PhoneNetwork(this.settings);
    this.phoneIdentity = phoneIdentity(device.serial);
    this.settings.put('secure', 'bluetooth_address', this.phoneIdentity.bluetoothMac.toUpperCase());
    this.fs.writeFile('/sys/class/net/wlan0/address', Buffer.from(`${this.phoneIdentity.wifiMac}\n`));
    this.shellReadsProcNet = profile.shellReadsProcNet ?? true;
    this.caInstall = new CaInstallFlow(this);
  }

  private binderCalls = 0;

  /** The system_server binder thread serving the next incoming call (eight of them, taken in turn). */
  binderTid(): number {
    return SYSTEM_SERVER_PID + 1030 + 137 * (this.binderCalls++ % 8);
  }

  /** Writes what the system prints: system_server's lines unless a line names its own process. */
  print(lines: SystemLine[]): void {
    for (const l of lines) this.log.append({ ...l, pid: l.pid ?? SYSTEM_SERVER_PID });
  }

  get sdk(): number {
    return this.profile.identity?.sdk ?? (this.device.androidVersion === '14' ? 34 : 33);
  }

  /** The permission controller's package (it draws the dialogs, and the checklist looks for it). */
  get controller(): string {
    return this.profile.controller.packageName;
  }

  /** The phone's model and device name as the ADB banner and `getprop` give them. */
  get identity(): { model: string; device: string } {
    return this.profile.identity ?? this.device;
  }

  text(t: Localized): string {
    return typeof t === 'string' ? t : this.device.locale === 'zh-CN' ? t.zh : t.en;
  }

  properties(): Record<string, string> {
    const d = this.device;
    const rom = this.profile.identity;
    if (rom) {
      return {
        ...identityProperties(rom), 'ro.serialno': d.serial, 'ro.boot.serialno': d.serial,
        'ro.product.cpu.abi': 'arm64-v8a', 'ro.product.cpu.abilist': 'arm64-v8a,armeabi-v7a,armeabi', 'ro.product.cpu.abilist64': 'arm64-v8a',
        'ro.sf.lcd_density': String(d.screen.density), 'ro.secure': '1', 'ro.debuggable': '0', 'ro.adb.secure': '1', 'sys.boot_completed': '1',
        'dev.bootcomplete': '1', 'persist.sys.locale': d.locale, 'persist.sys.timezone': d.timezoneOffsetMinutes === 480 ? 'Asia/Shanghai' : 'UTC',
        'ro.kernel.qemu': '0', 'ro.apprights.virtual': '1', 'ro.apprights.rom': this.profile.id,
      };
    }
    const release = d.androidVersion;
    const id = release === '14' ? 'UP1A.231005.007' : 'TQ3A.230901.001';
    return {
      'ro.product.model': d.model, 'ro.product.manufacturer': d.manufacturer, 'ro.product.brand': d.brand,
      'ro.product.name': d.device, 'ro.product.device': d.device, 'ro.product.board': d.device,
      'ro.build.version.release': release, 'ro.build.version.sdk': String(this.sdk),
      'ro.build.version.security_patch': '2026-10-01', 'ro.build.id': id, 'ro.build.type': 'user',
      'ro.build.tags': 'release-keys', 'ro.build.fingerprint': `${d.brand}/${d.device}/${d.device}:${release}/${id}/1:user/release-keys`,
      'ro.build.display.id': `${id} release-keys`, 'ro.serialno': d.serial, 'ro.boot.serialno': d.serial,
      'ro.product.cpu.abi': 'arm64-v8a', 'ro.product.cpu.abilist': 'arm64-v8a,armeabi-v7a,armeabi',
      'ro.product.cpu.abilist64': 'arm64-v8a', 'ro.sf.lcd_density': String(d.screen.density),
      'ro.secure': '1', 'ro.debuggable': '0', 'ro.adb.secure': '1', 'sys.boot_completed': '1',
      'dev.bootcomplete': '1', 'persist.sys.locale': d.locale, 'persist.sys.timezone': d.timezoneOffsetMinutes === 480 ? 'Asia/Shanghai' : 'UTC',
      'ro.kernel.qemu': '0', 'ro.apprights.virtual': '1',
    };
  }

  registerApp(pkg: string, label: Localized, screens: AppScreenSpec[], opts: { handlesBack?: boolean } = {}): void {
    this.labels.set(pkg, label);
    if (opts.handlesBack) this.ownBack.add(pkg);
    this.screenSpecs.set(pkg, new Map(screens.map((s) => [s.id, s])));
  }

  label(pkg: string): string {
    const l = this.labels.get(pkg);
    return l ? this.text(l) : pkg;
  }

  /**
   * Files the kernel makes up when read (/proc/net/tcp, /proc/net/tcp6): their text, 'denied' where the ROM's
   * SELinux policy keeps the shell out, or null for any other path.
   */
  procFile(path: string): Buffer | 'denied' | null {
    const table = path === '/proc/net/tcp' ? 'tcp' : path === '/proc/net/tcp6' ? 'tcp6' : null;
    if (!table) return null;
    if (!this.shellReadsProcNet) return 'denied';
    return Buffer.from(this.network.procNetTcp(table), 'latin1');
  }

  // ---- what the screen shows ------------------------------------------------------------------

  screen(): ScreenContent | null {
    if (!this.am.screenOn) return null;
    const dialog = this.dialogs[0];
    if (dialog && this.am.foreground === dialog.pkg) return this.dialogScreen(dialog);
    const fg = this.am.foreground;
    if (fg) {
      const spec = this.screenSpecs.get(fg)?.get(this.currentScreen.get(fg) ?? '');
      if (spec) return this.appScreen(fg, spec);
      return { packageName: fg, activity: '.MainActivity', background: '#fffbfe', nodes: [this.node(fg, 'blank', { text: this.label(fg), style: 'title', bounds: [40, 160, 1040, 300] })] };
    }
    return this.launcherScreen();
  }

  private node(pkg: string, key: string, n: Partial<UiNode> & Pick<UiNode, 'bounds'>): UiNode {
    const style = n.style ?? 'text';
    const clickable = n.clickable ?? ['button', 'primary', 'link', 'icon', 'checkbox', 'switch'].includes(style);
    return {
      key, text: n.text ?? '', resourceId: n.resourceId ?? '', className: n.className ?? (style === 'checkbox' ? 'android.widget.CheckBox' : style === 'switch' ? 'android.widget.Switch' : clickable ? 'android.widget.Button' : 'android.widget.TextView'),
      packageName: pkg, contentDesc: n.contentDesc ?? '', bounds: n.bounds, clickable, checkable: n.checkable ?? false,
      checked: n.checked ?? false, enabled: true, style, children: [],
    };
  }

  private appScreen(pkg: string, spec: AppScreenSpec): ScreenContent {
    const shown = (n: ScreenNodeSpec): boolean => this.shown.get(`${pkg}/${spec.id}/${n.id}`) ?? !n.hidden;
    const build = (n: ScreenNodeSpec): UiNode => {
      if (n.style === 'document') return this.documentNode(pkg, spec.id, n);
      const node = this.node(pkg, n.id, {
        text: this.text(n.text), style: n.style, bounds: n.bounds, resourceId: n.resourceId ?? `${pkg}:id/${n.id}`,
        className: n.className ?? (n.scrollable ? 'androidx.recyclerview.widget.RecyclerView' : undefined), clickable: n.clickable, checkable: n.checkable,
        checked: this.checked.get(`${pkg}/${spec.id}/${n.id}`) ?? n.checked,
      });
      node.children = (n.children ?? []).filter(shown).map(build);
      if (n.scrollable) {
        node.scrollable = true;
        const offset = this.listScroll.get(`${pkg}/${spec.id}/${n.id}`) ?? 0;
        node.children = node.children.flatMap((c) => inView(c, -offset, n.bounds[1], n.bounds[3]) ?? []);
      }
      return node;
    };
    const screen: ScreenContent = { packageName: pkg, activity: spec.activity ?? '.MainActivity', background: spec.background, nodes: spec.nodes.filter(shown).map(build) };
    if (spec.secure) screen.secure = true;
    return screen;
  }

  /** A scrollable document: a WebView holding the paragraphs that fit from the current scroll position. */
  private documentNode(pkg: string, screenId: string, n: ScreenNodeSpec): UiNode {
    const text = this.text(n.text);
    const paragraphs = paragraphsOf(text);
    const key = `${pkg}/${screenId}/${n.id}`;
    const from = this.scrolled.get(key) ?? 0;
    const page = layoutPage(paragraphs, from, n.bounds);
    const container = this.node(pkg, n.id, { style: 'document', bounds: n.bounds, resourceId: n.resourceId ?? `${pkg}:id/${n.id}`, className: 'android.webkit.WebView', clickable: false });
    container.scrollable = true;
    container.document = { text, offsetPx: this.scrollPx(key, paragraphs, from, n.bounds) };
    container.children = page.paragraphs.map((p) => {
      const child = this.node(pkg, `${n.id}:p${p.index}`, { text: p.text, style: 'text', bounds: [n.bounds[0] + 24, p.top, n.bounds[2] - 24, p.bottom], className: 'android.widget.TextView', clickable: false });
      child.wrapped = p.wrapped;
      return child;
    });
    return container;
  }

  /** Where the document's page is drawn from now: the resting offset, or between two while a swipe's scroll runs (decelerating). */
  private scrollPx(key: string, paragraphs: string[], from: number, bounds: [number, number, number, number]): number {
    const rest = scrollOffsetPx(layoutFull(paragraphs, bounds[2] - bounds[0]), from);
    const anim = this.scrolling.get(key);
    if (!anim) return rest;
    const t = (this.clock.now() - anim.start) / anim.durationMs;
    if (t >= 1 || anim.toPx !== rest) {
      this.scrolling.delete(key);
      return rest;
    }
    const eased = 1 - (1 - Math.max(0, t)) ** 2;
    return Math.round(anim.fromPx + (anim.toPx - anim.fromPx) * eased);
  }

  /**
   * A finger drag: inside a document it scrolls it (dragging up shows what follows), animated over `durationMs` as
   * `input swipe` moves; inside a scrolling list it moves the list by the finger's travel (a slow drag, no fling),
   * at once, from its top to where its last row ends.
   */
  swipe(x1: number, y1: number, x2: number, y2: number, durationMs = 300): void {
    this.inputEvents++;
    const screen = this.screen();
    const fg = this.am.foreground;
    if (!screen || !fg || screen.packageName !== fg) return;
    const screenId = this.currentScreen.get(fg) ?? '';
    const spec = this.screenSpecs.get(fg)?.get(screenId);
    const inside = (b: [number, number, number, number]): boolean => x1 >= b[0] && x1 < b[2] && y1 >= b[1] && y1 < b[3];
    const list = spec?.nodes.find((n) => n.scrollable && n.style !== 'document' && (this.shown.get(`${fg}/${screenId}/${n.id}`) ?? !n.hidden) && inside(n.bounds));
    if (list) {
      const key = `${fg}/${screenId}/${list.id}`;
      const end = Math.max(list.bounds[3], ...(list.children ?? []).map((c) => c.bounds[3] + 24));
      const max = end - list.bounds[3];
      this.listScroll.set(key, Math.max(0, Math.min(max, (this.listScroll.get(key) ?? 0) + (y1 - y2))));
      return;
    }
    const doc = spec?.nodes.find((n) => n.style === 'document' && x1 >= n.bounds[0] && x1 < n.bounds[2] && y1 >= n.bounds[1] && y1 < n.bounds[3]);
    if (!doc) return;
    const key = `${fg}/${screenId}/${doc.id}`;
    const paragraphs = paragraphsOf(this.text(doc.text));
    const before = this.scrolled.get(key) ?? 0;
    // The uiautomator tree shows where the swipe ends at once; the picture scrolls there over the swipe's duration.
    const shownPx = this.scrollPx(key, paragraphs, before, doc.bounds);
    const after = scrollAfterSwipe(paragraphs, before, doc.bounds, y1 - y2);
    this.scrolled.set(key, after);
    const layout = layoutFull(paragraphs, doc.bounds[2] - doc.bounds[0]);
    const toPx = scrollOffsetPx(layout, after);
    if (toPx === shownPx || durationMs <= 0) return;
    // While the screen is recorded, the page's rows are drawn before the finger moves, so each frame of the scroll is a copy.
    if (this.screenRecorders > 0) warmDocument(this.text(doc.text), doc.bounds[2] - doc.bounds[0], shownPx, toPx, doc.bounds[3] - doc.bounds[1]);
    this.scrolling.set(key, { fromPx: shownPx, toPx, start: this.clock.now(), durationMs: Math.min(durationMs, 10_000) });
  }

  private launcherScreen(): ScreenContent {
    const apps = [...this.pm.packages.values()].filter((p) => !p.system && p.launcherActivity);
    const nodes = apps.map((p, i) => {
      const col = i % 3, row = Math.floor(i / 3);
      const x = 60 + col * 340, y = 260 + row * 340;
      return this.node('com.android.launcher3', `launch:${p.name}`, {
        text: this.label(p.name).slice(0, 8), style: 'icon', bounds: [x, y, x + 280, y + 280], contentDesc: this.label(p.name),
        className: 'android.widget.TextView', resourceId: 'com.android.launcher3:id/icon',
      });
    });
    return { packageName: 'com.android.launcher3', activity: '.uioverlay.QuickstepLauncher', background: '#dfe6f3', nodes };
  }

  private dialogScreen(d: PendingDialog): ScreenContent {
    const CONTROLLER = this.controller;
    const zh = this.device.locale === 'zh-CN';
    const info = runtimePermission(d.permissions[0]!)!;
    const label = this.label(d.pkg);
    const w = this.device.screen.width, h = this.device.screen.height;
    const top = Math.round(h * 0.55);
    const location = d.group === 'LOCATION';
    const buttons: Array<[string, string]> = location
      ? [['permission_allow_foreground_only_button', zh ? '使用应用时允许' : 'While using the app'], ['permission_allow_one_time_button', zh ? '仅限这一次' : 'Only this time']]
      : [['permission_allow_button', zh ? '允许' : 'Allow']];
    buttons.push(d.denials > 0
      ? ['permission_deny_and_dont_ask_again_button', zh ? '不允许，且不再询问' : "Don't allow & don't ask again"]
      : ['permission_deny_button', zh ? '不允许' : "Don't allow"]);
    const nodes: UiNode[] = [
      this.node(CONTROLLER, 'dialog', { style: 'dialog', bounds: [40, top, w - 40, top + 300 + buttons.length * 150], resourceId: `${CONTROLLER}:id/grant_dialog`, className: 'android.widget.LinearLayout', clickable: false }),
      this.node(CONTROLLER, 'message', {
        text: zh ? `要允许“${label}”${info.zh}吗？` : `Allow ${label} to ${info.en}?`, style: 'text',
        bounds: [80, top + 60, w - 80, top + 240], resourceId: `${CONTROLLER}:id/permission_message`,
      }),
      ...buttons.map(([id, text], i) => this.node(CONTROLLER, id, {
        text, style: 'button', bounds: [80, top + 280 + i * 150, w - 80, top + 400 + i * 150], resourceId: `${CONTROLLER}:id/${id}`,
      })),
    ];
    return { packageName: CONTROLLER, activity: this.profile.controller.activity, background: '#5f5f66', nodes };
  }

  // ---- input ----------------------------------------------------------------------------------

  tap(x: number, y: number): void {
    this.inputEvents++;
    const screen = this.screen();
    if (!screen) return;
    const hit = hitTest(screen.nodes, x, y);
    if (!hit) return;
    if (screen.packageName === this.controller) return this.answerDialog(hit.key);
    if (hit.key.startsWith('launch:')) {
      this.launch(hit.key.slice('launch:'.length), 'tap');
      return;
    }
    const pkg = screen.packageName;
    const screenId = this.currentScreen.get(pkg) ?? '';
    if (hit.checkable) this.checked.set(`${pkg}/${screenId}/${hit.key}`, !hit.checked);
    this.emit('signal', { type: 'tap', pkg, screen: screenId, node: hit.key });
  }

  key(code: string): void {
    this.inputEvents++;
    const key = KEYCODES[code] ?? code.replace(/^KEYCODE_/, '');
    const fg = this.am.foreground;
    if (key === 'POWER' || key === 'SLEEP' || key === 'WAKEUP') {
      this.setScreenOn(key === 'WAKEUP' ? true : key === 'SLEEP' ? false : !this.am.screenOn);
      return;
    }
    if (!fg) return;
    if (this.dialogs[0]?.pkg === fg && key === 'BACK') return this.answerDialog('permission_deny_button');
    this.emit('signal', { type: 'key', pkg: fg, key });
    if (key === 'BACK' && !this.ownBack.has(fg) && this.am.foreground === fg && this.backToPrevious(fg)) return;
    if (key === 'HOME' || key === 'APP_SWITCH' || key === 'BACK') this.toBackground(fg);
  }

  /** The screen goes on or off (the power key, WAKEUP/SLEEP, or the screen's timeout as a scenario plays it). */
  setScreenOn(on: boolean): void {
    if (on === this.am.screenOn) return;
    this.am.screenOn = on;
    this.log.append({ pid: SYSTEM_SERVER_PID, priority: 4, tag: 'PowerManagerService', message: on ? 'Waking up from Asleep (uid=1000, reason=WAKE_REASON_POWER_BUTTON, details=android.policy:POWER)...' : 'Going to sleep due to power_button (uid 1000)...', buffer: 'system' });
    this.emit('signal', { type: on ? 'screen-on' : 'screen-off' });
  }

  /** BACK inside the app: the screen under the current one comes back (false on the task's first screen). */
  private backToPrevious(pkg: string): boolean {
    const previous = this.backStack.pop(pkg);
    if (previous === undefined) return false;
    this.currentScreen.set(pkg, previous);
    return true;
  }

  private toBackground(pkg: string): void {
    if (this.am.foreground !== pkg) return;
    this.am.setForeground(null);
    this.emit('signal', { type: 'background', pkg });
  }

  // ---- app lifecycle --------------------------------------------------------------------------

  /** The user launches an app (am start, monkey, launcher icon). */
  launch(pkg: string, how: 'am' | 'monkey' | 'tap'): { ok: boolean; cold: boolean; activity: string; totalTime: number } {
    const p = this.pm.get(pkg);
    if (!p?.launcherActivity) return { ok: false, cold: false, activity: '', totalTime: 0 };
    const activity = p.launcherActivity;
    const cmp = shortComponent(pkg, activity);
    // The launcher's taps are allowed as an allowlisted component, the shell's `am start` by its permission.
    this.print(this.profile.lines.activityStart({ intent: `act=android.intent.action.MAIN cat=[android.intent.category.LAUNCHER] flg=0x10200000 cmp=${cmp}`, fromUid: how === 'tap' ? 10101 : 2000, launchMode: 'LAUNCH_MULTIPLE', bal: how === 'tap' ? 'BAL_ALLOW_ALLOWLISTED_COMPONENT' : 'BAL_ALLOW_PERMISSION', tid: this.binderTid() }));
    const { started } = this.am.ensureProcess(pkg, p.uid, 'top-activity', cmp);
    const wasForeground = this.am.foreground === pkg;
    const fresh = !this.currentScreen.has(pkg);
    this.am.setForeground(pkg);
    const totalTime = started ? 412 : 96;
    this.print(this.profile.lines.displayed({ component: cmp, totalMs: totalTime, cold: started }));
    if (started) this.startTask(pkg);
    if (started) this.emit('signal', { type: 'process-start', pkg });
    if (started) this.emit('signal', { type: 'launch', pkg, fresh });
    else if (!wasForeground) this.emit('signal', { type: 'foreground', pkg });
    return { ok: true, cold: started, activity: cmp, totalTime };
  }

  forceStop(pkg: string): void {
    this.dialogs = this.dialogs.filter((d) => d.pkg !== pkg);
    if (this.am.kill(pkg, 'force-stop')) this.emit('signal', { type: 'process-death', pkg });
  }

  /** `pm clear`: kills the app and forgets what it showed and recorded. */
  clearData(pkg: string): boolean {
    this.forceStop(pkg);
    this.currentScreen.delete(pkg);
    this.backStack.forget(pkg);
    for (const k of [...this.checked.keys()]) if (k.startsWith(pkg + '/')) this.checked.delete(k);
    this.appOps.forget(pkg);
    return this.pm.clear(pkg);
  }

  // ---- what apps do (the scenario player calls these) ----------------------------------------

  appShow(pkg: string, screenId: string): void {
    // Opening a document screen again starts at its top, as a freshly loaded page does; so does a list. (BACK to a
    // screen keeps where its list was, as an activity brought back does.)
    if (this.currentScreen.get(pkg) !== screenId) {
      for (const k of [...this.scrolled.keys()]) if (k.startsWith(`${pkg}/${screenId}/`)) this.scrolled.delete(k);
      for (const k of [...this.listScroll.keys()]) if (k.startsWith(`${pkg}/${screenId}/`)) this.listScroll.delete(k);
    }
    const specs = this.screenSpecs.get(pkg);
    const next = specs?.get(screenId);
    if (next) this.backStack.open(pkg, specs?.get(this.currentScreen.get(pkg) ?? ''), next);
    this.currentScreen.set(pkg, screenId);
  }

  /** A new process draws its views from their layouts: what the last one revealed or hid is as declared again. */
  private startTask(pkg: string): void {
    this.backStack.restart(pkg);
    for (const k of [...this.shown.keys()]) if (k.startsWith(pkg + '/')) this.shown.delete(k);
    for (const k of [...this.listScroll.keys()]) if (k.startsWith(pkg + '/')) this.listScroll.delete(k);
  }

  /**
   * The app changes a node: checks or unchecks it (a switch it turns back on), reveals or hides it. On `screen`,
   * else on every screen of the app that has a node of that id.
   */
  appSetNode(pkg: string, node: string, screen: string | undefined, change: { checked?: boolean; shown?: boolean }): void {
    const has = (nodes: ScreenNodeSpec[]): boolean => nodes.some((n) => n.id === node || has(n.children ?? []));
    for (const spec of this.screenSpecs.get(pkg)?.values() ?? []) {
      if ((screen && spec.id !== screen) || !has(spec.nodes)) continue;
      const key = `${pkg}/${spec.id}/${node}`;
      if (change.checked !== undefined) this.checked.set(key, change.checked);
      if (change.shown !== undefined) this.shown.set(key, change.shown);
    }
  }

  /** The screen the app shows (remembered across process deaths until its data is cleared). */
  screenOf(pkg: string): string | undefined {
    return this.currentScreen.get(pkg);
  }

  /** The app store updates the app: same uid and permission state, a new version, and `grant` turned on. */
  appUpdate(pkg: string, update: { versionCode: number; versionName: string; grant: string[] }): void {
    const p = this.pm.get(pkg);
    if (!p) return;
    this.pm.install({ name: pkg, versionCode: update.versionCode, versionName: update.versionName, targetSdk: p.targetSdk, requested: [...p.requested], components: p.components, launcherActivity: p.launcherActivity, installer: 'com.android.vending' });
    this.log.append({ pid: SYSTEM_SERVER_PID, priority: 4, tag: 'PackageManager', message: `Package ${pkg} installed: uid=${p.uid} installer=com.android.vending`, buffer: 'system' });
    for (const perm of update.grant) if (this.pm.get(pkg)?.runtime.has(perm)) this.pm.setGranted(pkg, perm, true);
  }

  /** Revoking a granted runtime permission kills the app, as Android does. */
  revokePermission(pkg: string, perm: string): void {
    const wasGranted = this.pm.get(pkg)?.runtime.get(perm)?.granted ?? false;
    this.pm.setGranted(pkg, perm, false);
    if (wasGranted && this.am.kill(pkg, 'permissions revoked')) this.emit('signal', { type: 'process-death', pkg });
  }

  /** The app crashes on its main thread: logged as AndroidRuntime logs it (crash-reader.ts reads it), then it dies. */
  appCrash(pkg: string): void {
    const proc = this.am.processOf(pkg);
    if (!proc) return;
    const activity = this.screenSpecs.get(pkg)?.get(this.currentScreen.get(pkg) ?? '')?.activity ?? '.MainActivity';
    const cls = activity.startsWith('.') ? pkg + activity : activity;
    for (const message of ['FATAL EXCEPTION: main', `Process: ${pkg}, PID: ${proc.pid}`, 'java.lang.IllegalStateException: simulated crash', `\tat ${cls}.onClick(${cls.split('.').pop()}.java:42)`]) {
      this.log.append({ pid: proc.pid, uid: proc.uid, priority: 6, tag: 'AndroidRuntime', message });
    }
    this.appExit(pkg);
  }

  appExit(pkg: string): void {
    this.dialogs = this.dialogs.filter((d) => d.pkg !== pkg);
    if (this.am.kill(pkg, 'died')) this.emit('signal', { type: 'process-death', pkg });
  }

  appLog(pkg: string, priority: number, tag: string, message: string): void {
    const proc = this.am.processOf(pkg);
    this.log.append({ pid: proc?.pid ?? 0, uid: proc?.uid ?? 0, priority, tag, message });
  }

  /** The app touches personal data through an app op; recorded with the uid state the app is in now. */
  appAccess(pkg: string, op: string): void {
    const p = this.pm.get(pkg);
    if (!p) return;
    const perm = permissionForOp(op);
    const state = this.am.uidState(pkg);
    const allowed = !perm || !p.runtime.has(perm) || p.runtime.get(perm)!.granted;
    if (allowed) this.appOps.noteAccess(pkg, op, state);
    else this.appOps.noteReject(pkg, op, state);
  }

  appIdentifierAccess(pkg: string, kind: string): void {
    const p = this.pm.get(pkg);
    const proc = this.am.processOf(pkg);
    if (!p) return;
    const method = ({ IMEI: 'getImeiForSlot', IMSI: 'getSubscriberId', SERIAL: 'getSerial', ICCID: 'getIccSerialNumber', MAC: 'getMacAddress', ANDROID_ID: 'getString' } as Record<string, string>)[kind] ?? 'getDeviceId';
    if (kind === 'ANDROID_ID' || kind === 'MAC') {
      // Not guarded by a permission: nothing is logged by the system, as on a real phone.
      return;
    }
    this.print(this.profile.lines.identifierDenied({ packageName: pkg, uid: p.uid, pid: proc?.pid ?? 0, method }));
    this.appOps.noteReject(pkg, 'READ_DEVICE_IDENTIFIERS', this.am.uidState(pkg), 'deny');
    if (p.targetSdk >= 29) {
      this.log.append({ pid: proc?.pid ?? 0, uid: p.uid, priority: 6, tag: 'AndroidRuntime', message: `java.lang.SecurityException: ${method}: The uid ${p.uid} does not meet the requirements to access device identifiers.` });
    }
  }

  /** The app's process starts without the user: a broadcast, service or provider (self-start). */
  appSelfStart(pkg: string, hostingType: string, component: string, subProcess?: string): void {
    const p = this.pm.get(pkg);
    if (!p) return;
    const cmp = component.includes('/') ? component : `${pkg}/${component}`;
    if (subProcess) {
      // The app starts its own sub-process's service: the app is the caller (MIUI prints it, capture 07).
      this.am.startSubProcess(pkg, p.uid, subProcess, hostingType, cmp, { packageName: pkg, uid: p.uid });
      return;
    }
    const { started } = this.am.ensureProcess(pkg, p.uid, hostingType, cmp);
    if (started) this.emit('signal', { type: 'process-start', pkg });
  }

  /** The app starts another package (associated start): a START from its uid, then the target's process. */
  appStartPackage(pkg: string, target: string): void {
    const p = this.pm.get(pkg);
    const t = this.pm.get(target);
    if (!p || !t) return;
    const cmp = `${target}/.PushService`;
    const caller = { packageName: pkg, uid: p.uid };
    this.print(this.profile.lines.fgsStart({ caller, callerTop: this.am.foreground === pkg, component: cmp, targetSdk: t.targetSdk, callerTargetSdk: p.targetSdk }));
    this.am.ensureProcess(target, t.uid, 'service', cmp, caller);
  }

  /** The app tries to (re)start its service from the background and the system refuses (AOSP's limit or the vendor's autostart manager). */
  appStartRefused(pkg: string, component: string): void {
    const p = this.pm.get(pkg);
    if (!p) return;
    this.print(this.profile.lines.startRefused({ packageName: pkg, uid: p.uid, pid: this.am.processOf(pkg)?.pid ?? 0, component: component.includes('/') ? component : `${pkg}/${component}` }));
  }

  /** The app installs another package silently. */
  appInstallPackage(pkg: string, target: { package: string; label: Localized; versionCode: number; versionName: string }): void {
    const installed = this.pm.install({ name: target.package, versionCode: target.versionCode, versionName: target.versionName, requested: [], components: [], launcherActivity: `${target.package}.MainActivity`, installer: pkg });
    this.labels.set(target.package, target.label);
    this.log.append({ pid: SYSTEM_SERVER_PID, priority: 4, tag: 'PackageInstallerSession', message: `Committing session for ${target.package} installerPackageName=${pkg}`, buffer: 'system' });
    this.log.append({ pid: SYSTEM_SERVER_PID, priority: 4, tag: 'PackageManager', message: `Package ${target.package} installed: uid=${installed.uid} installer=${pkg}`, buffer: 'system' });
  }

  /** Runtime permission request: one dialog per permission group still needing an answer. */
  appRequestPermissions(pkg: string, permissions: string[]): void {
    const p = this.pm.get(pkg);
    if (!p) return;
    const groups = new Map<string, string[]>();
    for (const perm of permissions) {
      const info = runtimePermission(perm);
      const state = p.runtime.get(perm);
      if (!info || !state) continue;
      if (state.granted) {
        this.emit('signal', { type: 'permission-result', pkg, permission: perm, granted: true });
        continue;
      }
      if (state.flags.has('USER_FIXED')) {
        this.logGrantResult(p, perm, GRANT_RESULT.IGNORED_USER_FIXED);
        this.emit('signal', { type: 'permission-result', pkg, permission: perm, granted: false });
        continue;
      }
      groups.set(info.group, [...(groups.get(info.group) ?? []), perm]);
    }
    for (const [group, perms] of groups) {
      const denials = perms.some((perm) => p.runtime.get(perm)!.flags.has('USER_SET')) ? 1 : 0;
      const requestId = String(BigInt(this.clock.now()) * 1_000_003n + BigInt(this.dialogs.length));
      const wasIdle = this.dialogs.length === 0;
      this.dialogs.push({ pkg, group, permissions: perms, requestId, denials });
      if (wasIdle) this.logDialogStart(p);
    }
  }

  private logDialogStart(p: InstalledPackage): void {
    const c = this.profile.controller;
    const cmp = `${c.packageName}/${c.activity}`;
    this.print(this.profile.lines.activityStart({ intent: `act=android.content.pm.action.REQUEST_PERMISSIONS pkg=${c.packageName} cmp=${cmp} (has extras)`, fromUid: p.uid, launchMode: 'LAUNCH_MULTIPLE', bal: 'BAL_ALLOW_VISIBLE_WINDOW', tid: this.binderTid() }));
    this.am.ensureProcess(c.packageName, 10102, 'activity', cmp);
  }

  private logGrantResult(p: InstalledPackage, perm: string, result: number, requestId = String(this.clock.now() * 7)): void {
    const ctl = this.am.processOf(this.controller);
    this.log.append({
      pid: ctl?.pid ?? 2300, uid: 10102, priority: 2, tag: 'GrantPermissionsActivity',
      message: `Permission grant result requestId=${requestId} callingUid=${p.uid} callingPackage=${p.name} permission=${perm} isImplicit=false result=${result}`,
    });
  }

  private answerDialog(button: string): void {
    const d = this.dialogs.shift();
    if (!d) return;
    const p = this.pm.get(d.pkg);
    if (!p) return;
    const grant = button.startsWith('permission_allow');
    const fixed = !grant && (button.includes('dont_ask_again') || d.denials > 0);
    const result = grant ? GRANT_RESULT.USER_GRANTED : fixed ? GRANT_RESULT.USER_DENIED_WITH_PREJUDICE : GRANT_RESULT.USER_DENIED;
    for (const perm of d.permissions) {
      this.pm.setGranted(d.pkg, perm, grant, fixed ? ['USER_SET', 'USER_FIXED'] : ['USER_SET']);
      this.logGrantResult(p, perm, result, d.requestId);
    }
    const next = this.dialogs[0];
    if (next) this.logDialogStart(this.pm.get(next.pkg)!);
    for (const perm of d.permissions) this.emit('signal', { type: 'permission-result', pkg: d.pkg, permission: perm, granted: grant });
  }

  get pendingDialogs(): number {
    return this.dialogs.length;
  }
}
