// The explorer's walk over a scripted phone: a graph of screens built as UiTree objects, with a back stack, pop-ups
// and other apps, driven only through the PhonePort. This tests the walk's algorithm (shortest paths, no loops, the
// deny list, the limits, leaving other apps, pop-ups, hostile dumps) — it is not a stand-in for adb.
import { describe, expect, it } from 'vitest';
import type { UiDumpNode, UiTree } from '../../../../src-preload/api.js';
import { WorkbenchError } from '../../../../src-main/core/errors.js';
import { deniedControl } from '../../../../src-main/core/explore/deny-list.js';
import { explore, type ExploreLimits, type PhonePort, type WalkEvent, type WalkHooks } from '../../../../src-main/core/explore/walker.js';

const APP = 'com.demo.shop';
const W = 1080;

interface ControlSpec {
  label: string;
  /** The screen it opens, or another app's package (`app:com.android.browser`), or nothing. */
  to?: string;
  checkable?: boolean;
  /** Where a row's words sit: in a child TextView (a settings row) rather than on the clickable node itself. */
  row?: boolean;
  /** The app crashes when it is tapped (its process dies, the launcher is in front). */
  crash?: boolean;
  /** The screen goes off right after the tap has opened its screen. */
  locks?: boolean;
}

interface ScreenSpec {
  title: string | ((now: number) => string);
  controls: ControlSpec[];
  /** Shown over the screen the first time it appears, until its close control is tapped. */
  popup?: 'ad' | 'permission';
  /** Back from here does not pop: it goes to the main screen (`main`) or leaves the app (`exit`). */
  back?: 'main' | 'exit';
  /** Extra nodes (hostile dumps, a badge that comes and goes), by the phone's clock. */
  extra?: (now: number) => UiDumpNode[];
  /** Rows of a scrolling list at y 1200..1600, four in view at a time, scrolled a row per 100 px of a swipe. */
  list?: ControlSpec[];
  /** The screen is a WebView with nothing in its UI tree (a tap into it is a guess: a violation). */
  webview?: boolean;
}

const LIST_TOP = 1200;
const LIST_ROWS = 4;

function node(partial: Partial<UiDumpNode> & { bounds: [number, number, number, number] }): UiDumpNode {
  return {
    text: '', resourceId: '', className: 'android.widget.TextView', packageName: APP, contentDesc: '',
    checkable: false, checked: false, clickable: false, enabled: true, children: [], ...partial,
  };
}

function controlNodes(c: ControlSpec, i: number): UiDumpNode {
  const bounds: [number, number, number, number] = [0, 200 + i * 100, W, 280 + i * 100];
  if (c.row) {
    return node({ className: 'android.widget.LinearLayout', clickable: true, bounds, children: [node({ text: c.label, bounds: [40, bounds[1] + 10, 600, bounds[3] - 10] })] });
  }
  return node({ className: c.checkable ? 'android.widget.Switch' : 'android.widget.Button', text: c.label, clickable: true, checkable: !!c.checkable, bounds });
}

const AD_POPUP = (): UiDumpNode[] => [node({
  className: 'android.widget.FrameLayout', resourceId: `${APP}:id/ad_dialog`, bounds: [100, 600, 980, 1600], children: [
    node({ text: '限时福利 新人红包广告', bounds: [140, 700, 940, 800] }),
    node({ className: 'android.widget.ImageView', contentDesc: '关闭', clickable: true, bounds: [880, 620, 960, 700] }),
  ],
})];

const PERMISSION_POPUP = (): UiDumpNode[] => {
  const p = 'com.android.permissioncontroller';
  return [node({
    className: 'android.widget.FrameLayout', packageName: p, bounds: [60, 1200, 1020, 1900], children: [
      node({ packageName: p, text: '要允许“Demo Shop”获取此设备的位置信息吗？', bounds: [100, 1250, 980, 1400] }),
      node({ packageName: p, className: 'android.widget.Button', text: '仅在使用该应用时允许', clickable: true, bounds: [100, 1500, 980, 1600] }),
      node({ packageName: p, className: 'android.widget.Button', text: '拒绝', clickable: true, bounds: [100, 1700, 980, 1800] }),
    ],
  })];
};

