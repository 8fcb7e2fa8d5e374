/**
 * `apprights run` end to end on a phone reached over the network (`--connect HOST:PORT`, as a device farm's
 * remote ADB): the app already on the phone (`--package`), the automatable stages with a short dwell, one
 * signed package per app and phone, `--json` for scripts. Needs `npm run build`.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, VirtualDevice } from '../../../src-main/core/virtual-device/index.js';
import { runCli } from '../../support/cli.js';
import { probe } from '../../support/ffmpeg-h264.js';
import { startAdbServer, type TestAdbServer } from '../../support/adb-server.js';

const root = join(import.meta.dirname, '../../..');
let adb: TestAdbServer;
let work: string;
let phone: VirtualDevice;

beforeAll(async () => {
  adb = await startAdbServer();
  work = mkdtempSync(join(tmpdir(), 'apprights-run-'));
  phone = new VirtualDevice({ scenario: loadScenarioFile(join(root, 'resources', 'scenarios', 'collects-before-consent.yaml')) });
  await phone.start();
}, 60_000);

afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
  rmSync(work, { recursive: true, force: true });
});

const apprights = (args: string[]) => runCli(args, adb.env);

describe('apprights run', () => {
  it('connects to a remote phone, runs the stages and exports a verified package with the proposals', async () => {
    const pass = join(work, 'pass.txt');
    writeFileSync(pass, 'lab passphrase 1\n');
    const out = join(work, 'out');
    const r = await apprights(['run', '--connect', `127.0.0.1:${phone.port}`, '--package', 'com.demo.shop', '--out', out, '--dwell', '2', '--json', '--passphrase-file', pass, '--data-dir', join(work, 'data')]);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const result = JSON.parse(r.stdout) as { package: string; serial: string; session: string; runs: unknown[]; proposals: Array<{ item: string; status: string }>; video: Array<{ file: string; frames: number; width: number; height: number }> };
    // The run's session recorded the phone's screen by default: segments ffprobe reads as the run says them.
    expect(result.video.length).toBeGreaterThan(0);
    for (const v of result.video) expect(probe(join(result.session, v.file))).toMatchObject({ width: v.width, height: v.height, status: 0 });
    expect(result.serial).toBe(`127.0.0.1:${phone.port}`);
    expect(result.runs).toHaveLength(1);
    expect(result.proposals.filter((p) => p.status === 'violation').map((p) => p.item).sort()).toEqual(['164-1.1', '164-1.2']);
    expect(readdirSync(out).filter((f) => f.endsWith('.zip'))).toEqual([`com.demo.shop_127.0.0.1_${phone.port}.zip`]);
    const verify = await apprights(['verify', result.package]);
    expect(verify.code, verify.stdout).toBe(0);
  }, 180_000);

  it('refuses a phone it cannot see, and bad options, in one line each', async () => {
    const none = await apprights(['run', '--serial', 'NOPE123', '--package', 'com.demo.shop', '--out', join(work, 'x')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no phone NOPE123/);
    const dwell = await apprights(['run', '--serial', 'X', '--package', 'com.demo.shop', '--out', join(work, 'x'), '--dwell', 'soon']);
    expect(dwell.code).toBe(2);
    expect(dwell.stderr).toMatch(/--dwell must be seconds/);
    const connect = await apprights(['run', '--connect', 'not a host', '--package', 'com.demo.shop', '--out', join(work, 'x')]);
    expect(connect.code).toBe(2);
    expect(connect.stderr).toMatch(/--connect wants HOST:PORT/);
    const taps = await apprights(['run', '--serial', 'X', '--package', 'com.demo.shop', '--out', join(work, 'x'), '--explore', '--explore-taps', '0']);
    expect(taps.code).toBe(2);
    expect(taps.stderr).toMatch(/--explore-taps must be from 1 to 2000/);
    const minutes = await apprights(['run', '--serial', 'X', '--package', 'com.demo.shop', '--out', join(work, 'x'), '--explore', '--explore-minutes', 'ten']);
    expect(minutes.stderr).toMatch(/--explore-minutes must be from/);
    const alone = await apprights(['demo', '--scenario', 'compliant-app', '--out', join(work, 'd.zip'), '--explore-depth', '3']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/need --explore/);
    const zh = await apprights(['run', '--lang', 'zh-CN', '--serial', 'X', '--package', 'com.demo.shop', '--out', join(work, 'x'), '--explore', '--explore-depth', '99']);
    expect(zh.stderr).toMatch(/--explore-depth 必须在 1 到 12 之间/);
  });
});
