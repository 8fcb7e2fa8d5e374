/**
 * Child-process entry for APK analysis: reads the file into shared memory and analyses it in a process of its
 * own, under the pool's time, heap and OS memory limits, while a thread hashes large files — or, when the
 * caller hashes the file itself (`hashes: 'sha256'`), only SHA-256 as it reads, so the caller can tell its
 * hashes are of the bytes analysed here. Progress steps go over IPC. An APK that exhausts memory ends this
 * process only. Messages are plain data. The same child serves other heavy reading of untrusted input (a
 * privacy policy: `job: 'policy'`), whose code loads only when such a job comes.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { toBridgeError } from '../errors.js';
import { analyzeContents } from './analyze-apk.js';
import { fileHashes, type FileHashes } from './file-hashes.js';
import { readManifest } from './manifest.js';

const MAX_APK = 2 * 1024 * 1024 * 1024;

/** This process's memory, sampled after each analysis step. */
function used(): number {
  return process.memoryUsage().rss;
}

/**
 * The hashing thread, for APKs large enough to gain from it; smaller ones are hashed here in a millisecond or
 * two. Started with the process when the pool says large APKs are coming (`--hash-thread`), so its start-up
 * (~40-60 ms) overlaps the wait for work; otherwise at the first large APK.
 */
const THREAD_MIN_BYTES = 4 * 1024 * 1024;
const threadFile = new URL('./apk-hash-thread.js', import.meta.url);
let hasher: Worker | null | undefined;
let nextHash = 0;

function startHasher(): Worker | null {
  if (hasher === undefined) {
    hasher = existsSync(threadFile) ? new Worker(threadFile) : null;
    hasher?.unref();
  }
  return hasher;
}
if (process.argv.includes('--hash-thread')) startHasher();

function hashInThread(bytes: SharedArrayBuffer, length: number): Promise<FileHashes> {
  if (length >= THREAD_MIN_BYTES) startHasher();
  const thread = length >= THREAD_MIN_BYTES ? hasher : null;
  if (!thread) return Promise.resolve(fileHashes(Buffer.from(bytes, 0, length)));
  const id = ++nextHash;
  return new Promise((resolve, reject) => {
    const onMessage = (m: { id: number; hashes?: FileHashes; error?: string }): void => {
      if (m.id !== id) return;
      thread.off('message', onMessage);
      if (m.hashes) resolve(m.hashes);
      else reject(new Error(m.error ?? 'hashing failed'));
    };
    thread.on('message', onMessage);
    thread.postMessage({ id, bytes, length });
  });
}

/**
 * The file in shared memory, for this thread and the hashing thread. One buffer is reused from APK to APK
 * (grown to the next power of two when a larger one comes): the hashing thread's idle heap is rarely
 * collected, so a fresh shared buffer per APK stayed alive there and a child grew to 450 MB over a batch.
 */
let shared: SharedArrayBuffer | null = null;
function readShared(path: string, size: number): SharedArrayBuffer {
  if (!shared || shared.byteLength < size) shared = new SharedArrayBuffer(Math.max(1 << 20, 2 ** Math.ceil(Math.log2(Math.max(1, size)))));
  readInto(path, new Uint8Array(shared, 0, size));
  return shared;
}

/** Reads the file into `view` (its size known), 1 MiB at a time, each slice handed to `onSlice` while in cache. */
function readInto(path: string, view: Uint8Array, onSlice?: (slice: Uint8Array) => void): void {
  const fd = openSync(path, 'r');
  try {
    for (let p = 0; p < view.length;) {
      const n = readSync(fd, view, p, Math.min(view.length - p, 1 << 20), p);
      if (n <= 0) throw new Error('the file shrank while it was read');
      onSlice?.(view.subarray(p, p + n));
      p += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** The file and its SHA-256, read together (the caller computes the other hashes). */
function readWithSha256(path: string, size: number): { bytes: Buffer; hashes: { sha256: string } } {
  const bytes = Buffer.allocUnsafeSlow(size);
  const sha256 = createHash('sha256');
  readInto(path, bytes, (slice) => sha256.update(slice));
  return { bytes, hashes: { sha256: sha256.digest('hex') } };
}

/** A job other than an APK (see askAnalysisChild in analysis-pool.ts): `{value}` or `{error}`. */
async function answerJob(msg: { id: number; job: string }): Promise<void> {
  try {
    if (msg.job !== 'policy') throw new Error(`unknown job ${msg.job.slice(0, 40)}`);
    const { policyJob } = await import('../policy/policy-job.js');
    process.send?.({ id: msg.id, value: policyJob(msg as unknown as Parameters<typeof policyJob>[0]) });
  } catch (err) {
    process.send?.({ id: msg.id, error: toBridgeError(err) });
  }
}

process.on('message', async (msg: { id: number; job?: string; path: string; manifestOnly?: boolean; hashes?: 'all' | 'sha256'; dexInThreads?: boolean }) => {
  if (msg.job !== undefined) return answerJob(msg as { id: number; job: string });
  const send = (m: unknown): void => {
    process.send?.(m);
  };
  let peakBytes = used();
  try {
    const size = statSync(msg.path).size;
    if (size > MAX_APK) throw new Error('the file is larger than 2 GiB');
    if (msg.manifestOnly) {
      send({ id: msg.id, packageName: readManifest(readFileSync(msg.path)).packageName, peakBytes: used() });
      return;
    }
    let bytes: Buffer;
    let hashing: Promise<FileHashes | { sha256: string }>;
    if (msg.hashes === 'sha256') {
      const read = readWithSha256(msg.path, size);
      bytes = read.bytes;
      hashing = Promise.resolve(read.hashes);
    } else {
      const sharedBytes = readShared(msg.path, size);
      bytes = Buffer.from(sharedBytes, 0, size);
      hashing = hashInThread(sharedBytes, size);
    }
    send({ id: msg.id, progress: 'hash' });
    let result;
    try {
      result = await analyzeContents(bytes, msg.path, { dexInThreads: msg.dexInThreads ?? false }, (step) => {
        peakBytes = Math.max(peakBytes, used());
        send({ id: msg.id, progress: step });
      });
    } finally {
      // Never leave the thread's answer unawaited, even when the analysis refuses the file.
      await hashing.catch(() => undefined);
    }
    const hashes = await hashing;
    peakBytes = Math.max(peakBytes, used());
    send({ id: msg.id, result, hashes, peakBytes });
  } catch (err) {
    peakBytes = Math.max(peakBytes, used());
    send({ id: msg.id, error: toBridgeError(err), peakBytes });
  }
});
// The pool closes this process when it is done with it; until then it waits for work.
process.on('disconnect', () => process.exit(0));