/** A phone that shows a graph of screens: taps follow controls, Back pops, other apps are their own package. */
class ScriptedPhone implements PhonePort {
  stack: string[];
  overlay: { kind: 'ad' | 'permission'; nodes: UiDumpNode[] } | null = null;
  popupsShown = new Set<string>();
  taps: Array<{ x: number; y: number; screen: string; label: string }> = [];
  violations: string[] = [];
  clock = 0;
  relaunches = 0;
  /** The app's process is alive (a crash kills it; a relaunch starts it). */
  alive = true;
  screenOn = true;
  /** What KEYCODE_WAKEUP does: the screen comes on, stays dark, or comes on to a lock screen. */
  wakeMode: 'wakes' | 'stays-dark' | 'lock-screen' = 'wakes';
  lockScreen = false;
  wakes = 0;
  /** The screen is dark when the app tap of this number comes (the tap goes nowhere). */
  darkAtTap = 0;
  /** The app dies after every this many taps (0: never). */
  dieEvery = 0;
  /** A dialog that the app shows again after every tap on it (`after-taps`), or as soon as it is closed (`stuck`). */
  nag: 'none' | 'after-taps' | 'stuck' = 'none';
  appTaps = 0;
  swipes = 0;
  listOffset = new Map<string, number>();

  constructor(readonly screens: Record<string, ScreenSpec>, readonly root = 'main', readonly msPerTap = 10) {
    this.stack = [root];
    this.enter(root);
  }

  private enter(name: string): void {
    const spec = this.screens[name];
    if (spec?.popup && !this.popupsShown.has(name)) {
      this.popupsShown.add(name);
      this.overlay = { kind: spec.popup, nodes: spec.popup === 'ad' ? AD_POPUP() : PERMISSION_POPUP() };
    }
  }

  get top(): string {
    return this.stack[this.stack.length - 1]!;
  }

  tree(): UiTree {
    if (this.lockScreen) {
      const ui = 'com.android.systemui';
      return { rotation: 0, nodeCount: 2, nodes: [node({ packageName: ui, className: 'android.widget.FrameLayout', bounds: [0, 0, W, 2400], children: [node({ packageName: ui, text: '上滑解锁', bounds: [0, 2000, W, 2100] })] })] };
    }
    const name = this.top;
    if (name.startsWith('app:') || name === 'launcher') {
      const pkg = name === 'launcher' ? 'com.android.launcher3' : name.slice(4);
      return { rotation: 0, nodeCount: 2, nodes: [node({ packageName: pkg, className: 'android.widget.FrameLayout', bounds: [0, 0, W, 2400], children: [node({ packageName: pkg, text: 'https://example.com', bounds: [0, 0, W, 100] })] })] };
    }
    const spec = this.screens[name]!;
    const title = typeof spec.title === 'function' ? spec.title(this.clock) : spec.title;
    if (spec.webview) {
      return { rotation: 0, nodeCount: 0, nodes: [node({ className: 'android.widget.FrameLayout', bounds: [0, 0, W, 2400], children: [node({ text: title, bounds: [0, 80, W, 180] }), node({ className: 'android.webkit.WebView', clickable: true, bounds: [0, 200, W, 2400] })] })] };
    }
    const children = [node({ text: title, resourceId: `${APP}:id/title`, bounds: [0, 80, W, 180] }), ...spec.controls.map(controlNodes), ...(spec.extra?.(this.clock) ?? [])];
    if (spec.list) {
      const offset = this.listOffset.get(name) ?? 0;
      const rows = spec.list.slice(offset, offset + LIST_ROWS).map((c, i) => {
        const n = controlNodes(c, 0);
        n.bounds = [0, LIST_TOP + i * 100, W, LIST_TOP + 80 + i * 100];
        for (const k of n.children) k.bounds = [40, n.bounds[1] + 10, 600, n.bounds[3] - 10];
        return n;
      });
      children.push(node({ className: 'androidx.recyclerview.widget.RecyclerView', resourceId: `${APP}:id/list`, scrollable: true, bounds: [0, LIST_TOP, W, LIST_TOP + LIST_ROWS * 100], children: rows }));
    }
    const nodes = [node({ className: 'android.widget.FrameLayout', bounds: [0, 0, W, 2400], children }), ...(this.overlay?.nodes ?? [])];
    return { rotation: 0, nodes, nodeCount: 0 };
  }

  async dump(): Promise<UiTree> {
    this.clock += 1;
    if (!this.screenOn) throw new WorkbenchError('adb.command-failed', 'The screen is off: uiautomator reads no window until it is on', { what: 'uiautomator dump', reason: 'screen-off' });
    return this.tree();
  }

