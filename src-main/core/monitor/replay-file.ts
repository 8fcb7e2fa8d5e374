/**
 * Replaying a capture file: opened by what its bytes are (log-formats/capture-file.ts), split into lines as a
 * stream, each line read in its own format. What `apprights monitor --replay` runs.
 */
import { LineSplitter } from './line-splitter.js';
import { openCapture, type CaptureSource } from './log-formats/capture-file.js';
import { Replayer, type ReplayOptions, type ReplayResult } from './replay.js';

export async function replayFile(path: string, o: ReplayOptions): Promise<{ result: ReplayResult; source: CaptureSource }> {
  const replayer = new Replayer(o);
  const { source, chunks } = await openCapture(path);
  const splitter = new LineSplitter();
  for await (const chunk of chunks) for (const l of splitter.push(chunk)) replayer.line(l);
  for (const l of splitter.flush()) replayer.line(l);
  return { result: replayer.finish(), source };
}
