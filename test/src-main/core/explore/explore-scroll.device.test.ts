/**
 * The explorer on a settings page longer than the screen (test/fixtures/scenarios/explore-long-settings.yaml), on the
 * virtual phone through the real adb server: the walk swipes the list down to read the rows below the fold, finds
 * 《隐私政策》 three taps from the main screen (我的, 设置, 《隐私政策》) with the swipe said beside the tap (a swipe is
 * not a tap), replays that path — swipe included — to reach the policy page's 历史版本, checks the 个性化推荐 switch
 * further down (on again when 设置 is opened again: scrolled to), and taps neither 清除缓存 nor 退出登录.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgePhonePort, explore, type ExploreResult, type WalkEvent } from '../../../../src-main/core/explore/walker.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';
import { phoneOnMainScreen } from '../../../support/explore-phone.js';

const SCENARIO = join(__dirname, '../../../fixtures/scenarios/explore-long-settings.yaml');
const PKG = 'com.demo.longsettings';
let adb: TestAdbServer;
let phone: VirtualDevice;
let result: ExploreResult;
const steps: WalkEvent[] = [];

beforeAll(async () => {
  adb = await startAdbServer();
  const started = await phoneOnMainScreen(adb, SCENARIO, PKG);
  phone = started.phone;
  const { bridge } = started;
  result = await explore(bridgePhonePort(bridge, phone.serial, 300), PKG, { maxTaps: 200, maxDepth: 6, maxMs: 150_000, maxScreens: 40 }, (e) => steps.push(e), Date.now, { switchWatchMs: 2_000 });
}, 180_000);
afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
});

describe('the explorer on a list longer than the screen', () => {
  it('finds the policy below the fold three taps from the main screen, the swipe said beside the tap', () => {
    expect(result.stopped).toBe('explored');
    const policy = result.targets.find((t) => t.target === 'privacy-policy');
    expect(policy).toMatchObject({ found: true, taps: 3 });
    if (!policy?.found) return;
    expect(policy.path.map((p) => [p.tap, p.label, p.swipes ?? 0])).toEqual([[1, '我的', 0], [2, '设置', 0], [3, '《隐私政策》', 1]]);
    // 帮助与反馈 (complaints) is the tenth row, cut by the list's bottom edge: in view without a swipe.
    expect(result.targets.find((t) => t.target === 'complaints')).toMatchObject({ found: true, taps: 3 });
  });

  it('reaches the policy page’s own link by replaying the path, swipe included', () => {
    const paths = result.screens.map((s) => s.path.map((p) => p.label).join('›'));
    expect(paths).toContain('我的›设置›《隐私政策》›历史版本');
    expect(paths.sort()).toEqual(['', '我的', '我的›设置', '我的›设置›《隐私政策》', '我的›设置›《隐私政策》›历史版本', '我的›设置›个人信息收集清单', '我的›设置›关于我们', '我的›设置›帮助与反馈', '我的›设置›用户协议'].sort());
    expect(steps.some((e) => e.kind === 'tap' && e.replay && e.label === '《隐私政策》')).toBe(true);
  });

  it('checks the personalisation switch below the fold, and scrolls to it on the page opened again', () => {
    const settings = result.screens.find((s) => s.path.map((p) => p.label).join('›') === '我的›设置')!;
    expect(result.switch).toMatchObject({ label: '个性化推荐', screen: settings.id, state: 'back-on', backOn: 'reopened' });
    expect(result.targets.find((t) => t.target === 'personalisation')).toMatchObject({ found: true, taps: 2, swipes: 2 });
  });

  it('counts taps and swipes apart, and taps no trap below the fold', async () => {
    expect(result.swipes).toBeGreaterThanOrEqual(2);
    expect(steps.filter((e) => e.kind === 'scroll')).toHaveLength(result.swipes);
    expect(steps.some((e) => e.kind === 'scroll' && e.direction === 'down' && e.revealed > 0)).toBe(true);
    expect(steps.filter((e) => e.kind === 'tap')).toHaveLength(result.taps);
    expect(result.denied.map((d) => d.label)).toEqual(expect.arrayContaining(['清除缓存', '退出登录']));
    expect((await adb.adb(['-s', phone.serial, 'logcat', '-d', '-s', 'ExploreTrap'])).stdout).not.toMatch(/tapped/);
  });
});
