/**
 * A real H.264 stream for tests of the live screen's decoder, made by Debian's ffmpeg (libx264, the reference
 * encoder installed for tests only) and cut into access units the way the core sends them: Annex B bytes with
 * SPS/PPS in front of each key frame, a key flag and the WebCodecs codec string read from the SPS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SampleUnit {
  seq: number;
  key: boolean;
  codec: string;
  width: number;
  height: number;
  /** Base64 of the unit's Annex B bytes, as a `screenFrame` carries it. */
  data: string;
}

/** NAL units of an Annex B byte stream (start code excluded). */
function nalUnits(bytes: Buffer): Buffer[] {
  const starts: Array<{ at: number; len: number }> = [];
  for (let i = 0; i + 3 <= bytes.length; i++) {
    if (bytes[i] === 0 && bytes[i + 1] === 0) {
      if (bytes[i + 2] === 1) starts.push({ at: i, len: 3 });
      else if (bytes[i + 2] === 0 && bytes[i + 3] === 1) {
        starts.push({ at: i, len: 4 });
        i++;
      }
    }
  }
  return starts.map((s, k) => bytes.subarray(s.at + s.len, k + 1 < starts.length ? starts[k + 1]!.at : bytes.length));
}

/**
 * `frames` pictures of ffmpeg's moving test card at width×height, in grey (so a decoder's colour matrix does not
 * matter when pictures are compared), baseline profile, a key frame every `gop`,
 * split at access unit delimiters (x264's aud=1).
 */
export function h264Sample(opts: { width: number; height: number; frames: number; gop: number; profile?: 'baseline' | 'high' }): SampleUnit[] {
  const dir = mkdtempSync(join(tmpdir(), 'annexb-'));
  try {
    const out = join(dir, 's.h264');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${opts.width}x${opts.height}:rate=30,format=gray,format=yuv420p`,
      '-frames:v', String(opts.frames), '-c:v', 'libx264', '-profile:v', opts.profile ?? 'baseline', '-pix_fmt', 'yuv420p', '-bf', '0',
      '-g', String(opts.gop), '-x264-params', 'aud=1', '-f', 'h264', out], { timeout: 60_000 });
    const units: Buffer[][] = [];
    for (const nal of nalUnits(readFileSync(out))) {
      if ((nal[0]! & 0x1f) === 9) units.push([]);
      else units[units.length - 1]?.push(nal);
    }
    let codec = '';
    return units.map((nals, seq) => {
      const sps = nals.find((n) => (n[0]! & 0x1f) === 7);
      if (sps) codec = `avc1.${[sps[1]!, sps[2]!, sps[3]!].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
      const key = nals.some((n) => (n[0]! & 0x1f) === 5);
      const data = Buffer.concat(nals.flatMap((n) => [Buffer.from([0, 0, 0, 1]), n]));
      return { seq, key, codec, width: opts.width, height: opts.height, data: data.toString('base64') };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
