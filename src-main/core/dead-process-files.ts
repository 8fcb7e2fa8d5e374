/**
 * Files a process writes on its way to a finished one — the temp file of an atomic rewrite
 * (`settings.json.<pid>.tmp`, `session.json.<pid>.tmp`, a blob's) and an export's `<out>.apprights-<pid>.partial`
 * — are named by the writer's pid, so a process killed with SIGKILL leaves at most one of each and the next
 * start can tell them apart from anything else: only names of this exact pattern whose pid no longer runs are
 * removed, never a file another program wrote, never one a live process is still writing.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './data-dir-lock.js';

/** The temp name an atomic rewrite of `file` uses in this process. */
export function tempName(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

/** Where this process writes the package that becomes `out` once it is whole. */
export function partialName(out: string): string {
  return `${out}.apprights-${process.pid}.partial`;
}

const TEMP = /^(.+)\.([1-9]\d{0,9})\.tmp$/;
const PARTIAL = /^(.+)\.apprights-([1-9]\d{0,9})\.partial$/;

/**
 * Removes, in `dir`, the temp files of rewrites of the names in `of` (or of any name, when `of` is omitted),
 * and the partial exports, left by processes that no longer run. Returns the names removed.
 */
export function clearDeadProcessFiles(dir: string, o: { temps?: string[] | 'any'; partials?: boolean }): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const temp = o.temps ? TEMP.exec(name) : null;
    const partial = o.partials ? PARTIAL.exec(name) : null;
    const m = temp && (o.temps === 'any' || o.temps!.includes(temp[1]!)) ? temp : partial;
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || processAlive(pid)) continue;
    try {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // A folder by that name is not a file we wrote.
    }
  }
  return removed;
}
