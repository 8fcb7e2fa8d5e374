/**
 * Opening a capture file for replay: what its first bytes say it is, and its text as UTF-8 chunks for the line
 * splitter, streamed (a 2 GiB file never sits in memory). Text with or without a UTF-8 BOM; UTF-16LE/BE with a
 * BOM (what `adb logcat > x.txt` writes in Windows PowerShell) or without one (told by its zero bytes); an `adb
 * bugreport` zip, whose `bugreport-*.txt` is inflated as a stream through the evidence package reader (bounded,
 * CRC-checked, never extracted to disk). Anything else — binary, `logcat -B` output, gzip, an APK, a zip
 * without a bugreport — is refused here with what it is and what to do.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { WorkbenchError } from '../../errors.js';
import { PackageReader } from '../../evidence/package-reader.js';

export interface CaptureSource {
  container: 'text' | 'bugreport-zip';
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** A byte-order mark opened the text. */
  bom: boolean;
  /** The zip entry read, for a bugreport zip. */
  entry: string | null;
  bytes: number;
}

/** The largest text (a file, or a bugreport's inflated entry) replay reads. */
export const MAX_CAPTURE_BYTES = 2 * 1024 ** 3;
const SNIFF = 64 * 1024;

function refuse(reason: string, message: string): never {
  throw new WorkbenchError('monitor.unreadable-log', message, { reason });
}

export async function openCapture(path: string): Promise<{ source: CaptureSource; chunks: AsyncIterable<Buffer> }> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    refuse('unreadable-file', `Cannot read ${path}: ${(err as Error).message}`);
  }
  let head: Buffer;
  let size: number;
  try {
    size = fstatSync(fd).size;
    head = Buffer.alloc(Math.min(SNIFF, size));
    if (head.length) readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (size === 0) refuse('empty', 'The file is empty.');
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return openBugreportZip(path, size);
  if (head[0] === 0x1f && head[1] === 0x8b) refuse('gzip', 'This is a gzip file, not log text: unpack it first (gunzip, or 7-Zip on Windows), then replay the file inside.');
  if (size > MAX_CAPTURE_BYTES) refuse('too-large', `The log is larger than ${MAX_CAPTURE_BYTES / 1024 ** 3} GiB; split it first.`);
  const text = sniffText(head);
  const source: CaptureSource = { container: 'text', encoding: text.encoding, bom: text.skip > 0, entry: null, bytes: size };
  const chunks = fileChunks(path, text.skip);
  return { source, chunks: text.encoding === 'utf-8' ? chunks : transcode(chunks, text.encoding) };
}

/**
 * The file's bytes from `start`, 1 MiB at a time, read synchronously: a read stream's round trips through the
 * event loop left the CPU idle for a tenth of a replay, and nothing else runs while one does (the CLI).
 */
async function* fileChunks(path: string, start: number): AsyncIterable<Buffer> {
  const fd = openSync(path, 'r');
  try {
    for (let at = start; ;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const n = readSync(fd, chunk, 0, chunk.length, at);
      if (n === 0) return;
      at += n;
      yield n < chunk.length ? chunk.subarray(0, n) : chunk;
    }
  } finally {
    closeSync(fd);
  }
}

