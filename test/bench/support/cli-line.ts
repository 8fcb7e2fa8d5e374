/** Bench helper: the first match of `re` (its group 1) in what a started CLI prints, or its output if it exits first. */
import type { ChildProcess } from 'node:child_process';

export function lineOf(child: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = re.exec(seen);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(seen)));
  });
}
