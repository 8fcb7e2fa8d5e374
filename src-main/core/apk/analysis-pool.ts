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

export type AnalysisOutcome = { path: string; ok: true; analysis: ApkAnalysis; ms: number } | { path: string; ok: false; error: BridgeError; ms: number };

export interface PoolOptions {
  concurrency?: number;
  timeoutMs?: number;
  maxHeapMb?: number;
  onProgress?: (path: string, step: string) => void;
}

/** The worker script: the built one beside the bundle, or the TypeScript source (tests, tsx) via tsx. */
function workerEntry(): { file: string; execArgv: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const built of [join(here, 'apk-worker.js'), join(here, '..', 'apk-worker.js')]) {
    if (existsSync(built)) return { file: built, execArgv: [] };
  }
  const source = join(here, 'analysis-worker.ts');
  if (existsSync(source)) return { file: source, execArgv: ['--import', 'tsx'] };
  throw new Error('APK analysis worker not found (run npm run build)');
}

class PooledWorker {
  private worker: Worker;
  busy = false;

  constructor(private maxHeapMb: number) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const { file, execArgv } = workerEntry();
    const w = new Worker(file, { execArgv, resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb, maxYoungGenerationSizeMb: 32 } });
    w.unref();
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
        done({ path, ok: false, ms: Date.now() - started, error: { code: 'apk.refused', messageKey: 'error.apk.refused', details: { message, file: path } } }, replace);
      const onMessage = (m: { progress?: string; result?: ApkAnalysis; error?: BridgeError }): void => {
        if (m.progress) onProgress(m.progress);
        else if (m.result) done({ path, ok: true, analysis: m.result, ms: Date.now() - started }, false);
        else if (m.error) done({ path, ok: false, error: { ...m.error, details: { ...m.error.details, file: path } }, ms: Date.now() - started }, false);
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

export async function analyzeFiles(paths: string[], o: PoolOptions = {}): Promise<AnalysisOutcome[]> {
  const results: AnalysisOutcome[] = new Array(paths.length);
  const workers = Array.from({ length: Math.max(1, Math.min(o.concurrency ?? availableParallelism(), paths.length)) }, () => new PooledWorker(o.maxHeapMb ?? 256));
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
  }
  return results;
}
