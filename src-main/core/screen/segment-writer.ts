/**
 * One segment file of a session's recording: H.264 access units (Annex B, host arrival times) muxed by mediabunny
 * into fragmented MP4 (`video/seg-000001.mp4`). mediabunny makes the boxes; this module owns the file: the bytes
 * of each box are written where the muxer says (ftyp, moov, then moof+mdat per fragment, in order) and fsynced
 * once a fragment is whole, so a file cut anywhere plays up to its last whole fragment. The group of pictures not
 * yet in a fragment is kept in the GOP journal beside it (gop-journal.ts), fsynced about once a second.
 *
 * Time: video time t of the segment is host time `firstFrameHostTime + t*1000`. Each frame's timestamp is its
 * arrival relative to the segment's first frame, kept increasing by at least 1 ms; a frame's duration is known when
 * the next arrives (one frame is held back), the last one's from the time the segment ends.
 */
import { closeSync, fsyncSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, NullTarget, Output } from 'mediabunny';
import { openNoFollow } from '../no-follow.js';
import { GopJournal, type JournalHeader, type JournalUnit } from './gop-journal.js';

export interface SegmentFormat {
  width: number;
  height: number;
  codec: string;
}

/** What a closed (or abandoned) segment was, for its `screen.segment` event. */
export interface SegmentFacts {
  index: number;
  /** Relative to the session folder. */
  file: string;
  path: string;
  firstFrameHostTime: number;
  lastFrameHostTime: number;
  frames: number;
  width: number;
  height: number;
  codec: string;
}

export const VIDEO_DIR = 'video';

export function segmentName(index: number): string {
  return `seg-${String(index).padStart(6, '0')}.mp4`;
}

export function journalPath(mp4Path: string): string {
  return mp4Path.replace(/\.mp4$/, '.gop');
}

/** A frame shown for less than this is stretched to it (players need increasing times). */
const MIN_STEP_MS = 1;

export class SegmentWriter {
  private fd: number;
  private end = 0;
  private fragments = 0;
  private fragmentDone = false;
  private output: Output;
  private source: EncodedVideoPacketSource;
  private journal: GopJournal;
  private held: JournalUnit | null = null;
  private heldTs = 0;
  private lastTs = -1;
  private lastStepMs = 33;
  private started = false;
  private first: number | null = null;
  /** Frames and the last frame's host time in the MP4's whole fragments (the journal header says them). */
  private inMp4 = { frames: 0, last: 0 };
  private added = 0;
  private lastHostTime = 0;

  constructor(readonly sessionDir: string, readonly index: number, readonly format: SegmentFormat) {
    const path = join(sessionDir, VIDEO_DIR, segmentName(index));
    this.fd = openNoFollow(path, 'fresh').fd;
    try {
      this.journal = new GopJournal(journalPath(path));
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
    const put = (data: Uint8Array, position: number): void => {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off, data.length - off, position + off);
      this.end = Math.max(this.end, position + data.length);
    };
    this.output = new Output({
      target: new NullTarget(),
      format: new Mp4OutputFormat({
        fastStart: 'fragmented', minimumFragmentDuration: 1,
        onFtyp: put, onMoov: put, onMoof: put,
        onMdat: (data, position) => {
          put(data, position);
          this.fragmentDone = true;
        },
      }),
    });
    this.source = new EncodedVideoPacketSource('avc');
    this.output.addVideoTrack(this.source);
  }

  get file(): string {
    return `${VIDEO_DIR}/${segmentName(this.index)}`;
  }

  get path(): string {
    return join(this.sessionDir, this.file);
  }

  get frames(): number {
    return this.added + (this.held ? 1 : 0);
  }

  get firstFrameHostTime(): number | null {
    return this.first;
  }

