// A scenario app that takes the phone down (`dropConnection`): launched, it drops every ADB connection and the
// phone answers again after the scenario's time, as a phone that crashed; a phone stopped while away stays stopped.
import { createConnection, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualDevice, parseScenario } from '../../../../src-main/core/virtual-device/index.js';
import { waitFor } from '../../../support/adb-server.js';

const yaml = 'id: x\nname: a\ndescription: b\ndevice: { noise: false }\napps:\n  - package: com.a.crash\n    label: L\n' +
  '    screens:\n      - { id: main, nodes: [{ id: t, style: title, text: Hi, bounds: [0, 0, 500, 200] }] }\n' +
  '    behaviour:\n      - on: launch\n        do: [{ show: main }, { dropConnection: 800ms }]\n';

/** Whether the phone's port takes a TCP connection now (its socket, left open), or refuses it (null). */
function dial(port: number): Promise<Socket | null> {
  return new Promise((res) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => res(s));
    s.once('error', () => res(null));
  });
}

const devices: VirtualDevice[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.stop();
});

describe('dropConnection', () => {
  it('drops every connection when the app starts, refuses new ones while away, and listens again after', async () => {
    const d = new VirtualDevice({ scenario: parseScenario(yaml) });
    devices.push(d);
    await d.start();
    const port = d.port;
    const held = (await dial(port))!;
    expect(held).not.toBeNull();
    const closed = new Promise<void>((res) => held.once('close', () => res()));
    const t0 = Date.now();
    d.system.launch('com.a.crash', 'am');
    await closed;
    expect(await dial(port)).toBeNull();
    const back = await waitFor('the phone to listen again', () => dial(port), 10_000, 50);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(750);
    back.destroy();
    expect(d.player.played.map((p) => p.action)).toEqual(['show', 'dropConnection']);
  });

  it('leaves a phone stopped while it is away stopped', async () => {
    const d = new VirtualDevice({ scenario: parseScenario(yaml) });
    await d.start();
    const port = d.port;
    const away = d.unplug(300);
    await d.stop();
    await away;
    expect(await dial(port)).toBeNull();
  });
});
