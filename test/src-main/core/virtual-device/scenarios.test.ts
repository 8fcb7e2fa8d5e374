// Every shipped scenario loads, validates and plays its violations on the virtual clock; bad files are
// rejected with the line and field that is wrong.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock, VirtualDevice, listScenarios, loadScenarioFile, parseScenario } from '../../../../src-main/core/virtual-device/index.js';
import type { AndroidSystem } from '../../../../src-main/core/virtual-device/android/android-system.js';
import { uiautomatorXml } from '../../../../src-main/core/virtual-device/android/ui-tree.js';
import { loadTemplateFile } from '../../../../src-main/core/checklist/load-template.js';

const dir = join(__dirname, '../../../../resources/scenarios');

function boot(id: string): { sys: AndroidSystem; clock: VirtualClock; device: VirtualDevice } {
  const clock = new VirtualClock();
  const device = new VirtualDevice({ scenario: loadScenarioFile(join(dir, `${id}.yaml`)), clock });
  return { sys: device.system, clock, device };
}

function logText(sys: AndroidSystem): string {
  return sys.log.all().map((e) => `${e.tag}: ${e.message}`).join('\n');
}

type ScreenNode = NonNullable<ReturnType<AndroidSystem['screen']>>['nodes'][number];
function findNode(sys: AndroidSystem, key: string): ScreenNode | undefined {
  const all = (nodes: ScreenNode[]): ScreenNode[] => nodes.flatMap((n) => [n, ...all(n.children)]);
  return all(sys.screen()!.nodes).find((n) => n.key === key);
}

function tapNode(sys: AndroidSystem, key: string): void {
  const node = findNode(sys, key);
  expect(node, `node ${key} on screen`).toBeDefined();
  const [x1, y1, x2, y2] = node!.bounds;
  sys.tap((x1 + x2) / 2, (y1 + y2) / 2);
}

