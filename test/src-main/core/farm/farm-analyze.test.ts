/**
 * The farm's analyze jobs end to end on a real redis-server (private port, appendonly) and real worker processes
 * (`apprights farm worker`, needs `npm run build`): real and hostile APKs added twice (one job each), one worker
 * SIGKILLed while it holds a job, Redis restarted mid-run; every job ends with exactly one result, in the lines
 * `apprights analyze DIR --out` writes for the same files; a damaged and a missing stored APK fail with their
 * reasons while the worker goes on.
 */
import { readFileSync, rmSync, mkdtempSync, mkdirSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ApkStore, StoreRefusal, farmKeys, jobId } from '../../../../src-main/core/farm/index.js';
import { buildCorpus } from '../../../support/apk-corpus.js';
import { waitFor } from '../../../support/adb-server.js';
import { runCli } from '../../../support/cli.js';
import { spawnWorker, statusOf, stopWorker, untilReady, untilSettled, type WorkerProcess } from '../../../support/farm.js';
import { startRedis, type TestRedis } from '../../../support/redis-server.js';
import { TEST_APKS } from '../../../support/virtual-phone.js';
import { buildZip, withComment } from '../../../support/zip-builder.js';
import { ZipReader } from '../../../../src-main/core/apk/zip-reader.js';

let redis: TestRedis;
let work: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  work = mkdtempSync(join(tmpdir(), 'apprights-farm-'));
}, 30_000);

// A test that fails leaves no worker to take the next test's jobs.
afterEach(async () => {
  for (const w of workers.splice(0)) await stopWorker(w);
});

afterAll(async () => {
  await redis?.kill();
  rmSync(work, { recursive: true, force: true });
});

const farm = (args: string[]) => runCli(['farm', ...args], process.env, 60_000);

describe('the APK store', () => {
  it('keeps each APK once under its SHA-256 and refuses a damaged or missing one with the reason', async () => {
    const store = new ApkStore(join(work, 'unit-store'));
    const a = await store.put(TEST_APKS.androidTest);
    expect(await store.put(TEST_APKS.androidTest)).toBe(a);
    expect(readdirSync(store.apks)).toEqual([`${a}.apk`]);
    expect(await store.verified(a)).toBe(join(store.apks, `${a}.apk`));
    const bytes = readFileSync(join(store.apks, `${a}.apk`));
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(join(store.apks, `${a}.apk`), bytes);
    await expect(store.verified(a)).rejects.toThrow(/changed or damaged; refused/);
    await expect(store.verified('0'.repeat(64))).rejects.toMatchObject({ kind: 'missing' });
    await expect(store.verified('../x')).rejects.toBeInstanceOf(StoreRefusal);
  });
});

