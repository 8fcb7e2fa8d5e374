/**
 * Runs APK analyses in child processes: at most one per core for the whole process, each under a time limit,
 * a V8 heap cap and (on Linux, through prlimit) an OS limit on its memory. A worker thread was not enough: a
 * heap OOM in a worker thread aborts the whole process, while a child that runs out of memory ends alone. A
 * child that times out or dies is replaced and its file reported as refused; the caller (the UI, the CLI)
 * never blocks on an APK and survives any APK. Other heavy reading of untrusted input (a privacy policy) asks
 * the same children, in the same queue (askAnalysisChild).
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

/** What an analysis child sends: progress, an APK's result, another job's value, or an error. */
interface ChildMessage {
  progress?: string;
  result?: ApkContents;
  hashes?: FileHashes;
  packageName?: string;
  value?: unknown;
  error?: BridgeError;
  peakBytes?: number;
}

/** Why a child gave no answer; it is replaced. */
export type ChildFailure = { kind: 'timeout' } | { kind: 'crashed'; message: string } | { kind: 'out-of-memory' } | { kind: 'stopped'; how: string };

export type ChildAnswer<T> = { ok: true; value: T } | { ok: false; error: BridgeError } | { ok: false; failure: ChildFailure };

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

  /**
   * One request and its one answer: `onMessage` settles with what the child said (or leaves it to a later
   * message); a timeout, a crash or the child's end settle through `failed` and replace the child, so the
   * next request finds a fresh one.
   */
  private exchange<O>(request: object, timeoutMs: number, onMessage: (m: ChildMessage, settle: (o: O) => void) => void, failed: (why: ChildFailure) => O): Promise<O> {
    this.busy = true;
    return new Promise((resolve) => {
      const w = this.worker;
      let finished = false;
      const done = (o: O, replace: boolean): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        w.off('message', listener);
        w.off('error', onError);
        w.off('exit', onExit);
        if (replace) {
          w.kill('SIGKILL');
          this.worker = this.spawn();
        }
        this.busy = false;
        resolve(o);
      };
      const listener = (m: ChildMessage): void => onMessage(m, (o) => done(o, false));
      const onError = (err: Error): void => done(failed({ kind: 'crashed', message: err.message }), true);
      const onExit = (code: number | null, signal: string | null): void => {
        const oom = /heap out of memory|allocation failed|Cannot allocate|ENOMEM|out of memory/i.test(this.stderr);
        done(failed(oom ? { kind: 'out-of-memory' } : { kind: 'stopped', how: signal ?? `exit ${code}` }), true);
      };
      const timer = setTimeout(() => done(failed({ kind: 'timeout' }), true), timeoutMs);
      w.on('message', listener);
      w.on('error', onError);
      w.on('exit', onExit);
      w.send(request);
    });
  }

  run(path: string, timeoutMs: number, onProgress: (step: string) => void, manifestOnly = false): Promise<AnalysisOutcome> {
    const started = Date.now();
    const hashHere = this.callerHashes && !manifestOnly;
    const stopHashing = new AbortController();
    const refused = (message: string): AnalysisOutcome =>
      ({ path, ok: false, ms: Date.now() - started, peakBytes: null, error: { code: 'apk.refused', messageKey: 'error.apk.refused', details: { message, file: path } } });
    const analysed = (contents: ApkContents, hashes: FileHashes, peakBytes: number | null): AnalysisOutcome =>
      ({ path, ok: true, analysis: withHashes(contents, hashes), ms: Date.now() - started, peakBytes });
    let hashing: Promise<FileHashes> | null = null;
    // A lone APK's child has the other cores to itself: its DEX files inflate there. In a batch every core
    // already runs a child, and the hand-offs only cost (measured: 1,000 APKs 5.0 -> 5.6 s).
    const request = { id: 1, path, manifestOnly, hashes: hashHere ? 'sha256' : 'all', dexInThreads: this.oneApk };
    const outcome = this.exchange<AnalysisOutcome>(request, timeoutMs, (m, settle) => {
      const peakBytes = m.peakBytes ?? null;
      if (m.progress) onProgress(m.progress);
      else if (m.packageName !== undefined) settle({ path, ok: true, analysis: { packageName: m.packageName } as ApkAnalysis, ms: Date.now() - started, peakBytes });
      else if (m.result) {
        const contents = m.result;
        const childHashes = m.hashes!;
        // The caller's hashes count only if they are of the bytes the child analysed.
        if (!hashing) settle(analysed(contents, childHashes, peakBytes));
        else hashing.then((h) => settle(h.sha256 === childHashes.sha256 ? analysed(contents, h, peakBytes) : refused(FILE_CHANGED)), (err: Error) => settle(refused(`the file could not be read: ${err.message}`)));
      } else if (m.error) settle({ path, ok: false, error: { ...m.error, details: { ...m.error.details, file: path } }, ms: Date.now() - started, peakBytes });
    }, (why) => refused(
      why.kind === 'timeout' ? `analysis took longer than ${timeoutMs} ms`
        : why.kind === 'crashed' ? `analysis crashed: ${why.message}`
          : why.kind === 'out-of-memory' ? `analysis needed more memory than allowed (${Math.round(CHILD_MEMORY_BYTES / 1048576)} MB)`
            : `analysis stopped (${why.how})`));
    // Started after the request, so the child's start and this hashing overlap; its failure is read above.
    hashing = hashHere ? this.callerHashes!(path, stopHashing.signal) : null;
    hashing?.catch(() => undefined);
    return outcome.finally(() => stopHashing.abort());
  }

  /** Another job for the child (see askAnalysisChild): its `value` or `error`, or why it gave neither. */
  ask<T>(request: { job: string }, timeoutMs: number): Promise<ChildAnswer<T>> {
    return this.exchange<ChildAnswer<T>>({ id: 1, ...request }, timeoutMs, (m, settle) => {
      if (m.error) settle({ ok: false, error: m.error });
      else if ('value' in m) settle({ ok: true, value: m.value as T });
    }, (failure) => ({ ok: false, failure }));
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

/**
 * Other reading of untrusted input that must not hold the caller's thread (a privacy policy, see
 * policy/read-off-thread.ts): one request to an analysis child, in the same queue and under the same heap and
 * memory limits as an APK, the child ended at `timeoutMs`. The child's side is in analysis-worker.ts.
 */
export async function askAnalysisChild<T>(request: { job: string }, timeoutMs: number): Promise<ChildAnswer<T>> {
  const release = await slots.acquire();
  const worker = new PooledWorker(256);
  try {
    return await worker.ask<T>(request, timeoutMs);
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

/**
 * Analysis children kept between requests, for a caller that analyses one APK at a time but many over its life
 * (a farm worker takes jobs one by one): the same children, limits and slots as analyzeEach, without a child's
 * start (~60 ms) for every APK. A child sized for smaller files is replaced when a larger one comes (its OS limit
 * grows with the largest file it may read); a child that timed out or died is replaced as in a batch.
 */
export class KeptAnalysisChildren {
  private idle: Array<{ child: PooledWorker; largest: number }> = [];
  private closed = false;

  async analyze(path: string, timeoutMs = 60_000): Promise<AnalysisOutcome> {
    const release = await slots.acquire();
    const size = sizeOf(path);
    let kept = this.idle.pop();
    if (kept && kept.largest < size) {
      await kept.child.close();
      kept = undefined;
    }
    const largest = Math.max(size, 32 << 20);
    kept ??= { child: new PooledWorker(256, largest, false, null), largest };
    try {
      return await kept.child.run(path, timeoutMs, () => undefined);
    } finally {
      if (this.closed) void kept.child.close();
      else this.idle.push(kept);
      release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((k) => k.child.close()));
  }
}
