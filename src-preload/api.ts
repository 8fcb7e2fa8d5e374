/**
 * The contract between the renderer and the core: every method (request/response) and every event stream
 * of the workbench, as types plus the lists of names. No runtime dependencies: the Electron preload, the
 * WebSocket client and main's zod schemas all conform to this file.
 */
export interface BridgeError {
  code: string;
  messageKey: string;
  details: Record<string, string | number | boolean | null>;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export type Localized = string | { zh: string; en: string };

export type DeviceState =
  | 'device' | 'unauthorized' | 'offline' | 'authorizing' | 'connecting' | 'no-permissions'
  | 'recovery' | 'sideload' | 'bootloader' | 'unknown';

export interface DeviceInfo {
  serial: string;
  state: DeviceState;
  transport: 'usb' | 'tcp';
  model: string | null;
  manufacturer: string | null;
  androidVersion: string | null;
  sdk: number | null;
  /** i18n key of what the user should do about this state (RSA prompt, udev rule...). */
  hintKey: string | null;
  virtual: boolean;
}

export interface AdbStatus {
  state: 'starting' | 'running' | 'missing' | 'error';
  adbPath: string | null;
  source: 'setting' | 'android-sdk' | 'path' | null;
  serverPort: number;
  error: BridgeError | null;
}

export interface ScenarioInfo {
  id: string;
  name: Localized;
  description: Localized;
  violates: string[];
}

export interface VirtualDeviceStatus {
  running: boolean;
  serial: string | null;
  scenarioId: string | null;
}

export interface Settings {
  language: 'auto' | 'zh-CN' | 'en';
  theme: 'system' | 'light' | 'dark';
  adbPath: string | null;
  rememberedDevices: string[];
}

export interface AppInfo {
  version: string;
  shell: 'electron' | 'browser';
  systemLocale: string;
  dataDir: string;
}

export interface WorkbenchMethods {
  'app.info': { args: Record<string, never>; result: AppInfo };
  'settings.get': { args: Record<string, never>; result: Settings };
  'settings.update': { args: Partial<Settings>; result: Settings };
  'adb.status': { args: Record<string, never>; result: AdbStatus };
  'adb.restart': { args: Record<string, never>; result: AdbStatus };
  'devices.list': { args: Record<string, never>; result: DeviceInfo[] };
  'devices.connect': { args: { address: string }; result: { serial: string } };
  'devices.disconnect': { args: { serial: string }; result: null };
  'virtualDevice.scenarios': { args: Record<string, never>; result: ScenarioInfo[] };
  'virtualDevice.start': { args: { scenario: string }; result: VirtualDeviceStatus };
  'virtualDevice.stop': { args: Record<string, never>; result: VirtualDeviceStatus };
  'virtualDevice.status': { args: Record<string, never>; result: VirtualDeviceStatus };
}

export interface WorkbenchEvents {
  devices: DeviceInfo[];
  adb: AdbStatus;
  virtualDevice: VirtualDeviceStatus;
  /** Errors that happened in the background (a monitor, the adb server) for the UI to show. */
  problem: BridgeError;
}

export type MethodName = keyof WorkbenchMethods;
export type EventName = keyof WorkbenchEvents;
export type MethodArgs<M extends MethodName> = WorkbenchMethods[M]['args'];
export type MethodResult<M extends MethodName> = WorkbenchMethods[M]['result'];

export const METHOD_NAMES = [
  'app.info', 'settings.get', 'settings.update', 'adb.status', 'adb.restart', 'devices.list', 'devices.connect',
  'devices.disconnect', 'virtualDevice.scenarios', 'virtualDevice.start', 'virtualDevice.stop', 'virtualDevice.status',
] as const satisfies readonly MethodName[];

export const EVENT_NAMES = ['devices', 'adb', 'virtualDevice', 'problem'] as const satisfies readonly EventName[];

/** One message of event traffic: many items of several streams, so floods cost few messages. */
export type EventBatch = Array<{ event: EventName; items: unknown[] }>;

export interface WorkbenchApi {
  call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<Outcome<MethodResult<M>>>;
  subscribe<E extends EventName>(event: E, listener: (items: Array<WorkbenchEvents[E]>) => void): () => void;
}

/** Channel names of the Electron IPC transport. */
export const IPC_CALL = 'workbench:call';
export const IPC_EVENTS = 'workbench:events';
