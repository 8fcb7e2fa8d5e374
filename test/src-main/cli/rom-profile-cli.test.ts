/**
 * `--profile` on the command line: `apprights virtual-device --profile miui --connect` puts a phone named as
 * MIUI's real phone on the adb server (what `apprights devices` and any adb client see), and an unknown profile is
 * one line naming the profiles, exit 2, for `virtual-device` and `demo` alike. Runs the built CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdbServer, waitFor, type TestAdbServer } from '../../support/adb-server.js';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'bin', 'apprights.cjs');

let adb: TestAdbServer;
beforeAll(async () => {
  if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests');
  adb = await startAdbServer();
});
afterAll(async () => adb?.kill());

describe('apprights --profile', () => {
  it('an unknown profile: one line naming the profiles, exit 2', () => {
    const out = mkdtempSync(join(tmpdir(), 'rom-cli-'));
    for (const args of [['virtual-device', '--profile', 'lineage'], ['demo', '--scenario', 'compliant-app', '--out', join(out, 'x.zip'), '--profile', 'lineage']]) {
      const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000, env: adb.env });
      expect(r.status, r.stderr).toBe(2);
      // The catalogue's sentence (the one the window shows), no internal code.
      expect(r.stderr).toMatch(/No ROM profile "lineage"; choose one of: virtual, aosp14, miui, emui, coloros\./);
      expect(r.stderr).not.toMatch(/unknown-profile/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('virtual-device --profile miui --connect: adb sees MIUI\'s phone and its log', async () => {
    const child = spawn(process.execPath, [cli, 'virtual-device', '--scenario', 'self-start-and-associated-start', '--profile', 'miui', '--connect'], { env: adb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const serial = await waitFor('the serial', async () => /serial=(\S+)/.exec(out)?.[1], 15_000);
      expect(out).toMatch(/Virtual phone "self-start-and-associated-start" \(MIUI 12 \(Xiaomi, Android 10\)\) listening/);
      const r = spawnSync(process.execPath, [cli, 'devices', '--json'], { env: adb.env, encoding: 'utf8', timeout: 20_000 });
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as Array<{ serial: string }>).find((d) => d.serial === serial)).toMatchObject({ virtual: true, manufacturer: 'Xiaomi', model: 'M2002J9E', androidVersion: '10', sdk: 29 });
      expect((await adb.adb(['-s', serial, 'shell', 'getprop', 'ro.miui.ui.version.name'])).stdout).toBe('V12\n');
      const log = await waitFor('the other apps\' MIUI lines', async () => {
        const text = (await adb.adb(['-s', serial, 'logcat', '-d'])).stdout;
        return /I AutoStartManagerService: MIUILOG- Reject RestartService packageName :[\w.]+ uid : \d+/.test(text) && text;
      }, 30_000, 500);
      expect(log).toMatch(/ I ActivityManager: Start proc 1980:com\.android\.phone\/1001 for added application com\.android\.phone/);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    }
  }, 60_000);
});
