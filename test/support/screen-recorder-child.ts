/**
 * Test child: records ffmpeg-made H.264 (a cached file, see ffmpeg-h264.ts) into a new session at `dir` through the
 * real Recorder, ten times faster than real time (host times say 30 fps), printing `fed N` after each batch is
 * written — for the parent to kill -9 it mid-segment. Usage: screen-recorder-child.ts <dir> <h264 file> <syncMs>.
 */
import { readFileSync } from 'node:fs';
import { Recorder } from '../../src-main/core/screen/recorder.js';
import { screenSink } from '../../src-main/core/screen/screen-sink.js';
import { Session } from '../../src-main/core/session/session.js';
import { splitAccessUnits } from './annexb-units.js';

const [dir, file, syncMs] = process.argv.slice(2) as [string, string, string];
const { units, codec } = splitAccessUnits(readFileSync(file));
const T0 = 1_765_000_000_000;
const s = Session.create(dir, {
  id: 's', app: { packageName: 'com.example', versionName: null, versionCode: null, apkSha256: null },
  device: { serial: 'emulator-5554', model: null, manufacturer: null, fingerprint: null, androidVersion: null, sdk: null, clockOffsetMs: 0 },
  tester: 't', caseRef: '', startedAt: T0, tool: { name: 'apprights', version: '0' },
});
const r = new Recorder(screenSink(s), { syncMs: Number(syncMs) });
r.format({ stream: 1, width: 720, height: 1600, codec, sps: Buffer.alloc(0), pps: Buffer.alloc(0) });
let i = 0;
const batch = (): void => {
  for (const end = Math.min(units.length, i + 30); i < end; i++) r.unit({ stream: 1, seq: i, key: units[i]!.key, hostTime: T0 + (i * 1000) / 30, data: units[i]!.data });
  void r.idle().then(() => {
    process.stdout.write(`fed ${i}\n`);
    if (i < units.length) setTimeout(batch, 100);
  });
};
batch();
