/**
 * The composition root of the core: builds each capability once (settings, adb, demo phone, monitors,
 * sessions, evidence, staged files), wires the event hub (what a monitor observes or the tester does on a
 * phone reaches that phone's recording session), and merges their handler groups into the API. All three
 * shells (Electron, browser mode, CLI serve) create exactly this.
 */
import { chmodSync } from 'node:fs';
import { lockDataDir } from './data-dir-lock.js';
import { join } from 'node:path';
import type { AppInfo, DeviceInfo, DeviceInputEvent, MonitorEvent } from '../../src-preload/api.js';
import { EventHub } from '../bridge/event-hub.js';
import type { Handlers } from '../bridge/dispatcher.js';
import { AdbService } from './adb/adb-service.js';
import { adbHandlers } from './adb/handlers.js';
import { deviceControlHandlers } from './adb/device-control-handlers.js';
import { apkHandlers } from './apk/handlers.js';
import { clearDeadProcessFiles } from './dead-process-files.js';
import { WorkbenchError, toBridgeError } from './errors.js';
import { evidenceHandlers } from './evidence/handlers.js';
import { ChecklistService } from './checklist/checklist-service.js';
import { checklistHandlers } from './checklist/handlers.js';
import { policyHandlers } from './policy/handlers.js';
import { exploreHandlers } from './explore/handlers.js';
import { FarmService } from './farm/farm-service.js';
import { farmHandlers } from './farm/handlers.js';
import { guardFarmPhones } from './farm/farm-phone-guard.js';
import { ExploreService } from './explore/explore-service.js';
import { PolicyService } from './policy/policy-service.js';
import { TemplateStore } from './checklist/template-store.js';
import { IdentityStore } from './evidence/identity-store.js';
import type { PdfPrinter } from './evidence/report-pdf.js';
import type { OsKeyProtector } from './evidence/key-protection.js';
import { Monitors } from './monitor/monitors.js';
import { describePhone } from './session/describe-phone.js';
import { sessionHandlers } from './session/handlers.js';
import { SessionManager } from './session/session-manager.js';
import { SettingsStore } from './settings/index.js';
import { settingsHandlers } from './settings/handlers.js';
import { StagedFiles } from './staged-files.js';
import { DemoPhone } from './virtual-device/demo-phone.js';
import { TOOL_NAME } from './tool-name.js';
import { loadNetworkEngine } from './network/default-engine.js';
import { networkHandlers } from './network/handlers.js';
import { ScreenCapability, screenHandlers } from './screen/index.js';
import { SessionVideo } from './screen/session-video.js';
import { NetworkSessions } from './network/network-sessions.js';
import type { NetworkEngine } from './network/engine.js';

export interface WorkbenchOptions {
  dataDir: string;
  shell: AppInfo['shell'];
  version: string;
  /** adb server port (ANDROID_ADB_SERVER_PORT or 5037). */
  adbServerPort?: number;
  systemLocale?: string;
  /** The desktop window's OS keystore for signing keys (Electron safeStorage). */
  osKeys?: OsKeyProtector | null;
  /** `apprights serve --allow-local`: local addresses for policy pages and the TSA, whatever the settings say. */
  allowLocalAddresses?: boolean;
  /** The desktop window prints reports to PDF itself (webContents.printToPDF); others use the host's Chromium. */
  pdfPrinter?: () => PdfPrinter;
  /** The network capture's parts (tests give the virtual internet as upstream); default: the real ones. */
  networkEngine?: () => Promise<NetworkEngine>;
}

export class Workbench {
  readonly hub = new EventHub();
  readonly settings: SettingsStore;
  readonly files: StagedFiles;
  readonly adb: AdbService;
  readonly demo: DemoPhone;
  readonly monitors: Monitors;
  readonly sessions: SessionManager;
  readonly identities: IdentityStore;
  readonly templates: TemplateStore;
  readonly checklist: ChecklistService;
  readonly policy: PolicyService;
  readonly explore: ExploreService;
  /** The farm the Farm page reads, and this workbench as its worker while the tester says so. */
  readonly farm: FarmService;
  readonly network: NetworkSessions;
  /** Phones' H.264 screen streams (screenrecord), shared by live watches and session recorders. */
  readonly screen = new ScreenCapability(() => this.adb.requireBridge(), this.hub);
  /** Each recording session's screen recording on its phone's stream (unless the session was started without video). */
  readonly video = new SessionVideo(() => this.screen.streams, { onError: (err) => this.hub.emit('problem', { ...toBridgeError(err), code: 'session.write-failed', messageKey: 'error.session.write-failed', details: { message: err instanceof Error ? err.message : String(err) } }) });

