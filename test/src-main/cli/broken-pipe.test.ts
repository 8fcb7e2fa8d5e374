/**
 * `apprights … | head -1`: when the reader of the output leaves, every command that streams ends quietly —
 * exit 0, no stack trace, no "EPIPE" — and promptly (measured). `monitor` of a live phone stops as on Ctrl-C
 * (its raw log closed whole); `monitor --replay`, `analyze --json` of many APKs, `scenarios` and `sessions`
 * end at once. The built CLI, a real adb server, the virtual phone; the pipe is closed as `head` closes it.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../support/adb-server.js';
import { CLI } from '../../support/cli.js';
import { makeSession } from '../../support/evidence-fixtures.js';
import { startPhone, TEST_APKS } from '../../support/virtual-phone.js';

const tmp = mkdtempSync(join(tmpdir(), 'broken-pipe-'));
let adb: TestAdbServer;
let phone: VirtualDevice;

beforeAll(async () => {
  if (!existsSync(join(CLI, '..', '..', 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests');
  adb = await startAdbServer();
  phone = await startPhone(adb, 'collects-before-consent');
}, 60_000);

afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * Runs the CLI, reads its stdout up to the first line that `wanted` accepts (any line: `| head -1`; else as
 * `| grep -m1` does) and closes the pipe.
 */
async function headOne(args: string[], onStarted?: () => Promise<void>, wanted: (line: string) => boolean = () => true): Promise<{ code: number | null; signal: string | null; first: string; stderr: string; msAfterClose: number }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: adb.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let closedAt = 0;
  const first = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no line from ${args.join(' ')}: ${stderr}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (closedAt) return;
      const line = seen.split('\n').slice(0, -1).find(wanted);
      if (line === undefined) return;
      clearTimeout(timer);
      closedAt = performance.now();
      child.stdout!.destroy();
      resolve(line);
    });
    void onStarted?.();
  });
  const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const { code, signal } = await exited;
  clearTimeout(deadline);
  return { code, signal, first, stderr, msAfterClose: performance.now() - closedAt };
}

function quiet(r: { code: number | null; signal: string | null; stderr: string; msAfterClose: number }, what: string, withinMs: number): void {
  expect(r.signal, what).toBeNull();
  expect(r.code, `${what}: ${r.stderr}`).toBe(0);
  expect(r.stderr, what).not.toMatch(/EPIPE|\n\s+at |Error/);
  expect(r.msAfterClose, `${what}: ms from the closed pipe to the exit`).toBeLessThan(withinMs);
}

describe('the reader of the output leaves', () => {
  it('monitor of a live phone: stops as on Ctrl-C, exit 0, no stack trace, the raw log kept', async () => {
    const rawLog = join(tmp, 'live.log');
    // `| grep -m1 '"source":"logcat"'`: the pipe closes right after an event read from the log.
    const r = await headOne(['monitor', '--serial', phone.serial, '--json', '--raw-log', rawLog], async () => {
      await adb.adb(['-s', phone.serial, 'shell', 'am', 'start', '-W', '-n', 'com.demo.shop/.MainActivity']);
    }, (line) => line.includes('"source":"logcat"'));
    const event = JSON.parse(r.first) as { serial: string; raw: string[] };
    expect(event.serial).toBe(phone.serial);
    quiet(r, 'monitor', 5000);
    // Stopped as on Ctrl-C: it said what it read, and the raw log holds the line the event came from.
    expect(r.stderr).toMatch(/\d+ lines, \d+ events/);
    expect(readFileSync(rawLog, 'utf8')).toContain(event.raw[0]);
  });

  it('monitor --replay, analyze --json of many APKs, scenarios, sessions: end at once, exit 0, no stack trace', async () => {
    const log = readFileSync(join(__dirname, '..', '..', 'fixtures', 'monitor', 'virtual-phone-collects-before-consent.logcat.txt'));
    writeFileSync(join(tmp, 'big.log'), Buffer.concat(Array.from({ length: 3000 }, () => log)));
    quiet(await headOne(['monitor', '--replay', join(tmp, 'big.log'), '--json']), 'monitor --replay', 5000);

    const apks = Array.from({ length: 12 }, (_, i) => {
      const to = join(tmp, `app-${i}.apk`);
      copyFileSync(TEST_APKS.settings, to);
      return to;
    });
    quiet(await headOne(['analyze', ...apks, '--json']), 'analyze --json', 5000);

    quiet(await headOne(['scenarios']), 'scenarios', 5000);
    const dataDir = join(tmp, 'data');
    for (let i = 0; i < 400; i++) await makeSession(join(dataDir, 'sessions', `s-${String(i).padStart(3, '0')}`), { events: 1 });
    await waitFor('sessions written', async () => existsSync(join(dataDir, 'sessions', 's-399', 'session.json')));
    quiet(await headOne(['sessions', '--data-dir', dataDir]), 'sessions', 5000);
  }, 180_000);
});