/** The text encoding the first bytes show (and the BOM's length to skip), or a refusal naming what it is. */
export function sniffText(head: Buffer): { encoding: CaptureSource['encoding']; skip: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return checkBinary(head.subarray(3), { encoding: 'utf-8', skip: 3 });
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  // UTF-16 without a BOM: ASCII text has a zero in every other byte.
  const n = Math.min(head.length, 4096) & ~1;
  let evenZero = 0, oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (pairs >= 8 && oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return { encoding: 'utf-16le', skip: 0 };
  if (pairs >= 8 && evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return { encoding: 'utf-16be', skip: 0 };
  return checkBinary(head, { encoding: 'utf-8', skip: 0 });
}

/** Text has no NUL and few control characters; `logcat -B` records and other binaries do. */
function checkBinary<T>(head: Buffer, ok: T): T {
  let controls = 0;
  let nul = false;
  for (const b of head) {
    if (b === 0) nul = true;
    else if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 0x1b) controls++;
  }
  if (!nul && controls <= head.length * 0.05) return ok;
  // logger_entry: u16 payload length, u16 header size (20, 24 or 28), pid, tid, sec, nsec…
  const hdr = head.length >= 4 ? head.readUInt16LE(2) : 0;
  if (hdr === 20 || hdr === 24 || hdr === 28) {
    refuse('binary-logcat', 'This looks like binary logcat output (`logcat -B`), not text: capture with `adb logcat -v threadtime -d > log.txt` (or `-v threadtime,year,UTC`).');
  }
  refuse('binary', `This is a binary file, not log text (${nul ? 'it holds NUL bytes' : 'it is full of control bytes'} in its first ${head.length} bytes). Give a logcat text file (adb logcat -v threadtime -d > log.txt) or an adb bugreport zip.`);
}

/** UTF-16 chunks as UTF-8 chunks (a character split across chunks is carried over by the decoder). */
async function* transcode(chunks: AsyncIterable<Buffer>, encoding: 'utf-16le' | 'utf-16be'): AsyncIterable<Buffer> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.decode();
  if (rest) yield Buffer.from(rest, 'utf8');
}

/**
 * An `adb bugreport` zip: the entry `main_entry.txt` names (Android 7+), else the one `bugreport-*.txt` at its
 * root. Anything else in a zip is refused with what the zip holds.
 */
async function openBugreportZip(path: string, size: number): Promise<{ source: CaptureSource; chunks: AsyncIterable<Buffer> }> {
  let zip: PackageReader;
  try {
    zip = new PackageReader(path);
  } catch (err) {
    refuse('bad-zip', `This is a zip file, but it cannot be read: ${(err as Error).message.replace(/^Not an evidence package: /, '')}`);
  }
  try {
    const names = [...zip.entries.keys()];
    let entry: string | undefined;
    if (zip.entries.has('main_entry.txt')) {
      const named = (await zip.readSmall('main_entry.txt', 4096)).toString('utf8').trim();
      if (zip.entries.has(named)) entry = named;
    }
    const candidates = names.filter((n) => /^bugreport[^/]*\.txt$/.test(n));
    entry ??= candidates.sort((a, b) => zip.entries.get(b)!.size - zip.entries.get(a)!.size)[0];
    if (!entry) {
      const what = names.includes('AndroidManifest.xml') ? 'an APK' : names.includes('manifest.json') && names.includes('timeline.jsonl') ? 'an evidence package' : 'a zip';
      const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `… (${names.length} entries)` : '');
      refuse('zip-without-bugreport', `This is ${what}, not an adb bugreport: it has no bugreport-*.txt (it holds ${shown || 'nothing'}). Give the zip \`adb bugreport\` wrote, or a logcat text file.`);
    }
    const stream = zip.stream(entry, MAX_CAPTURE_BYTES);
    const source: CaptureSource = { container: 'bugreport-zip', encoding: 'utf-8', bom: false, entry, bytes: size };
    return { source, chunks: closing(stream, zip) };
  } catch (err) {
    zip.close();
    if (err instanceof WorkbenchError && err.code === 'monitor.unreadable-log') throw err;
    refuse('bad-zip', `This bugreport zip cannot be read: ${(err as Error).message}`);
  }
}

/** The entry's bytes; the zip is closed when they end (or fail: a damaged entry is a refusal, not a crash). */
async function* closing(stream: Readable, zip: PackageReader): AsyncIterable<Buffer> {
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } catch (err) {
    refuse('bad-zip', `The bugreport inside the zip cannot be read to its end: ${(err as Error).message}`);
  } finally {
    zip.close();
  }
}
