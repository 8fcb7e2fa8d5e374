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
