/**
 * The demo phone of the UI: one virtual phone at a time, playing a shipped scenario, connected to the adb
 * server so it appears like any phone; and its slice of the API (scenarios, start, stop, status).
 */
import { join } from 'node:path';
import type { ScenarioInfo, VirtualDeviceStatus } from '../../../src-preload/api.js';
import type { EventHub } from '../../bridge/event-hub.js';
import type { Handlers } from '../../bridge/dispatcher.js';
import type { AdbService } from '../adb/adb-service.js';
import { resourcesDir } from '../resources-dir.js';
import { listScenarios, loadScenarioFile } from './scenario/load-scenario.js';
import type { VirtualDevice } from './virtual-device.js';

export class DemoPhone {
  private device: VirtualDevice | null = null;
  private scenario: string | null = null;

  constructor(private hub: EventHub, private adb: AdbService) {}

  get serial(): string | null {
    return this.device?.serial ?? null;
  }

  status(): VirtualDeviceStatus {
    return { running: !!this.device, serial: this.device?.serial ?? null, scenarioId: this.scenario };
  }

  scenarios(): ScenarioInfo[] {
    return listScenarios(join(resourcesDir(), 'scenarios')).scenarios.map(({ id, name, description, violates }) => ({ id, name, description, violates }));
  }

  async start(scenario: string): Promise<VirtualDeviceStatus> {
    const bridge = this.adb.requireBridge();
    await this.stop();
    // The virtual phone's code loads when a trainer first starts it, not with every workbench.
    const { VirtualDevice } = await import('./virtual-device.js');
    const device = new VirtualDevice({ scenario: loadScenarioFile(join(resourcesDir(), 'scenarios', `${scenario}.yaml`)) });
    await device.start();
    this.device = device;
    this.scenario = scenario;
    try {
      await bridge.connect(device.host, device.port);
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.hub.emit('virtualDevice', this.status());
    await this.adb.watcher?.refresh();
    return this.status();
  }

  async stop(): Promise<void> {
    const device = this.device;
    if (!device) return;
    this.device = null;
    this.scenario = null;
    await device.stop();
    await this.adb.bridge?.disconnect(device.host, device.port).catch(() => {});
    this.hub.emit('virtualDevice', this.status());
    await this.adb.watcher?.refresh();
  }

  handlers(): Pick<Handlers, 'virtualDevice.scenarios' | 'virtualDevice.start' | 'virtualDevice.stop' | 'virtualDevice.status'> {
    return {
      'virtualDevice.scenarios': async () => this.scenarios(),
      'virtualDevice.start': async ({ scenario }) => this.start(scenario),
      'virtualDevice.stop': async () => (await this.stop(), this.status()),
      'virtualDevice.status': async () => this.status(),
    };
  }
}