  constructor(private options: WorkbenchOptions) {
    const { dataDir } = options;
    this.settings = new SettingsStore(dataDir);
    this.files = new StagedFiles(dataDir);
    const port = options.adbServerPort ?? (Number(process.env.ANDROID_ADB_SERVER_PORT) || 5037);
    this.adb = new AdbService(this.hub, this.settings, port, (serial) => serial === this.demo.serial);
    this.demo = new DemoPhone(this.hub, this.adb);
    // A monitor that stops on its own (its raw log hit a size or free-space limit) pauses the phone's session.
    this.monitors = new Monitors(this.hub, this.adb, dataDir, (serial, reason) => {
      const s = this.sessions.recordingOn(serial);
      if (!s) return;
      s.append({ type: 'session.problem', code: 'raw-log-limit', message: reason });
      void this.sessions.pause(s.id).catch(() => undefined);
    });
    this.identities = new IdentityStore(dataDir, options.osKeys ?? null);
    this.sessions = new SessionManager({
      root: join(dataDir, 'sessions'),
      tool: { name: TOOL_NAME, version: options.version },
      monitors: { start: async (serial, pkg, rawLogPath) => void (await this.monitors.start(serial, pkg, rawLogPath)), stop: (serial) => this.monitors.stop(serial) },
      describe: (serial, pkg) => describePhone(this.adb.requireBridge(), this.adb.controlFor(), serial, pkg),
      onChange: (info) => this.hub.emit('session', info),
      onProblem: (id, err) => this.hub.emit('problem', { ...toBridgeError(err), code: 'session.write-failed', messageKey: 'error.session.write-failed', details: { session: id, message: err.message } }),
      recording: [{ beforeStop: (s, why) => this.network.recording.beforeStop(s, why), afterResume: (s) => this.network.recording.afterResume(s) }, this.video],
    });
    this.network = new NetworkSessions({
      dataDir, bridge: () => this.adb.requireBridge(), engine: options.networkEngine ?? loadNetworkEngine,
      session: (id) => this.sessions.get(id), recordingOn: (serial) => this.sessions.recordingOn(serial),
      onStatus: (s) => this.hub.emit('network', s), onItem: (item) => this.hub.emit('networkEvent', item), onStale: (stale) => this.hub.emit('staleProxies', stale),
    });
    this.templates = new TemplateStore(dataDir);
    this.checklist = new ChecklistService(this.sessions, this.templates);
    this.policy = new PolicyService({ sessions: this.sessions, checklist: this.checklist, adb: this.adb, files: this.files, allowLocal: () => this.allowLocalAddresses() });
    this.explore = new ExploreService({ sessions: this.sessions, adb: this.adb });
    this.farm = new FarmService({
      dataDir, bridge: () => this.adb.requireBridge(), recording: (serial) => this.sessions.recordingOn(serial) !== null,
      identities: this.identities, templates: this.templates, tool: { name: TOOL_NAME, version: options.version },
    });
    let phones = '';
    this.hub.tap((event, item) => {
      if (event === 'monitorEvent') this.sessions.onMonitorEvent(item as MonitorEvent);
      else if (event === 'deviceInput') this.sessions.onDeviceInput(item as DeviceInputEvent);
      else if (event === 'devices') {
        // A phone connected or back: a restore that waited for it, and a stale proxy a dead workbench left on it.
        const ready = (item as DeviceInfo[]).filter((d) => d.state === 'device').map((d) => d.serial).sort();
        if (ready.join('\n') === phones) return;
        phones = ready.join('\n');
        void this.network.devicesChanged(ready);
      }
    });
  }

