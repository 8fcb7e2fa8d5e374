/**
 * Child-process entry for APK analysis: reads the file and runs analyzeApk in a process of its own, under
 * the pool's time, heap and OS memory limits, reporting progress steps over IPC. An APK that exhausts memory
 * ends this process only. Messages are plain data.
 */
import { readFileSync, statSync } from 'node:fs';
import { toBridgeError } from '../errors.js';
import { analyzeApk } from './analyze-apk.js';
import { readManifest } from './manifest.js';

const MAX_APK = 2 * 1024 * 1024 * 1024;

/** This process's memory, sampled after each analysis step. */
function used(): number {
  return process.memoryUsage().rss;
}

process.on('message', (msg: { id: number; path: string; manifestOnly?: boolean }) => {
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
    const result = analyzeApk(readFileSync(msg.path), msg.path, (step) => {
      peakBytes = Math.max(peakBytes, used());
      send({ id: msg.id, progress: step });
    });
    peakBytes = Math.max(peakBytes, used());
    send({ id: msg.id, result, peakBytes });
  } catch (err) {
    peakBytes = Math.max(peakBytes, used());
    send({ id: msg.id, error: toBridgeError(err), peakBytes });
  }
});
// The pool closes this process when it is done with it; until then it waits for work.
process.on('disconnect', () => process.exit(0));
