/**
 * The phone's screen as video, types only: the timeline events a recording writes (segments, gaps, the stream's
 * state), what the live screen receives (H.264 access units, Annex B, one per event item) and the API shapes to
 * watch a phone's screen. The core's screen capability (src-main/core/screen/) serves them.
 */

/** Why the video has a hole between two times (written as `screen.gap`, the time span it covers). */
export type ScreenGapReason =
  /** screenrecord reached its time limit (180 s) and was started again: the measured pause between the two. */
  | 'restart'
  /** The phone refused screenrecord (an error printed, no stream): the PNG screenshots stand in. */
  | 'refused'
  /** The focused window is secure (FLAG_SECURE): the phone records it black. */
  | 'secure-window'
  /** The stream stopped mid-frame or held bytes that are not H.264; the stream was restarted. */
  | 'stream-error'
  /** The resolution changed (rotation): a new segment was started at the new size. */
  | 'resolution'
  /** The phone went away (cable, reboot); recording resumes when it is back. */
  | 'disconnected'
  /** The disk filled (or a write failed): frames were not kept until writing worked again. */
  | 'write-failed'
  /** The session was paused. */
  | 'paused';

export const SCREEN_GAP_REASONS: readonly ScreenGapReason[] = ['restart', 'refused', 'secure-window', 'stream-error', 'resolution', 'disconnected', 'write-failed', 'paused'];

/** Why a segment file was closed. */
export type SegmentEnd = 'rollover' | 'restart' | 'resolution' | 'session-stop' | 'disconnected' | 'stream-error' | 'write-failed' | 'recovered';

export type ScreenEventBody =
  /**
   * A closed fragmented-MP4 segment of the session's recording, hashed: `file` is relative to the session folder
   * (`video/seg-000001.mp4`). Video time t (s) of this segment is host time `firstFrameHostTime + t * 1000`; device
   * time is host time plus the session's clock offset. `partial`: found after a crash, hashed on recovery (it plays
   * up to its last whole fragment).
   */
  | { type: 'screen.segment'; index: number; file: string; sha256: string; size: number; firstFrameHostTime: number; lastFrameHostTime: number; frames: number; width: number; height: number; codec: string; ended: SegmentEnd; partial: boolean }
  /** A hole in the video from `from` to `to` (host ms; `to` null while it lasts and it was not seen to end). */
  | { type: 'screen.gap'; from: number; to: number | null; reason: ScreenGapReason; detail: string | null }
  /** The session's screen recording changed state: on H.264, on PNG fallback, or off (and why). */
  | { type: 'screen.recording'; state: 'h264' | 'png-fallback' | 'off'; reason: string | null; width: number | null; height: number | null };

export type ScreenEventType = ScreenEventBody['type'];

/** One H.264 access unit for the live screen (base64 of its Annex B bytes: start codes, SPS/PPS before a key frame). */
export interface ScreenFrame {
  serial: string;
  /** The stream's generation: a new one (restart, new size) starts with a key frame and a new decoder config. */
  stream: number;
  /** Increasing within a stream; a frame already decoded (seq ≤ the last) is skipped — a new watcher makes the core resend the group of pictures. */
  seq: number;
  key: boolean;
  /** WebCodecs codec string from the SPS, e.g. avc1.42c01f. */
  codec: string;
  width: number;
  height: number;
  /** When the access unit arrived from the phone (host ms). */
  hostTime: number;
  data: string;
}

/** The live screen's source for a phone, as the Screen tab shows it. */
export interface ScreenStatus {
  serial: string;
  /** `h264`: frames arrive as `screenFrame`; `png`: the screen tab polls screenshots (reason says why); `off`: nobody watches or records. */
  mode: 'h264' | 'png' | 'off';
  reason: string | null;
  width: number | null;
  height: number | null;
  /** Watchers and recorders sharing the stream. */
  watchers: number;
  recording: boolean;
}

/** A watch is a lease: renew it (call screen.watch with its id) within this many ms or the core lets it go. */
export const SCREEN_WATCH_LEASE_MS = 5000;
