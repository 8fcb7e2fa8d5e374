/**
 * The classes an APK defines, from all its classes*.dex: each file inflated in libuv's thread pool, at most
 * two ahead of the one being read, so this thread reads one file's class descriptors (and the caller verifies
 * the signatures) while the next files inflate. Files are read in order, as the sequential reader did: a file
 * that does not inflate or parse is a finding; a zip bomb, or DEX files over 512 MiB in total, refuse the APK.
 * A process with no core to spare (a child of a batch) reads them one after the other on its own thread.
 */
import { WorkbenchError } from '../errors.js';
import { dexClassDescriptors } from './dex.js';
import type { ZipReader } from './zip-reader.js';

/** One classes*.dex: real ones stay far below this (65,536 method references each); bigger is an attack. */
const MAX_DEX = 64 * 1024 * 1024;
const MAX_TOTAL_DEX = 512 * 1024 * 1024;
/** Inflations running or done but not yet read, beyond the one being read: at most 3 × 64 MiB in memory. */
const AHEAD = 2;

/** classes.dex, classes2.dex, … in the order Android loads them. */
export function dexNamesOf(zip: ZipReader): string[] {
  return [...zip.entries.keys()].filter((n) => /^classes\d*\.dex$/.test(n)).sort((a, b) => a.length - b.length || a.localeCompare(b));
}

/** `inThreads`: inflate in the thread pool, ahead of the reader; else each file in turn on this thread. */
export async function readDexClasses(zip: ZipReader, names: string[], inThreads = true): Promise<{ descriptors: string[]; findings: string[] }> {
  // Each file's cap: what the total leaves after the files before it (as declared: a file read in full has
  // exactly its declared size). -1: the total is passed there.
  const caps: number[] = [];
  let before = 0;
  for (const n of names) {
    const size = zip.entries.get(n)!.size;
    caps.push(before + size > MAX_TOTAL_DEX ? -1 : Math.min(MAX_DEX, MAX_TOTAL_DEX - before));
    before += size;
  }
  const inflating: Array<Promise<Buffer | Error> | null> = [];
  const startUpTo = (last: number): void => {
    while (inflating.length <= Math.min(last, names.length - 1) && caps[inflating.length]! >= 0) {
      const k = inflating.length;
      // Settled as a value either way: a file abandoned after a refusal leaves no unhandled rejection.
      const read = inThreads ? zip.readAsync(names[k]!, caps[k]!) : Promise.resolve().then(() => zip.read(names[k]!, caps[k]!));
      inflating.push(read.catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
    }
  };
  const descriptors: string[] = [];
  const findings: string[] = [];
  for (let i = 0; i < names.length; i++) {
    if (caps[i]! < 0) throw new WorkbenchError('apk.refused', 'DEX files are larger than 512 MiB in total', {});
    startUpTo(inThreads ? i + AHEAD : i);
    const dex = await inflating[i]!;
    inflating[i] = null;
    try {
      if (dex instanceof Error) throw dex;
      for (const d of dexClassDescriptors(dex)) descriptors.push(d);
    } catch (err) {
      if (err instanceof WorkbenchError && /larger than allowed|zip bomb/.test(err.message)) throw err;
      findings.push(`${names[i]}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { descriptors, findings };
}