  private unlock: (() => void) | null = null;

  /** Policy pages and the TSA may be on local or private addresses: the host's decision, never a client's. */
  allowLocalAddresses(): boolean {
    return this.options.allowLocalAddresses === true || this.settings.get().allowLocalAddresses;
  }

  /**
   * Takes the data folder (one workbench per folder), then recovers sessions and connects to adb — or, with
   * `adbLater`, leaves connecting to the caller (browser mode prints its URL first: adb's status and the devices
   * reach the page as events when the connection is up).
   */
  async start(o: { adbLater?: boolean } = {}): Promise<void> {
    this.unlock = lockDataDir(this.options.dataDir);
    // A data folder made by an earlier version may be readable by others: it holds sessions and keys.
    try {
      chmodSync(this.options.dataDir, 0o700);
    } catch {
      // Not ours to change (a shared folder the user chose): the files inside are still 0600.
    }
    // A package a killed export left half-written (exports/<name>.apprights-<pid>.partial, its pid gone).
    clearDeadProcessFiles(join(this.options.dataDir, 'exports'), { partials: true });
    await this.sessions.recoverInterrupted();
    if (!o.adbLater) await this.adb.connect();
  }

  async close(): Promise<void> {
    // Phones pointed at a proxy of ours are put back first (closeAll would too; this is the exit path's promise).
    await this.network.stopAll();
    // A walk's result is written before its session closes.
    await this.explore.stopAll();
    // The farm's jobs on this workbench finish (or go back) before the phones and adb go.
    await this.farm.close();
    await this.sessions.closeAll();
    // After the sessions: each session's recorder has closed its last segment (ended session-stop) before its stream stops.
    await this.screen.stopAll();
    await this.monitors.stopAll();
    this.adb.stop();
    await this.demo.stop();
    this.files.cleanup();
    await this.templates.close();
    this.unlock?.();
    this.unlock = null;
  }

  handlers(): Handlers {
    const { hub, files, sessions, settings, adb, options } = this;
    const recording = (serial: string) => {
      const s = sessions.recordingOn(serial);
      return s ? { id: s.id, rawLogPath: s.rawLogPath, packageName: s.meta.app.packageName } : null;
    };
    return guardFarmPhones({
      'app.info': async () => ({ version: options.version, shell: options.shell, systemLocale: options.systemLocale ?? Intl.DateTimeFormat().resolvedOptions().locale, dataDir: options.dataDir }),
      'files.stage': async ({ path }) => {
        // Only the desktop window hands over local paths (of files the user dropped). A browser sends the
        // bytes instead: it must not make the host read files by name.
        if (options.shell !== 'electron') throw new WorkbenchError('bridge.forbidden-sender', 'Local paths are accepted from the desktop window only; upload the file instead', {});
        const { fileId, fileName, size } = files.stagePath(path);
        return { fileId, fileName, size };
      },
      ...settingsHandlers(settings, adb, options.shell),
      ...adbHandlers(adb, settings, (address) => address === this.demo.serial),
      ...this.demo.handlers(),
      ...deviceControlHandlers(adb, hub, files, sessions, options.dataDir),
      ...this.monitors.handlers(recording),
      ...apkHandlers(hub, files, sessions),
      ...sessionHandlers(sessions, files, (serial) => this.farm.refuseIfOffered(serial)),
      ...evidenceHandlers({ hub, files, sessions, identities: this.identities, dataDir: options.dataDir, tool: { name: TOOL_NAME, version: options.version }, checklistFor: (id) => this.checklist.forExport(id), allowLocalAddresses: () => this.allowLocalAddresses(), pdfPrinter: options.pdfPrinter }),
      ...checklistHandlers({ checklist: this.checklist, templates: this.templates, sessions, adb, files, dataDir: options.dataDir }),
      ...policyHandlers(this.policy, files),
      ...exploreHandlers(this.explore),
      ...farmHandlers(this.farm),
      ...networkHandlers(this.network),
      ...screenHandlers(this.screen.live),
    }, (serial) => this.farm.refuseIfOffered(serial));
  }
}
