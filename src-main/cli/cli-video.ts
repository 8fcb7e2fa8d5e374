/**
 * Screen video for the headless commands (`record`, `run`, `demo`): the phones' screen streams a command's sessions
 * record from (none with --no-video), stopped at the command's end, and the segments written, said at the end.
 */
import type { DeviceBridge } from '../core/adb/device-bridge.js';
import { PhoneScreenStreams } from '../core/screen/index.js';
import type { SegmentFacts } from '../core/screen/segment-writer.js';
import { say } from './cli-language.js';
import { text } from './cli-text.js';

/** The streams for a command's sessions; null with --no-video. */
export function headlessScreenStreams(bridge: DeviceBridge, noVideo: boolean | undefined): PhoneScreenStreams | null {
  return noVideo ? null : new PhoneScreenStreams({ bridge: () => bridge });
}

/** One line per segment written (file, length, frames, size), or why there is none. */
export function videoLines(segments: readonly SegmentFacts[], off: boolean): string[] {
  if (!segments.length) return [say(text.videoNone(off))];
  return segments.map((s) => say(text.videoSegment(s.file, ((s.lastFrameHostTime - s.firstFrameHostTime) / 1000).toFixed(1), s.frames, s.width, s.height, false)));
}
