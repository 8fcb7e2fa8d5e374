/**
 * Replaying a capture file: opened by what its bytes are (log-formats/capture-file.ts), split into lines as a
 * stream, each line read in its own format — threadtime lines that cannot hold an event as bytes
 * (replay-bytes.ts). What `apprights monitor --replay` runs.
 */
import { openCapture, type CaptureSource } from './log-formats/capture-file.js';
import { ReplayBytes } from './replay-bytes.js';
import { Replayer, type ReplayOptions, type ReplayResult } from './replay.js';

export async function replayFile(path: string, o: ReplayOptions): Promise<{ result: ReplayResult; source: CaptureSource }> {
  const replayer = new Replayer(o);
  const { source, chunks } = await openCapture(path);
  const bytes = new ReplayBytes(replayer);
  for await (const chunk of chunks) bytes.push(chunk);
  bytes.end();
  return { result: replayer.finish(), source };
}
