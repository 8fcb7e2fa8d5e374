/**
 * Where a network capture writes: a session's timeline (`sessionRecord`: the common fields as every event has them —
 * the session's phone and app, host time and the phone's time from the session's clock offset — bodies kept in its
 * blobs) or anything else that takes events (the CLI's `monitor --network` prints them). `source` is 'network' for
 * what the proxy saw and 'workbench' for the proxy set-up the workbench did. Written only while it records.
 */
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import type { NetworkEventBody } from '../../../src-preload/network.js';
import type { Session } from '../session/session.js';

export interface NetworkRecord {
  /** The session's id (the monitor's: its serial). */
  readonly id: string;
  readonly serial: string;
  /** The folder whose blobs/ keep bodies by hash; null: bodies are counted and hashed, not kept. */
  readonly blobDir: string | null;
  /** Listeners of every event recorded (the monitor's too): what runs, the phone leaving and coming back. */
  readonly appended: Set<(seq: number, event: TimelineEvent) => void>;
  /** The event's seq and the event, or null when it no longer records (or cannot be written). */
  append(body: NetworkEventBody, hostTime: number, source: 'network' | 'workbench'): { seq: number; event: TimelineEvent } | null;
}

export function sessionRecord(s: Session): NetworkRecord {
  return { id: s.id, serial: s.meta.device.serial, blobDir: s.dir, appended: s.appended, append: (body, hostTime, source) => appendNetworkEvent(s, body, hostTime, source) };
}

/** Returns the event's seq and the event, or null when the session no longer records (or cannot be written). */
export function appendNetworkEvent(s: Session, body: NetworkEventBody, hostTime = Date.now(), source: 'network' | 'workbench' = 'network'): { seq: number; event: TimelineEvent } | null {
  if (s.meta.state !== 'recording') return null;
  const offset = s.meta.device.clockOffsetMs;
  const event = { seq: s.writer.count + 1, serial: s.meta.device.serial, packageName: s.meta.app.packageName, hostTime, deviceTime: offset === null ? null : hostTime + offset, source, raw: [], ...body } as TimelineEvent;
  try {
    return { seq: s.appendObserved(event), event };
  } catch {
    // The writer failed (its own problem is reported by the session): the capture goes on.
    return null;
  }
}
