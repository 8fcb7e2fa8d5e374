/**
 * The session's screen recording as a package sees it: the `screen.segment` events of the timeline (each names a
 * closed fMP4 file under video/ with its SHA-256 and size) and the `screen.gap` events (holes in the video). The
 * timeline is the say-so: a segment file whose bytes no longer hash to its event's SHA-256 was changed after it
 * was recorded, and the export stops naming it rather than sign it.
 */
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import type { ScreenEventBody } from '../../../src-preload/screen.js';
import { WorkbenchError } from '../errors.js';

export type SegmentEvent = Extract<ScreenEventBody, { type: 'screen.segment' }>;
export type ScreenGapEvent = Extract<ScreenEventBody, { type: 'screen.gap' }>;

export interface VideoSegment {
  /** The timeline line that names it. */
  seq: number;
  event: SegmentEvent;
}

/** A session records a segment a minute: 10,000 is a week of recording; more is not something the workbench wrote. */
export const MAX_SEGMENTS = 10_000;
/** The only file names the recorder writes; any other `file` in an event is not read. */
const SEGMENT_FILE = /^video\/seg-\d{6,9}\.mp4$/;

export const VIDEO_FORMAT = 'video/mp4 (fragmented, H.264)';

/** Whether a timeline line (its raw bytes) may be a screen event, before parsing it. */
export function isScreenLine(line: Buffer | string): boolean {
  return line.includes('"type":"screen.segment"') || line.includes('"type":"screen.gap"');
}

/** Gathers the recording's segments and gaps from timeline events, bounded; a second event naming the same file is ignored. */
export class VideoIndex {
  readonly segments: VideoSegment[] = [];
  readonly gaps: Array<{ seq: number; event: ScreenGapEvent }> = [];
  /** Segment events past MAX_SEGMENTS or naming a file the recorder would not write: counted, not read. */
  ignored = 0;
  private files = new Map<string, VideoSegment>();

  add(seq: number, event: TimelineEvent): void {
    if (event.type === 'screen.gap') {
      if (this.gaps.length < MAX_SEGMENTS) this.gaps.push({ seq, event });
      return;
    }
    if (event.type !== 'screen.segment') return;
    const ok = typeof event.file === 'string' && SEGMENT_FILE.test(event.file) && /^[0-9a-f]{64}$/.test(event.sha256)
      && Number.isSafeInteger(event.size) && event.size >= 0 && Number.isFinite(event.firstFrameHostTime) && Number.isFinite(event.lastFrameHostTime)
      && event.lastFrameHostTime >= event.firstFrameHostTime;
    if (!ok || this.files.has(event.file) || this.segments.length >= MAX_SEGMENTS) {
      this.ignored++;
      return;
    }
    const segment = { seq, event };
    this.files.set(event.file, segment);
    this.segments.push(segment);
  }

  /** Bytes of all segments as the timeline records them. */
  get bytes(): number {
    return this.segments.reduce((n, s) => n + s.event.size, 0);
  }

  /** Seconds of video the segments cover (first to last frame of each). */
  get seconds(): number {
    return this.segments.reduce((n, s) => n + (s.event.lastFrameHostTime - s.event.firstFrameHostTime) / 1000, 0);
  }

  byFile(path: string): VideoSegment | undefined {
    return this.files.get(path);
  }
}

/** The export's refusal of a segment that is not what the timeline recorded. */
export function segmentChanged(s: VideoSegment, found: { size: number; sha256?: string }): WorkbenchError {
  const what = found.sha256 ? `its SHA-256 is ${found.sha256}` : `it holds ${found.size} bytes`;
  const expected = found.sha256 ? `${s.event.sha256}` : `${s.event.size} bytes`;
  const message = `The screen recording segment ${s.event.file} was changed after it was recorded: ${what}, the timeline (line ${s.seq}) recorded ${expected}. A changed recording cannot be signed as evidence: restore the original file, or export without video`;
  return new WorkbenchError('evidence.video-changed', message, { file: s.event.file, line: s.seq, expected, found: found.sha256 ?? found.size });
}
