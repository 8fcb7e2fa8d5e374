/**
 * Worker-thread entry of template parsing: reads one template text per message (YAML, schema, the workbench's
 * own checks) and answers with the template or the error, as plain data. A text that takes too long or too
 * much memory here costs this thread, which the caller ends; the workbench's own thread goes on serving.
 */
import { parentPort } from 'node:worker_threads';
import { WorkbenchError } from '../errors.js';
import { parseTemplate } from './load-template.js';

export interface ParseRequest {
  id: number;
  text: string;
  file: string;
}

export type ParseReply =
  /** Sent once, when the thread has loaded: deadlines count from here, not from the thread's start-up. */
  | { ready: true }
  | { id: number; template: ReturnType<typeof parseTemplate>['template']; sha256: string }
  | { id: number; error: { code: WorkbenchError['code']; message: string; details: WorkbenchError['details'] } };

parentPort?.on('message', (m: ParseRequest) => {
  let reply: ParseReply;
  try {
    const t = parseTemplate(m.text, m.file);
    reply = { id: m.id, template: t.template, sha256: t.sha256 };
  } catch (err) {
    // Whatever a text makes the reader throw is that text's problem: the caller refuses the template with it.
    reply = err instanceof WorkbenchError
      ? { id: m.id, error: { code: err.code, message: err.message, details: err.details } }
      : { id: m.id, error: { code: 'template.invalid', message: `${m.file}: ${err instanceof Error ? err.message : String(err)}`, details: { file: m.file, line: null, column: null, field: '', problem: err instanceof Error ? err.message : String(err) } } };
  }
  parentPort!.postMessage(reply);
});
parentPort?.postMessage({ ready: true } satisfies ParseReply);
