/**
 * Farms sharing one Redis by name, the farm's worker list, and a lab's retry and cancel — on a real redis-server
 * and real `apprights farm worker` processes (needs `npm run build`): two farms given the same APK each have their
 * own job, worker, result and status, and neither's worker takes the other's job; `farm status` lists each worker
 * with its host and what it runs, and a worker that stops leaves the list; a job that failed runs again on
 * `farm retry`, a queued one is removed by `farm cancel`, and a running, finished or unknown one is refused in words.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApkStore, commandConnection, farmKeys, farmWorkers, sha256Of } from '../../../../src-main/core/farm/index.js';
import { waitFor } from '../../../support/adb-server.js';
import { runCli } from '../../../support/cli.js';
import { spawnWorker, statusOf, stopWorker, untilReady, untilSettled, type WorkerProcess } from '../../../support/farm.js';
import { startRedis, type TestRedis } from '../../../support/redis-server.js';
import { TEST_APKS } from '../../../support/virtual-phone.js';
import { withComment } from '../../../support/zip-builder.js';

let redis: TestRedis;
let work: string;
let store: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  work = mkdtempSync(join(tmpdir(), 'apprights-farm-names-'));
  store = join(work, 'store');
  mkdirSync(store);
}, 30_000);

afterEach(async () => {
  for (const w of workers.splice(0)) await stopWorker(w);
});

afterAll(async () => {
  await redis?.kill();
  rmSync(work, { recursive: true, force: true });
});

const farm = (args: string[]) => runCli(['farm', ...args], process.env, 60_000);
const apk = (name: string): string => {
  const file = join(work, name);
  writeFileSync(file, withComment(readFileSync(TEST_APKS.androidTest), name));
  return file;
};
const worker = (name: string, extra: string[]): WorkerProcess => {
  const w = spawnWorker(name, ['--redis', redis.url, '--store', store, '--concurrency', '1', '--lock-seconds', '2', ...extra]);
  workers.push(w);
  return w;
};

describe('farms sharing one Redis', () => {
  it('keeps two farms apart: each its own job, worker, result and status', async () => {
    const file = apk('both.apk');
    const a = await farm(['add', '--redis', redis.url, '--store', store, '--farm', 'lab-a', file, '--json']);
    const b = await farm(['add', '--redis', redis.url, '--store', store, '--farm', 'lab-b', file, '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    // The same work in two farms is a job in each (one id, two farms), never "already there".
    expect(JSON.parse(b.stdout)).toMatchObject({ added: JSON.parse(a.stdout).added, already: [] });
    const [id] = JSON.parse(a.stdout).added as string[];

    const wa = worker('w-lab-a', ['--farm', 'lab-a']);
    await untilReady(wa);
    await untilSettled(redis.url, 'analyze', 30_000, 'lab-a');
    expect(wa.log()).toContain(`${id} analyze both.apk: analysed`);
    // lab-b's job was not touched by lab-a's worker: still queued, no result, its list without lab-a's worker.
    const sb = await statusOf(redis.url, 'lab-b');
    expect(sb.farm).toBe('lab-b');
    expect(sb.queues[0]).toMatchObject({ waiting: 1, active: 0, done: 0 });
    expect(sb.workers).toEqual([]);
    const sa = await statusOf(redis.url, 'lab-a');
    expect(sa.queues[0]).toMatchObject({ waiting: 0, done: 1 });
    expect(sa.workers.map((w) => w.name)).toEqual(['w-lab-a']);
    // The default farm saw none of it.
    expect((await statusOf(redis.url)).queues[0]).toMatchObject({ waiting: 0, done: 0 });

    const wb = worker('w-lab-b', ['--farm', 'lab-b']);
    await untilReady(wb);
    await untilSettled(redis.url, 'analyze', 30_000, 'lab-b');
    expect(wb.log()).toContain(`${id} analyze both.apk: analysed`);
    expect(wa.log().match(new RegExp(`${id} analyze`, 'g'))).toHaveLength(1);
    for (const name of ['lab-a', 'lab-b']) {
      const out = join(work, `results-${name}.jsonl`);
      const r = await farm(['results', '--redis', redis.url, '--farm', name, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).job)).toEqual([id]);
    }
  }, 90_000);

  it('takes a name in Chinese, and refuses a name that cannot be a farm', async () => {
    const named = await farm(['status', '--lang', 'zh-CN', '--redis', redis.url, '--farm', '实验室一']);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toContain('农场 实验室一：工作进程 0 个');
    const r = await farm(['status', '--redis', redis.url, '--farm', 'lab a/../x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a farm name: letters \(any script\), digits, - and _/);
    const zh = await farm(['status', '--lang', 'zh-CN', '--redis', redis.url, '--farm', 'x'.repeat(41)]);
    expect(zh.stderr).toMatch(/不是农场名称：只能由文字（含汉字）、数字、- 和 _ 组成/);
  }, 30_000);
});

describe('the worker list', () => {
  it('lists each worker with its host and what it runs, says when one falls silent, and drops one that stops', async () => {
    const w = worker('w-listed', ['--farm', 'listed', '--concurrency', '2']);
    await untilReady(w);
    const s = await statusOf(redis.url, 'listed');
    expect(s.workers).toHaveLength(1);
    expect(s.workers[0]).toMatchObject({ name: 'w-listed', host: hostname(), analyze: 2, phones: [], alive: true });
    expect(s.workers[0]!.pid).toBe(w.child.pid);
    const text = await farm(['status', '--redis', redis.url, '--farm', 'listed']);
    expect(text.stdout).toContain('farm listed: 1 worker\n');
    expect(text.stdout).toContain(`worker w-listed on ${hostname()}: 2 analyses at once`);
    const zh = await farm(['status', '--lang', 'zh-CN', '--redis', redis.url, '--farm', 'listed']);
    expect(zh.stdout).toContain('农场 listed：工作进程 1 个');
    expect(zh.stdout).toMatch(/^分析：排队 0，/m);
    expect(zh.stdout).toMatch(/^检测：排队 0，/m);
    expect(zh.stdout).not.toMatch(/analy|check/);
    // A worker heard from 20 s ago is shown silent (read as if it were 20 s later).
    const redisConn = await commandConnection(redis.url);
    try {
      const later = await farmWorkers(redisConn, farmKeys('listed'), Date.now() + 20_000);
      expect(later[0]).toMatchObject({ name: 'w-listed', alive: false });
    } finally {
      redisConn.disconnect();
    }
    await stopWorker(w);
    expect((await statusOf(redis.url, 'listed')).workers).toEqual([]);
  }, 60_000);
});

describe('retry and cancel', () => {
  it('runs a failed job again, removes a queued one, and refuses the rest in words', async () => {
    const damaged = apk('damaged.apk');
    const queued = apk('queued.apk');
    const added = await farm(['add', '--redis', redis.url, '--store', store, '--farm', 'hands', damaged, queued, '--attempts', '1', '--json']);
    expect(added.code, added.stderr).toBe(0);
    const [damagedId, queuedId] = JSON.parse(added.stdout).added as string[];
    // Nothing runs yet: the queued job is cancelled, then cannot be cancelled twice.
    const cancel = await farm(['cancel', '--redis', redis.url, '--farm', 'hands', queuedId!]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain(`${queuedId}: removed from the queue`);
    const again = await farm(['cancel', '--redis', redis.url, '--farm', 'hands', queuedId!, 'check-nonsense']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${queuedId}: no such job in this farm`);
    expect(again.stderr).toContain('check-nonsense: no such job in this farm');

    // The stored copy damaged: the job fails for good (damage is not retried).
    const s = new ApkStore(store);
    const sha = await sha256Of(damaged);
    const good = readFileSync(s.pathOf(sha));
    writeFileSync(s.pathOf(sha), 'not the APK any more');
    const w = worker('w-hands', ['--farm', 'hands']);
    await untilReady(w);
    const failed = await untilSettled(redis.url, 'analyze', 30_000, 'hands');
    expect(failed.queues[0]!.failures.map((f) => f.id)).toEqual([damagedId]);
    expect(failed.queues[0]!.history.reduce((n, m) => n + m.failed, 0)).toBe(1);
    const notFailed = await farm(['retry', '--redis', redis.url, '--farm', 'hands', queuedId!]);
    expect(notFailed.code).toBe(1);

    // The share repaired, the lab retries it: it runs again and is done.
    writeFileSync(s.pathOf(sha), good);
    const retry = await farm(['retry', '--redis', redis.url, '--farm', 'hands', damagedId!]);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).toContain(`${damagedId}: queued again from its first attempt`);
    await waitFor('the retried job to finish', async () => w.log().includes(`${damagedId} analyze damaged.apk: analysed`), 30_000);
    const done = await untilSettled(redis.url, 'analyze', 30_000, 'hands');
    expect(done.queues[0]).toMatchObject({ done: 1, failed: 0 });
    expect(done.queues[0]!.history.reduce((n, m) => n + m.done, 0)).toBe(1);
    const finished = await farm(['cancel', '--lang', 'zh-CN', '--redis', redis.url, '--farm', 'hands', damagedId!]);
    expect(finished.code).toBe(1);
    expect(finished.stderr).toContain(`${damagedId}：已完成，结果保留`);
    const retried = await farm(['retry', '--redis', redis.url, '--farm', 'hands', damagedId!]);
    expect(retried.stderr).toContain(`${damagedId}: it is done and keeps its result`);
  }, 90_000);
});
