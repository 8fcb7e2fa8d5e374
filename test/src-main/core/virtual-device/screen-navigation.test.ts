// The virtual phone's back stack and the nodes an app changes, on the virtual clock (the device test,
// navigation.device.test.ts, walks the same through adb): which screens stack, a scenario's own BACK keeps
// precedence, and the loader refuses reveal/hide/setChecked of nodes that do not exist.
import { describe, expect, it } from 'vitest';
import { VirtualClock, VirtualDevice, parseScenario } from '../../../../src-main/core/virtual-device/index.js';
import { ScreenBackStack } from '../../../../src-main/core/virtual-device/android/screen-stack.js';

const HEAD = 'id: x\nname: a\ndescription: b\ndevice: { noise: false }\napps:\n  - package: com.a.b\n    label: L\n';

describe('ScreenBackStack', () => {
  it('stacks screens of other activities, replaces those of the same, and goes back to a screen already on it', () => {
    const s = new ScreenBackStack();
    s.restart('p');
    s.open('p', { id: 'old' }, { id: 'consent' });
    s.open('p', { id: 'consent' }, { id: 'home' });
    expect(s.under('p')).toEqual([]);
    s.open('p', { id: 'home' }, { id: 'settings', activity: '.SettingsActivity' });
    s.open('p', { id: 'settings', activity: '.SettingsActivity' }, { id: 'about', activity: '.AboutActivity' });
    expect(s.under('p')).toEqual(['home', 'settings']);
    s.open('p', { id: 'about', activity: '.AboutActivity' }, { id: 'settings', activity: '.SettingsActivity' });
    expect(s.under('p')).toEqual(['home']);
    expect(s.pop('p')).toBe('home');
    expect(s.pop('p')).toBeUndefined();
  });
});

describe('BACK in a scenario app', () => {
  const screens = '    screens:\n      - { id: main, nodes: [{ id: go, style: button, text: Go, bounds: [0, 0, 500, 500] }] }\n' +
    '      - { id: page, activity: .PageActivity, nodes: [{ id: t, style: title, text: Page, bounds: [0, 0, 500, 200] }] }\n';
  const walk = (extra: string): VirtualDevice => {
    const device = new VirtualDevice({ scenario: parseScenario(`${HEAD}${screens}    behaviour:\n      - on: launch\n        do: [{ show: main }]\n      - on: { tap: go }\n        do: [{ show: page }]\n${extra}`), clock: new VirtualClock() });
    device.system.launch('com.a.b', 'am');
    device.system.tap(100, 100);
    return device;
  };
  it('returns to the screen under the current one, then leaves the app from its first screen', () => {
    const sys = walk('').system;
    expect(sys.screenOf('com.a.b')).toBe('page');
    sys.key('4');
    expect(sys.screenOf('com.a.b')).toBe('main');
    expect(sys.am.foreground).toBe('com.a.b');
    sys.key('4');
    expect(sys.am.foreground).toBeNull();
  });
  it("is the scenario's own when it declares on: {key: BACK}: no screen is popped", () => {
    const sys = walk('      - on: { key: BACK }\n        do: [{ log: { tag: T, message: back } }]\n').system;
    sys.key('4');
    expect(sys.am.foreground).toBeNull();
    expect(sys.screenOf('com.a.b')).toBe('page');
    expect(sys.log.all().some((e) => e.tag === 'T')).toBe(true);
  });
});

describe('nodes an app changes', () => {
  it('refuses reveal, hide and setChecked of a node or screen that does not exist', () => {
    const app = '    screens:\n      - { id: main, nodes: [{ id: ad, style: button, text: X, bounds: [0, 0, 10, 10], hidden: true }] }\n    behaviour:\n      - on: launch\n        do: ';
    expect(() => parseScenario(`${HEAD}${app}[{ reveal: { node: nothing } }]\n`, 's.yaml')).toThrow(/no node "nothing" on any screen/);
    expect(() => parseScenario(`${HEAD}${app}[{ hide: { node: ad, screen: elsewhere } }]\n`, 's.yaml')).toThrow(/no screen "elsewhere"/);
    expect(() => parseScenario(`${HEAD}${app}[{ setChecked: { node: nothing, checked: true } }]\n`, 's.yaml')).toThrow(/no node "nothing"/);
    expect(() => parseScenario(`${HEAD}${app}[{ reveal: { node: ad } }]\n`, 's.yaml')).not.toThrow();
  });
});

