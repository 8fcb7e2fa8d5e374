/**
 * Runs APK analyses in child processes: at most one per core for the whole process, each under a time limit,
 * a V8 heap cap and (on Linux, through prlimit) an OS limit on its memory. A worker thread was not enough: a
 * heap OOM in a worker thread aborts the whole process, while a child that runs out of memory ends alone. A
 * child that times out or dies is replaced and its file reported as refused; the caller (the UI, the CLI)
 * never blocks on an APK and survives any APK.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BridgeError } from '../errors.js';
import type { ApkAnalysis, ApkContents } from './analyze-apk.js';
import { hashFile, withHashes, type FileHashes } from './file-hashes.js';
import { nativeSm3 } from './sm3.js';

/** `peakBytes`: the worker's heap plus buffers, sampled after each analysis step (null if it died). */
export type AnalysisOutcome =
  | { path: string; ok: true; analysis: ApkAnalysis; ms: number; peakBytes: number | null }
  | { path: string; ok: false; error: BridgeError; ms: number; peakBytes: number | null };

export type CallerHasher = (path: string, signal: AbortSignal) => Promise<FileHashes>;

export interface PoolOptions {
  concurrency?: number;
  timeoutMs?: number;
  maxHeapMb?: number;
  onProgress?: (path: string, step: string) => void;
  /**
   * For a caller with nothing else to do meanwhile (the CLI): one APK's hashes are computed in this process
   * while the child analyses it, instead of in a thread the child would first have to start (~50 ms). Taken
   * only for a single file and where this runtime has SM3 natively (not in Electron: ours would hold its main
   * thread ~7 ms per MiB).
   * A function instead of `true` is the hashing to use (tests pass one that changes the file first).
   */
  hashInCaller?: boolean | CallerHasher;
}

/**
 * The worker script is the built `apk-worker.js`: beside the bundle when running built (app, CLI), or in the
 * project's out/main when running from sources (tests run after `npm run build`).
 */
function workerScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(dir, 'apk-worker.js'), join(dir, '..', 'apk-worker.js')];
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'out', 'main', 'apk-worker.js'));
    dir = dirname(dir);
  }
  const file = candidates.find((c) => existsSync(c));
  if (!file) throw new Error('The APK analysis worker is not built: run `npm run build`');
  return file;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** util-linux prlimit, where there is one: it sets the child's data-segment limit before node starts. */
let prlimit: string | null | undefined;
function prlimitPath(): string | null {
  if (prlimit === undefined) {
    prlimit = null;
    if (process.platform === 'linux') {
      // Checked by the file, not by running it: a CLI analysing one APK would pay a process start for it.
      for (const p of ['/usr/bin/prlimit', '/bin/prlimit']) {
        if (prlimit === null && isExecutable(p)) prlimit = p;
      }
    }
  }
  return prlimit;
}

/**
 * Memory one analysis child may use in all (heap, buffers, code) beyond the APK itself, which it reads whole:
 * the OS ends it past `CHILD_MEMORY_BYTES + the largest APK it is given`.
 */
export const CHILD_MEMORY_BYTES = 448 * 1024 * 1024;

/**
 * `oneApk`: the child analyses a single APK and ends. V8's optimising compiler then costs more than it saves
 * (measured on the 18 MB APK: a fresh child answers in ~213 ms with --no-opt against ~238 ms without); a child
 * that serves a batch keeps it, since its hot loops run thousands of times.
 */
function createChild(maxHeapMb: number, largestApk: number, oneApk: boolean, hashThread: boolean): ChildProcess {
  // A child that hashes large APKs gets its hashing thread started with it (see analysis-worker.ts).
  const node = [process.execPath, `--max-old-space-size=${maxHeapMb}`, '--max-semi-space-size=16', ...(oneApk ? ['--no-opt'] : []), workerScript(), ...(hashThread && largestApk >= 4 * 1024 * 1024 ? ['--hash-thread'] : [])];
  const limit = prlimitPath();
  const [cmd, ...args] = limit ? [limit, `--data=${CHILD_MEMORY_BYTES + largestApk}`, '--', ...node] : node;
  return spawn(cmd!, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: childEnv(process.env), serialization: 'advanced' });
}

