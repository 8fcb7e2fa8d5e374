/**
 * H.264 Annex B streams made by ffmpeg (the reference encoder, installed here and in CI; never used at run time)
 * into a temp dir, and ffmpeg/ffprobe as the reference decoder for what the parser hands over.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MadeStream {
  bytes: Buffer;
  path: string;
}

const dir = mkdtempSync(join(tmpdir(), 'h264-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** `ffmpeg -f lavfi -i testsrc=... -c:v libx264 -f h264`: a moving test picture, key frame every `gop` frames. */
export function makeH264(o: { size: string; seconds: number; profile: 'baseline' | 'high'; rate?: number; gop?: number; name: string }): MadeStream {
  const path = join(dir, `${o.name}.h264`);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${o.size}:rate=${o.rate ?? 30}`, '-t', String(o.seconds),
    '-c:v', 'libx264', '-profile:v', o.profile, '-pix_fmt', 'yuv420p', '-g', String(o.gop ?? 30), '-bf', '0', '-f', 'h264', path]);
  return { bytes: readFileSync(path), path };
}

export interface Probe {
  width: number;
  height: number;
  profile: string;
  level: number;
}

export function probe(path: string): Probe {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,profile,level', '-of', 'json', path]).toString();
  const s = (JSON.parse(out) as { streams: Probe[] }).streams[0]!;
  return { width: Number(s.width), height: Number(s.height), profile: s.profile, level: Number(s.level) };
}

/** Frames ffmpeg decodes from Annex B bytes, and whether it reported any error while decoding them. */
export function decode(bytes: Buffer): { frames: number; errors: string } {
  const path = join(dir, `decode-${process.pid}-${Math.random().toString(36).slice(2)}.h264`);
  writeFileSync(path, bytes);
  const r = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  rmSync(path, { force: true });
  return { frames: Number(r.stdout.trim()), errors: r.stderr.trim() };
}
