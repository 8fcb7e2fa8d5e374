/**
 * Worker-thread entry for APK analysis: reads the file and runs analyzeApk off the main thread, under the
 * pool's time and memory limits, reporting progress steps. Messages are plain data.
 */
import { readFileSync, statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { toBridgeError } from '../errors.js';
import { analyzeApk } from './analyze-apk.js';

const MAX_APK = 2 * 1024 * 1024 * 1024;

/** This isolate's memory (JS heap plus buffers), sampled after each analysis step. */
function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

parentPort?.on('message', (msg: { id: number; path: string }) => {
  let peakBytes = used();
  try {
    const size = statSync(msg.path).size;
    if (size > MAX_APK) throw new Error('the file is larger than 2 GiB');
    const result = analyzeApk(readFileSync(msg.path), msg.path, (step) => {
      peakBytes = Math.max(peakBytes, used());
      parentPort!.postMessage({ id: msg.id, progress: step });
    });
    peakBytes = Math.max(peakBytes, used());
    parentPort!.postMessage({ id: msg.id, result, peakBytes });
  } catch (err) {
    peakBytes = Math.max(peakBytes, used());
    parentPort!.postMessage({ id: msg.id, error: toBridgeError(err), peakBytes });
  }
});