  async wake(): Promise<void> {
    this.wakes++;
    if (this.wakeMode === 'stays-dark') return;
    this.screenOn = true;
    if (this.wakeMode === 'lock-screen') this.lockScreen = true;
  }

  async isRunning(): Promise<boolean> {
    return this.alive;
  }

  async swipe(x1: number, y1: number, x2: number, y2: number): Promise<void> {
    this.clock += 1;
    this.swipes++;
    const spec = this.screens[this.top];
    if (!spec?.list || this.overlay || y1 < LIST_TOP || y1 >= LIST_TOP + LIST_ROWS * 100) return;
    const rows = Math.round((y1 - y2) / 100);
    const offset = (this.listOffset.get(this.top) ?? 0) + rows;
    this.listOffset.set(this.top, Math.max(0, Math.min(spec.list.length - LIST_ROWS, offset)));
  }

  private crash(): void {
    this.alive = false;
    this.overlay = null;
    this.stack = ['launcher'];
  }

  async foreground(): Promise<string | null> {
    if (!this.screenOn) return null; // a dark screen has no resumed activity
    if (this.overlay?.kind === 'permission') return 'com.android.permissioncontroller';
    return this.top.startsWith('app:') ? this.top.slice(4) : this.top === 'launcher' ? 'com.android.launcher3' : APP;
  }

  async tap(x: number, y: number): Promise<void> {
    this.clock += this.msPerTap;
    const tree = this.tree();
    // Any tap inside a denied control's bounds fails the test, whatever the walk thought it was tapping.
    const all: UiDumpNode[] = [];
    const walk = (ns: UiDumpNode[]): void => { for (const n of ns) { all.push(n); walk(n.children); } };
    walk(tree.nodes);
    const under = all.filter((n) => x >= n.bounds[0] && x < n.bounds[2] && y >= n.bounds[1] && y < n.bounds[3]);
    for (const n of under) if (deniedControl(n)) this.violations.push(`tapped denied ${n.text || n.contentDesc}`);
    if (under.some((n) => n.text === '仅在使用该应用时允许')) this.violations.push('granted a permission');
    if (!this.screenOn) {
      this.taps.push({ x, y, screen: this.top, label: 'dark' });
      return;
    }
    if (this.overlay) {
      // Modal: only its close control does anything.
      if (under.some((n) => n.contentDesc === '关闭' || n.text === '拒绝')) this.overlay = null;
      if (this.nag === 'stuck') this.overlay = { kind: 'ad', nodes: AD_POPUP() };
      this.taps.push({ x, y, screen: this.top, label: 'popup' });
      return;
    }
    const name = this.top;
    const spec = this.screens[name];
    if (!spec) return;
    if (spec.webview && y >= 200) this.violations.push('tapped into an unreadable WebView');
    this.appTaps++;
    if (this.darkAtTap && this.appTaps === this.darkAtTap) {
      this.screenOn = false;
      this.taps.push({ x, y, screen: name, label: 'dark' });
      return;
    }
    const i = Math.floor((y - 200) / 100);
    const inList = spec.list && y >= LIST_TOP && y < LIST_TOP + LIST_ROWS * 100;
    const c = inList
      ? ((y - LIST_TOP) % 100 < 80 ? spec.list![(this.listOffset.get(name) ?? 0) + Math.floor((y - LIST_TOP) / 100)] : undefined)
      : y >= 200 && (y - 200) % 100 < 80 ? spec.controls[i] : undefined;
    this.taps.push({ x, y, screen: name, label: c?.label ?? '' });
    if (c?.checkable) this.violations.push(`toggled ${c.label}`);
    if (c?.crash || (this.dieEvery && this.appTaps % this.dieEvery === 0)) return this.crash();
    if (c?.to) {
      this.stack.push(c.to);
      this.listOffset.delete(c.to);
      this.enter(c.to);
    }
    if (c?.locks) this.screenOn = false;
    if (this.nag === 'after-taps') this.overlay = { kind: 'ad', nodes: AD_POPUP() };
  }

  async back(): Promise<void> {
    this.clock += 1;
    if (this.overlay) { this.overlay = null; return; }
    const odd = this.screens[this.top]?.back;
    if (odd === 'main') this.stack = [this.root];
    else if (odd === 'exit') this.stack = ['launcher'];
    else this.stack.pop();
    if (this.stack.length === 0) this.stack = ['launcher'];
  }

  async relaunch(pkg: string): Promise<void> {
    expect(pkg).toBe(APP);
    this.relaunches++;
    this.alive = true;
    this.stack = [this.root];
    this.listOffset.clear();
  }
}

