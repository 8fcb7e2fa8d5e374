/** A session's timeline as the screen recording writes to it: events with source `screen`, at the host time given. */
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import type { Session } from '../session/session.js';
import type { RecordingSink } from './recorder.js';

export function screenSink(s: Session): RecordingSink {
  return {
    dir: s.dir,
    append: (body, hostTime) => {
      const offset = s.meta.device.clockOffsetMs;
      s.appendObserved({
        seq: s.writer.count + 1, serial: s.meta.device.serial, packageName: s.meta.app.packageName,
        hostTime, deviceTime: offset === null ? null : hostTime + offset, source: 'screen', raw: [], ...body,
      } as TimelineEvent);
    },
  };
}
