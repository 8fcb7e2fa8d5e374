/**
 * The workbench core assembled: settings, the adb device layer and the demo phone, exposed as the API's
 * handlers and event hub. All three shells (Electron, browser mode, CLI serve) create exactly this.
 */
import { join } from 'node:path';
import type { AdbStatus, AppInfo, ScenarioInfo, VirtualDeviceStatus } from '../../src-preload/api.js';
import { EventHub } from '../bridge/event-hub.js';
import type { Handlers } from '../bridge/dispatcher.js';
import { SettingsStore } from './settings/index.js';
import { AdbkitBridge, DeviceWatcher, locateAdb, type DeviceBridge } from './adb/index.js';
import { WorkbenchError, toBridgeError } from './errors.js';
import { VirtualDevice, listScenarios, loadScenarioFile } from './virtual-device/index.js';
import { resourcesDir } from './resources-dir.js';
import { DeviceControl } from './adb/device-control.js';
import { StagedFiles } from './staged-files.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { DeviceMonitor } from './monitor/index.js';
import { analyzeFiles } from './apk/index.js';
import { LineThrottle } from './monitor/line-throttle.js';
import type { MonitorStatus } from '../../src-preload/api.js';

export interface WorkbenchOptions {
  dataDir: string;
  shell: AppInfo['shell'];
  version: string;
  /** adb server port (ANDROID_ADB_SERVER_PORT or 5037). */
  adbServerPort?: number;
  systemLocale?: string;
}

export class Workbench {
  readonly hub = new EventHub();
  readonly settings: SettingsStore;
  readonly files: StagedFiles;
  private bridge: DeviceBridge | null = null;
  private watcher: DeviceWatcher | null = null;
  private adb: AdbStatus;
  private demo: VirtualDevice | null = null;
  private demoScenario: string | null = null;
  private readonly serverPort: number;
  private monitors = new Map<string, { monitor: DeviceMonitor; status: Omit<MonitorStatus, 'lines' | 'events' | 'reconnects'>; throttle: LineThrottle }>();

  constructor(private options: WorkbenchOptions) {
    this.settings = new SettingsStore(options.dataDir);
    this.files = new StagedFiles(options.dataDir);
    this.serverPort = options.adbServerPort ?? (Number(process.env.ANDROID_ADB_SERVER_PORT) || 5037);
    this.adb = { state: 'starting', adbPath: null, source: null, serverPort: this.serverPort, error: null };
  }

  async start(): Promise<void> {
    await this.connectAdb();
  }

  async close(): Promise<void> {
    for (const serial of [...this.monitors.keys()]) await this.stopMonitor(serial);
    this.watcher?.stop();
    await this.demo?.stop();
    this.files.cleanup();
  }

  private setAdb(status: Partial<AdbStatus>): AdbStatus {
    this.adb = { ...this.adb, ...status };
    this.hub.emit('adb', this.adb);
    return this.adb;
  }

  private async connectAdb(): Promise<AdbStatus> {
    this.watcher?.stop();
    this.watcher = null;
    let location;
    try {
      location = locateAdb({ settingPath: this.settings.get().adbPath, env: process.env, platform: process.platform });
    } catch (err) {
      return this.setAdb({ state: 'missing', adbPath: null, source: null, error: toBridgeError(err) });
    }
    this.setAdb({ state: 'starting', adbPath: location.path, source: location.source, error: null });
    const bridge = new AdbkitBridge(location.path, this.serverPort);
    this.bridge = bridge;
    try {
      await bridge.startServer();
    } catch (err) {
      return this.setAdb({ state: 'error', error: toBridgeError(err) });
    }
    const watcher = new DeviceWatcher(bridge, (serial) => serial === this.demo?.serial);
    this.watcher = watcher;
    watcher.on('devices', (list) => this.hub.emit('devices', list));
    watcher.on('error', (error) => this.setAdb({ state: error ? 'error' : 'running', error }));
    watcher.start();
    await watcher.refresh();
    return this.setAdb({ state: this.adb.error ? 'error' : 'running' });
  }