const LIMITS: ExploreLimits = { maxTaps: 500, maxDepth: 8, maxMs: 600_000, maxScreens: 100 };

async function walk(phone: PhonePort & { clock: number; violations: string[] }, limits: Partial<ExploreLimits> = {}, onStep?: (e: WalkEvent) => void, hooks: WalkHooks = {}) {
  // The walk's waits pass on the phone's clock (a WebView's second look, a changing screen's second read).
  const result = await explore(phone, APP, { ...LIMITS, ...limits }, onStep, () => phone.clock, { sleep: async (ms) => { phone.clock += ms; }, ...hooks });
  expect(phone.violations).toEqual([]);
  // Plain data: survives JSON unchanged.
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  return result;
}

/** main → 我的 → 设置 → 关于 → 法律信息 → (隐私政策) policy page: the policy is 5 taps deep. */
function deepPolicy(): Record<string, ScreenSpec> {
  return {
    main: { title: '首页', controls: [{ label: '推荐', to: 'feed' }, { label: '我的', to: 'me' }] },
    feed: { title: '推荐', controls: [{ label: '商品详情', to: 'item' }] },
    item: { title: '商品', controls: [{ label: '立即购买' }] },
    me: { title: '我的', controls: [{ label: '设置', to: 'settings', row: true }, { label: '订单', to: 'orders', row: true }] },
    orders: { title: '订单', controls: [] },
    settings: { title: '设置', controls: [{ label: '关于', to: 'about', row: true }, { label: '个性化推荐', checkable: true }] },
    about: { title: '关于我们', controls: [{ label: '法律信息', to: 'legal', row: true }] },
    legal: { title: '法律信息', controls: [{ label: '隐私政策', to: 'policy', row: true }, { label: '用户协议', to: 'terms', row: true }] },
    policy: { title: '隐私政策', controls: [] },
    terms: { title: '用户协议', controls: [] },
  };
}

