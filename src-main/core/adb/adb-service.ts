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
  /** The (re)connection waiting to run, shared by every call made before it starts. */
  private queued: Promise<AdbStatus> | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private hub: EventHub, private settings: SettingsStore, readonly serverPort: number, private isVirtual: (serial: string) => boolean) {
    this.status = { state: 'starting', adbPath: null, source: null, serverPort, error: null };
  }

  private set(status: Partial<AdbStatus>): AdbStatus {
    this.status = { ...this.status, ...status };
    this.hub.emit('adb', this.status);
    return this.status;
  }

  /**
   * Makes sure the workbench talks to a running adb server through the adb the settings name (adb.restart,
   * a changed adb path). Serialised: one runs at a time, and every call made meanwhile shares the single one
   * queued after it (which sees a settings change made meanwhile), so 10 clients pressing Retry in a loop
   * cost one check at a time, not one each.
   */
  connect(): Promise<AdbStatus> {
    if (this.queued) return this.queued;
    const run = this.tail.then(() => {
      this.queued = null;
      return this.connectOnce();
    });
    this.queued = run;
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * When the adb in use is still the one located and its server answers, nothing is torn down: the watcher
   * keeps its connections, the phones' details and its pauses for phones that do not answer. Otherwise the
   * old watcher is retired — its track-devices connection and any property read still in flight are closed —
   * and a new one is started.
   */
  private async connectOnce(): Promise<AdbStatus> {
    if (this.closed) return this.status;
    let location;
    try {
      location = locateAdb({ settingPath: this.settings.get().adbPath, env: process.env, platform: process.platform });
    } catch (err) {
      this.retire();
      return this.set({ state: 'missing', adbPath: null, source: null, error: toBridgeError(err) });
    }
    // 'running' means the watcher's last poll (at most a second ago) reached the server: nothing to redo, and a
    // flood of restarts costs the adb server nothing.
    const { status } = this;
    if (this.watcher && status.state === 'running' && status.adbPath === location.path && status.source === location.source) return status;
    this.retire();
    this.set({ state: 'starting', adbPath: location.path, source: location.source, error: null });
    const bridge = new AdbkitBridge(location.path, this.serverPort);
    this.bridge = bridge;
    try {
      await bridge.startServer();
    } catch (err) {
      return this.set({ state: 'error', error: toBridgeError(err) });
    }
    if (this.closed) return this.status;
    const watcher = new DeviceWatcher(bridge, this.isVirtual);
    this.watcher = watcher;
    watcher.on('devices', (list) => this.hub.emit('devices', list));
    watcher.on('error', (error) => this.set({ state: error ? 'error' : 'running', error }));
    watcher.start();
    await watcher.refresh();
    return this.set({ state: this.status.error ? 'error' : 'running' });
  }

  /** Stops the watcher in use (closing what it has open on the adb server); it says nothing more. */
  private retire(): void {
    this.watcher?.stop();
    this.watcher?.removeAllListeners();
    this.watcher = null;
  }

  stop(): void {
    this.closed = true;
    this.retire();
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
