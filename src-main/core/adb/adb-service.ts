/**
 * The workbench's link to the adb server: finds adb (setting, SDK, PATH), starts the server, keeps the live
 * device watcher, and gives the other capabilities a bridge, a DeviceControl and `onDevice`, which turns a
 * failure caused by a phone going away into `adb.device-lost`.
 */
import type { AdbStatus } from '../../../src-preload/api.js';
import type { EventHub } from '../../bridge/event-hub.js';
import { WorkbenchError, toBridgeError } from '../errors.js';
import type { SettingsStore } from '../settings/index.js';
import { AdbkitBridge, type DeviceBridge } from './device-bridge.js';
import { DeviceControl } from './device-control.js';
import { DeviceWatcher } from './device-watcher.js';
import { locateAdb } from './locate-adb.js';

export class AdbService {
  bridge: DeviceBridge | null = null;
  watcher: DeviceWatcher | null = null;
  status: AdbStatus;
  private control: { bridge: DeviceBridge; control: DeviceControl } | null = null;
  private connecting: Promise<AdbStatus> | null = null;

  constructor(private hub: EventHub, private settings: SettingsStore, readonly serverPort: number, private isVirtual: (serial: string) => boolean) {
    this.status = { state: 'starting', adbPath: null, source: null, serverPort, error: null };
  }

  private set(status: Partial<AdbStatus>): AdbStatus {
    this.status = { ...this.status, ...status };
    this.hub.emit('adb', this.status);
    return this.status;
  }

  /**
   * (Re)connects to the adb server. One at a time: calls that overlap share the one under way (20 clients
   * pressing Retry at once used to start 20 watchers that were never stopped).
   */
  connect(): Promise<AdbStatus> {
    this.connecting ??= this.connectOnce().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connectOnce(): Promise<AdbStatus> {
    this.watcher?.stop();
    this.watcher = null;
    let location;
    try {
      location = locateAdb({ settingPath: this.settings.get().adbPath, env: process.env, platform: process.platform });
    } catch (err) {
      return this.set({ state: 'missing', adbPath: null, source: null, error: toBridgeError(err) });
    }
    this.set({ state: 'starting', adbPath: location.path, source: location.source, error: null });
    const bridge = new AdbkitBridge(location.path, this.serverPort);
    this.bridge = bridge;
    try {
      await bridge.startServer();
    } catch (err) {
      return this.set({ state: 'error', error: toBridgeError(err) });
    }
    const watcher = new DeviceWatcher(bridge, this.isVirtual);
    this.watcher = watcher;
    watcher.on('devices', (list) => this.hub.emit('devices', list));
    watcher.on('error', (error) => this.set({ state: error ? 'error' : 'running', error }));
    watcher.start();
    await watcher.refresh();
    return this.set({ state: this.status.error ? 'error' : 'running' });
  }

  stop(): void {
    this.watcher?.stop();
  }

  requireBridge(): DeviceBridge {
    if (!this.bridge || this.status.state === 'missing') {
      throw new WorkbenchError('adb.not-found', this.status.error?.details.message?.toString() ?? 'adb is not available', {});
    }
    return this.bridge;
  }

  /** One DeviceControl per bridge, so measured clock offsets are kept between calls. */
  controlFor(): DeviceControl {
    const bridge = this.requireBridge();
    if (this.control?.bridge !== bridge) this.control = { bridge, control: new DeviceControl(bridge) };
    return this.control.control;
  }

  /** A device command that failed because the phone went away says so, instead of a transport error. */
  async onDevice<T>(serial: string, fn: (control: DeviceControl) => Promise<T>): Promise<T> {
    const control = this.controlFor();
    try {
      return await fn(control);
    } catch (err) {
      await this.watcher?.refresh();
      const present = this.watcher?.devices.find((d) => d.serial === serial);
      if (!present || present.state !== 'device') {
        throw new WorkbenchError('adb.device-lost', `${serial} disconnected${err instanceof Error ? ` (${err.message})` : ''}`, { serial });
      }
      throw err;
    }
  }
}