describe('explore', () => {
  it('finds a policy 5 taps deep with tap count 5 and the path to it, and reports the targets it never saw', async () => {
    const phone = new ScriptedPhone(deepPolicy());
    const events: WalkEvent[] = [];
    const r = await walk(phone, {}, (e) => events.push(e));
    expect(r.stopped).toBe('explored');
    const policy = r.targets.find((t) => t.target === 'privacy-policy')!;
    expect(policy.found).toBe(true);
    if (!policy.found) return;
    expect(policy.item).toBe('164-1.7');
    expect(policy.taps).toBe(5);
    expect(policy.path.map((s) => [s.tap, s.label])).toEqual([[1, '我的'], [2, '设置'], [3, '关于'], [4, '法律信息'], [5, '隐私政策']]);
    expect(policy.path[0]!.screen).toBe(r.root);
    // The switch is reached (2 taps) and never toggled.
    const switchTarget = r.targets.find((t) => t.target === 'personalisation')!;
    expect(switchTarget.found && switchTarget.taps).toBe(2);
    expect(r.denied.some((d) => d.label === '个性化推荐' && d.reason === 'toggles')).toBe(true);
    expect(r.targets.find((t) => t.target === 'account-deletion')).toEqual({ target: 'account-deletion', item: '191-6.1', found: false });
    expect(r.screens).toHaveLength(10);
    expect(events.filter((e) => e.kind === 'screen')).toHaveLength(10);
  });

  it('keeps the shortest path when a target is reachable two ways', async () => {
    const s = deepPolicy();
    s.main!.controls.push({ label: '隐私政策', to: 'policy' });
    const r = await walk(new ScriptedPhone(s));
    const policy = r.targets.find((t) => t.target === 'privacy-policy')!;
    expect(policy.found && policy.taps).toBe(1);
  });

  it('does not loop on a graph with cycles, and stops', async () => {
    const phone = new ScriptedPhone({
      main: { title: '首页', controls: [{ label: '分类', to: 'a' }, { label: '刷新', to: 'main' }] },
      a: { title: '分类', controls: [{ label: '子类', to: 'b' }, { label: '分类', to: 'a' }] },
      b: { title: '子类', controls: [{ label: '回首页', to: 'main' }, { label: '上一级', to: 'a' }] },
    });
    const r = await walk(phone);
    expect(r.stopped).toBe('explored');
    expect(r.screens.map((x) => x.depth)).toEqual([0, 1, 2]);
    expect(r.taps).toBeLessThan(30);
  });

  it('never taps the traps: pay, delete all, log out', async () => {
    const phone = new ScriptedPhone({
      main: { title: '首页', controls: [{ label: '立即支付' }, { label: '设置', to: 'settings' }] },
      settings: { title: '设置', controls: [{ label: '删除全部记录', to: 'gone' }, { label: '退出登录', to: 'gone', row: true }, { label: '注销账号', to: 'deletion' }] },
      deletion: { title: '注销账号', controls: [{ label: '确认注销', to: 'gone' }] },
      gone: { title: '已删除', controls: [] },
    });
    const r = await walk(phone);
    expect(phone.taps.map((t) => t.label)).not.toContain('立即支付');
    expect(r.denied.map((d) => [d.label, d.reason])).toEqual(expect.arrayContaining([['立即支付', 'pays'], ['删除全部记录', 'deletes'], ['退出登录', 'logs-out'], ['确认注销', 'deletes']]));
    expect(r.screens).toHaveLength(3);
    const deletion = r.targets.find((t) => t.target === 'account-deletion')!;
    expect(deletion.found && deletion.taps).toBe(2);
  });

  it('stops at each limit and says which', async () => {
    const big = (): Record<string, ScreenSpec> => {
      const s: Record<string, ScreenSpec> = {};
      for (let i = 0; i < 12; i++) s[i === 0 ? 'main' : `s${i}`] = { title: `页面${'甲乙丙丁戊己庚辛壬癸子丑'[i]}`, controls: [{ label: '下一页', to: `s${i + 1}` }, { label: '旁边', to: `t${i}` }] };
      for (let i = 0; i < 13; i++) s[`t${i}`] = { title: `旁页${'甲乙丙丁戊己庚辛壬癸子丑寅'[i]}`, controls: [] };
      s.s12 = { title: '末页', controls: [] };
      return s;
    };
    const taps = await walk(new ScriptedPhone(big()), { maxTaps: 3 });
    expect([taps.stopped, taps.taps]).toEqual(['maxTaps', 3]);
    const depth = await walk(new ScriptedPhone(big()), { maxDepth: 2 });
    expect(depth.stopped).toBe('maxDepth');
    expect(Math.max(...depth.screens.map((x) => x.depth))).toBe(2);
    const time = await walk(new ScriptedPhone(big(), 'main', 1000), { maxMs: 2500 });
    expect(time.stopped).toBe('maxMs');
    expect(time.elapsedMs).toBeGreaterThanOrEqual(2500);
    expect(time.taps).toBeLessThanOrEqual(3);
    const screens = await walk(new ScriptedPhone(big()), { maxScreens: 3 });
    expect([screens.stopped, screens.screens.length]).toEqual(['maxScreens', 3]);
    for (const r of [taps, depth, time, screens]) expect(r.note).not.toBe('');
  });

  it('backs out of a control that opens another app and never taps it again', async () => {
    const phone = new ScriptedPhone({
      main: { title: '首页', controls: [{ label: '官方网站', to: 'app:com.android.browser' }, { label: '设置', to: 'settings' }] },
      settings: { title: '设置', controls: [{ label: '官方网站', to: 'app:com.android.browser' }, { label: '联系我们', to: 'contact' }] },
      contact: { title: '联系我们', controls: [] },
    });
    const r = await walk(phone);
    expect(phone.taps.filter((t) => t.label === '官方网站')).toHaveLength(1);
    expect(r.leftApp).toEqual([{ label: '官方网站', screen: r.root, package: 'com.android.browser' }]);
    expect(r.denied.filter((d) => d.reason === 'left-app').map((d) => d.label)).toEqual(['官方网站', '官方网站']);
    expect(r.screens).toHaveLength(3);
    expect(r.targets.find((t) => t.target === 'complaints')?.found).toBe(true);
  });

  it('dismisses an ad pop-up by its close control and denies a permission dialog, recording both', async () => {
    const phone = new ScriptedPhone({
      main: { title: '首页', controls: [{ label: '附近', to: 'nearby' }], popup: 'ad' },
      nearby: { title: '附近的店', controls: [], popup: 'permission' },
    });
    const r = await walk(phone);
    expect(r.popups).toEqual([
      { kind: 'ad', words: expect.stringContaining('限时福利'), closedWith: '关闭' },
      { kind: 'permission', words: expect.stringContaining('位置信息'), closedWith: '拒绝' },
    ]);
    expect(r.screens).toHaveLength(2);
    expect(r.stopped).toBe('explored');
  });

  it('takes a screen that changes every second (a clock, a counter) as one screen', async () => {
    const phone = new ScriptedPhone({
      main: { title: (now) => `现在 ${Math.floor(now / 1000)}:${now % 60} 未读 ${now}`, controls: [{ label: '消息', to: 'inbox' }, { label: '设置', to: 'settings' }] },
      inbox: { title: (now) => `${now} 条新消息`, controls: [{ label: '详情', to: 'detail' }] },
      detail: { title: '详情', controls: [] },
      settings: { title: '设置', controls: [] },
    }, 'main', 1000);
    const r = await walk(phone);
    expect(r.stopped).toBe('explored');
    expect(r.screens).toHaveLength(4);
    expect(phone.relaunches).toBe(0);
  });

  it('returns to a screen by replaying its path from the main screen when Back does not lead there, relaunching when Back leaves the app', async () => {
    const phone = new ScriptedPhone({
      main: { title: '首页', controls: [{ label: '我的', to: 'me' }] },
      me: { title: '我的', controls: [{ label: '账号与安全', to: 'account', row: true }, { label: '帮助', to: 'help', row: true }, { label: '关于', to: 'about', row: true }] },
      // Back from here goes home, not to 我的; Back from 帮助 closes the app.
      account: { title: '账号与安全', controls: [{ label: '注销账号', to: 'deletion' }], back: 'main' },
      help: { title: '帮助', controls: [], back: 'exit' },
      about: { title: '关于', controls: [] },
      deletion: { title: '注销须知', controls: [] },
    });
    const events: WalkEvent[] = [];
    const r = await walk(phone, {}, (e) => events.push(e));
    expect(r.stopped).toBe('explored');
    expect(r.screens).toHaveLength(6);
    expect(r.screens.every((x) => x.explored)).toBe(true);
    expect(r.relaunches).toBeGreaterThanOrEqual(1);
    expect(events.some((e) => e.kind === 'tap' && e.replay && e.label === '我的')).toBe(true);
    const deletion = r.targets.find((t) => t.target === 'account-deletion')!;
    expect(deletion.found && deletion.path.map((s) => s.label)).toEqual(['我的', '账号与安全', '注销账号']);
  });

  it('stays bounded in time and size on hostile input: 20,000 nodes, 5,000 delete buttons, a 1 MB label', async () => {
    const huge = '隐私政策'.repeat(262_144);
    const crowd = Array.from({ length: 20_000 }, (_, i) => node({ text: i % 4 === 0 ? `删除 ${i}` : `商品 ${i}`, clickable: i % 2 === 0, bounds: [0, 2400 + i, W, 2401 + i] }));
    const phone = new ScriptedPhone({
      main: {
        title: huge, controls: [{ label: '设置', to: 'settings' }, { label: huge, to: 'settings' }],
        extra: () => crowd,
      },
      settings: { title: '设置', controls: [{ label: '关于', to: 'about' }] },
      about: { title: '关于', controls: [] },
    });
    const started = performance.now();
    const r = await walk(phone, { maxTaps: 20 });
    expect(performance.now() - started).toBeLessThan(8_000);
    expect(r.taps).toBeLessThanOrEqual(20);
    expect(JSON.stringify(r).length).toBeLessThan(200_000);
    // 5,000 delete buttons: none tapped (the port checks), the first 500 listed, the rest counted.
    expect(r.denied).toHaveLength(500);
    expect(r.deniedNotListed).toBeGreaterThan(4_400); // the last few of 20,004 nodes lie past the 20,000 read
    expect(r.screens.length).toBeGreaterThanOrEqual(2);
  }, 20_000);
});

