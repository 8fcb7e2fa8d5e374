/**
 * What every `apprights` command shares: the version, a one-line failure that exits, bounded whole-number
 * options and waiting for Ctrl-C. Kept free of the core (but for the small terminal guard) so `apprights --help`
 * loads nothing else.
 */
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
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) fail(`${name} must be a whole number from ${min} to ${max}, not "${value.slice(0, 40)}"`, 2);
  return n;
}

export function waitForSignal(): Promise<void> {
  return new Promise((res) => {
    process.once('SIGINT', () => res());
    process.once('SIGTERM', () => res());
  });
}
