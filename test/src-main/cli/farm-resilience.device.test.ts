/**
 * Issue #30's "Show": a real redis-server (private port, appendonly), the real adb server, six virtual phones and
 * three `apprights farm worker` processes holding two phones each (their own data folders and signing identities,
 * the shared store and package folder). 40 jobs — analyze jobs of real APKs and check jobs of shipped scenarios'
 * apps — and two poison jobs: a check of an APK that is not one, and a check of an app that takes the phone down
 * every time it starts. One worker is SIGKILLed mid-check and Redis restarted while jobs are still queued.
 *
 * Every phone holds the apps of all the scenarios below (each scenario has its own package): a check job names a
 * package, and BullMQ gives it to whichever phone is free, so each phone must have every app. A check's
 * proposals must be those `apprights demo --scenario` gives for the scenario that ships its package.
 * Needs `npm run build`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Of } from '../../../src-main/core/farm/index.js';
import { loadScenarioFile, VirtualDevice, type Scenario } from '../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../support/adb-server.js';
import { runCli } from '../../support/cli.js';
import { farmResults, phoneOfApps, spawnCheckWorker, statusOf, stopWorker, untilReady, untilSettled, violations, type CheckLine, type WorkerProcess } from '../../support/farm.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { SCENARIOS, TEST_APKS } from '../../support/virtual-phone.js';
import { withComment } from '../../support/zip-builder.js';

/**
 * Shipped scenarios whose verdicts a check with `--dwell 1` on a phone at real speed reaches as a fast demo (40x
 * compressed) does: nothing on the network, no reboot or explore, nothing periodic, and no wait of a second or
 * more inside a stage (collects-after-decline's "decline, wait 1 s, read the clipboard" lands after a 1 s stage
 * under load — seen once: no 164-1.3 — and so would guest-mode-collects', silent-install's, update-grants-permission's
 * and re-requests-denied-permission's; background-location's every-30-s location needs the demo's longer stage).
 */
const CHECKED = ['collects-before-consent', 'compliant-app', 'exits-on-denial', 'pre-ticked-consent', 'bundled-permission-requests', 'pre-ticked-switch'];
/** The poison app: every cold start drops the phone's ADB connections for 4 s (the adb server has it back ~10 s later). */
const CRASHER = join(__dirname, '../../fixtures/scenarios/farm-crashes-phone.yaml');
const TOTAL = 40;

let adb: TestAdbServer;
let redis: TestRedis;
let work: string;
const phones: VirtualDevice[] = [];
const workers: WorkerProcess[] = [];
const scenarios: Scenario[] = CHECKED.map((n) => loadScenarioFile(join(SCENARIOS, `${n}.yaml`)));

beforeAll(async () => {
  [adb, redis] = await Promise.all([startAdbServer(), startRedis()]);
  work = mkdtempSync(join(tmpdir(), 'apprights-farm-show-'));
  const scenario = phoneOfApps([...scenarios, loadScenarioFile(CRASHER)]);
  for (let i = 0; i < 6; i++) {
    const phone = new VirtualDevice({ scenario });
    await phone.start();
    phones.push(phone);
  }
}, 60_000);

afterAll(async () => {
  for (const w of workers.splice(0)) await stopWorker(w);
  for (const p of phones) await p.stop();
  await adb?.kill();
  await redis?.kill();
  rmSync(work, { recursive: true, force: true });
});

const apprights = (args: string[], timeoutMs = 120_000) => runCli(args, adb.env, timeoutMs);
const packageOf = (s: Scenario): string => s.apps[0]!.package;

