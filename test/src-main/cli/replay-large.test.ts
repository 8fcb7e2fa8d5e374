/**
 * `apprights monitor --replay` on a log larger than the longest string V8 can hold (~512 MiB): read line by
 * line, it finds the app's events at both ends of the file instead of dying with ERR_STRING_TOO_LONG.
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '../../..', 'bin', 'apprights.cjs');

describe('monitor --replay', () => {
  it('replays a 560 MiB log line by line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-large-'));
    const file = join(dir, 'big.log');
    try {
      const fd = openSync(file, 'w');
      writeSync(fd, '11-30 09:59:59.000  1234  1250 I ActivityManager: Start proc 4100:com.demo.shop/u0a230 for broadcast {com.demo.shop/.BootReceiver}\n');
      const noise = Buffer.from('11-30 10:00:00.000  1234  1250 I ActivityManager: Background activity of com.other.app, nothing to see here\n'.repeat(20_000));
      for (let written = 0; written < 560 * 1024 * 1024; written += noise.length) writeSync(fd, noise);
      writeSync(fd, '11-30 10:10:00.000  1234  1250 I ActivityManager: Start proc 4200:com.demo.shop/u0a230 for service {com.demo.shop/.Push}\n');
      closeSync(fd);
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [cli, 'monitor', '--replay', file, '--package', 'com.demo.shop', '--year', '2026', '--utc-offset', '+08:00', '--json'], { timeout: 150_000, maxBuffer: 16 << 20 }, (err, out, errOut) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(out), stderr: String(errOut) });
        });
      });
      expect(code, stderr).toBe(0);
      const events = stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; pid: number });
      expect(events.map((e) => [e.type, e.pid])).toEqual([['process.start', 4100], ['process.start', 4200]]);
      expect(stderr).toMatch(/2 events from \d{7} lines/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