describe('apprights farm: analyze jobs', () => {
  it('runs every job once across workers, through a SIGKILLed worker and a Redis restart', async () => {
    const apks = join(work, 'apks');
    const corpus = buildCorpus(apks, 15, { hostileEvery: 5 });
    // Real 18 MB APKs (each its own SHA-256), and two of 120 MB (a real manifest and DEX, a large stored asset):
    // jobs long enough (hashing alone ~1 s) to be caught running.
    const big = readFileSync(TEST_APKS.uiautomator2);
    for (let i = 0; i < 4; i++) writeFileSync(join(apks, `big-${i}.apk`), withComment(big, `farm ${i}`));
    const small = new ZipReader(readFileSync(TEST_APKS.androidTest));
    const huge = buildZip([{ name: 'AndroidManifest.xml', data: small.read('AndroidManifest.xml', 1 << 20) }, { name: 'classes.dex', data: small.read('classes.dex', 64 << 20) }, { name: 'assets/blob.bin', data: Buffer.alloc(120 << 20, 7), method: 0 }]);
    for (let i = 0; i < 2; i++) writeFileSync(join(apks, `huge-${i}.apk`), withComment(huge, `huge ${i}`));
    const total = corpus.length + 6;
    const store = join(work, 'store');
    mkdirSync(store);

    const first = await farm(['add', '--redis', redis.url, '--store', store, apks, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ kind: 'analyze' });
    expect(JSON.parse(first.stdout).added).toHaveLength(total);
    const again = await farm(['add', '--redis', redis.url, '--store', store, apks, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: [], already: JSON.parse(first.stdout).added });

    const opts = ['--redis', redis.url, '--store', store, '--concurrency', '1', '--lock-seconds', '2'];
    const a = spawnWorker('w-a', opts);
    const b = spawnWorker('w-b', opts);
    workers.push(a, b);
    await Promise.all([untilReady(a), untilReady(b)]);
    // A job w-a holds right now (an 18 MB one, just started): killed with it, it must run again on w-b.
    const held = await waitFor('w-a starting a 120 MB job', async () => (await statusOf(redis.url)).queues[0]!.running.find((r) => r.worker === 'w-a' && r.file?.startsWith('huge-') && Date.now() - (r.since ?? 0) < 300), 30_000, 10);
    a.child.kill('SIGKILL');
    await a.exited;
    const conn = new Redis(redis.url);
    expect(await conn.hexists(farmKeys(null).results, held.id), 'w-a finished its job before it was killed').toBe(0);
    conn.disconnect();
    await redis.restart();
    await untilSettled(redis.url, 'analyze', 90_000);
    expect(b.log()).toMatch(/Redis unreachable .*: waiting and reconnecting/);
    expect(b.log()).toMatch(/Redis reachable again/);
    expect(b.log()).toContain(`${held.id} analyze`);

    const s = await statusOf(redis.url);
    expect(s.queues[0]).toMatchObject({ done: total, failed: 0, waiting: 0, active: 0 });
    const out = join(work, 'results.jsonl');
    const r = await farm(['results', '--redis', redis.url, '--out', out, '--csv', join(work, 'results.csv')]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { job: string; path: string; sha256?: string; file?: { sha256: string; name: string }; packageName?: string; error?: { code: string } });
    // Exactly one result per job, and none for anything else.
    expect(lines).toHaveLength(total);
    expect(new Set(lines.map((l) => l.job)).size).toBe(total);
    expect(readFileSync(join(work, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(total + 1);

    // The same files through `apprights analyze DIR --out`: the same verdict per SHA-256.
    const ref = join(work, 'ref.jsonl');
    const batch = await runCli(['analyze', apks, '--out', ref], process.env, 120_000);
    expect(batch.code, batch.stderr).toBe(0);
    const key = (l: { sha256?: string; file?: { sha256: string }; packageName?: string; error?: { code: string } }) => `${l.file?.sha256 ?? l.sha256} ${l.error ? `refused ${l.error.code}` : l.packageName}`;
    const refLines = readFileSync(ref, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Parameters<typeof key>[0]);
    expect(lines.map(key).sort()).toEqual(refLines.map(key).sort());
    expect(lines.filter((l) => l.error)).toHaveLength(corpus.filter((c) => c.kind !== 'small' && c.kind !== 'real-copy').length);
    // Each line names the file as it was added.
    expect(lines.filter((l) => l.file).every((l) => l.file!.name.endsWith('.apk') && !/^[0-9a-f]{64}\.apk$/.test(l.file!.name))).toBe(true);
    await stopWorker(b);
  }, 180_000);

  it('fails a damaged stored APK at once and a missing one after its attempts, with the reasons, and the worker goes on', async () => {
    const store = join(work, 'store');
    const dir = join(work, 'poison');
    mkdirSync(dir);
    writeFileSync(join(dir, 'damaged.apk'), withComment(readFileSync(TEST_APKS.androidTest), 'damaged'));
    writeFileSync(join(dir, 'missing.apk'), withComment(readFileSync(TEST_APKS.androidTest), 'missing'));
    writeFileSync(join(dir, 'fine.apk'), withComment(readFileSync(TEST_APKS.androidTest), 'fine'));
    const added = await farm(['add', '--redis', redis.url, '--store', store, dir, '--attempts', '2', '--json']);
    expect(added.code, added.stderr).toBe(0);
    const s = new ApkStore(store);
    const stored = readdirSync(s.apks);
    // Damage one stored file, remove another, before any worker reads them.
    const { sha256Of } = await import('../../../../src-main/core/farm/index.js');
    const shas = { damaged: await sha256Of(join(dir, 'damaged.apk')), missing: await sha256Of(join(dir, 'missing.apk')), fine: await sha256Of(join(dir, 'fine.apk')) };
    expect(stored).toEqual(expect.arrayContaining(Object.values(shas).map((x) => `${x}.apk`)));
    writeFileSync(join(s.apks, `${shas.damaged}.apk`), 'not the APK any more');
    unlinkSync(join(s.apks, `${shas.missing}.apk`));
    const w = spawnWorker('w-c', ['--redis', redis.url, '--store', store, '--concurrency', '1', '--lock-seconds', '2']);
    workers.push(w);
    await untilReady(w);
    const status = await untilSettled(redis.url, 'analyze', 60_000);
    const failures = status.queues[0]!.failures;
    const damaged = failures.find((f) => f.id === jobId('analyze', { sha256: shas.damaged, packageName: null }, null));
    const missing = failures.find((f) => f.id === jobId('analyze', { sha256: shas.missing, packageName: null }, null));
    expect(damaged).toMatchObject({ file: 'damaged.apk', attempts: 1 });
    expect(damaged!.reason).toMatch(/has SHA-256 [0-9a-f]{64}: the file was changed or damaged; refused/);
    expect(missing).toMatchObject({ file: 'missing.apk', attempts: 2 });
    expect(missing!.reason).toMatch(/is not in the store/);
    // The worker went on: the good job after them has its result, and the failed ones none.
    const conn = new Redis(redis.url);
    try {
      expect(await conn.hexists(farmKeys(null).results, jobId('analyze', { sha256: shas.fine, packageName: null }, null))).toBe(1);
      expect(await conn.hexists(farmKeys(null).results, damaged!.id)).toBe(0);
    } finally {
      conn.disconnect();
    }
    expect(w.child.exitCode).toBeNull();
    const text = await farm(['status', '--redis', redis.url]);
    expect(text.stdout).toMatch(/failed analyze-[0-9a-f]+ damaged\.apk after 1 attempts: .*changed or damaged/);
    await stopWorker(w);
  }, 90_000);

  it('says clearly when Redis is wrong or down, the store is not there, or the template is unknown', async () => {
    const store = join(work, 'store');
    const down = await farm(['status', '--redis', 'redis://127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach Redis at 127\.0\.0\.1:1: .*ECONNREFUSED/);
    const wrong = await farm(['add', '--redis', 'http://example', '--store', store, TEST_APKS.androidTest]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/is not a Redis URL/);
    const noStore = await farm(['add', '--redis', redis.url, '--store', join(work, 'not-mounted'), TEST_APKS.androidTest]);
    expect(noStore.code).toBe(1);
    expect(noStore.stderr).toMatch(/is not there \(is the share mounted on this host\?\)/);
    const template = await farm(['add', '--redis', redis.url, '--store', store, '--check', '--template', 'no-such-template', '--data-dir', join(work, 'data'), TEST_APKS.androidTest]);
    expect(template.code).toBe(2);
    expect(template.stderr).toMatch(/no-such-template/);
    const zh = await farm(['status', '--lang', 'zh-CN', '--redis', 'redis://127.0.0.1:1']);
    expect(zh.stderr).toMatch(/无法连接 Redis/);
  }, 60_000);

  it('starts a worker while Redis is down: it says so, waits, and works once Redis is back', async () => {
    const store = join(work, 'store');
    await redis.stop();
    const w = spawnWorker('w-d', ['--redis', redis.url, '--store', store, '--concurrency', '1', '--lock-seconds', '2']);
    workers.push(w);
    await waitFor('the worker to say Redis is down', async () => /Redis unreachable \(.*ECONNREFUSED.*\): waiting and reconnecting/.test(w.log()), 15_000);
    expect(w.child.exitCode).toBeNull();
    await redis.start();
    await untilReady(w);
    const late = join(work, 'late.apk');
    writeFileSync(late, withComment(readFileSync(TEST_APKS.androidTest), 'after the outage'));
    const added = await farm(['add', '--redis', redis.url, '--store', store, late, '--json']);
    expect(added.code, added.stderr).toBe(0);
    const [id] = JSON.parse(added.stdout).added as string[];
    await untilSettled(redis.url, 'analyze', 30_000);
    expect(w.log()).toContain(`${id} analyze late.apk: analysed`);
  }, 60_000);
});
