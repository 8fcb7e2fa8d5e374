/**
 * What every `apprights` command shares: the version, a one-line failure that exits, bounded whole-number
 * options, refusing to replace an --out file without --force, waiting for Ctrl-C, and ending quietly when the
 * reader of the output goes away (`| head`). Kept free of the core (but for the small terminal guard and the
 * CLI's sentences) so `apprights --help` loads nothing else.
 */
import { lstatSync } from 'node:fs';
import { say } from './cli-language.js';
import { text } from './cli-text.js';
import { oneLine } from './terminal-guard.js';

export const VERSION = '0.1.0';

export type Fail = (message: string, code?: number) => never;

/** A failure is one line: names, paths and error texts inside the message cannot start another. */
export function fail(message: string, code = 1): never {
  process.stderr.write('apprights: ' + oneLine(message) + '\n');
  process.exit(code);
}

/** A whole-number option within bounds, or a one-line refusal (exit 2) naming the option. */
export function intOption(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) fail(say(text.wholeNumber(name, min, max, value)), 2);
  return n;
}

/**
 * A package is never replaced by mistake: an --out that exists (a file, a folder, even a dangling link) is
 * refused before any work is done (exit 2), unless the user said --force.
 */
export function refuseToReplace(out: string, force: boolean | undefined): void {
  if (!force && lstatSync(out, { throwIfNoEntry: false })) fail(say(text.outExists(out)), 2);
}

/** Resolves once everything written to stdout and stderr so far has been handed to the OS (a closed reader counts). */
export async function outputWritten(): Promise<void> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((res) => {
    if (s.destroyed || s.writableEnded) res();
    else s.write('', () => res());
  })));
}

/** Commands waiting to be stopped (Ctrl-C, SIGTERM, or their reader gone): each resolves once. */
const stopWaiters = new Set<() => void>();

/** Resolves on Ctrl-C, SIGTERM, or when whoever reads the output goes away (see quietWhenOutputCloses). */
export function waitForSignal(): Promise<void> {
  return new Promise((res) => {
    const stop = (): void => {
      if (!stopWaiters.delete(stop)) return;
      res();
    };
    stopWaiters.add(stop);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * `apprights monitor … | head -1`: once the reader of stdout (or stderr) goes away, every write fails with
 * EPIPE. A command that runs until stopped (monitor, virtual-device, serve) stops then as on Ctrl-C — the
 * monitor closes its raw log whole — and exits 0; any other command ends at once, quietly, with exit 0, as a
 * Unix filter does when its reader has all it wanted. Never a stack trace. Other write errors stay errors.
 */
export function quietWhenOutputCloses(): void {
  let closed = false;
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code !== 'EPIPE') throw err;
    // Writes while the command winds down fail the same way; it ends on its own.
    if (closed) return;
    closed = true;
    if (stopWaiters.size) for (const stop of [...stopWaiters]) stop();
    else process.exit(0);
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
}
