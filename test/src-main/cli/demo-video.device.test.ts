/**
 * `apprights demo` records the virtual phone's screen into the session it exports (the built CLI, the real adb
 * server): segments named in the timeline and said at the end; `--no-video` records none and says so.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdbServer, type TestAdbServer } from '../../support/adb-server.js';
import { runCli } from '../../support/cli.js';
import { probe } from '../../support/ffmpeg-h264.js';

const root = join(__dirname, '..', '..', '..');
let adb: TestAdbServer;
const work = mkdtempSync(join(tmpdir(), 'demo-video-'));
writeFileSync(join(work, 'pass'), 'lab passphrase 1\n');

beforeAll(async () => {
  if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests');
  adb = await startAdbServer();
});
afterAll(async () => {
  await adb?.kill();
});

function sessionOf(out: string): string {
  const base = out.replace(/\.zip$/, '');
  const dir = readdirSync(work).find((f) => join(work, f).startsWith(`${base}-session-`));
  if (!dir) throw new Error(`no session folder for ${out}`);
  return join(work, dir);
}

describe('apprights demo and the screen video', () => {
  it('records the demo phone\'s screen by default and says the segments', async () => {
    const out = join(work, 'with.zip');
    const r = await runCli(['demo', '--scenario', 'collects-before-consent', '--fast', '--out', out, '--passphrase-file', join(work, 'pass'), '--data-dir', join(work, 'data'), '--lang', 'en'], adb.env);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const dir = sessionOf(out);
    const named = readFileSync(join(dir, 'timeline.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"screen.segment"')).map((l) => (JSON.parse(l) as { event: { file: string; width: number; height: number } }).event);
    expect(named.length).toBeGreaterThan(0);
    for (const s of named) {
      expect(r.stderr).toContain(`video ${s.file}:`);
      expect(probe(join(dir, s.file))).toMatchObject({ width: s.width, height: s.height, status: 0 });
    }
  }, 180_000);

  it('--no-video leaves the video out and says so', async () => {
    const out = join(work, 'without.zip');
    const r = await runCli(['demo', '--scenario', 'collects-before-consent', '--fast', '--no-video', '--out', out, '--passphrase-file', join(work, 'pass'), '--data-dir', join(work, 'data'), '--lang', 'en'], adb.env);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(existsSync(join(sessionOf(out), 'video'))).toBe(false);
    expect(r.stderr).toContain('No screen video (--no-video).');
  }, 180_000);
});
