/**
 * The live device list. track-devices gives prompt additions; a 1 s poll of `host:devices` (a round trip to
 * the local adb server only, no device traffic) catches what track-devices reports late — a vanished TCP
 * device shows `offline` there at once, while track-devices stays silent for ~10 s. Properties are read once
 * per device when it becomes usable; a phone that does not answer is asked again after a growing pause (5 s
 * doubling to 5 min), not every second, and its entry says it does not answer. A dead adb server is restarted
 * once per failure streak and reported. Everything the watcher opens on the adb server belongs to it and is
 * closed by stop(), including a getprop still waiting for a silent phone.
 */
import { EventEmitter, setMaxListeners } from 'node:events';
import { connect } from 'node:net';
import type { DeviceInfo, DeviceState } from '../../../src-preload/api.js';
import { WorkbenchError, toBridgeError, type BridgeError } from '../errors.js';
import type { DeviceBridge, RawDevice } from './device-bridge.js';

const POLL_MS = 1000;
/** The first pause before a phone that did not answer getprop is asked again; it doubles up to the cap. */
export const PROPS_RETRY_MS = 5000;
export const PROPS_RETRY_MAX_MS = 5 * 60_000;

/** Whether anything still listens at a TCP device's address (1 s budget). */
export function probeTcp(serial: string, timeoutMs = 1000): Promise<boolean> {
  const i = serial.lastIndexOf(':');
  const host = serial.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(serial.slice(i + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (alive: boolean): void => {
      socket.destroy();
      resolve(alive);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function normalizeState(type: string): DeviceState {
  if (type === 'device' || type === 'emulator') return 'device';
  if (type.startsWith('no permissions')) return 'no-permissions';
  if (['unauthorized', 'offline', 'authorizing', 'connecting', 'recovery', 'sideload', 'bootloader'].includes(type)) return type as DeviceState;
  return 'unknown';
}

const HINTS: Partial<Record<DeviceState, string>> = {
  unauthorized: 'device.hint.unauthorized',
  'no-permissions': 'device.hint.noPermissions',
  offline: 'device.hint.offline',
  authorizing: 'device.hint.authorizing',
};

export interface WatcherEvents {
  devices: [DeviceInfo[]];
  error: [BridgeError | null];
}

/** A phone whose properties could not be read: when to ask again, and how long the pause was. */
interface Unanswered {
  retryAt: number;
  pauseMs: number;
}

export class DeviceWatcher extends EventEmitter<WatcherEvents> {
  private props = new Map<string, Record<string, string>>();
  private pending = new Set<string>();
  private unanswered = new Map<string, Unanswered>();
  /** Aborted by stop(): fails the watcher's in-flight adb calls and closes their connections. */
  private life = DeviceWatcher.lifetime();
  private trackingStarts: Promise<void> | null = null;
  private current: DeviceInfo[] = [];
  private timer: NodeJS.Timeout | null = null;
  private stopTracking: (() => void) | null = null;
  private failures = 0;
  private running = false;
  private refreshing: Promise<void> | null = null;

  constructor(
    private bridge: DeviceBridge,
    private isVirtual: (serial: string) => boolean = () => false,
    private probe: (serial: string) => Promise<boolean> = probeTcp,
  ) {
    super();
  }

  /** Every call in flight (a getprop per phone, the list, the tracker) listens on it: no listener cap. */
  private static lifetime(): AbortController {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  }

  get devices(): DeviceInfo[] {
    return this.current;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.life.signal.aborted) this.life = DeviceWatcher.lifetime();
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.life.abort();
    this.stopTracking?.();
    this.stopTracking = null;
  }

  /** Reads the list now (coalescing concurrent requests). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readList().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** One track-devices connection at a time; one that arrives after stop() is closed at once. */
  private ensureTracking(): Promise<void> {
    if (this.stopTracking || !this.running) return Promise.resolve();
    this.trackingStarts ??= (async () => {
      const signal = this.life.signal;
      let stop: (() => void) | undefined;
      let ended = false;
      try {
        stop = await this.bridge.track(() => void this.refresh(), () => {
          ended = true;
          if (this.stopTracking === stop) this.stopTracking = null;
        }, signal);
        // Ended already (the server went away) or no longer wanted: closed now, the next poll starts another.
        if (signal.aborted || ended) stop();
        else this.stopTracking = stop;
      } catch {
        // The next poll tries again.
      }
    })().finally(() => {
      this.trackingStarts = null;
    });
    return this.trackingStarts;
  }

  private async readList(): Promise<void> {
    // A stopped watcher says nothing more: a late answer must not overwrite the list of the one replacing it.
    const signal = this.life.signal;
    let raw: RawDevice[];
    try {
      raw = await this.bridge.listDevices(signal);
      if (signal.aborted) return;
      if (this.failures > 0) this.emit('error', null);
      this.failures = 0;
    } catch (err) {
      if (signal.aborted) return;
      this.failures++;
      this.stopTracking?.();
      this.stopTracking = null;
      this.publish([]);
      this.emit('error', toBridgeError(err));
      if (this.failures === 1 && err instanceof WorkbenchError && err.code === 'adb.server-unavailable') {
        await this.bridge.startServer().catch((e: unknown) => this.emit('error', toBridgeError(e)));
      }
      return;
    }
    void this.ensureTracking();
    const usable = (serial: string): boolean => raw.some((d) => d.serial === serial && normalizeState(d.type) === 'device');
    for (const serial of [...this.props.keys()]) if (!usable(serial)) this.props.delete(serial);
    // A phone that went away and came back is asked at once again.
    for (const serial of [...this.unanswered.keys()]) if (!usable(serial)) this.unanswered.delete(serial);
    const now = Date.now();
    for (const d of raw) {
      if (normalizeState(d.type) !== 'device' || this.props.has(d.serial) || this.pending.has(d.serial)) continue;
      if ((this.unanswered.get(d.serial)?.retryAt ?? 0) <= now) void this.loadProps(d.serial);
    }
    // An offline TCP device whose address no longer answers has vanished (cable-less phones, a stopped
    // virtual device): drop it now instead of waiting ~10 s for adb's reconnect attempts to give up.
    const vanished = await Promise.all(raw.map((d) =>
      normalizeState(d.type) === 'offline' && /:\d+$/.test(d.serial) ? this.probe(d.serial).then((alive) => !alive) : false));
    this.publish(raw.filter((_, i) => !vanished[i]).map((d) => this.describe(d)));
  }

  private async loadProps(serial: string): Promise<void> {
    this.pending.add(serial);
    const signal = this.life.signal;
    try {
      this.props.set(serial, await this.bridge.properties(serial, signal));
      this.unanswered.delete(serial);
    } catch {
      // Gone away, hung or refusing: it stays listed without details, and is asked again after a pause that
      // doubles, so a phone that never answers costs one request every few minutes, not one a second.
      const pauseMs = Math.min(PROPS_RETRY_MAX_MS, (this.unanswered.get(serial)?.pauseMs ?? PROPS_RETRY_MS / 2) * 2);
      this.unanswered.set(serial, { retryAt: Date.now() + pauseMs, pauseMs });
    } finally {
      this.pending.delete(serial);
    }
    this.publish(this.current.map((d) => (d.serial === serial ? this.describe({ serial, type: d.state }) : d)));
  }

  private describe(d: RawDevice): DeviceInfo {
    const state = normalizeState(d.type);
    const p = this.props.get(d.serial) ?? {};
    const sdk = Number(p['ro.build.version.sdk']);
    return {
      serial: d.serial,
      state,
      transport: /:\d+$/.test(d.serial) ? 'tcp' : 'usb',
      model: p['ro.product.model'] ?? null,
      manufacturer: p['ro.product.manufacturer'] ?? null,
      androidVersion: p['ro.build.version.release'] ?? null,
      sdk: Number.isFinite(sdk) && sdk > 0 ? sdk : null,
      hintKey: HINTS[state] ?? (state === 'device' && this.unanswered.has(d.serial) ? 'device.hint.notAnswering' : null),
      // The workbench's virtual phone says what it is in its properties, so any process (the CLI, another
      // window) knows it, not only the one that started it.
      virtual: this.isVirtual(d.serial) || p['ro.apprights.virtual'] === '1',
    };
  }

  private publish(list: DeviceInfo[]): void {
    if (this.life.signal.aborted) return;
    if (JSON.stringify(list) === JSON.stringify(this.current)) return;
    this.current = list;
    this.emit('devices', list);
  }
}
