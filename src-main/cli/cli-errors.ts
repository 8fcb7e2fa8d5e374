/**
 * How the CLI says an error went wrong: in words, in its language (the core's catalogue, the same sentences the
 * window shows), never an internal code; under `--json` the code, the words and the details also go to stdout
 * as one JSON object, for scripts. Errors that are not the workbench's own keep their message.
 */
import { writeSync } from 'node:fs';
import { WorkbenchError, toBridgeError } from '../core/errors.js';
import { catalogueLookup, errorSentence } from '../core/i18n/error-text.js';
import { fail } from './cli-support.js';
import { jsonOutput, language } from './cli-language.js';
import { terminalValue } from './terminal-guard.js';

export function errorWords(err: unknown): string {
  if (err instanceof WorkbenchError) return errorSentence(toBridgeError(err), catalogueLookup(language(), terminalValue), terminalValue);
  return terminalValue(err instanceof Error ? err.message : String(err));
}

/** Prints the error (and, under --json, its code as JSON on stdout) and exits with `code`. */
export function failWith(err: unknown, code = 1): never {
  const words = errorWords(err);
  if (jsonOutput()) {
    const e = toBridgeError(err);
    // Written at once: the process exits next, and a pipe's queued write would be lost.
    try {
      writeSync(1, JSON.stringify({ error: { code: e.code, message: words, details: e.details } }) + '\n');
    } catch {
      // Nobody reads stdout any more: the words still go to stderr.
    }
  }
  fail(words, code);
}
