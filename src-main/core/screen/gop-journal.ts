/**
 * The open group of pictures of a segment, kept on disk beside it (`seg-000001.gop`) until the MP4 holds it.
 * mediabunny cuts a fragment only where a key frame starts the next one (its timestamps are worked out per
 * group of pictures), and a phone's screenrecord sends a key frame about every 10 s: without this journal a
 * kill -9 would lose up to a whole group. Units are appended and fsynced once a second; when the muxer writes
 * the fragment that holds them the journal starts again from the key frame that began the next group. A
 * journal always begins with a key frame (with SPS/PPS in front), so recovery can mux it into a segment of its own.
 *
 * Format: one header line of JSON (`{"v":1,"fragment":N,"width":…,"height":…,"codec":…}`: the units follow
 * fragment N of the MP4), then records of [u32 length][f64 host ms][u8 key] + Annex B bytes, little-endian.
 */
import { closeSync, fsyncSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { openNoFollow } from '../no-follow.js';

export interface JournalHeader {
  v: 1;
  /** The units follow this many whole fragments of the segment's MP4. */
  fragment: number;
  width: number;
  height: number;
  codec: string;
  /** The segment's first frame (its video time 0). */
  firstFrameHostTime: number;
  /** Frames in those fragments, and the host time of the last of them. */
  framesBefore: number;
  lastHostTimeBefore: number;
}

export interface JournalUnit {
  hostTime: number;
  key: boolean;
  data: Buffer;
}

const RECORD_HEAD = 13;
/** A header line longer than this is not ours. */
const MAX_HEADER = 1024;
/** One unit beyond this is not a screen frame (an 8-bit 4K I frame is well under it). */
const MAX_UNIT = 16 * 1024 * 1024;

export class GopJournal {
  private fd: number;
  private size = 0;
  private pending: Buffer[] = [];

  constructor(readonly path: string) {
    this.fd = openNoFollow(path, 'fresh').fd;
  }

  /** Starts the journal again (header, then the units that are not in the MP4 yet). */
  restart(header: JournalHeader, units: readonly JournalUnit[]): void {
    ftruncateSync(this.fd, 0);
    this.size = 0;
    this.pending = [Buffer.from(JSON.stringify(header) + '\n')];
    for (const u of units) this.add(u);
  }

  add(u: JournalUnit): void {
    const head = Buffer.alloc(RECORD_HEAD);
    head.writeUInt32LE(u.data.length, 0);
    head.writeDoubleLE(u.hostTime, 4);
    head[12] = u.key ? 1 : 0;
    this.pending.push(head, u.data);
  }

  /** Writes what was added and fsyncs (a write error is the caller's: disk full). */
  sync(): void {
    if (!this.pending.length) return;
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off, this.size + off);
    this.size += bytes.length;
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Reads a journal a crash left; whole records only (a torn last record is left out). Null when it holds no header
 * (an empty file or not a journal). Bounded: at most `maxBytes` are read.
 */
export function readJournal(path: string, maxBytes: number): { header: JournalHeader; units: JournalUnit[] } | null {
  const { fd, stat } = openNoFollow(path, 'read');
  try {
    const size = Math.min(stat.size, maxBytes);
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n <= 0) break;
      got += n;
    }
    const nl = buf.subarray(0, Math.min(got, MAX_HEADER)).indexOf(10);
    if (nl < 0) return null;
    let header: JournalHeader;
    try {
      header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as JournalHeader;
    } catch {
      return null;
    }
    if (header?.v !== 1 || !Number.isInteger(header.fragment) || !Number.isInteger(header.width) || !Number.isInteger(header.height) || typeof header.codec !== 'string' || !/^avc1\.[0-9a-fA-F]{6}$/.test(header.codec) || !Number.isFinite(header.firstFrameHostTime) || !Number.isInteger(header.framesBefore) || !Number.isFinite(header.lastHostTimeBefore)) return null;
    const units: JournalUnit[] = [];
    let at = nl + 1;
    while (at + RECORD_HEAD <= got) {
      const len = buf.readUInt32LE(at);
      const hostTime = buf.readDoubleLE(at + 4);
      if (len === 0 || len > MAX_UNIT || !Number.isFinite(hostTime) || at + RECORD_HEAD + len > got) break;
      units.push({ hostTime, key: buf[at + 12] === 1, data: buf.subarray(at + RECORD_HEAD, at + RECORD_HEAD + len) });
      at += RECORD_HEAD + len;
    }
    return { header, units };
  } finally {
    closeSync(fd);
  }
}
