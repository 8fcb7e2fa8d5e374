/**
 * The explorer on bad input (issue #29), on the virtual phone through the real adb server and the real DeviceBridge
 * (test/fixtures/scenarios/explore-bad-input.yaml): a WebView with no UI tree, screens that change every second, a
 * dialog after every tap, one that comes back as soon as it is closed, a screen that goes off, an app that crashes
 * on a control and one that crashes after every launch. Each walk is bounded, records what it met, and finds the
 * policy where one can; nothing here may end in 'error' or run to a limit.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbkitBridge } from '../../../../src-main/core/adb/device-bridge.js';
import { bridgePhonePort, explore, type ExploreResult, type WalkEvent } from '../../../../src-main/core/explore/walker.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhoneFrom } from '../../../support/virtual-phone.js';

const SCENARIO = join(__dirname, '../../../fixtures/scenarios/explore-bad-input.yaml');
const LIMITS = { maxTaps: 150, maxDepth: 6, maxMs: 120_000, maxScreens: 30 };
let adb: TestAdbServer;
let phone: VirtualDevice;
let bridge: AdbkitBridge;

const sh = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', ...args])).stdout;

/** Launches the app, waits for its first screen, walks it; the steps as they came beside the result. */
async function walk(pkg: string, firstNode: string): Promise<{ r: ExploreResult; steps: WalkEvent[] }> {
  await sh('input', 'keyevent', 'KEYCODE_WAKEUP');
  await sh('monkey', '-p', pkg, '1');
  await waitFor(`${pkg}'s first screen`, async () => (await sh('uiautomator', 'dump', '/dev/tty')).includes(`${pkg}:id/${firstNode}`), 10_000);
  const steps: WalkEvent[] = [];
  const r = await explore(bridgePhonePort(bridge, phone.serial, 300), pkg, LIMITS, (e) => steps.push(e));
  // Plain data, and never a stop for a reason the walk should have coped with.
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  expect(r.stopped).not.toBe('error');
  return { r, steps };
}

const policy = (r: ExploreResult) => r.targets.find((t) => t.target === 'privacy-policy');
const problems = (r: ExploreResult, kind: string) => r.problems.filter((p) => p.problem === kind);
const paths = (r: ExploreResult): string[] => r.screens.map((s) => s.path.map((p) => p.label).join('›')).sort();

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhoneFrom(adb, SCENARIO);
  bridge = new AdbkitBridge('adb', adb.port);
}, 30_000);
afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
});

describe('the explorer on bad input, on the virtual phone', () => {
  it('records a page that is one WebView with no UI tree as unreadable, never taps into it, and finds the policy elsewhere', async () => {
    const { r, steps } = await walk('com.demo.h5', 'memberRow');
    expect(r.stopped).toBe('explored');
    expect(paths(r)).toEqual(['', '会员中心', '设置', '设置›《隐私政策》']);
    const member = r.screens.find((s) => s.path.map((p) => p.label).join() === '会员中心')!;
    expect(member).toMatchObject({ unreadable: true, controls: 0 });
    expect(problems(r, 'unreadable-webview')).toEqual([{ problem: 'unreadable-webview', screen: member.id, label: '', count: 1 }]);
    expect(steps.some((e) => e.kind === 'problem' && e.problem === 'unreadable-webview')).toBe(true);
    expect(policy(r)).toMatchObject({ found: true, taps: 2 });
    expect((await adb.adb(['-s', phone.serial, 'logcat', '-d', '-s', 'ExploreTrap'])).stdout).not.toMatch(/WebView/);
  }, 90_000);

  it('takes screens whose headline, badge and notice change every second as one screen each, and records that they change', async () => {
    const { r } = await walk('com.demo.ticker', 'refresh');
    expect(r.stopped).toBe('explored');
    // No screen made up by the changes: the five the app has, each once.
    expect(paths(r)).toEqual(['', '消息', '设置', '设置›关于我们', '设置›关于我们›《隐私政策》']);
    expect(problems(r, 'changing-screen').length).toBeGreaterThanOrEqual(1);
    expect(problems(r, 'changing-screen').every((p) => r.screens.some((s) => s.id === p.screen))).toBe(true);
    expect(policy(r)).toMatchObject({ found: true, taps: 3 });
    expect(r.taps).toBeLessThan(60);
  }, 90_000);

  it('closes a dialog shown after every tap each time: recorded three times, then counted, and the walk goes on', async () => {
    const { r } = await walk('com.demo.nag', 'mineRow');
    expect(r.stopped).toBe('explored');
    expect(paths(r)).toEqual(['', '我的', '我的›设置', '我的›设置›关于我们', '我的›设置›关于我们›《隐私政策》']);
    expect(r.popups).toHaveLength(3);
    expect(r.popups.every((p) => p.kind === 'permission-explainer' && p.closedWith === '以后再说')).toBe(true);
    expect(problems(r, 'recurring-popup')).toEqual([expect.objectContaining({ label: '开启通知权限，及时获取订单消息' })]);
    expect(problems(r, 'recurring-popup')[0]!.count).toBeGreaterThan(3);
    expect(policy(r)).toMatchObject({ found: true, taps: 4 });
  }, 90_000);

  it('leaves a dialog that comes back as soon as it is closed in place after three tries, and explores past it', async () => {
    const { r } = await walk('com.demo.stuck', 'settingsRow');
    expect(r.stopped).toBe('explored');
    expect(problems(r, 'stuck-popup')).toEqual([expect.objectContaining({ label: '发现新版本 2.0', count: 3 })]);
    expect(policy(r)).toMatchObject({ found: true, taps: 2 });
    expect(r.taps).toBeLessThan(25);
  }, 90_000);

  it('wakes the screen when it goes off mid-walk and goes on', async () => {
    const { r, steps } = await walk('com.demo.lock', 'settingsRow');
    expect(r.stopped).toBe('explored');
    expect(paths(r)).toEqual(['', '帮助', '设置', '设置›关于我们', '设置›关于我们›《隐私政策》']);
    const [off] = problems(r, 'screen-off');
    expect(off!.count).toBeGreaterThanOrEqual(2);
    expect(steps.filter((e) => e.kind === 'problem' && e.problem === 'screen-off')).toHaveLength(off!.count);
    expect(policy(r)).toMatchObject({ found: true, taps: 3 });
  }, 90_000);

  it('relaunches an app that crashes on a control, tries it once more, then explores the rest', async () => {
    const { r } = await walk('com.demo.crash', 'scanRow');
    expect(r.stopped).toBe('explored');
    expect(problems(r, 'app-died')).toEqual([expect.objectContaining({ label: '扫一扫', count: 2 })]);
    expect(r.leftApp).toEqual([]);
    expect(r.relaunches).toBeGreaterThanOrEqual(2);
    expect(paths(r)).toEqual(['', '设置', '设置›关于我们', '设置›关于我们›《隐私政策》']);
    expect(policy(r)).toMatchObject({ found: true, taps: 3 });
    expect((await adb.adb(['-s', phone.serial, 'logcat', '-d', '-s', 'AndroidRuntime'])).stdout).toMatch(/Process: com\.demo\.crash/);
  }, 90_000);

  it("stops with 'app-gone' when the app crashes after every launch", async () => {
    const { r } = await walk('com.demo.gone', 'aRow');
    expect(r.stopped).toBe('app-gone');
    expect(Math.max(...problems(r, 'app-died').map((p) => p.count))).toBe(4);
    expect(r.note).toMatch(/died 4 times/);
  }, 90_000);
});