  /** Adds a unit (the first must be a key frame with SPS/PPS). Throws on a write error (disk full). */
  async add(u: JournalUnit): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.first = u.hostTime;
      await this.output.start();
      this.journal.restart(this.header(), []);
    }
    let ts = (u.hostTime - this.first!) / 1000;
    if (ts < this.lastTs + MIN_STEP_MS / 1000) ts = this.lastTs + MIN_STEP_MS / 1000;
    // The held frame goes to the muxer first: a fragment it completes restarts the journal, then this unit joins.
    if (this.held) await this.put(this.held, this.heldTs, ts - this.heldTs);
    this.journal.add(u);
    this.lastStepMs = this.held ? (ts - this.heldTs) * 1000 : this.lastStepMs;
    this.held = u;
    this.heldTs = ts;
    this.lastTs = ts;
    this.lastHostTime = u.hostTime;
  }

  /** Writes and fsyncs the journal (once a second): what a kill -9 can lose is what came since. */
  sync(): void {
    if (this.started) this.journal.sync();
  }

  /**
   * Closes the segment: the held frame shown until `endHostTime` (or one frame step), the last fragment written
   * and the file fsynced; the journal removed. Returns what the timeline says of it (null: it holds no frame).
   */
  async close(endHostTime: number | null): Promise<SegmentFacts | null> {
    if (!this.started || !this.held) {
      this.abandon();
      return null;
    }
    const endTs = endHostTime === null ? this.heldTs + this.lastStepMs / 1000 : Math.max(this.heldTs + MIN_STEP_MS / 1000, (endHostTime - this.first!) / 1000);
    await this.put(this.held, this.heldTs, endTs - this.heldTs);
    this.held = null;
    await this.output.finalize();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.journal.close();
    return this.facts();
  }

  /** The journal's file, removed by the caller once the segment is in the timeline (a crash before keeps it). */
  get journalPath(): string {
    return this.journal.path;
  }

  /** Gives up the segment after a write error: files closed as they are (the MP4 plays to its last whole fragment). */
  abandon(): void {
    void this.output.cancel().catch(() => undefined);
    for (const close of [() => closeSync(this.fd), () => this.journal.close()]) {
      try {
        close();
      } catch {
        // Already closed, or the disk is gone: nothing more to keep.
      }
    }
  }

  /** What is in the file now (frames in whole fragments and held in the journal). */
  facts(): SegmentFacts {
    return {
      index: this.index, file: this.file, path: this.path, firstFrameHostTime: this.first ?? 0, lastFrameHostTime: this.lastHostTime,
      frames: this.frames, width: this.format.width, height: this.format.height, codec: this.format.codec,
    };
  }

  /** What the MP4 holds in whole fragments (a segment abandoned after a write error). */
  inFile(): SegmentFacts {
    return { ...this.facts(), frames: this.inMp4.frames, lastFrameHostTime: this.inMp4.frames ? this.inMp4.last : this.first ?? 0 };
  }

  private header(): JournalHeader {
    return { v: 1, fragment: this.fragments, width: this.format.width, height: this.format.height, codec: this.format.codec, firstFrameHostTime: this.first!, framesBefore: this.inMp4.frames, lastHostTimeBefore: this.inMp4.last };
  }

  private async put(u: JournalUnit, ts: number, duration: number): Promise<void> {
    const packet = new EncodedPacket(u.data, u.key ? 'key' : 'delta', ts, duration);
    this.fragmentDone = false;
    await this.source.add(packet, this.added === 0 ? { decoderConfig: { codec: this.format.codec, codedWidth: this.format.width, codedHeight: this.format.height } } : undefined);
    this.gopBytes += u.data.length;
    if (this.fragmentDone) {
      // The fragment before this key frame is whole: on disk before the journal forgets its frames.
      this.gopBytes = u.data.length;
      fsyncSync(this.fd);
      this.fragments++;
      this.inMp4 = { frames: this.added, last: this.lastInMp4 };
      this.journal.restart(this.header(), [u]);
      this.journal.sync();
    }
    this.added++;
    this.lastInMp4 = u.hostTime;
  }

  private lastInMp4 = 0;
  private gopBytes = 0;

  /** Bytes of the units since the last fragment (held by the muxer in memory until the next key frame). */
  get openGopBytes(): number {
    return this.gopBytes;
  }
}
