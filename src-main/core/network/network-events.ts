/**
 * A network event into a session's timeline: the common fields as every event has them (the session's phone and
 * app, host time and the phone's time from the session's clock offset), `source` 'network' for what the proxy saw
 * and 'workbench' for the proxy set-up the workbench did. Written only while the session records.
 */
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import type { NetworkEventBody } from '../../../src-preload/network.js';
import type { Session } from '../session/session.js';

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