describe('apprights farm: the lab run', () => {
  it('runs 40 jobs once each across 3 workers and 6 phones, through a worker SIGKILLed mid-check and a Redis restart; poison jobs fail with their reasons', async () => {
    const store = join(work, 'store');
    const out = join(work, 'packages');
    const apks = join(work, 'apks');
    mkdirSync(store);
    mkdirSync(apks);
    const pass = join(work, 'pass.txt');
    writeFileSync(pass, 'lab passphrase 1\n');
    const addData = join(work, 'add');

    // Check jobs: one per scenario app (a package and a template are one job).
    const checks = await apprights(['farm', 'add', '--redis', redis.url, '--store', store, '--check', '--data-dir', addData, ...scenarios.flatMap((s) => ['--package', packageOf(s)]), '--json']);
    expect(checks.code, checks.stderr).toBe(0);
    const checkIds = JSON.parse(checks.stdout).added as string[];
    expect(checkIds).toHaveLength(scenarios.length);
    // Analyze jobs for the rest: real APKs, each its own SHA-256 (a comment of its own), a few of 18 MB.
    const sources = [TEST_APKS.androidTest, TEST_APKS.settings, TEST_APKS.androidTest, TEST_APKS.settings, TEST_APKS.uiautomator2];
    const analyzeCount = TOTAL - scenarios.length;
    for (let i = 0; i < analyzeCount; i++) writeFileSync(join(apks, `app-${String(i).padStart(2, '0')}.apk`), withComment(readFileSync(sources[i % sources.length]!), `farm show ${i}`));
    const analyses = await apprights(['farm', 'add', '--redis', redis.url, '--store', store, apks, '--json']);
    expect(analyses.code, analyses.stderr).toBe(0);
    const analyzeIds = JSON.parse(analyses.stdout).added as string[];
    expect(analyzeIds).toHaveLength(analyzeCount);
    // The poison: an APK that is not one (a check, where the run analyses it before installing), and the app that
    // takes its phone down; two attempts each.
    const hostile = join(work, 'hostile.apk');
    writeFileSync(hostile, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(4096, 0x5a)]));
    const poison = await apprights(['farm', 'add', '--redis', redis.url, '--store', store, '--check', '--attempts', '2', '--data-dir', addData, hostile, '--package', 'com.demo.crasher', '--json']);
    expect(poison.code, poison.stderr).toBe(0);
    const [hostileId, crasherId] = JSON.parse(poison.stdout).added as string[];
    expect(crasherId).toBeDefined();
    const hostileSha = await sha256Of(hostile);

    const t0 = Date.now();
    for (let i = 0; i < 3; i++) {
      workers.push(spawnCheckWorker(`w-${i}`, { redisUrl: redis.url, store, out, passphraseFile: pass, dataDir: join(work, `data-w-${i}`), phones: phones.slice(2 * i, 2 * i + 2), concurrency: 1 }, adb.env));
    }
    await Promise.all(workers.map((w) => untilReady(w)));

    // A worker in the middle of a check (a scenario app's, not a poison) is killed with it.
    const held = await waitFor('a worker in the middle of a check', async () => (await statusOf(redis.url)).queues.find((q) => q.kind === 'check')!.running
      .find((r) => checkIds.includes(r.id) && r.worker && Date.now() - (r.since ?? Date.now()) > 3000), 90_000, 100);
    const killed = workers.find((w) => w.name === held.worker)!;
    killed.child.kill('SIGKILL');
    await killed.exited;
    const survivors = workers.filter((w) => w !== killed);
    // Its check had no result yet (the rerun cannot have one either: its lock outlives this look by seconds).
    const early = await farmResults(redis.url, join(work, 'after-kill.jsonl'), adb.env);
    expect(early.map((l) => l.job), `${killed.name} finished its check before it was killed`).not.toContain(held.id);
    // Redis restarted while jobs are still queued (the checks outnumber the phones and none ends within seconds):
    // the workers reconnect on their own.
    const before = await statusOf(redis.url);
    expect(before.queues.reduce((n, q) => n + q.waiting + q.delayed, 0), 'jobs still queued when Redis restarts').toBeGreaterThan(0);
    await redis.restart();

    await untilSettled(redis.url, 'analyze', 180_000);
    const status = await untilSettled(redis.url, 'check', 240_000);
    const farmMs = Date.now() - t0;
    for (const w of survivors) {
      expect(w.log()).toMatch(/Redis unreachable .*: waiting and reconnecting/);
      expect(w.log()).toMatch(/Redis reachable again/);
      // Never stopped by a poison job.
      expect(w.child.exitCode).toBeNull();
    }

    // The poison jobs failed after their two attempts, with their reasons; nothing else failed.
    const analyze = status.queues.find((q) => q.kind === 'analyze')!;
    const check = status.queues.find((q) => q.kind === 'check')!;
    expect(analyze).toMatchObject({ done: analyzeCount, failed: 0 });
    expect(check).toMatchObject({ done: scenarios.length, failed: 2 });
    const shown = await apprights(['farm', 'status', '--redis', redis.url, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const failures = (JSON.parse(shown.stdout) as typeof status).queues.find((q) => q.kind === 'check')!.failures;
    expect(failures.map((f) => f.id).sort()).toEqual([hostileId, crasherId].sort());
    const hostileFailure = failures.find((f) => f.id === hostileId)!;
    expect(hostileFailure).toMatchObject({ file: 'hostile.apk', attempts: 2 });
    expect(hostileFailure.reason).toContain(`${hostileSha}.apk: `);
    const crasherFailure = failures.find((f) => f.id === crasherId)!;
    expect(crasherFailure).toMatchObject({ file: 'com.demo.crasher', attempts: 2 });
    expect(crasherFailure.reason).toMatch(/^phone 127\.0\.0\.1:\d+ went away mid-job: the phone disconnected during stage first-launch/);
    // Each phone the crasher took down was marked away, and came back to take jobs again.
    const aways = survivors.flatMap((w) => [...w.log().matchAll(/\[(127\.0\.0\.1:\d+)\] phone away/g)].map((m) => ({ w, serial: m[1]! })));
    // One phone down per attempt (only the crasher takes phones down; it ran after the kill, on survivors' phones).
    expect(aways).toHaveLength(2);
    for (const { w, serial } of aways) {
      await waitFor(`${serial} back on ${w.name}`, async () => w.log().lastIndexOf(`[${serial}] phone back: taking jobs again`) > w.log().lastIndexOf(`[${serial}] phone away`), 60_000, 200);
    }

    // Every job exactly one result, and none for anything else.
    const lines = await farmResults(redis.url, join(work, 'results.jsonl'), adb.env);
    expect(lines).toHaveLength(TOTAL);
    expect(lines.map((l) => String(l.job)).sort()).toEqual([...checkIds, ...analyzeIds].sort());
    const checkLines = lines.filter((l) => l.kind === 'check') as unknown as CheckLine[];
    expect(checkLines).toHaveLength(scenarios.length);
    for (const l of lines.filter((x) => x.kind !== 'check')) expect(l).toMatchObject({ packageName: expect.any(String), file: { name: expect.stringMatching(/^app-\d\d\.apk$/) } });

    // The killed worker's check ran again elsewhere, put back by another worker's stalled-job check.
    expect(survivors.map((w) => w.log()).join('')).toContain(`${held.id} stalled`);
    expect(survivors.map((w) => w.name)).toContain(checkLines.find((l) => l.job === held.id)!.worker);

    // One package and one session per check, each verifying; the killed attempt's partial output discarded.
    expect(readdirSync(out).filter((f) => f.endsWith('.zip')).sort()).toEqual(checkLines.map((l) => `${l.job}.zip`).sort());
    expect(readdirSync(join(out, 'work'))).toEqual([]);
    for (const l of checkLines) {
      expect(l.package).toBe(join(out, `${l.job}.zip`));
      expect(existsSync(join(out, `${l.job}-session`))).toBe(true);
      expect(l.incomplete).toBeNull();
    }
    const verified = await Promise.all(checkLines.map((l) => apprights(['verify', l.package])));
    for (const [i, v] of verified.entries()) expect(v.code, `${checkLines[i]!.package}: ${v.stdout}`).toBe(0);

    // Each check's proposals are those of `apprights demo` on the scenario that ships its app.
    const demoStart = Date.now();
    const demos = await Promise.all(scenarios.map((s, i) => apprights(['demo', '--scenario', s.id, '--fast', '--no-network', '--no-video', '--json', '--out', join(work, `demo-${i}.zip`), '--data-dir', join(work, 'demo-data')], 180_000)));
    for (const [i, s] of scenarios.entries()) {
      expect(demos[i]!.code, demos[i]!.stderr).toBe(0);
      const demo = JSON.parse(demos[i]!.stdout) as { proposals: CheckLine['proposals'] };
      const line = checkLines.find((l) => l.packageName === packageOf(s))!;
      expect({ scenario: s.id, violations: violations(line.proposals) }).toEqual({ scenario: s.id, violations: violations(demo.proposals) });
      expect(violations(line.proposals)).toEqual([...s.violates].sort());
    }
    // Which phone did what: every check ran on a phone of the worker that reported it.
    for (const l of checkLines) expect(workers.find((w) => w.name === l.worker)!.log()).toContain(`[${l.serial}] ${l.job} check ${l.packageName}: started`);
    console.log(`farm: ${TOTAL} jobs + 2 poison settled in ${(farmMs / 1000).toFixed(1)} s; ${scenarios.length} demos in ${((Date.now() - demoStart) / 1000).toFixed(1)} s`);
  }, 420_000);
});
