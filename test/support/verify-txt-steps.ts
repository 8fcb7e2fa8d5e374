/** Test helper: VERIFY.txt's steps as a package prints them, cut out per shell, and one step run with bash as printed. */
import { spawnSync } from 'node:child_process';
import { STEP } from '../../src-main/core/evidence/verify-instructions.js';

/** One shell's steps as printed: step number → its text (from its "# n." line to the next step or section). */
export function stepsOf(text: string, section: string): Map<number, string> {
  const lines = text.split('\n');
  const steps = new Map<number, string>();
  let current: number | null = null;
  for (const line of lines.slice(lines.indexOf(section) + 1)) {
    if (line.startsWith('==== ')) break;
    const m = STEP.exec(line);
    if (m) current = Number(m[1]);
    if (current !== null) steps.set(current, `${steps.get(current) ?? ''}${line}\n`);
  }
  return steps;
}

/** A step run with `bash -e` in `cwd`, as a reader pastes it: its exit status and what it printed. */
export function bash(step: string, cwd: string): { status: number | null; out: string } {
  const r = spawnSync('bash', ['-e', '-c', step], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}
