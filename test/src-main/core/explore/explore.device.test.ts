/**
 * The explorer's walk on the virtual phone's menus (test/fixtures/scenarios/explore-menus.yaml) through the real adb
 * server and the real DeviceBridge (bridgePhonePort: uiautomator dumps, `input tap`, BACK, dumpsys for what is in
 * front): the policy is found 5 taps from the main screen along 我的 › 设置 › 关于我们 › 法律条款 › 《隐私政策》,
 * account deletion and the personalisation switch are found with their paths, the targets the app lacks are "not
 * found", and none of the traps (立即支付, 删除全部记录, 退出登录) is ever tapped — each would log a line with the tag
 * ExploreTrap — nor is the switch toggled.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgePhonePort, explore, type ExploreResult } from '../../../../src-main/core/explore/walker.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';
import { phoneOnMainScreen } from '../../../support/explore-phone.js';

const SCENARIO = join(__dirname, '../../../fixtures/scenarios/explore-menus.yaml');
const PKG = 'com.demo.explore';
let adb: TestAdbServer;
let phone: VirtualDevice;
let result: ExploreResult;

beforeAll(async () => {
  adb = await startAdbServer();
  const started = await phoneOnMainScreen(adb, SCENARIO, PKG);
  phone = started.phone;
  const { bridge } = started;
  result = await explore(bridgePhonePort(bridge, phone.serial, 300), PKG, { maxTaps: 200, maxDepth: 6, maxMs: 150_000, maxScreens: 40 });
}, 180_000);
afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
});

describe('the explorer on the virtual phone', () => {
  it('finds the policy 5 taps deep, with its path', () => {
    const policy = result.targets.find((t) => t.target === 'privacy-policy');
    expect(policy?.found).toBe(true);
    if (!policy?.found) return;
    expect(policy.taps).toBe(5);
    expect(policy.path.map((s) => s.label)).toEqual(['我的', '设置', '关于我们', '法律条款', '《隐私政策》']);
  });

  it('finds account deletion and the personalisation switch; what the app lacks is not found', () => {
    const by = Object.fromEntries(result.targets.map((t) => [t.target, t]));
    expect(by['account-deletion']).toMatchObject({ found: true, item: '191-6.1' });
    expect(by.personalisation).toMatchObject({ found: true, item: '164-4.1' });
    expect(by['consent-withdrawal']).toMatchObject({ found: false });
    // Every screen tried, though an ad on the main screen may be closed on the way (the main screen without it is
    // still the main screen).
    expect(result.stopped).toBe('explored');
    expect(result.screens.map((x) => x.depth).sort()).toEqual([0, 1, 2, 3, 3, 3, 4, 4, 5]);
  });

  it('never taps a trap or toggles the switch', async () => {
    expect((await adb.adb(['-s', phone.serial, 'logcat', '-d', '-s', 'ExploreTrap'])).stdout).not.toMatch(/tapped/);
    expect(result.denied.map((d) => d.label)).toEqual(expect.arrayContaining(['立即支付', '退出登录', '删除全部记录']));
    // The switch is reached (a target) but never tapped: a state change, not a page.
    expect(result.denied.some((d) => d.reason === 'toggles')).toBe(true);
    expect(result.leftApp).toEqual([]);
  });
});
