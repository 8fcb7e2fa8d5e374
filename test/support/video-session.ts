/**
 * A recorded-looking session with a screen recording: real fragmented MP4 segments made by ffmpeg (the
 * reference encoder, as the recorder's files are fMP4 of H.264) under video/, each named by a screen.segment
 * event with its SHA-256, size and first/last frame host times, a screen.gap between them, and marks inside and
 * outside the video to seek to.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../../src-main/core/session/index.js';
import type { TimelineEvent } from '../../src-preload/monitor-events.js';
import { makeSession } from './evidence-fixtures.js';

export const FPS = 30;

/** A fragmented MP4 (1 s fragments, H.264 baseline) of ffmpeg's test pattern, `seconds` long. */
export function ffmpegSegment(path: string, seconds: number, pattern: 'testsrc' | 'testsrc2' = 'testsrc'): void {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `${pattern}=size=360x800:rate=${FPS}`, '-t', String(seconds), '-pix_fmt', 'yuv420p', '-g', String(FPS),
    '-c:v', 'libx264', '-profile:v', 'baseline', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', path], { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface VideoSessionLayout {
  dir: string;
  /** Host time of the first segment's first frame. */
  t0: number;
  segments: Array<{ file: string; first: number; last: number; size: number; sha256: string; seq: number }>;
  /** A tester mark inside segment `segment` at `offset` seconds of it. */
  inside: { seq: number; hostTime: number; segment: number; offset: number };
  /** A tester mark in the gap between the segments (no video then). */
  outside: { seq: number; hostTime: number };
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * `segments` segments of `seconds` each, a 1 s restart gap between consecutive ones; `files` (optional)
 * supplies the bytes instead of ffmpeg (for size benchmarks: any bytes, hashed the same way).
 */
export async function videoSession(dir: string, o: { segments?: number; seconds?: number; files?: (path: string, index: number) => void } = {}): Promise<VideoSessionLayout> {
  const count = o.segments ?? 2;
  const seconds = o.seconds ?? 5;
  await makeSession(dir, { state: 'recording', events: 5 });
  const s = Session.open(dir);
  mkdirSync(join(dir, 'video'), { recursive: true });
  const t0 = Date.now() - 60_000;
  const base = { serial: '127.0.0.1:5555', packageName: 'com.demo.shop', deviceTime: null, source: 'screen' as const, raw: [] };
  const segments: VideoSessionLayout['segments'] = [];
  let inside: VideoSessionLayout['inside'] | null = null;
  let outside: VideoSessionLayout['outside'] | null = null;
  for (let i = 0; i < count; i++) {
    const file = `video/seg-${String(i + 1).padStart(6, '0')}.mp4`;
    const path = join(dir, file);
    if (o.files) o.files(path, i);
    else ffmpegSegment(path, seconds, i % 2 ? 'testsrc2' : 'testsrc');
    const first = t0 + i * (seconds + 1) * 1000;
    const last = first + Math.round(((seconds * FPS - 1) * 1000) / FPS);
    if (i === count - 1) {
      // The moment 4.2 s into the last segment: "play from here" seeks to 1.2 s of it.
      const hostTime = first + 4200;
      inside = { seq: s.append({ type: 'tester.mark', mark: 'consent.declined', label: null }, { source: 'tester', hostTime }), hostTime, segment: i, offset: 4.2 };
    }
    const size = statSync(path).size;
    const hash = sha256(path);
    const seq = s.appendObserved({ ...base, seq: 0, hostTime: last + 50, type: 'screen.segment', index: i + 1, file, sha256: hash, size, firstFrameHostTime: first, lastFrameHostTime: last, frames: seconds * FPS, width: 360, height: 800, codec: 'avc1.42c01f', ended: i === count - 1 ? 'session-stop' : 'restart', partial: false } as TimelineEvent);
    segments.push({ file, first, last, size, sha256: hash, seq });
    if (i < count - 1) {
      s.appendObserved({ ...base, seq: 0, hostTime: last + 1000, type: 'screen.gap', from: last, to: first + (seconds + 1) * 1000, reason: 'restart', detail: null } as TimelineEvent);
      if (!outside) {
        const hostTime = last + 500;
        outside = { seq: s.append({ type: 'tester.mark', mark: 'other', label: '录屏中断时的标记' }, { source: 'tester', hostTime }), hostTime };
      }
    }
  }
  await s.setState('closed', null);
  await s.release();
  return { dir, t0, segments, inside: inside!, outside: outside ?? { seq: -1, hostTime: t0 - 10_000 } };
}