/**
 * The child's environment: the caller's, as plain node (ELECTRON_RUN_AS_NODE: in the desktop app
 * process.execPath is Electron), without NODE_EXTRA_CA_CERTS. Node parses that CA bundle at every start
 * (measured: 30 → 75 ms for `node -e 0` with Debian's 140 CAs) and the child opens no connection.
 */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...rest } = env;
  return { ...rest, ELECTRON_RUN_AS_NODE: '1' };
}

/** Said when the caller's hashes and the child's SHA-256 are of different bytes (a file still being copied?). */
export const FILE_CHANGED = 'the file changed while it was analysed (two reads of it differ); analyse it again once it is complete';

/** Analysis workers alive now and at most so far in this process (tests check the shared cap holds). */
export const analysisWorkers = { live: 0, peak: 0 };

class PooledWorker {
  private worker: ChildProcess;
  private stderr = '';
  busy = false;

  /** `callerHashes`: this process hashes each file while the child analyses it (the child checks SHA-256). */
  constructor(private maxHeapMb: number, private largestApk = 0, private oneApk = false, private callerHashes: CallerHasher | null = null) {
    this.worker = this.spawn();
  }

  private spawn(): ChildProcess {
    // Not unref'd: a pool lives only as long as one analyzeFiles call, which closes its children at the end.
    const w = createChild(this.maxHeapMb, this.largestApk, this.oneApk, this.callerHashes === null);
    this.stderr = '';
    w.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString('utf8')).slice(-2000)));
    (w.stderr as unknown as { unref?: () => void }).unref?.();
    analysisWorkers.live++;
    analysisWorkers.peak = Math.max(analysisWorkers.peak, analysisWorkers.live);
    w.once('exit', () => analysisWorkers.live--);
    return w;
  }

  run(path: string, timeoutMs: number, onProgress: (step: string) => void, manifestOnly = false): Promise<AnalysisOutcome> {
    this.busy = true;
    const started = Date.now();
    const hashHere = this.callerHashes && !manifestOnly;
    const stopHashing = new AbortController();
    return new Promise((resolve) => {
      const w = this.worker;
      let finished = false;
      const done = (o: AnalysisOutcome, replace: boolean): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        stopHashing.abort();
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (replace) {
          w.kill('SIGKILL');
          this.worker = this.spawn();
        }
        this.busy = false;
        resolve(o);
      };
      const fail = (message: string, replace: boolean): void =>
        done({ path, ok: false, ms: Date.now() - started, peakBytes: null, error: { code: 'apk.refused', messageKey: 'error.apk.refused', details: { message, file: path } } }, replace);
      const succeed = (contents: ApkContents, hashes: FileHashes, peakBytes: number | null): void =>
        done({ path, ok: true, analysis: withHashes(contents, hashes), ms: Date.now() - started, peakBytes }, false);
      const onMessage = (m: { progress?: string; result?: ApkContents; hashes?: FileHashes; packageName?: string; error?: BridgeError; peakBytes?: number }): void => {
        const peakBytes = m.peakBytes ?? null;
        if (m.progress) onProgress(m.progress);
        else if (m.packageName !== undefined) done({ path, ok: true, analysis: { packageName: m.packageName } as ApkAnalysis, ms: Date.now() - started, peakBytes }, false);
        else if (m.result) {
          const contents = m.result;
          const analysed = m.hashes!;
          // The caller's hashes count only if they are of the bytes the child analysed.
          if (!hashing) succeed(contents, analysed, peakBytes);
          else hashing.then((h) => (h.sha256 === analysed.sha256 ? succeed(contents, h, peakBytes) : fail(FILE_CHANGED, false)), (err: Error) => fail(`the file could not be read: ${err.message}`, false));
        } else if (m.error) done({ path, ok: false, error: { ...m.error, details: { ...m.error.details, file: path } }, ms: Date.now() - started, peakBytes }, false);
      };
      const onError = (err: Error): void => fail(`analysis crashed: ${err.message}`, true);
      const onExit = (code: number | null, signal: string | null): void => {
        const oom = /heap out of memory|allocation failed|Cannot allocate|ENOMEM|out of memory/i.test(this.stderr);
        fail(oom ? `analysis needed more memory than allowed (${Math.round(CHILD_MEMORY_BYTES / 1048576)} MB)` : `analysis stopped (${signal ?? `exit ${code}`})`, true);
      };
      const timer = setTimeout(() => fail(`analysis took longer than ${timeoutMs} ms`, true), timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      // A lone APK's child has the other cores to itself: its DEX files inflate there. In a batch every core
      // already runs a child, and the hand-offs only cost (measured: 1,000 APKs 5.0 -> 5.6 s).
      w.send({ id: 1, path, manifestOnly, hashes: hashHere ? 'sha256' : 'all', dexInThreads: this.oneApk });
      // Started after the request, so the child's start and this hashing overlap; its failure is read above.
      const hashing = hashHere ? this.callerHashes!(path, stopHashing.signal) : null;
      hashing?.catch(() => undefined);
    });
  }

  close(): Promise<void> {
    const w = this.worker;
    if (w.exitCode !== null || w.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      w.once('exit', () => resolve());
      w.kill('SIGKILL');
    });
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
  await analyzeEach(paths, o, (outcome, i) => void (results[i] = outcome));
  return results;
}

