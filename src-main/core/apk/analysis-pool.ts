/**
 * Runs APK analyses in worker threads: at most `concurrency` at once (default: the cores), each under a time
 * limit and a heap cap. A worker that times out or dies is replaced and its file reported as refused; the
 * caller's thread (the UI, the CLI) never blocks on an APK.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BridgeError } from '../errors.js';
import type { ApkAnalysis } from './analyze-apk.js';

/** `peakBytes`: the worker's heap plus buffers, sampled after each analysis step (null if it died). */
export type AnalysisOutcome =
  | { path: string; ok: true; analysis: ApkAnalysis; ms: number; peakBytes: number | null }
  | { path: string; ok: false; error: BridgeError; ms: number; peakBytes: number | null };

export interface PoolOptions {
  concurrency?: number;
  timeoutMs?: number;
  maxHeapMb?: number;
  onProgress?: (path: string, step: string) => void;
}

/**
 * The worker script is the built `apk-worker.js`: beside the bundle when running built (app, CLI), or in the
 * project's out/main when running from sources (tests run after `npm run build`).
 */
function createWorker(limits: { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number }): Worker {
  let dir = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(dir, 'apk-worker.js'), join(dir, '..', 'apk-worker.js')];
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'out', 'main', 'apk-worker.js'));
    dir = dirname(dir);
  }
  const file = candidates.find((c) => existsSync(c));
  if (!file) throw new Error('The APK analysis worker is not built: run `npm run build`');
  return new Worker(file, { resourceLimits: limits });
}

/** Analysis workers alive now and at most so far in this process (tests check the shared cap holds). */
export const analysisWorkers = { live: 0, peak: 0 };

class PooledWorker {
  private worker: Worker;
  busy = false;

  constructor(private maxHeapMb: number) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const w = createWorker({ maxOldGenerationSizeMb: this.maxHeapMb, maxYoungGenerationSizeMb: 32 });
    w.unref();
    analysisWorkers.live++;
    analysisWorkers.peak = Math.max(analysisWorkers.peak, analysisWorkers.live);
    w.once('exit', () => analysisWorkers.live--);
    return w;
  }

  run(path: string, timeoutMs: number, onProgress: (step: string) => void): Promise<AnalysisOutcome> {
    this.busy = true;
    const started = Date.now();
    return new Promise((resolve) => {
      const w = this.worker;
      const done = (o: AnalysisOutcome, replace: boolean): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (replace) {
          void w.terminate();
          this.worker = this.spawn();
        }
        this.busy = false;
        resolve(o);
      };
      const fail = (message: string, replace: boolean): void =>
        done({ path, ok: false, ms: Date.now() - started, peakBytes: null, error: { code: 'apk.refused', messageKey: 'error.apk.refused', details: { message, file: path } } }, replace);
      const onMessage = (m: { progress?: string; result?: ApkAnalysis; error?: BridgeError; peakBytes?: number }): void => {
        const peakBytes = m.peakBytes ?? null;
        if (m.progress) onProgress(m.progress);
        else if (m.result) done({ path, ok: true, analysis: m.result, ms: Date.now() - started, peakBytes }, false);
        else if (m.error) done({ path, ok: false, error: { ...m.error, details: { ...m.error.details, file: path } }, ms: Date.now() - started, peakBytes }, false);
      };
      const onError = (err: Error): void => fail(/heap|memory/i.test(err.message) ? `analysis needed more than ${this.maxHeapMb} MB of memory` : `analysis crashed: ${err.message}`, true);
      const onExit = (): void => fail('analysis worker exited', true);
      const timer = setTimeout(() => fail(`analysis took longer than ${timeoutMs} ms`, true), timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({ id: 1, path });
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * Analyses running at once in this process, whoever asked (the UI's calls, a batch, a run): one queue, at most
 * one per core, so 40 concurrent requests cost 2 analysis workers on 2 cores, not 40.
 */
class Slots {
  private used = 0;
  private waiting: Array<() => void> = [];
  constructor(private size: number) {}
  /** A slot now, if one is free (a batch takes more workers only when nobody waits). */
  tryAcquire(): (() => void) | null {
    if (this.used >= this.size || this.waiting.length) return null;
    this.used++;
    return this.releaser();
  }

  async acquire(): Promise<() => void> {
    if (this.used >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used++;
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.used--;
    };
  }
}

const slots = new Slots(Math.max(1, availableParallelism()));

export async function analyzeFiles(paths: string[], o: PoolOptions = {}): Promise<AnalysisOutcome[]> {
  const results: AnalysisOutcome[] = new Array(paths.length);
  // One slot is waited for (every call makes progress); more are taken only if free right now (no deadlock
  // between two batches each holding part of what it wants).
  const release = [await slots.acquire()];
  const wanted = Math.max(1, Math.min(o.concurrency ?? availableParallelism(), paths.length));
  while (release.length < wanted) {
    const more = slots.tryAcquire();
    if (!more) break;
    release.push(more);
  }
  const workers = release.map(() => new PooledWorker(o.maxHeapMb ?? 256));
  let next = 0;
  try {
    await Promise.all(workers.map(async (w) => {
      while (next < paths.length) {
        const i = next++;
        results[i] = await w.run(paths[i]!, o.timeoutMs ?? 60_000, (step) => o.onProgress?.(paths[i]!, step));
      }
    }));
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    for (const r of release) r();
  }
  return results;
}