  /** A device command that failed because the phone went away says so, instead of a transport error. */
  private async onDevice<T>(serial: string, fn: (control: DeviceControl) => Promise<T>): Promise<T> {
    const control = this.controlFor(serial);
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

  /** One DeviceControl per bridge, so measured clock offsets are kept between calls. */
  private deviceControl: { bridge: DeviceBridge; control: DeviceControl } | null = null;

  private controlFor(_serial: string): DeviceControl {
    const bridge = this.requireBridge();
    if (this.deviceControl?.bridge !== bridge) this.deviceControl = { bridge, control: new DeviceControl(bridge) };
    return this.deviceControl.control;
  }

  private requireBridge(): DeviceBridge {
    if (!this.bridge || this.adb.state === 'missing') {
      throw new WorkbenchError('adb.not-found', this.adb.error?.details.message?.toString() ?? 'adb is not available', {});
    }
    return this.bridge;
  }

  private demoStatus(): VirtualDeviceStatus {
    return { running: !!this.demo, serial: this.demo?.serial ?? null, scenarioId: this.demoScenario };
  }

  scenarios(): ScenarioInfo[] {
    return listScenarios(join(resourcesDir(), 'scenarios')).scenarios.map(({ id, name, description, violates }) => ({ id, name, description, violates }));
  }

  handlers(): Handlers {
    return {
      'app.info': async () => ({ version: this.options.version, shell: this.options.shell, systemLocale: this.options.systemLocale ?? Intl.DateTimeFormat().resolvedOptions().locale, dataDir: this.options.dataDir }),
      'settings.get': async () => this.settings.get(),
      'settings.update': async (patch) => {
        const before = this.settings.get().adbPath;
        const next = this.settings.update(patch);
        if (next.adbPath !== before) await this.connectAdb();
        return next;
      },
      'adb.status': async () => this.adb,
      'adb.restart': async () => this.connectAdb(),
      'devices.list': async () => {
        await this.watcher?.refresh();
        return this.watcher?.devices ?? [];
      },
      'devices.connect': async ({ address }) => {
        const i = address.lastIndexOf(':');
        const host = address.slice(0, i).replace(/^\[|\]$/g, '');
        const serial = await this.requireBridge().connect(host, Number(address.slice(i + 1)));
        const remembered = new Set(this.settings.get().rememberedDevices);
        if (!this.demo || address !== this.demo.serial) this.settings.update({ rememberedDevices: [...remembered.add(address)].slice(-100) });
        await this.watcher?.refresh();
        return { serial };
      },
      'devices.disconnect': async ({ serial }) => {
        const i = serial.lastIndexOf(':');
        if (i < 0) throw new WorkbenchError('adb.device-not-found', `${serial} is not a network device`, { serial });
        await this.requireBridge().disconnect(serial.slice(0, i), Number(serial.slice(i + 1)));
        await this.watcher?.refresh();
        return null;
      },
      'virtualDevice.scenarios': async () => this.scenarios(),
      'virtualDevice.start': async ({ scenario }) => {
        const bridge = this.requireBridge();
        await this.stopDemo();
        const file = join(resourcesDir(), 'scenarios', `${scenario}.yaml`);
        const device = new VirtualDevice({ scenario: loadScenarioFile(file) });
        await device.start();
        this.demo = device;
        this.demoScenario = scenario;
        try {
          await bridge.connect(device.host, device.port);
        } catch (err) {
          await this.stopDemo();
          throw err;
        }
        this.hub.emit('virtualDevice', this.demoStatus());
        await this.watcher?.refresh();
        return this.demoStatus();
      },
      'virtualDevice.stop': async () => {
        await this.stopDemo();
        return this.demoStatus();
      },
      'virtualDevice.status': async () => this.demoStatus(),
      'files.stage': async ({ path }) => {
        // Only the desktop window hands over local paths (of files the user dropped). A browser sends the
        // bytes instead: it must not make the host read files by name.
        if (this.options.shell !== 'electron') {
          throw new WorkbenchError('bridge.forbidden-sender', 'Local paths are accepted from the desktop window only; upload the file instead', {});
        }
        const { fileId, fileName, size } = this.files.stagePath(path);
        return { fileId, fileName, size };
      },
      'device.details': async ({ serial }) => this.onDevice(serial, (c) => c.details(serial)),
      'device.packages': async ({ serial }) => this.onDevice(serial, (c) => c.packages(serial)),
      'device.install': async ({ serial, fileId }) => {
        const file = this.files.get(fileId);
        return this.onDevice(serial, (c) => c.install(serial, file.path, file.fileName, (p) => this.hub.emit('install', p)));
      },
      'device.uninstall': async ({ serial, packageName }) => (await this.onDevice(serial, (c) => c.uninstall(serial, packageName)), null),
      'device.clearData': async ({ serial, packageName }) => (await this.onDevice(serial, (c) => c.clearData(serial, packageName)), null),
      'device.forceStop': async ({ serial, packageName }) => (await this.onDevice(serial, (c) => c.forceStop(serial, packageName)), null),
      'device.launch': async ({ serial, packageName }) => (await this.onDevice(serial, (c) => c.launch(serial, packageName)), null),
      'device.screenshot': async ({ serial, save }) => {
        const hostTime = Date.now();
        const shot = await this.onDevice(serial, (c) => c.screenshot(serial));
        let savedPath: string | null = null;
        if (save) {
          const dir = join(this.options.dataDir, 'screenshots', serial.replace(/[^\w.-]/g, '_'));
          mkdirSync(dir, { recursive: true });
          savedPath = join(dir, `${new Date(hostTime).toISOString().replace(/[:]/g, '-')}.png`);
          writeFileSync(savedPath, shot.png);
        }
        return { png: shot.png.toString('base64'), width: shot.width, height: shot.height, hostTime, savedPath };
      },
      'device.input': async ({ serial, action }) => {
        const hostTime = Date.now();
        const deviceTime = await this.onDevice(serial, async (c) => {
          await c.input(serial, action);
          return c.deviceTime(serial, hostTime).catch(() => null);
        });
        const event = { serial, action, hostTime, deviceTime };
        this.hub.emit('deviceInput', event);
        return event;
      },
      'device.uiTree': async ({ serial }) => this.onDevice(serial, (c) => c.uiTree(serial)),
      'device.shell': async ({ serial, command }) => ({ output: await this.onDevice(serial, (c) => c.shell(serial, command)) }),
      'monitor.start': async ({ serial, packageName }) => this.onDevice(serial, () => this.startMonitor(serial, packageName)),
      'monitor.stop': async ({ serial }) => (await this.stopMonitor(serial), null),
      'monitor.status': async () => [...this.monitors.keys()].map((s) => this.monitorStatus(s)),
      'apk.analyze': async ({ fileId }) => {
        const file = this.files.get(fileId);
        const [outcome] = await analyzeFiles([file.path], { concurrency: 1, onProgress: (_p, step) => this.hub.emit('analysis', { fileId, step }) });
        if (!outcome!.ok) throw new WorkbenchError('apk.refused', String(outcome!.error.details.message ?? 'refused'), { message: String(outcome!.error.details.message ?? ''), file: file.fileName });
        return { ...outcome!.analysis, file: { ...outcome!.analysis.file, name: file.fileName } };
      },
    };
  }

  private monitorStatus(serial: string): MonitorStatus {
    const m = this.monitors.get(serial)!;
    return { ...m.status, lines: m.monitor.stats.lines, events: m.monitor.stats.events, reconnects: m.monitor.stats.reconnects };
  }

  private async startMonitor(serial: string, packageName: string | null): Promise<MonitorStatus> {
    await this.stopMonitor(serial);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const rawLogPath = join(this.options.dataDir, 'logs', `${serial.replace(/[^\w.-]/g, '_')}-${stamp}.log`);
    const throttle = new LineThrottle((lines, dropped) => this.hub.emit('logLines', { serial, lines, dropped }));
    const monitor = new DeviceMonitor({
      bridge: this.requireBridge(), serial, packageName, rawLogPath,
      onEvent: (e) => this.hub.emit('monitorEvent', e),
      onLines: (lines) => throttle.push(lines),
    });
    this.monitors.set(serial, { monitor, status: { serial, packageName, rawLogPath }, throttle });
    try {
      await monitor.start();
    } catch (err) {
      this.monitors.delete(serial);
      await monitor.stop();
      throw err;
    }
    return this.monitorStatus(serial);
  }

  private async stopMonitor(serial: string): Promise<void> {
    const m = this.monitors.get(serial);
    if (!m) return;
    this.monitors.delete(serial);
    await m.monitor.stop();
    m.throttle.flush();
  }

  private async stopDemo(): Promise<void> {
    const demo = this.demo;
    if (!demo) return;
    this.demo = null;
    this.demoScenario = null;
    await demo.stop();
    await this.bridge?.disconnect(demo.host, demo.port).catch(() => {});
    this.hub.emit('virtualDevice', this.demoStatus());
    await this.watcher?.refresh();
  }
}
