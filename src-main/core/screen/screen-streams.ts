/**
 * The screen streams of all phones (ScreenStreams): one ScreenStream per phone, started by its first consumer
 * and stopped a little after its last leaves (a watcher renewing, a page reloading, must not restart
 * screenrecord); stopAll() when the workbench closes.
 */
import type { DeviceBridge } from '../adb/device-bridge.js';
import type { ScreenConsumer, ScreenStreams, StreamSettings } from './contracts.js';
import { DEFAULT_STREAM_SETTINGS, ScreenStream, type StreamTiming } from './screen-stream.js';

export interface PhoneStreamInfo {
  mode: ScreenStream['mode'];
  width: number | null;
  height: number | null;
  watchers: number;
  recording: boolean;
}

export interface ScreenStreamsOptions {
  bridge: () => DeviceBridge;
  settings?: StreamSettings;
  timing?: Partial<StreamTiming>;
  /** How long a stream with no consumer runs on before it is stopped. */
  lingerMs?: number;
}

interface Entry {
  stream: ScreenStream;
  purposes: Map<ScreenConsumer, 'live' | 'record'>;
  linger: NodeJS.Timeout | null;
}

export class PhoneScreenStreams implements ScreenStreams {
  private entries = new Map<string, Entry>();
  private stopping = new Set<Promise<void>>();

  constructor(private options: ScreenStreamsOptions) {}

  attach(serial: string, consumer: ScreenConsumer, purpose: 'live' | 'record'): () => void {
    let entry = this.entries.get(serial);
    if (!entry) {
      const stream = new ScreenStream(serial, { bridge: this.options.bridge, settings: this.options.settings ?? DEFAULT_STREAM_SETTINGS, timing: this.options.timing });
      entry = { stream, purposes: new Map(), linger: null };
      this.entries.set(serial, entry);
      stream.start();
    }
    const e = entry;
    if (e.linger) clearTimeout(e.linger);
    e.linger = null;
    e.purposes.set(consumer, purpose);
    e.stream.add(consumer);
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      e.purposes.delete(consumer);
      e.stream.remove(consumer);
      if (e.purposes.size || e.linger) return;
      e.linger = setTimeout(() => {
        e.linger = null;
        if (e.purposes.size || this.entries.get(serial) !== e) return;
        this.entries.delete(serial);
        this.track(e.stream.stop());
      }, this.options.lingerMs ?? 3000);
    };
  }

  /** What the Screen tab shows about a phone's stream (null: nobody watches or records it). */
  info(serial: string): PhoneStreamInfo | null {
    const e = this.entries.get(serial);
    if (!e) return null;
    const purposes = [...e.purposes.values()];
    const f = e.stream.streamFormat;
    return { mode: e.stream.mode, width: f?.width ?? null, height: f?.height ?? null, watchers: purposes.filter((p) => p === 'live').length, recording: purposes.includes('record') };
  }

  /** The phone's stream, for tests and status (runs started). */
  streamOf(serial: string): ScreenStream | undefined {
    return this.entries.get(serial)?.stream;
  }

  private track(p: Promise<void>): void {
    this.stopping.add(p);
    void p.finally(() => this.stopping.delete(p));
  }

  async stopAll(): Promise<void> {
    for (const [serial, e] of this.entries) {
      if (e.linger) clearTimeout(e.linger);
      this.entries.delete(serial);
      this.track(e.stream.stop());
    }
    await Promise.all([...this.stopping]);
  }
}
