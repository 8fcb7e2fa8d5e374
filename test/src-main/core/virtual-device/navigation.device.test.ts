/**
 * The virtual phone's app navigates as a real app's menus do (issue #29, test/fixtures/scenarios/explore-menus.yaml),
 * driven through the real adb server with `input tap`, `input keyevent 4` and `uiautomator dump /dev/tty`: the back
 * stack retraces five taps and the sixth BACK leaves the app as before; a menu's cycle does not grow it; a switch
 * toggles, is drawn so, and turns itself back on; an ad's close button is absent (dump, picture, taps) until it comes.
 * The phone's clock runs 2× fast (CompressedClock): the scenario's 10 s and 3 s take 5 s and 1.5 s. Each picture is
 * followed by a dump that shows the state it was meant to catch, so a slow screencap cannot pass off a later state.
 */
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { CompressedClock } from '../../../../src-main/core/virtual-device/android/clock.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhoneFrom } from '../../../support/virtual-phone.js';

const SCENARIO = join(__dirname, '../../../fixtures/scenarios/explore-menus.yaml');
const PKG = 'com.demo.explore';
/** The phone's waits run this many times faster: fast enough for a short test, slow enough for a loaded machine's adb round trips. */
const SPEED = 2;
/** Where to tap (the centre of each node in explore-menus.yaml). */
const AT = {
  tabMine: [810, 2330], settingsRow: [540, 770], aboutRow: [540, 710], legalRow: [540, 550], policyLink: [540, 390],
  settingsLink: [540, 710], privacyRow: [540, 550], accountRow: [540, 390], deleteAccountRow: [540, 390],
  personalSwitch: [930, 390], adClose: [770, 1410], logout: [540, 2070],
} as const;

let adb: TestAdbServer;
let phone: VirtualDevice;
let launchedAt = 0;

const sh = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', ...args])).stdout;
const dump = (): Promise<string> => sh('uiautomator', 'dump', '/dev/tty');
const tap = (where: keyof typeof AT): Promise<string> => sh('input', 'tap', String(AT[where][0]), String(AT[where][1]));
const back = (): Promise<string> => sh('input', 'keyevent', '4');
/** The attributes of the app's node with this id in a dump, or null when the dump does not list it. */
function node(xml: string, id: string): Record<string, string> | null {
  const m = new RegExp(`<node [^>]*resource-id="${PKG}:id/${id}"[^>]*?/?>`).exec(xml);
  if (!m) return null;
  return Object.fromEntries([...m[0].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
}
const title = (xml: string): string | undefined => node(xml, 'title')?.text;
async function onPage(text: string): Promise<string> {
  return waitFor(`the page "${text}"`, async () => {
    const xml = await dump();
    return title(xml) === text ? xml : null;
  });
}
/** The screen's pixels inside a rectangle, as hex (to compare what is drawn there). */
async function pixels(x1: number, y1: number, x2: number, y2: number): Promise<string> {
  const png = PNG.sync.read(await adb.adbBuffer(['-s', phone.serial, 'exec-out', 'screencap', '-p'], 30_000));
  const rows: string[] = [];
  for (let y = y1; y < y2; y++) rows.push(png.data.subarray((y * png.width + x1) * 4, (y * png.width + x2) * 4).toString('hex'));
  return rows.join('');
}
const trapLines = async (): Promise<string> => (await adb.adb(['-s', phone.serial, 'logcat', '-d', '-s', 'ExploreTrap'])).stdout;

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhoneFrom(adb, SCENARIO, { clock: new CompressedClock(SPEED) });
  launchedAt = Date.now();
  await sh('monkey', '-p', PKG, '1');
  await onPage('首页');
}, 60_000);
afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
});