describe('explore on bad input: bounded, recorded, and the walk goes on', () => {
  const problems = (r: Awaited<ReturnType<typeof walk>>, kind: string) => r.problems.filter((p) => p.problem === kind);

  it('records a screen that is one WebView with no UI tree as unreadable, taps nothing in it, and explores the rest', async () => {
    const phone = new ScriptedPhone({
      main: { title: '首页', controls: [{ label: '活动中心', to: 'h5' }, { label: '设置', to: 'settings' }] },
      h5: { title: '活动中心', controls: [], webview: true },
      settings: { title: '设置', controls: [{ label: '隐私政策', to: 'policy' }] },
      policy: { title: '隐私政策', controls: [] },
    });
    const events: WalkEvent[] = [];
    const r = await walk(phone, {}, (e) => events.push(e));
    expect(r.stopped).toBe('explored');
    expect(r.screens).toHaveLength(4);
    const h5 = r.screens.find((x) => x.path.map((p) => p.label).join() === '活动中心')!;
    expect(h5.unreadable).toBe(true);
    expect(h5.controls).toBe(0);
    expect(problems(r, 'unreadable-webview')).toEqual([{ problem: 'unreadable-webview', screen: h5.id, label: '', count: 1 }]);
    expect(events.filter((e) => e.kind === 'problem')).toHaveLength(1);
    expect(r.targets.find((t) => t.target === 'privacy-policy')).toMatchObject({ found: true, taps: 2 });
  });

  it('takes a screen whose words and structure change every second (a rotating headline, a badge that comes and goes) as one screen', async () => {
    const headline = (now: number): string => `头条：${['今日暴雨', '新品上市', '会员日到'][Math.floor(now / 1000) % 3]}`;
    const badge = (now: number): UiDumpNode[] => (Math.floor(now / 500) % 2 ? [node({ text: '直播中', resourceId: `${APP}:id/live`, bounds: [800, 80, 1000, 180] })] : []);
    const phone = new ScriptedPhone({
      main: { title: headline, extra: badge, controls: [{ label: '刷新' }, { label: '消息', to: 'inbox' }, { label: '设置', to: 'settings' }, { label: '签到' }] },
      inbox: { title: '消息', controls: [] },
      settings: { title: '设置', extra: badge, controls: [{ label: '通用' }, { label: '关于', to: 'about' }] },
      about: { title: '关于', controls: [{ label: '隐私政策', to: 'policy' }] },
      policy: { title: '隐私政策', controls: [] },
    }, 'main', 400);
    const r = await walk(phone);
    expect(r.stopped).toBe('explored');
    expect(r.screens.map((x) => x.path.map((p) => p.label).join('›'))).toEqual(['', '消息', '设置', '设置›关于', '设置›关于›隐私政策']);
    expect(problems(r, 'changing-screen').map((p) => p.screen)).toContain(r.root);
    expect(r.targets.find((t) => t.target === 'privacy-policy')).toMatchObject({ found: true, taps: 3 });
    expect(r.taps).toBeLessThan(40);
  });

  it('closes a dialog that comes back after every tap each time, records it three times and then counts it', async () => {
    const phone = new ScriptedPhone(deepPolicy());
    phone.nag = 'after-taps';
    const r = await walk(phone);
    expect(r.stopped).toBe('explored');
    expect(r.screens).toHaveLength(10);
    expect(r.popups).toHaveLength(3);
    const [recurring] = problems(r, 'recurring-popup');
    expect(recurring!.count).toBeGreaterThan(10);
    expect(r.targets.find((t) => t.target === 'privacy-policy')).toMatchObject({ found: true, taps: 5 });
  });

  it('leaves a dialog that comes back as soon as it is closed in place after three tries, and ends', async () => {
    const phone = new ScriptedPhone(deepPolicy());
    phone.nag = 'stuck';
    phone.overlay = { kind: 'ad', nodes: AD_POPUP() };
    const r = await walk(phone);
    expect(r.stopped).toBe('explored');
    expect(problems(r, 'stuck-popup')).toEqual([expect.objectContaining({ count: 3 })]);
    // Three closes, then each control under the dialog once (the dialog swallows them): no loop.
    expect(r.taps).toBeLessThan(12);
    expect(r.screens).toHaveLength(1);
  });

  it('wakes a screen that went off after a tap and goes on; a tap the dark screen swallowed is tried again', async () => {
    const s = deepPolicy();
    s.me!.controls[0]!.locks = true;
    const phone = new ScriptedPhone(s);
    phone.darkAtTap = 3;
    const r = await walk(phone);
    expect(r.stopped).toBe('explored');
    expect(r.screens).toHaveLength(10);
    expect(phone.wakes).toBeGreaterThanOrEqual(2);
    expect(problems(r, 'screen-off')).toEqual([expect.objectContaining({ count: phone.wakes })]);
    expect(r.targets.find((t) => t.target === 'privacy-policy')).toMatchObject({ found: true, taps: 5 });
  });

  it('stops with screen-off when the screen will not stay on, wakes to a lock screen, or cannot be woken', async () => {
    for (const mode of ['stays-dark', 'lock-screen'] as const) {
      const s = deepPolicy();
      s.me!.controls[0]!.locks = true;
      const phone = new ScriptedPhone(s);
      phone.wakeMode = mode;
      const r = await walk(phone);
      expect([mode, r.stopped]).toEqual([mode, 'screen-off']);
      expect(phone.wakes).toBe(1);
      expect(r.note).toMatch(mode === 'lock-screen' ? /lock screen/ : /did not stay on/);
      expect(r.screens.length).toBeGreaterThanOrEqual(3);
    }
    const s = deepPolicy();
    s.me!.controls[0]!.locks = true;
    const phone = new ScriptedPhone(s);
    const { wake: _wake, ...noWake } = Object.getOwnPropertyDescriptors(ScriptedPhone.prototype);
    void _wake;
    const port = Object.create(Object.getPrototypeOf(Object.prototype), { ...noWake }) as ScriptedPhone;
    Object.assign(port, phone);
    const r = await walk(port);
    expect(r.stopped).toBe('screen-off');
  });

  it('relaunches an app that dies on a control, tries that control once more, then leaves it and explores the rest', async () => {
    const s = deepPolicy();
    s.me!.controls.push({ label: '扫一扫', crash: true, row: true });
    const phone = new ScriptedPhone(s);
    const r = await walk(phone);
    expect(r.stopped).toBe('explored');
    expect(phone.taps.filter((t) => t.label === '扫一扫')).toHaveLength(2);
    expect(problems(r, 'app-died')).toEqual([expect.objectContaining({ label: '扫一扫', count: 2 })]);
    expect(r.relaunches).toBeGreaterThanOrEqual(2);
    expect(r.leftApp).toEqual([]);
    expect(r.screens).toHaveLength(10);
    expect(r.targets.find((t) => t.target === 'privacy-policy')).toMatchObject({ found: true, taps: 5 });
  });

  it('stops with app-gone when the app keeps dying under the walk', async () => {
    const phone = new ScriptedPhone(deepPolicy());
    phone.dieEvery = 3;
    const r = await walk(phone);
    expect(r.stopped).toBe('app-gone');
    expect(r.problems.filter((p) => p.problem === 'app-died').reduce((n, p) => Math.max(n, p.count), 0)).toBe(4);
    expect(r.relaunches).toBe(3);
  });
});

