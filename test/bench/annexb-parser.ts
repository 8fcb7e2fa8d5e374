/**
 * Benchmark (not a test gate): the Annex B parser's throughput on an ffmpeg-made stream (720x1600 high profile with noise at 20 Mbit/s,
 * 10 s, a key frame per second) pushed in 64 KiB chunks as adb hands them over, against `cat x.h264 > /dev/null`
 * measured in the same run (the cost of merely moving the bytes).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnnexBParser } from '../../src-main/core/screen/annexb.js';

const dir = mkdtempSync(join(tmpdir(), 'annexb-bench-'));
try {
  const file = join(dir, 'x.h264');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=720x1600:rate=30,noise=alls=30:allf=t', '-t', '10', '-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-b:v', '20M', '-g', '30', '-f', 'h264', file]);
  const bytes = readFileSync(file);
  const mb = bytes.length / 1e6;
  const best = (run: () => void): number => {
    let min = Infinity;
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      run();
      min = Math.min(min, performance.now() - t0);
    }
    return min;
  };
  let units = 0;
  const parse = best(() => {
    units = 0;
    const p = new AnnexBParser(() => units++);
    for (let i = 0; i < bytes.length; i += 65_536) p.push(bytes.subarray(i, i + 65_536));
    p.end();
  });
  const cat = best(() => {
    spawnSync('sh', ['-c', 'cat "$1" > /dev/null', 'sh', file]);
  });
  console.log(`stream: ${mb.toFixed(1)} MB, ${units} access units`);
  console.log(`parser: ${parse.toFixed(1)} ms = ${(mb / (parse / 1000)).toFixed(0)} MB/s (${(units / (parse / 1000)).toFixed(0)} frames/s)`);
  console.log(`cat x.h264 > /dev/null: ${cat.toFixed(1)} ms = ${(mb / (cat / 1000)).toFixed(0)} MB/s (process start included)`);
  console.log(`ratio parser/cat time: ${(parse / cat).toFixed(2)}; a 4 Mbit/s stream is 0.5 MB/s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
