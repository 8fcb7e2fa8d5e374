// The explorer's walk over a scripted phone: a graph of screens built as UiTree objects, with a back stack, pop-ups
// and other apps, driven only through the PhonePort. This tests the walk's algorithm (shortest paths, no loops, the
// deny list, the limits, leaving other apps, pop-ups, hostile dumps) — it is not a stand-in for adb.
import { describe, expect, it } from 'vitest';
import type { UiDumpNode, UiTree } from '../../../../src-preload/api.js';
import { deniedControl } from '../../../../src-main/core/explore/deny-list.js';
import { explore, type ExploreLimits, type PhonePort, type WalkEvent } from '../../../../src-main/core/explore/walker.js';

const APP = 'com.demo.shop';
const W = 1080;

interface ControlSpec {
  label: string;
  /** The screen it opens, or another app's package (`app:com.android.browser`), or nothing. */
  to?: string;
  checkable?: boolean;
  /** Where a row's words sit: in a child TextView (a settings row) rather than on the clickable node itself. */
  row?: boolean;
}

interface ScreenSpec {
  title: string | ((now: number) => string);
  controls: ControlSpec[];
  /** Shown over the screen the first time it appears, until its close control is tapped. */
  popup?: 'ad' | 'permission';
  /** Back from here does not pop: it goes to the main screen (`main`) or leaves the app (`exit`). */
  back?: 'main' | 'exit';
  /** Extra nodes (hostile dumps). */
  extra?: () => UiDumpNode[];
}

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
    const name = this.top;
    if (name.startsWith('app:') || name === 'launcher') {
      const pkg = name === 'launcher' ? 'com.android.launcher3' : name.slice(4);
      return { rotation: 0, nodeCount: 2, nodes: [node({ packageName: pkg, className: 'android.widget.FrameLayout', bounds: [0, 0, W, 2400], children: [node({ packageName: pkg, text: 'https://example.com', bounds: [0, 0, W, 100] })] })] };
    }
    const spec = this.screens[name]!;
    const title = typeof spec.title === 'function' ? spec.title(this.clock) : spec.title;
    const children = [node({ text: title, resourceId: `${APP}:id/title`, bounds: [0, 80, W, 180] }), ...spec.controls.map(controlNodes), ...(spec.extra?.() ?? [])];
    const nodes = [node({ className: 'android.widget.FrameLayout', bounds: [0, 0, W, 2400], children }), ...(this.overlay?.nodes ?? [])];
    return { rotation: 0, nodes, nodeCount: 0 };
  }

  async dump(): Promise<UiTree> {
    this.clock += 1;
    return this.tree();
  }

  async foreground(): Promise<string | null> {
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
    if (this.overlay) {
      // Modal: only its close control does anything.
      if (under.some((n) => n.contentDesc === '关闭' || n.text === '拒绝')) this.overlay = null;
      this.taps.push({ x, y, screen: this.top, label: 'popup' });
      return;
    }
    const name = this.top;
    const spec = this.screens[name];
    if (!spec) return;
    const i = Math.floor((y - 200) / 100);
    const c = y >= 200 && (y - 200) % 100 < 80 ? spec.controls[i] : undefined;
    this.taps.push({ x, y, screen: name, label: c?.label ?? '' });
    if (c?.checkable) this.violations.push(`toggled ${c.label}`);
    if (c?.to) {
      this.stack.push(c.to);
      this.enter(c.to);
    }
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
    this.stack = [this.root];
  }
}

const LIMITS: ExploreLimits = { maxTaps: 500, maxDepth: 8, maxMs: 600_000, maxScreens: 100 };

async function walk(phone: ScriptedPhone, limits: Partial<ExploreLimits> = {}, onStep?: (e: WalkEvent) => void) {
  const result = await explore(phone, APP, { ...LIMITS, ...limits }, onStep, () => phone.clock);
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