describe('a scrolling list', () => {
  // Rows 200 px tall from y 400; the list shows y 400..1000 (three rows); the ninth row ends at 2200.
  const rows = Array.from({ length: 9 }, (_, i) => `{ id: r${i}, style: button, text: Row ${i}, bounds: [0, ${400 + i * 200}, 1080, ${600 + i * 200}] }`).join(', ');
  const phone = (): VirtualDevice => {
    const yaml = `${HEAD}    screens:\n      - { id: main, nodes: [{ id: list, style: panel, scrollable: true, bounds: [0, 400, 1080, 1000], children: [${rows}] }] }\n      - { id: other, activity: .OtherActivity, nodes: [{ id: t, style: title, text: Other, bounds: [0, 0, 500, 200] }] }\n` +
      '    behaviour:\n      - on: launch\n        do: [{ show: main }]\n      - on: { tap: r8 }\n        do: [{ show: other }]\n';
    const device = new VirtualDevice({ scenario: parseScenario(yaml), clock: new VirtualClock() });
    device.system.launch('com.a.b', 'am');
    return device;
  };
  const inView = (d: VirtualDevice) => d.system.screen()!.nodes[0]!.children.map((n) => [n.text, n.bounds[1], n.bounds[3]]);

  it('shows the rows in view (cut at its edges), scrolls by the finger, and stops at its last row', () => {
    const d = phone();
    const list = d.system.screen()!.nodes[0]!;
    expect([list.scrollable, list.className]).toEqual([true, 'androidx.recyclerview.widget.RecyclerView']);
    expect(inView(d)).toEqual([['Row 0', 400, 600], ['Row 1', 600, 800], ['Row 2', 800, 1000]]);
    d.system.swipe(540, 900, 540, 600, 500); // 300 px up: the list moves 300 px
    expect(inView(d)).toEqual([['Row 1', 400, 500], ['Row 2', 500, 700], ['Row 3', 700, 900], ['Row 4', 900, 1000]]);
    for (let i = 0; i < 10; i++) d.system.swipe(540, 900, 540, 500, 500);
    expect(inView(d).at(-1)).toEqual(['Row 8', 776, 976]); // its end, 24 px of padding below
    d.system.tap(540, 800);
    expect(d.system.screenOf('com.a.b')).toBe('other');
    // Back to it keeps where it was; a cold start begins at its top.
    d.system.key('4');
    expect(inView(d).at(-1)).toEqual(['Row 8', 776, 976]);
    d.system.forceStop('com.a.b');
    d.system.launch('com.a.b', 'am');
    expect(inView(d)[0]).toEqual(['Row 0', 400, 600]);
  });
});

describe('a crash and a screen that goes off, as a scenario plays them', () => {
  it('crash: AndroidRuntime lines, the process gone, the launcher in front; screenOff: the screen dark until woken', () => {
    const yaml = `${HEAD}    screens:\n      - { id: main, nodes: [{ id: boom, style: button, text: Boom, bounds: [0, 0, 500, 500] }, { id: dark, style: button, text: Dark, bounds: [0, 600, 500, 1000] }] }\n` +
      '    behaviour:\n      - on: launch\n        do: [{ show: main }]\n      - on: { tap: boom }\n        do: [{ crash: true }]\n      - on: { tap: dark }\n        do: [{ screenOff: true }]\n';
    const d = new VirtualDevice({ scenario: parseScenario(yaml), clock: new VirtualClock() });
    d.system.launch('com.a.b', 'am');
    d.system.tap(100, 800);
    expect(d.system.screen()).toBeNull();
    d.system.key('KEYCODE_WAKEUP');
    expect(d.system.screen()?.packageName).toBe('com.a.b');
    const pid = d.system.am.processOf('com.a.b')!.pid;
    d.system.tap(100, 100);
    expect(d.system.am.processOf('com.a.b')).toBeUndefined();
    expect(d.system.am.foreground).toBeNull();
    expect(d.system.screen()?.packageName).toBe('com.android.launcher3');
    expect(d.system.log.all().filter((e) => e.tag === 'AndroidRuntime').map((e) => e.message).slice(0, 2)).toEqual(['FATAL EXCEPTION: main', `Process: com.a.b, PID: ${pid}`]);
  });
});