describe('shipped scenarios', () => {
  it('all validate, cover every violation pattern and name checklist ids', () => {
    const { scenarios, errors } = listScenarios(dir);
    expect(errors).toEqual([]);
    const ids = scenarios.map((s) => s.id).sort();
    expect(ids).toEqual([
      'account-deletion-by-phone-only', 'ad-close-delayed', 'background-location', 'bundled-permission-requests', 'collects-after-decline', 'collects-before-consent', 'compliant-app', 'compliant-network', 'exits-on-denial',
      'guest-mode-collects', 'no-decline-button', 'personalisation-switch-reverts', 'policy-five-taps-deep', 'pre-ticked-consent', 'pre-ticked-switch', 're-requests-denied-permission', 'reads-clipboard-at-launch', 'referenced-list',
      'sdk-sends-id-before-consent', 'self-start-and-associated-start', 'silent-install', 'undisclosed-sdk', 'update-grants-permission', 'uploads-app-list-after-decline', 'webview-notice-ok-only',
    ]);
    const controls = ['compliant-app', 'compliant-network'];
    for (const id of controls) expect(scenarios.find((s) => s.id === id)!.violates).toEqual([]);
    for (const s of scenarios.filter((x) => !controls.includes(x.id))) expect(s.violates.length).toBeGreaterThan(0);
  });

  it('collects-before-consent: identifier and location accesses happen while the consent screen is up', async () => {
    const { sys, clock } = boot('collects-before-consent');
    sys.launch('com.demo.shop', 'am');
    await clock.advance(1000);
    expect(sys.screen()!.packageName).toBe('com.android.permissioncontroller');
    const dump = sys.appOps.dumpPackage('com.demo.shop', sys.pm.get('com.demo.shop')!.uid, 'top', 480);
    expect(dump).toMatch(/READ_PHONE_STATE \(ignore\):\n\s+Reject: \[top-s\]/);
    expect(dump).toMatch(/COARSE_LOCATION/);
    expect(logText(sys)).toMatch(/TelephonyPermissions: reportAccessDeniedToReadIdentifiers:com\.demo\.shop:getImeiForSlot/);
    expect(logText(sys)).toMatch(/START u0 \{act=android\.content\.pm\.action\.REQUEST_PERMISSIONS .* from uid 10230/);
  });

  it('re-requests-denied-permission: deny logs result=6, the dialog returns, second deny is USER_FIXED (7)', async () => {
    const { sys, clock } = boot('re-requests-denied-permission');
    sys.launch('com.demo.camera', 'am');
    tapNode(sys, 'agree');
    await clock.advance(100);
    tapNode(sys, 'permission_deny_button');
    await clock.advance(3500);
    expect(sys.screen()!.packageName).toBe('com.android.permissioncontroller');
    tapNode(sys, 'permission_deny_and_dont_ask_again_button');
    const log = logText(sys);
    expect(log).toMatch(/permission=android\.permission\.CAMERA isImplicit=false result=6/);
    expect(log).toMatch(/permission=android\.permission\.CAMERA isImplicit=false result=7/);
    expect(sys.pm.dump('com.demo.camera', 480)).toMatch(/android\.permission\.CAMERA: granted=false, flags=\[ .*USER_FIXED/);
  });

  it('exits-on-denial: the process dies right after the denial', async () => {
    const { sys, clock } = boot('exits-on-denial');
    sys.launch('com.demo.game', 'am');
    tapNode(sys, 'agree');
    await clock.advance(100);
    tapNode(sys, 'permission_deny_button');
    await clock.advance(1000);
    expect(sys.am.processOf('com.demo.game')).toBeUndefined();
    expect(logText(sys)).toMatch(/Process com\.demo\.game \(pid \d+\) has died: fore TOP/);
  });

  it('bundled-permission-requests: five groups queued right after consent', async () => {
    const { sys, clock } = boot('bundled-permission-requests');
    sys.launch('com.demo.social', 'am');
    await clock.advance(100);
    expect(sys.pendingDialogs).toBe(0);
    tapNode(sys, 'agree');
    await clock.advance(100);
    expect(sys.pendingDialogs).toBe(5);
  });

  it('background-location: accesses every 30 s keep coming in the background (bg, then cch)', async () => {
    const { sys, clock } = boot('background-location');
    sys.launch('com.demo.weather', 'am');
    await clock.advance(31_000);
    expect(sys.log.all().filter((e) => e.tag === 'LocationTracker').length).toBe(0);
    tapNode(sys, 'agree');
    await clock.advance(100);
    tapNode(sys, 'permission_allow_foreground_only_button');
    sys.key('KEYCODE_HOME');
    await clock.advance(31_000);
    const uid = sys.pm.get('com.demo.weather')!.uid;
    expect(sys.appOps.dumpPackage('com.demo.weather', uid, 'bg', 480)).toMatch(/FINE_LOCATION \(allow\):\n\s+Access: \[bg-s\]/);
    await clock.advance(120_000);
    expect(sys.appOps.dumpPackage('com.demo.weather', uid, 'cch', 480)).toMatch(/Access: \[cch-s\]/);
    expect(sys.log.all().filter((e) => e.tag === 'LocationTracker').length).toBe(5);
  });

  it('self-start-and-associated-start: boot starts the app for a broadcast and it starts another package', async () => {
    const { sys, clock } = boot('self-start-and-associated-start');
    sys.emit('signal', { type: 'boot' });
    await clock.advance(3000);
    const log = logText(sys);
    expect(log).toMatch(/Start proc \d+:com\.demo\.video\/u0a\d+ for broadcast \{com\.demo\.video\/\.BootReceiver\}/);
    expect(log).toMatch(/Start proc \d+:com\.demo\.videohelper\/u0a\d+ for service/);
  });

  it('silent-install: after consent the app installs another package', async () => {
    const { sys, clock } = boot('silent-install');
    sys.launch('com.demo.coupon', 'am');
    tapNode(sys, 'agree');
    await clock.advance(2500);
    expect(sys.pm.get('com.demo.partnergame')?.installer).toBe('com.demo.coupon');
  });

  it('pre-ticked-consent and no-decline-button show what the UI dump must reveal', async () => {
    const pre = boot('pre-ticked-consent');
    pre.sys.launch('com.demo.login', 'am');
    expect(pre.sys.screen()!.nodes.find((n) => n.key === 'consent_box')).toMatchObject({ checkable: true, checked: true });
    const nd = boot('no-decline-button');
    nd.sys.launch('com.demo.news', 'am');
    expect(nd.sys.screen()!.nodes.filter((n) => n.clickable).map((n) => n.text)).toEqual(['我知道了']);
  });

  it('consent variants nest their nodes as real dumps do: a text in a clickable row, a WebView page, a switch beside its words', async () => {
    const guest = boot('guest-mode-collects');
    guest.sys.launch('com.demo.guest', 'am');
    const row = guest.sys.screen()!.nodes.find((n) => n.key === 'browseRow')!;
    expect(row).toMatchObject({ clickable: true, children: [{ key: 'browseText', text: '仅浏览', clickable: false }] });
    // A tap on the row's text is the row's: the guest screen opens and the app reads the location.
    const [x1, y1, x2, y2] = row.children[0]!.bounds;
    guest.sys.tap((x1 + x2) / 2, (y1 + y2) / 2);
    await guest.clock.advance(2000);
    expect(guest.sys.screen()!.nodes[0]!.text).toBe('游客模式 · 热门话题');
    expect(guest.sys.appOps.cmdGet('com.demo.guest')).toMatch(/COARSE_LOCATION/);

    const web = boot('webview-notice-ok-only');
    web.sys.launch('com.demo.webnotice', 'am');
    const xml = uiautomatorXml(web.sys.screen()!, 1080, 2400);
    expect(xml).toMatch(/class="android\.webkit\.WebView"[^>]*>[\s\S]*text="好的" resource-id="com\.demo\.webnotice:id\/ok" class="android\.view\.View"[^>]*clickable="false"/);
    // Not clickable to uiautomator, but the page gets the touch.
    const ok = web.sys.screen()!.nodes[0]!.children.find((n) => n.key === 'ok')!;
    web.sys.tap((ok.bounds[0] + ok.bounds[2]) / 2, (ok.bounds[1] + ok.bounds[3]) / 2);
    expect(web.sys.screen()!.nodes[0]!.text).toBe('首页 · 今日特价');

    const sw = boot('pre-ticked-switch');
    sw.sys.launch('com.demo.switch', 'am');
    expect(uiautomatorXml(sw.sys.screen()!, 1080, 2400)).toMatch(/class="android\.widget\.Switch" package="com\.demo\.switch" content-desc="" checkable="true" checked="true"/);
  });

  it('compliant-app: nothing sensitive before consent, location only after the user asks', async () => {
    const { sys, clock } = boot('compliant-app');
    sys.launch('com.demo.compliant', 'am');
    await clock.advance(60_000);
    expect(sys.appOps.cmdGet('com.demo.compliant')).toBe('No operations.\n');
    expect(sys.pendingDialogs).toBe(0);
    tapNode(sys, 'agree');
    tapNode(sys, 'nearby');
    expect(sys.pendingDialogs).toBe(1);
  });

  it('update-grants-permission: the store update turns READ_CONTACTS on', async () => {
    const { sys, clock } = boot('update-grants-permission');
    sys.launch('com.demo.chat', 'am');
    tapNode(sys, 'agree');
    await clock.advance(3500);
    expect(sys.pm.get('com.demo.chat')!.versionCode).toBe(13);
    expect(sys.pm.dump('com.demo.chat', 480)).toMatch(/android\.permission\.READ_CONTACTS: granted=true/);
    expect(logText(sys)).toMatch(/Package com\.demo\.chat installed: uid=\d+ installer=com\.android\.vending/);
  });

  it('remembers consent: a relaunch without clearing data shows home, after clear data the dialog again', async () => {
    const { sys } = boot('collects-after-decline');
    sys.launch('com.demo.news', 'am');
    tapNode(sys, 'agree');
    sys.forceStop('com.demo.news');
    sys.launch('com.demo.news', 'am');
    expect(sys.screen()!.nodes.some((n) => n.key === 'agree')).toBe(false);
    sys.clearData('com.demo.news');
    sys.launch('com.demo.news', 'am');
    expect(sys.screen()!.nodes.some((n) => n.key === 'agree')).toBe(true);
  });

  it('undisclosed-sdk: the policy page scrolls by swipes and stops at its end; after consent the SDKs start their own processes', async () => {
    const { sys, clock } = boot('undisclosed-sdk');
    sys.launch('com.demo.shop', 'am');
    await clock.advance(100);
    tapNode(sys, 'policyLink');
    const doc = (): { first: string; last: string; all: string[] } => {
      const web = sys.screen()!.nodes.find((n) => n.scrollable)!;
      return { first: web.children[0]!.text, last: web.children[web.children.length - 1]!.text, all: web.children.map((c) => c.text) };
    };
    expect(doc().first).toBe('好物商城隐私政策');
    const pages = [doc()];
    for (let i = 0; i < 6; i++) {
      sys.swipe(540, 1900, 540, 550);
      pages.push(doc());
    }
    expect(pages[0]!.all).toContain(pages[1]!.first); // pages overlap: nothing is skipped
    expect(pages[pages.length - 1]!.last).toBe('如您有任何疑问，请发送邮件至 privacy@haowu.example。');
    expect(pages[pages.length - 1]).toEqual(pages[pages.length - 2]); // the end does not scroll past
    sys.swipe(540, 550, 540, 1900);
    expect(doc().first).not.toBe(pages[pages.length - 1]!.first);
    tapNode(sys, 'back');
    tapNode(sys, 'agree');
    await clock.advance(1000);
    const starts = sys.log.all().filter((e) => e.tag === 'ActivityManager' && e.message.startsWith('Start proc')).map((e) => e.message);
    expect(starts).toEqual(expect.arrayContaining([expect.stringMatching(/:com\.demo\.shop:pushcore\/u0a\d+ for service \{com\.demo\.shop\/cn\.jpush\.android\.service\.PushService\}/), expect.stringMatching(/:com\.demo\.shop:pushservice\/.*com\.igexin\.sdk\.PushService/)]));
  });

  it('revoking a granted permission kills the app', async () => {
    const { sys } = boot('background-location');
    sys.launch('com.demo.weather', 'am');
    sys.pm.setGranted('com.demo.weather', 'android.permission.ACCESS_FINE_LOCATION', true);
    sys.revokePermission('com.demo.weather', 'android.permission.ACCESS_FINE_LOCATION');
    expect(sys.am.processOf('com.demo.weather')).toBeUndefined();
    expect(logText(sys)).toMatch(/permissions revoked/);
  });

  it('the phone is not silent: other apps log, start, ask for permissions and start each other', async () => {
    const { sys, clock } = boot('compliant-app');
    await clock.advance(20_000);
    const log = logText(sys);
    expect(log).toMatch(/SystemServer: Entered the Android system server!/);
    expect(log).toMatch(/Start proc \d+:com\.eg\.android\.AlipayGphone\/u0a\d+ for service/);
    expect(log).toMatch(/callingPackage=com\.google\.android\.gms permission=android\.permission\.ACCESS_COARSE_LOCATION/);
    expect(log).toMatch(/Background started FGS: Allowed \[callingPackage: com\.autonavi\.minimap/);
    expect(log).toMatch(/reportAccessDeniedToReadIdentifiers:com\.ss\.android\.ugc\.aweme/);
    expect(sys.appOps.cmdGet('com.ss.android.ugc.aweme')).toMatch(/COARSE_LOCATION/);
    // None of it is the app under test's.
    expect(sys.appOps.cmdGet('com.demo.compliant')).toBe('No operations.\n');
  });

  it('the explorer\'s scenarios (issue #29) say what a walk finds, and every explorer item they violate is in it', () => {
    const template = loadTemplateFile(join(__dirname, '../../../../resources/templates/miit-164.yaml'));
    const exploreItems = new Set(template.template.items.filter((i) => i.evaluator?.name.startsWith('explore-')).map((i) => i.id));
    const walked = listScenarios(dir).scenarios.map((s) => loadScenarioFile(s.file)).filter((s) => s.explore);
    expect(walked.map((s) => s.id).sort()).toEqual(['account-deletion-by-phone-only', 'ad-close-delayed', 'personalisation-switch-reverts', 'policy-five-taps-deep']);
    for (const s of listScenarios(dir).scenarios.map((x) => loadScenarioFile(x.file))) {
      const byExplorer = s.violates.filter((v) => exploreItems.has(v));
      if (byExplorer.length) expect(s.explore, `${s.id} violates ${byExplorer.join(', ')}: what the explorer finds is declared`).toBeDefined();
    }
    // Each shows one thing: one explorer item violated, every target found.
    for (const s of walked) {
      expect(s.violates.filter((v) => exploreItems.has(v)), s.id).toHaveLength(1);
      for (const [target, path] of Object.entries(s.explore!.targets)) expect(path, `${s.id} ${target}`).not.toBeNull();
    }
    expect(walked.find((s) => s.id === 'policy-five-taps-deep')!.explore!.targets['privacy-policy']).toHaveLength(5);
  });

  it('personalisation-switch-reverts: the switch turned off comes back on by itself 10 s later', async () => {
    const { sys, clock } = boot('personalisation-switch-reverts');
    sys.launch('com.demo.clips', 'am');
    tapNode(sys, 'agree');
    for (const key of ['tabMine', 'settingsRow', 'privacyRow']) tapNode(sys, key);
    expect(findNode(sys, 'personalSwitch')).toMatchObject({ checkable: true, checked: true });
    tapNode(sys, 'personalSwitch');
    expect(findNode(sys, 'personalSwitch')!.checked).toBe(false);
    await clock.advance(9_900);
    expect(findNode(sys, 'personalSwitch')!.checked).toBe(false);
    await clock.advance(200);
    expect(findNode(sys, 'personalSwitch')!.checked).toBe(true);
  });

  it('ad-close-delayed: at a start after consent an ad covers the main screen, its 关闭 only 10 s later', async () => {
    const { sys, clock } = boot('ad-close-delayed');
    sys.launch('com.demo.ledger', 'am');
    tapNode(sys, 'agree');
    expect(findNode(sys, 'adPanel')).toBeUndefined(); // not on the first run's main screen
    sys.forceStop('com.demo.ledger');
    sys.launch('com.demo.ledger', 'am');
    await clock.advance(100);
    expect(findNode(sys, 'adText')!.text).toBe('限时福利：新人领取理财红包');
    expect(findNode(sys, 'adClose')).toBeUndefined();
    await clock.advance(9_800);
    expect(findNode(sys, 'adClose')).toBeUndefined();
    await clock.advance(200);
    tapNode(sys, 'adClose');
    expect(findNode(sys, 'adPanel')).toBeUndefined();
    expect(findNode(sys, 'tabMine')).toBeDefined();
  });

  it('reads-clipboard-at-launch records READ_CLIPBOARD at launch and on return', async () => {
    const { sys, clock } = boot('reads-clipboard-at-launch');
    sys.launch('com.demo.mall', 'am');
    await clock.advance(10);
    expect(sys.appOps.cmdGet('com.demo.mall')).toMatch(/^READ_CLIPBOARD: allow; time=/);
  });
});

describe('invalid scenario files', () => {
  it('names the line and field that is wrong', () => {
    const text = 'id: bad\nname: x\ndescription: y\napps:\n  - package: com.ok.app\n    label: App\n    permissions: [android.permission.CAMERA]\n    behaviour:\n      - on: launch\n        do:\n          - access: lowercase_op\n';
    expect(() => parseScenario(text, 'bad.yaml')).toThrow(/bad\.yaml:11:21: apps\.0\.behaviour\.0\.do\.0/);
  });
  it('rejects references to screens that do not exist and YAML syntax errors', () => {
    expect(() => parseScenario('id: x\nname: a\ndescription: b\napps:\n  - package: com.a.b\n    label: L\n    behaviour:\n      - on: launch\n        do: [{ show: nowhere }]\n', 's.yaml')).toThrow(/no screen "nowhere"/);
    expect(() => parseScenario('id: [unclosed\n', 's.yaml')).toThrow(/s\.yaml:\d+/);
  });
  it('an explore block names labels the app shows, every target, and a switch only with the personalisation target', () => {
    const app = 'apps:\n  - package: com.a.b\n    label: L\n    screens:\n      - id: home\n        nodes:\n          - { id: me, style: button, text: { zh: 我的, en: Me }, bounds: [0, 0, 10, 10] }\n';
    const targets = (policy: string, personalisation = 'null'): string => `  targets: { privacy-policy: ${policy}, account-deletion: null, pi-rights: null, complaints: null, consent-withdrawal: null, personalisation: ${personalisation} }\n`;
    const scenario = (explore: string): string => `id: x\nname: a\ndescription: b\nexplore:\n${explore}${app}`;
    expect(parseScenario(scenario(targets('[我的]')), 's.yaml').explore!.targets['privacy-policy']).toEqual(['我的']);
    expect(parseScenario(scenario(targets('[Me]')), 's.yaml').explore!.targets['privacy-policy']).toEqual(['Me']);
    expect(() => parseScenario(scenario(targets('[我的, 设置]')), 's.yaml')).toThrow(/s\.yaml:5: explore\.targets\.privacy-policy\.1: no node of com\.a\.b says "设置"/);
    expect(() => parseScenario(scenario('  targets: { privacy-policy: null }\n'), 's.yaml')).toThrow(/explore\.targets/);
    expect(() => parseScenario(scenario(`${targets('null')}  switch: back-on\n`), 's.yaml')).toThrow(/explore\.switch: a switch state needs the personalisation target/);
    expect(parseScenario(scenario(`${targets('null', '[我的]')}  switch: back-on\n  adCloseAfter: 10s\n`), 's.yaml').explore).toMatchObject({ switch: 'back-on', adCloseAfter: 10_000 });
  });
});
