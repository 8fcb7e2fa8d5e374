/**
 * One workbench per data folder: `workbench.lock` names the process that holds it. A second instance is told
 * which process that is (and to use another --data-dir); a lock left by a process that died is taken over.
 * Two instances on one folder lost each other's settings and deleted each other's uploads.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from './errors.js';

export const DATA_DIR_LOCK = 'workbench.lock';

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, DATA_DIR_LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
        } catch {
          // Already gone.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (processAlive(holder) && holder !== process.pid) {
        throw new WorkbenchError('settings.data-dir-busy', `Another AppRights Workbench (process ${holder}) uses the data folder ${dataDir}; close it, or start this one with --data-dir pointing elsewhere`, { pid: holder, dataDir });
      }
      // Left by a process that is gone: take it over.
      rmSync(file, { force: true });
    }
  }
  throw new WorkbenchError('settings.data-dir-busy', `Cannot lock the data folder ${dataDir}`, { dataDir, pid: null });
}
