/**
 * The live screen's watches: `screen.watch` leases (renewed within SCREEN_WATCH_LEASE_MS or dropped), and one
 * 'live' consumer per watched phone that publishes its access units as `screenFrame` items (base64 Annex B) and
 * its state as `screenStatus` on the EventHub. Several watches of one phone share that consumer (the hub sends
 * every item to every window); a new watch makes it join again, so the stream resends the current group of
 * pictures with the same seq numbers (a window that decoded them skips them).
 *
 * Memory: nothing is queued here. A window that reads slowly is the transport's business: the EventHub keeps at
 * most 2000 items per stream per 16 ms flush, and browser mode drops event batches for a client with more than
 * 8 MiB waiting in its socket (closing it past 64 MiB) — its decoder then waits for the next key frame.
 */
import { randomBytes } from 'node:crypto';
import { SCREEN_WATCH_LEASE_MS, type ScreenStatus } from '../../../src-preload/screen.js';
import type { EventHub } from '../../bridge/event-hub.js';
import { WorkbenchError } from '../errors.js';
import type { ScreenConsumer, StreamFormat } from './contracts.js';
import type { PhoneScreenStreams } from './screen-streams.js';

interface Watch {
  serial: string;
  expires: number;
}

interface LivePhone {
  detach: () => void;
  format: StreamFormat | null;
}

export class LiveScreens {
  private watches = new Map<string, Watch>();
  private phones = new Map<string, LivePhone>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private streams: PhoneScreenStreams, private hub: EventHub, private now: () => number = Date.now) {}

  watch(serial: string, watchId: string | null): { watchId: string; status: ScreenStatus } {
    this.sweep();
    if (watchId !== null) {
      const w = this.watches.get(watchId);
      if (!w || w.serial !== serial) throw new WorkbenchError('screen.no-watch', `The watch ${watchId} of ${serial} has lapsed: watch again`, { serial });
      w.expires = this.now() + SCREEN_WATCH_LEASE_MS;
      return { watchId, status: this.status(serial) };
    }
    const id = randomBytes(16).toString('hex');
    this.watches.set(id, { serial, expires: this.now() + SCREEN_WATCH_LEASE_MS });
    this.join(serial);
    this.sweeper ??= setInterval(() => this.sweep(), 1000);
    const status = this.status(serial);
    this.hub.emit('screenStatus', status);
    return { watchId: id, status };
  }

  unwatch(watchId: string): void {
    const w = this.watches.get(watchId);
    if (!w) return;
    this.watches.delete(watchId);
    this.release(w.serial);
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const p of this.phones.values()) p.detach();
    this.phones.clear();
    this.watches.clear();
  }

  /** Watches whose lease ran out are let go (a window closed without unwatching, a page that crashed). */
  private sweep(): void {
    const now = this.now();
    for (const [id, w] of this.watches) {
      if (w.expires > now) continue;
      this.watches.delete(id);
      this.release(w.serial);
    }
    if (!this.watches.size && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }

  private watchersOf(serial: string): number {
    let n = 0;
    for (const w of this.watches.values()) if (w.serial === serial) n++;
    return n;
  }

  /** The phone's live consumer joins the stream (again, for a new watch: the stream resends its group of pictures). */
  private join(serial: string): void {
    const old = this.phones.get(serial);
    const phone: LivePhone = { detach: () => undefined, format: old?.format ?? null };
    this.phones.set(serial, phone);
    // Attach the new one before the old one leaves: the stream never sees zero consumers.
    phone.detach = this.streams.attach(serial, this.consumer(serial, phone), 'live');
    old?.detach();
  }

  private release(serial: string): void {
    if (this.watchersOf(serial)) {
      this.hub.emit('screenStatus', this.status(serial));
      return;
    }
    this.phones.get(serial)?.detach();
    this.phones.delete(serial);
    this.hub.emit('screenStatus', this.status(serial));
  }

  private consumer(serial: string, phone: LivePhone): ScreenConsumer {
    const current = (): boolean => this.phones.get(serial) === phone;
    return {
      format: (f) => {
        phone.format = f;
        if (current()) this.hub.emit('screenStatus', this.status(serial));
      },
      unit: (u) => {
        const f = phone.format;
        if (!f || !current()) return;
        this.hub.emit('screenFrame', { serial, stream: u.stream, seq: u.seq, key: u.key, codec: f.codec, width: f.width, height: f.height, hostTime: u.hostTime, data: u.data.toString('base64') });
      },
      mode: () => {
        if (current()) this.hub.emit('screenStatus', this.status(serial));
      },
      gap: () => undefined,
    };
  }

  status(serial: string): ScreenStatus {
    const info = this.streams.info(serial);
    return {
      serial,
      mode: info?.mode.mode ?? 'off',
      reason: info?.mode.reason ?? null,
      width: info?.width ?? null,
      height: info?.height ?? null,
      watchers: this.watchersOf(serial),
      recording: info?.recording ?? false,
    };
  }
}
