// The live device list through the real adb server: the virtual phone appears with its model, an
// unauthorized phone says so, and a phone that vanishes leaves the list within 3 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbkitBridge, DeviceWatcher } from '../../../../src-main/core/adb/index.js';
import { probeTcp } from '../../../../src-main/core/adb/device-watcher.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';
import { VirtualDevice, loadScenarioFile } from '../../../../src-main/core/virtual-device/index.js';
import { SCENARIOS } from '../../../support/virtual-phone.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSilentPhone } from '../../../support/silent-phone.js';
import { createServer, type AddressInfo } from 'node:net';
import { DeviceConnection } from '../../../../src-main/core/virtual-device/protocol/connection.js';

let adb: TestAdbServer;
let watcher: DeviceWatcher;

beforeAll(async () => {
  adb = await startAdbServer();
  watcher = new DeviceWatcher(new AdbkitBridge('adb', adb.port));
  watcher.start();
});
afterAll(async () => {
  watcher?.stop();
  await adb?.kill();
});

describe('DeviceWatcher', () => {
  it('shows a connected phone with its model within 2 s and drops it within 3 s of it vanishing', async () => {
    const phone = await startPhone(adb, 'pre-ticked-consent');
    const t0 = Date.now();
    const seen = await waitFor('model', async () => watcher.devices.find((d) => d.serial === phone.serial && d.model), 2000);
    expect(seen).toMatchObject({ state: 'device', transport: 'tcp', model: 'HUAWEI Mate 60', manufacturer: 'HUAWEI', androidVersion: '13', sdk: 33 });
    expect(Date.now() - t0).toBeLessThan(2000);
    await phone.stop();
    const t1 = Date.now();
    await waitFor('gone', async () => !watcher.devices.some((d) => d.serial === phone.serial), 3000);
    expect(Date.now() - t1).toBeLessThan(3000);
  });

  it('reports an unauthorized phone with what to do', async () => {
    const phone = new VirtualDevice({ scenario: loadScenarioFile(join(SCENARIOS, 'compliant-app.yaml')), requireAuth: true });
    await phone.start();
    await adb.adb(['connect', phone.serial]).catch(() => undefined);
    const d = await waitFor('unauthorized', async () => watcher.devices.find((x) => x.serial === phone.serial && x.state === 'unauthorized'), 8000);
    expect(d.hintKey).toBe('device.hint.unauthorized');
    await adb.adb(['disconnect', phone.serial]);
    await phone.stop();
  });

  it('lists a device that answers nonsense, without details and without crashing', async () => {
    // A real ADB transport whose every shell answer is binary junk (a broken or hostile phone).
    const server = createServer((socket) => {
      new DeviceConnection(socket, {
        banner: () => 'device::ro.product.name=junk;ro.product.model=Junk;ro.product.device=junk;features=',
        requireAuth: false,
        openService: () => (stream) => stream.end(Buffer.from([0, 255, 27, 91, 50, 74, 0xc3, 0x28, 10, 0])),
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const serial = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    await adb.adb(['connect', serial]);
    const d = await waitFor('junk device', async () => watcher.devices.find((x) => x.serial === serial && x.state === 'device'), 3000);
    await new Promise((r) => setTimeout(r, 500));
    expect(watcher.devices.find((x) => x.serial === serial)).toMatchObject({ model: null, manufacturer: null, sdk: null });
    expect(d.hintKey).toBeNull();
    await adb.adb(['disconnect', serial]);
    server.close();
  });

  it('says a phone that never answers getprop does not answer, in both languages, and does not re-ask it every second', async () => {
    const silent = await startSilentPhone();
    await adb.adb(['connect', silent.serial]);
    const d = await waitFor('not answering', async () => watcher.devices.find((x) => x.serial === silent.serial && x.hintKey === 'device.hint.notAnswering'), 8000);
    expect(d).toMatchObject({ state: 'device', model: null, hintKey: 'device.hint.notAnswering' });
    // Asked once (timed out after 5 s), then left alone for the first pause.
    await new Promise((r) => setTimeout(r, 3000));
    expect(silent.services.filter((s) => s === 'shell:getprop')).toHaveLength(1);
    for (const lang of ['en', 'zh-CN']) {
      const catalogue = JSON.parse(readFileSync(join(__dirname, `../../../../src-renderer/src/locales/${lang}.json`), 'utf8')) as { device: { hint: Record<string, string> } };
      expect(catalogue.device.hint.notAnswering).toMatch(/\S{10}/);
    }
    await adb.adb(['disconnect', silent.serial]);
    await silent.stop();
  }, 20_000);

  it('restarts a killed adb server and recovers the list', async () => {
    const phone = await startPhone(adb, 'compliant-app');
    await waitFor('listed', async () => watcher.devices.some((d) => d.serial === phone.serial), 2000);
    await adb.adb(['kill-server']);
    // Probe the port without the adb CLI (which would start the server itself): the watcher must restart it.
    await waitFor('server restarted by the watcher', () => probeTcp(`127.0.0.1:${adb.port}`, 200), 8000, 200);
    await adb.adb(['connect', phone.serial]);
    await waitFor('relisted', async () => watcher.devices.some((d) => d.serial === phone.serial && d.state === 'device'), 8000);
    await phone.stop();
  }, 20_000);
});
