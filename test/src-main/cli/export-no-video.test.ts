/**
 * `apprights export --no-video`, run as a user runs it (the built CLI, its own process): a session with a screen
 * recording (ffmpeg fMP4 segments) exports with its segments by default and without them under --no-video; a
 * segment changed after it was recorded stops the export with a sentence naming it, in Chinese and in English,
 * and no package; --help names the option in both languages.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEntries } from '../../support/evidence-fixtures.js';
import { videoSession, type VideoSessionLayout } from '../../support/video-session.js';

const cli = join(__dirname, '..', '..', '..', 'bin', 'apprights.cjs');
const work = mkdtempSync(join(tmpdir(), 'export-no-video-'));
const dataDir = join(work, 'data');
const passphrase = join(work, 'passphrase');
let layout: VideoSessionLayout;

function run(args: string[], lang: 'en' | 'zh-CN' = 'en') {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  delete env.LANG;
  return spawnSync(process.execPath, [cli, ...args, '--lang', lang], { encoding: 'utf8', timeout: 120_000, env });
}

beforeAll(async () => {
  layout = await videoSession(join(work, 'session'));
  writeFileSync(passphrase, 'correct horse battery\n');
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('apprights export and the screen recording', () => {
  it('carries the segments by default and leaves them out with --no-video', async () => {
    const full = run(['export', layout.dir, '--out', join(work, 'full.zip'), '--passphrase-file', passphrase, '--data-dir', dataDir]);
    expect(full.status, full.stderr).toBe(0);
    const bare = run(['export', layout.dir, '--out', join(work, 'bare.zip'), '--passphrase-file', passphrase, '--data-dir', dataDir, '--no-video']);
    expect(bare.status, bare.stderr).toBe(0);
    const withVideo = new Map(await readEntries(join(work, 'full.zip')));
    const without = new Map(await readEntries(join(work, 'bare.zip')));
    for (const s of layout.segments) {
      expect(withVideo.get(s.file)?.equals(readFileSync(join(layout.dir, s.file)))).toBe(true);
      expect(without.has(s.file)).toBe(false);
    }
    const verify = run(['verify', join(work, 'bare.zip')]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  }, 120_000);

  it('a changed segment: refused in words naming it, in both languages, and no package', () => {
    const file = join(layout.dir, layout.segments[1]!.file);
    const original = readFileSync(file);
    const changed = Buffer.from(original);
    changed.writeUInt8(changed.readUInt8(500) ^ 0xff, 500);
    writeFileSync(file, changed);
    try {
      const en = run(['export', layout.dir, '--out', join(work, 'en.zip'), '--passphrase-file', passphrase, '--data-dir', dataDir]);
      expect(en.status).toBe(1);
      expect(en.stderr).toContain(`The screen recording segment ${layout.segments[1]!.file} was changed after it was recorded`);
      expect(en.stderr).toContain('export without video');
      const zh = run(['export', layout.dir, '--out', join(work, 'zh.zip'), '--passphrase-file', passphrase, '--data-dir', dataDir], 'zh-CN');
      expect(zh.status).toBe(1);
      expect(zh.stderr).toContain(`录屏分段 ${layout.segments[1]!.file} 在录制后被改动（时间线第 ${layout.segments[1]!.seq} 行记录的是 ${layout.segments[1]!.sha256}）`);
      expect(existsSync(join(work, 'en.zip')) || existsSync(join(work, 'zh.zip'))).toBe(false);
    } finally {
      writeFileSync(file, original);
    }
  }, 120_000);

  it('--help names --no-video in both languages', () => {
    expect(run(['--help']).stdout).toContain('--no-video: without the screen recording');
    expect(run(['--help'], 'zh-CN').stdout).toContain('--no-video：不含录屏分段');
  });
});
