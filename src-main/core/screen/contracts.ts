/**
 * The seams of the screen capability, types only: the H.264 stream of one phone (screen-stream.ts: screenrecord
 * over adb, restarted, parsed into access units), its consumers (the live screen's watchers, a session's
 * recorder: recorder.ts muxing fragmented MP4 segments) and the session wiring meet here.
 */
import type { ScreenGapReason } from '../../../src-preload/screen.js';

/** The stream's format, read from its SPS. */
export interface StreamFormat {
  /** Generation of the stream (each screenrecord run or size change is a new one). */
  stream: number;
  width: number;
  height: number;
  /** WebCodecs / MP4 codec string from the SPS (avc1.PPCCLL). */
  codec: string;
  sps: Buffer;
  pps: Buffer;
}

/** One access unit (a frame) in Annex B, as it arrived. */
export interface AccessUnit {
  stream: number;
  seq: number;
  key: boolean;
  /** Host ms when its last byte arrived. */
  hostTime: number;
  /** Annex B bytes (start codes), with SPS/PPS in front of a key frame. */
  data: Buffer;
}

export interface ScreenConsumer {
  /**
   * Takes only frames known whole (a recording): a frame the idle flush handed over on a guess reaches it once the
   * phone's next bytes begin a new frame (or a second passes without bytes), and never if they turn out to continue it.
   */
  readonly wholeUnitsOnly?: boolean;
  /** A new stream began (always before its first unit). */
  format(f: StreamFormat): void;
  unit(u: AccessUnit): void;
  /** A hole from `from` (host ms); `to` when it ended (null: still open, a later gap() call closes it). */
  gap(g: { from: number; to: number | null; reason: ScreenGapReason; detail: string | null }): void;
  /** The phone gives no H.264 (refused, secure-only...) — consumers fall back to screenshots; or it does again. */
  mode(m: { mode: 'h264' | 'png' | 'off'; reason: string | null }): void;
}

/** What the stream asks of the phone (the workbench sets size and bit rate; screenrecord's own limit is 180 s). */
export interface StreamSettings {
  /** Longest side in pixels (the other follows the phone's aspect, both even); null: the phone's own size. */
  maxSize: number | null;
  bitRate: number;
  /** Each screenrecord run's --time-limit (s, ≤ 180); the stream is started again when it ends. */
  timeLimitSec: number;
}

/** The screen streams of all phones: one per phone, started by its first consumer and stopped after its last. */
export interface ScreenStreams {
  /** Adds a consumer; returns its removal. A consumer joining a running stream gets format() and the current group of pictures first. */
  attach(serial: string, consumer: ScreenConsumer, purpose: 'live' | 'record'): () => void;
  stopAll(): Promise<void>;
}
