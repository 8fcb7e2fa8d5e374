/**
 * One workbench per data folder, uploads per process: a second `apprights serve` on the same folder says
 * which process holds it and exits; a lock left by a dead process is taken over; uploads of dead processes are
 * cleared at start, a live one's are left alone, and the total is capped.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK, lockDataDir } from '../../../src-main/core/data-dir-lock.js';
import { StagedFiles } from '../../../src-main/core/staged-files.js';
import { startAdbServer, type TestAdbServer } from '../../support/adb-server.js';

const cli = join(import.meta.dirname, '../../..', 'bin', 'apprights.cjs');
let adb: TestAdbServer;
beforeAll(async () => {
  adb = await startAdbServer();
}, 60_000);
afterAll(async () => adb?.kill());

describe('the data folder lock', () => {
  it('a second lock names the holder; a dead holder\'s lock is taken over; release removes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dir, DATA_DIR_LOCK), '999999');
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, DATA_DIR_LOCK), 'utf8')).toBe(String(process.pid));
    // The same process (another Workbench in it) is refused too only when the holder is another process.
    writeFileSync(join(dir, DATA_DIR_LOCK), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`process ${process.ppid}\\) uses the data folder`));
    writeFileSync(join(dir, DATA_DIR_LOCK), String(process.pid));
    release();
    expect(existsSync(join(dir, DATA_DIR_LOCK))).toBe(false);
  });

  it('a second apprights serve on the same folder exits with the holder\'s pid; the first keeps serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-lock-'));
    const first = spawn(process.execPath, [cli, 'serve', '--data-dir', dir], { env: adb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      first.stdout!.on('data', (d: Buffer) => {
        seen += d.toString();
        const m = /Open \/ 打开: (\S+)/.exec(seen);
        if (m) resolve(m[1]!);
      });
      first.once('exit', () => reject(new Error(seen)));
    });
    const second = spawn(process.execPath, [cli, 'serve', '--data-dir', dir], { env: adb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    second.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(err).toContain(`process ${first.pid}) uses the data folder`);
    expect((await fetch(url)).status).toBe(200);
    first.kill('SIGINT');
    await new Promise((r) => first.once('exit', r));
    expect(existsSync(join(dir, DATA_DIR_LOCK))).toBe(false);
  }, 60_000);
});

describe('uploads', () => {
  it('live in a folder per process; a dead process\'s are cleared at start, a live one\'s are kept; the total is capped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uploads-'));
    mkdirSync(join(dir, 'uploads', '999999'), { recursive: true });
    writeFileSync(join(dir, 'uploads', '999999', 'old.apk'), 'x');
    mkdirSync(join(dir, 'uploads', String(process.ppid)), { recursive: true });
    writeFileSync(join(dir, 'uploads', String(process.ppid), 'theirs.apk'), 'x');
    const files = new StagedFiles(dir, 1000);
    expect(existsSync(join(dir, 'uploads', '999999'))).toBe(false);
    expect(existsSync(join(dir, 'uploads', String(process.ppid), 'theirs.apk'))).toBe(true);
    const a = await files.stageUpload('a.apk', Readable.from([Buffer.alloc(600)]), 600);
    expect(a.path).toContain(join('uploads', String(process.pid)));
    await expect(files.stageUpload('b.apk', Readable.from([Buffer.alloc(600)]), null)).rejects.toThrow(/reached/);
    // The refused upload leaves nothing behind, even when its file was still being opened as it was refused.
    expect(readdirSync(join(dir, 'uploads', String(process.pid)))).toEqual([basename(a.path)]);
    await expect(files.stageUpload('c.apk', Readable.from([Buffer.alloc(10)]), 600)).rejects.toThrow(/reached/);
    files.cleanup();
    expect(existsSync(join(dir, 'uploads', String(process.pid)))).toBe(false);
    expect(existsSync(join(dir, 'uploads', String(process.ppid), 'theirs.apk'))).toBe(true);
  });
});