describe('explore a list longer than the screen', () => {
  it('swipes the list to find the controls below the fold, replays the path through the swipes, and counts taps, not swipes', async () => {
    const rows = ['账号与安全', '消息通知', '通用', '存储空间', '字体大小', '深色模式', '语言'].map((label) => ({ label, row: true }));
    const phone = new ScriptedPhone({
      main: { title: '首页', controls: [{ label: '设置', to: 'settings' }] },
      settings: { title: '设置', controls: [], list: [...rows, { label: '帮助与反馈', to: 'help', row: true }, { label: '清除缓存', row: true }, { label: '隐私政策', to: 'policy', row: true }] },
      help: { title: '帮助', controls: [] },
      policy: { title: '隐私政策', controls: [{ label: '历史版本', to: 'versions' }] },
      versions: { title: '历史版本', controls: [] },
    });
    const events: WalkEvent[] = [];
    const r = await walk(phone, {}, (e) => events.push(e));
    expect(r.stopped).toBe('explored');
    const policy = r.targets.find((t) => t.target === 'privacy-policy')!;
    expect(policy).toMatchObject({ found: true, taps: 2 });
    if (!policy.found) return;
    expect(policy.path.map((p) => [p.label, p.swipes ?? 0])).toEqual([['设置', 0], ['隐私政策', 3]]);
    // The policy page's own control was reached by replaying 设置 › (swipes) › 隐私政策.
    expect(r.screens.map((x) => x.path.map((p) => p.label).join('›'))).toEqual(['', '设置', '设置›帮助与反馈', '设置›隐私政策', '设置›隐私政策›历史版本']);
    expect(r.targets.find((t) => t.target === 'complaints')).toMatchObject({ found: true, taps: 2 });
    expect(r.denied.map((d) => d.label)).toContain('清除缓存');
    // Swipes are not taps: the tap count is the phone's taps, the swipes are counted apart.
    expect(r.taps).toBe(phone.taps.length);
    expect(r.swipes).toBe(phone.swipes);
    expect(r.swipes).toBeGreaterThan(0);
    expect(events.filter((e) => e.kind === 'scroll')).toHaveLength(r.swipes);
    expect(events.some((e) => e.kind === 'tap' && e.replay && e.label === '隐私政策')).toBe(true);
  });
});
