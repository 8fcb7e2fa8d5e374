/**
 * The demo phone of the UI: one virtual phone at a time, playing a shipped scenario, connected to the adb
 * server so it appears like any phone; and its slice of the API (scenarios, start, stop, status). A scenario
 * whose apps send requests brings its virtual internet up with the phone (VirtualDevice does), so the demo's
 * SDKs reach their stand-in servers; a session's proxy reaches them through `internet`.
 */
import { join } from 'node:path';
import type { RomProfileInfo, ScenarioInfo, VirtualDeviceStatus } from '../../../src-preload/api.js';
import type { EventHub } from '../../bridge/event-hub.js';
import type { Handlers } from '../../bridge/dispatcher.js';
import type { AdbService } from '../adb/adb-service.js';
import { resourcesDir } from '../resources-dir.js';
import { listScenarios, loadScenarioFile } from './scenario/load-scenario.js';
import { romProfile, romProfiles } from './rom/rom-profiles.js';
import { DEFAULT_ROM_PROFILE } from './rom/rom-profile.js';
import type { VirtualDevice } from './virtual-device.js';
import type { UpstreamConnector } from '../network/contracts.js';
import type { ServedRequest } from './internet/virtual-internet.js';

export class DemoPhone {
  private device: VirtualDevice | null = null;
  private scenario: string | null = null;
  private profile: string | null = null;

  constructor(private hub: EventHub, private adb: AdbService) {}

  get serial(): string | null {
    return this.device?.serial ?? null;
  }

  /**
   * The running demo phone's virtual internet, or null: `connector` is the upstream a workbench proxy needs to
   * reach its stand-in servers (their names resolve nowhere else), `caPem` the CA an interceptor must trust upstream,
   * `requests` what the servers were sent (a trainer's check of what left the phone).
   */
  get internet(): { serial: string; connector: UpstreamConnector; caPem: string; requests: readonly ServedRequest[] } | null {
    const device = this.device;
    const internet = device?.internet;
    return device && internet ? { serial: device.serial, connector: internet.connector, caPem: internet.caPem, requests: internet.requests } : null;
  }

  status(): VirtualDeviceStatus {
    return { running: !!this.device, serial: this.device?.serial ?? null, scenarioId: this.scenario, profileId: this.profile };
  }

  profiles(): RomProfileInfo[] {
    return romProfiles().map(({ id, name, description }) => ({ id, name, description }));
  }

  scenarios(): ScenarioInfo[] {
    return listScenarios(join(resourcesDir(), 'scenarios')).scenarios.map(({ id, name, description, violates }) => ({ id, name, description, violates }));
  }

  async start(scenario: string, profile: string = DEFAULT_ROM_PROFILE): Promise<VirtualDeviceStatus> {
    const bridge = this.adb.requireBridge();
    const rom = romProfile(profile);
    await this.stop();
    // The virtual phone's code loads when a trainer first starts it, not with every workbench.
    const { VirtualDevice } = await import('./virtual-device.js');
    const device = new VirtualDevice({ scenario: loadScenarioFile(join(resourcesDir(), 'scenarios', `${scenario}.yaml`)), profile: rom.id });
    await device.start();
    this.device = device;
    this.scenario = scenario;
    this.profile = rom.id;
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
    this.profile = null;
    await device.stop();
    await this.adb.bridge?.disconnect(device.host, device.port).catch(() => {});
    this.hub.emit('virtualDevice', this.status());
    await this.adb.watcher?.refresh();
  }

  handlers(): Pick<Handlers, 'virtualDevice.scenarios' | 'virtualDevice.profiles' | 'virtualDevice.start' | 'virtualDevice.stop' | 'virtualDevice.status'> {
    return {
      'virtualDevice.scenarios': async () => this.scenarios(),
      'virtualDevice.profiles': async () => this.profiles(),
      'virtualDevice.start': async ({ scenario, profile }) => this.start(scenario, profile),
      'virtualDevice.stop': async () => (await this.stop(), this.status()),
      'virtualDevice.status': async () => this.status(),
    };
  }
}
