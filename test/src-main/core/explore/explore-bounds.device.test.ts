/**
 * What the explorer's walk must never do (issue #29), on the virtual phone through the real adb server and the real
 * DeviceBridge: tap a denied control (test/fixtures/scenarios/explore-traps.yaml — pay, buy, delete, clear, log out,
 * confirm account deletion, share, top up, alone, as a row's words, nested in rows, under a row's centre; each logs
 * under ExploreTrap when tapped), loop (explore-cycles.yaml — a tab bar on every page, pages linking back, pages
 * that differ only by their number), or run past a limit it was given (taps, depth, screens, wall clock).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbkitBridge } from '../../../../src-main/core/adb/device-bridge.js';
import { bridgePhonePort, explore, type ExploreLimits, type ExploreResult } from '../../../../src-main/core/explore/walker.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhoneFrom } from '../../../support/virtual-phone.js';

const FIXTURES = join(__dirname, '../../../fixtures/scenarios');
const TRAPS = 'com.demo.traps';
const CYCLES = 'com.demo.cycles';
const WIDE: ExploreLimits = { maxTaps: 400, maxDepth: 8, maxMs: 240_000, maxScreens: 60 };

let adb: TestAdbServer;
let traps: VirtualDevice;
let cycles: VirtualDevice;
let bridge: AdbkitBridge;
let trapWalk: ExploreResult;
let cycleWalk: ExploreResult;

const sh = async (phone: VirtualDevice, ...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', ...args])).stdout;

/** The app from a cold start on its main screen, as the explore stage starts it. */
async function coldStart(phone: VirtualDevice, pkg: string): Promise<void> {
  await sh(phone, 'am', 'force-stop', pkg);
  await sh(phone, 'monkey', '-p', pkg, '1');
  await waitFor(`${pkg}'s main screen`, async () => (await sh(phone, 'uiautomator', 'dump', '/dev/tty')).includes(`${pkg}:id/tabMine`), 10_000);
}

const walk = (phone: VirtualDevice, pkg: string, limits: ExploreLimits): Promise<ExploreResult> => explore(bridgePhonePort(bridge, phone.serial, 300), pkg, limits);

beforeAll(async () => {
  adb = await startAdbServer();
  [traps, cycles] = await Promise.all([startPhoneFrom(adb, join(FIXTURES, 'explore-traps.yaml')), startPhoneFrom(adb, join(FIXTURES, 'explore-cycles.yaml'))]);
  bridge = new AdbkitBridge('adb', adb.port);
  await Promise.all([coldStart(traps, TRAPS), coldStart(cycles, CYCLES)]);
  [trapWalk, cycleWalk] = await Promise.all([walk(traps, TRAPS, WIDE), walk(cycles, CYCLES, WIDE)]);
}, 300_000);
afterAll(async () => {
  await traps?.stop();
  await cycles?.stop();
  await adb?.kill();
});

const logged = async (phone: VirtualDevice, tag: string): Promise<string[]> =>
  (await adb.adb(['-s', phone.serial, 'logcat', '-d', '-s', tag])).stdout.split('\n').filter((l) => l.includes('tapped'));

describe('a shop full of traps', () => {
  it('is walked to the end: every safe page opened', () => {
    expect(trapWalk.stopped).toBe('explored');
    // 首页, the product, 购物车, 我的, 我的订单, 钱包, 设置, 账号与安全, 注销账号.
    expect(trapWalk.screens).toHaveLength(9);
    expect(trapWalk.screens.every((s) => s.explored)).toBe(true);
    expect(trapWalk.leftApp).toEqual([]);
  });

  it('never taps a control the deny list covers, wherever it sits', async () => {
    expect(await logged(traps, 'ExploreTrap')).toEqual([]);
    const denied = new Set(trapWalk.denied.map((d) => d.label));
    for (const label of ['立即购买', '删除', '分享到微信', '清空购物车', '结算(1)', 'Sign out', '删除订单', '充值', '立即开通会员', '清除缓存', '退出登录', '确认注销']) expect(denied, label).toContain(label);
    // The rows: the product row is opened (its 立即购买 is off its centre), the history row is not (its 删除 is under it).
    expect(trapWalk.denied.find((d) => d.label.startsWith('最近浏览'))).toMatchObject({ reason: 'deletes' });
    expect(trapWalk.screens.find((s) => s.path.map((p) => p.label).join() === '新款耳机 ¥199 立即购买')).toBeDefined();
  });

  // A known gap of the deny list (reported with issue #29's explorer): these destructive labels are not recognised
  // and the walk taps them. When the deny list learns them, this test fails: turn it into a plain `it`.
  it('never taps what the deny list first missed: 去支付, 一键清空, 全部删除, 解除绑定, a bare 注销', async () => {
    expect(await logged(traps, 'ExploreTrapGap')).toEqual([]);
  });
});

describe('a community app full of cycles', () => {
  it('never loops: each screen once, every control tried, the walk ends by itself', () => {
    expect(cycleWalk.stopped).toBe('explored');
    const ids = cycleWalk.screens.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    // 首页, 热门 (its three pages are one screen), 发现, 话题A, 话题B, 我的, 设置, 通用, 隐私, the policy, 关于我们.
    expect(ids).toHaveLength(11);
    expect(cycleWalk.screens.every((s) => s.explored)).toBe(true);
    // Each control of each screen tapped once, plus the replays that bring the walk back to a screen.
    const controls = cycleWalk.screens.reduce((n, s) => n + s.controls, 0);
    expect(cycleWalk.taps).toBeGreaterThanOrEqual(controls);
    expect(cycleWalk.taps).toBeLessThan(controls * 4);
    const policy = cycleWalk.targets.find((t) => t.target === 'privacy-policy');
    expect(policy?.found && policy.path.map((p) => p.label)).toEqual(['我的', '设置', '隐私', '隐私政策']);
  });

  it('stops at each limit it is given', async () => {
    const at = async (limits: Partial<ExploreLimits>): Promise<ExploreResult> => {
      await coldStart(cycles, CYCLES);
      return walk(cycles, CYCLES, { ...WIDE, ...limits });
    };
    const taps = await at({ maxTaps: 5 });
    expect(taps).toMatchObject({ stopped: 'maxTaps', taps: 5 });
    const depth = await at({ maxDepth: 1 });
    expect(depth.stopped).toBe('maxDepth');
    expect(depth.screens.map((s) => s.depth).sort()).toEqual([0, 1, 1, 1]);
    const screens = await at({ maxScreens: 3 });
    expect(screens.stopped).toBe('maxScreens');
    expect(screens.screens).toHaveLength(3);
    const time = await at({ maxMs: 5_000 });
    expect(time.stopped).toBe('maxMs');
    expect(time.elapsedMs).toBeGreaterThanOrEqual(5_000);
    // It stops at its next step: one tap, Back or dump after the limit (each well under 5 s even on a loaded machine).
    expect(time.elapsedMs).toBeLessThan(10_000);
    expect(time.taps).toBeGreaterThan(0);
  }, 120_000);
});
