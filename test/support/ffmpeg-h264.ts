/**
 * Test helper: H.264 made by ffmpeg (the reference encoder here and in CI), cached under the temp folder by its
 * command line so ten runs of a test encode it once; and ffprobe's reading of an MP4 file.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitAccessUnits, type TestUnit } from './annexb-units.js';

/** `testsrc` at `size` and `rate` for `seconds`, baseline profile, a key frame every `gop` frames, as Annex B units. */
export function testH264(o: { size: string; rate: number; seconds: number; gop: number }): { units: TestUnit[]; codec: string; file: string } {
  const args = ['-nostdin', '-y', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=${o.size}:rate=${o.rate}`, '-t', String(o.seconds), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'baseline', '-g', String(o.gop), '-f', 'h264'];
  const dir = join(tmpdir(), 'apprights-test-h264');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${createHash('sha256').update(args.join(' ')).digest('hex').slice(0, 16)}.h264`);
  if (!existsSync(file)) {
    const part = `${file}.${process.pid}.part`;
    const r = spawnSync('ffmpeg', [...args, part], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr?.toString()}`);
    renameSync(part, file);
  }
  return { ...splitAccessUnits(readFileSync(file)), file };
}

export interface Probe {
  width: number;
  height: number;
  duration: number;
  frames: number;
}

/** ffprobe's count of decodable frames, the size and the container's duration; exit status and stderr as ffprobe said. */
export function probe(path: string): Probe & { status: number | null; errors: string } {
  const r = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_read_frames:format=duration', '-of', 'json', path], { encoding: 'utf8' });
  const j = JSON.parse(r.stdout || '{}') as { streams?: Array<{ width: number; height: number; nb_read_frames: string }>; format?: { duration: string } };
  const s = j.streams?.[0];
  return { width: s?.width ?? 0, height: s?.height ?? 0, frames: Number(s?.nb_read_frames ?? 0), duration: Number(j.format?.duration ?? 0), status: r.status, errors: r.stderr };
}

/** Decodes every frame with ffmpeg: the frames decoded and what ffmpeg said at level error. */
export function decode(path: string): { frames: number; status: number | null; errors: string } {
  const r = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-f', 'framemd5', '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { frames: r.stdout.split('\n').filter((l) => l && !l.startsWith('#')).length, status: r.status, errors: r.stderr };
}