/**
 * Analyses `paths` and hands each outcome to `onOutcome` as it finishes, keeping none: a batch of any size
 * holds one result per worker at a time. The next file waits until `onOutcome` has finished (e.g. written).
 */
export async function analyzeEach(paths: string[], o: PoolOptions, onOutcome: (outcome: AnalysisOutcome, index: number) => void | Promise<void>): Promise<void> {
  // One slot is waited for (every call makes progress); more are taken only if free right now (no deadlock
  // between two batches each holding part of what it wants).
  const release = [await slots.acquire()];
  const wanted = Math.max(1, Math.min(o.concurrency ?? availableParallelism(), paths.length));
  while (release.length < wanted) {
    const more = slots.tryAcquire();
    if (!more) break;
    release.push(more);
  }
  // A 1.5 GB game is read whole: its child's OS limit grows by the largest file of the batch.
  const largest = paths.reduce((m, p) => Math.max(m, sizeOf(p)), 0);
  const callerHashes = o.hashInCaller && paths.length === 1 && nativeSm3 ? (o.hashInCaller === true ? hashFile : o.hashInCaller) : null;
  const workers = release.map(() => new PooledWorker(o.maxHeapMb ?? 256, largest, paths.length === 1, callerHashes));
  let next = 0;
  try {
    await Promise.all(workers.map(async (w) => {
      while (next < paths.length) {
        const i = next++;
        await onOutcome(await w.run(paths[i]!, o.timeoutMs ?? 60_000, (step) => o.onProgress?.(paths[i]!, step)), i);
      }
    }));
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    for (const r of release) r();
  }
}

/**
 * The package an APK declares, read in an analysis child like a full analysis (a hostile manifest must not
 * take down the process that installs it); null when it cannot be read (pm then gives its own answer).
 */
export async function readPackageName(path: string, timeoutMs = 30_000): Promise<string | null> {
  const release = await slots.acquire();
  const worker = new PooledWorker(256, sizeOf(path), true);
  try {
    const o = await worker.run(path, timeoutMs, () => {}, true);
    return o.ok ? o.analysis.packageName : null;
  } finally {
    await worker.close();
    release();
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
