// The device side of the ADB transport, driven by a raw host: maxdata negotiation, strict per-stream flow
// control, reassembly of host data split across WRTEs, reset on a new CNXN, refused services, many streams.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualDevice, loadScenarioFile } from '../../../../src-main/core/virtual-device/index.js';
import { A_CLSE, A_CNXN, A_OKAY, A_OPEN, A_VERSION, A_WRTE } from '../../../../src-main/core/virtual-device/protocol/packet.js';
import { RawAdbHost } from '../../../support/raw-adb-host.js';
import { SCENARIOS } from '../../../support/virtual-phone.js';

let phone: VirtualDevice;
beforeAll(async () => {
  phone = new VirtualDevice({ scenario: loadScenarioFile(join(SCENARIOS, 'compliant-app.yaml')) });
  await phone.start();
});
afterAll(async () => phone?.stop());

const service = (s: string): Buffer => Buffer.from(`${s}\0`);

describe('ADB transport (device side)', () => {
  it('answers CNXN with the banner and the smaller maxdata, and keeps WRTEs within it', async () => {
    const host = await RawAdbHost.open(phone.port, 4096);
    const { packet: cnxn } = await host.next((p) => p.command === A_CNXN);
    expect(cnxn.arg0).toBe(A_VERSION);
    expect(cnxn.arg1).toBe(4096);
    expect(cnxn.data.toString()).toBe('device::ro.product.name=panther;ro.product.model=Pixel 7;ro.product.device=panther;features=');
    host.send(A_OPEN, 11, 0, service('shell:cat /proc/nothing; logcat -d -b all'));
    const { packet: okay } = await host.next((p) => p.command === A_OKAY && p.arg1 === 11);
    // Acknowledge every WRTE until the device closes the stream.
    let from = 0;
    for (;;) {
      const { packet, index } = await host.next((p) => p.arg1 === 11 && (p.command === A_WRTE || p.command === A_CLSE), from);
      from = index + 1;
      if (packet.command === A_CLSE) break;
      expect(packet.data.length).toBeLessThanOrEqual(4096);
      host.send(A_OKAY, 11, okay.arg0);
    }
    host.close();
  });

  it('never sends a second WRTE on a stream before the host OKAYs the first', async () => {
    const host = await RawAdbHost.open(phone.port);
    await host.next((p) => p.command === A_CNXN);
    host.send(A_OPEN, 21, 0, service('shell:logcat -b all'));
    const { packet: okay } = await host.next((p) => p.command === A_OKAY && p.arg1 === 21);
    for (let i = 0; i < 3000; i++) phone.system.log.append({ pid: 1, priority: 4, tag: 'Flow', message: `line ${i} ${'z'.repeat(200)}` });
    const first = await host.next((p) => p.command === A_WRTE && p.arg1 === 21);
    await new Promise((r) => setTimeout(r, 300));
    expect(host.packets.filter((p) => p.command === A_WRTE && p.arg1 === 21)).toHaveLength(1);
    host.send(A_OKAY, 21, okay.arg0);
    await host.next((p) => p.command === A_WRTE && p.arg1 === 21, first.index + 1);
    host.send(A_CLSE, 21, okay.arg0);
    host.close();
  });

  it('reassembles a sync SEND split into one-byte WRTEs', async () => {
    const host = await RawAdbHost.open(phone.port);
    await host.next((p) => p.command === A_CNXN);
    host.send(A_OPEN, 31, 0, service('sync:'));
    const { packet: okay } = await host.next((p) => p.command === A_OKAY && p.arg1 === 31);
    const path = Buffer.from('/sdcard/split.txt,33188');
    const body = Buffer.from('reassembled across WRTE boundaries');
    const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
    const request = Buffer.concat([Buffer.from('SEND'), u32(path.length), path, Buffer.from('DATA'), u32(body.length), body, Buffer.from('DONE'), u32(1_700_000_000)]);
    for (const byte of request) host.send(A_WRTE, 31, okay.arg0, Buffer.from([byte]));
    const { packet } = await host.next((p) => p.command === A_WRTE && p.arg1 === 31);
    expect(packet.data.subarray(0, 4).toString()).toBe('OKAY');
    expect(phone.system.fs.readFile('/sdcard/split.txt')!.toString()).toBe(body.toString());
    expect(host.packets.filter((p) => p.command === A_OKAY && p.arg1 === 31).length).toBe(1 + request.length);
    host.close();
  });

  it('drops every stream on a new CNXN and serves new ones', async () => {
    const host = await RawAdbHost.open(phone.port);
    await host.next((p) => p.command === A_CNXN);
    host.send(A_OPEN, 41, 0, service('shell:logcat'));
    const { packet: okay } = await host.next((p) => p.command === A_OKAY && p.arg1 === 41);
    host.send(A_CNXN, A_VERSION, 256 * 1024, Buffer.from('host::'));
    const { index } = await host.next((p) => p.command === A_CNXN, host.packets.indexOf(okay) + 1);
    phone.system.log.append({ pid: 1, priority: 4, tag: 'After', message: 'reset' });
    host.send(A_OPEN, 42, 0, service('shell:echo fresh'));
    const { packet } = await host.next((p) => p.command === A_WRTE && p.arg1 === 42, index);
    expect(packet.data.toString()).toBe('fresh\n');
    expect(host.packets.slice(index).some((p) => p.arg1 === 41 && p.command === A_WRTE)).toBe(false);
    host.close();
  });

  it('refuses unknown services with CLSE(0, id), as adbd does', async () => {
    const host = await RawAdbHost.open(phone.port);
    await host.next((p) => p.command === A_CNXN);
    for (const [id, name] of [[51, 'root:'], [52, 'tcpip:5555'], [53, 'jdwp:1234'], [54, 'framebuffer:']] as const) {
      host.send(A_OPEN, id, 0, service(name));
      const { packet } = await host.next((p) => p.arg1 === id);
      expect([packet.command, packet.arg0]).toEqual([A_CLSE, 0]);
    }
    host.close();
  });

  it('serves 200 concurrent streams on one connection', async () => {
    const host = await RawAdbHost.open(phone.port);
    await host.next((p) => p.command === A_CNXN);
    for (let id = 100; id < 300; id++) host.send(A_OPEN, id, 0, service(`shell:echo stream-${id}`));
    for (let id = 100; id < 300; id++) {
      const { packet } = await host.next((p) => p.command === A_WRTE && p.arg1 === id);
      expect(packet.data.toString()).toBe(`stream-${id}\n`);
    }
    host.close();
  });
});