describe('an app whose menus an explorer walks', () => {
  it("the ad's 关闭 is absent from the dump and the picture, and cannot be tapped, until 10 s (of the phone's clock) after it shows", async () => {
    const before = await dump();
    expect(node(before, 'adText')?.text).toBe('限时优惠：新人礼包');
    expect(node(before, 'adClose')).toBeNull();
    expect(before).not.toContain('关闭');
    await tap('adClose');
    const tapped = await dump();
    expect(node(tapped, 'adText')).not.toBeNull();
    expect(node(tapped, 'adClose')).toBeNull();
    const hiddenPicture = await pixels(640, 1360, 900, 1460);
    expect(node(await dump(), 'adClose')).toBeNull();

    const shown = await waitFor('the ad\'s 关闭', async () => node(await dump(), 'adClose'), 10_000 * 2 / SPEED + 3000);
    expect(Date.now() - launchedAt).toBeGreaterThanOrEqual(10_000 / SPEED - 100);
    expect(shown).toMatchObject({ text: '关闭', clickable: 'true' });
    expect(await pixels(640, 1360, 900, 1460)).not.toBe(hiddenPicture);

    await tap('adClose');
    const closed = await dump();
    expect(node(closed, 'adText')).toBeNull();
    expect(node(closed, 'adClose')).toBeNull();
  });

  it('five taps to the policy, five BACKs to the main screen, and the sixth leaves the app as before', async () => {
    await tap('tabMine');
    await onPage('我的');
    await tap('settingsRow');
    await onPage('设置');
    await tap('aboutRow');
    await onPage('关于我们');
    await tap('legalRow');
    await onPage('法律条款');
    await tap('policyLink');
    await onPage('探索演示隐私政策');
    expect(await sh('dumpsys', 'window', 'windows')).toContain(`mCurrentFocus=Window{2d3c8b5 u0 ${PKG}/.PrivacyPolicyActivity}`);

    for (const page of ['法律条款', '关于我们', '设置', '我的', '首页']) {
      await back();
      await onPage(page);
    }
    expect(await sh('dumpsys', 'window', 'windows')).toContain(`mCurrentFocus=Window{2d3c8b5 u0 ${PKG}/.MainActivity}`);
    await back();
    const launcher = await waitFor('the launcher', async () => {
      const xml = await dump();
      return xml.includes('package="com.android.launcher3"') ? xml : null;
    });
    expect(launcher).not.toContain(`package="${PKG}"`);
    expect(await trapLines()).not.toContain('tapped');
  });

  it("关于我们's link back to 设置 returns to it: the cycle does not grow the stack", async () => {
    await sh('monkey', '-p', PKG, '1');
    await onPage('首页');
    await tap('tabMine');
    await onPage('我的');
    await tap('settingsRow');
    await onPage('设置');
    await tap('aboutRow');
    await onPage('关于我们');
    await tap('settingsLink');
    await onPage('设置');
    await back();
    await onPage('我的');
    await back();
    await onPage('首页');
  });

  it('the 个性化推荐 switch toggles, is drawn so, and turns itself back on 3 s (phone clock) after it is turned off', async () => {
    await tap('tabMine');
    await onPage('我的');
    await tap('settingsRow');
    await onPage('设置');
    await tap('privacyRow');
    const on = await onPage('隐私设置');
    expect(node(on, 'personalSwitch')).toMatchObject({ class: 'android.widget.Switch', checkable: 'true', checked: 'true' });
    const onPicture = await pixels(860, 340, 1000, 440);

    const offAt = Date.now();
    await tap('personalSwitch');
    const offPicture = await pixels(860, 340, 1000, 440);
    expect(node(await dump(), 'personalSwitch')).toMatchObject({ checked: 'false' });
    expect(offPicture).not.toBe(onPicture);

    await waitFor('the switch back on', async () => node(await dump(), 'personalSwitch')?.checked === 'true', 3000 * 2 / SPEED + 3000);
    expect(Date.now() - offAt).toBeGreaterThanOrEqual(3000 / SPEED - 100);
    expect(await pixels(860, 340, 1000, 440)).toBe(onPicture);
    await back();
    await onPage('设置');
  });

  it('注销账号 shows only a number to call; a trap button tapped says so in the log', async () => {
    await tap('accountRow');
    await onPage('账号与安全');
    await tap('deleteAccountRow');
    const page = await onPage('注销账号');
    expect(node(page, 'callUs')?.text).toBe('请致电客服 400-000-0000 注销');
    expect(page).not.toContain('clickable="true"');
    await back();
    await onPage('账号与安全');
    await back();
    await onPage('设置');

    expect(await trapLines()).not.toContain('tapped');
    await tap('logout');
    await waitFor('the trap line', async () => (await trapLines()).includes('tapped 退出登录'));
  });
});
