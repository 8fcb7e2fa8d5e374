/**
 * The explorer as a capability of the workbench (issue #29): one walk at a time per session, on the session's
 * phone while it records, started and stopped from any shell (`explore.start` / `explore.stop`). The walk's steps
 * and result go to the session's timeline (session-explore.ts), so every view follows it as it follows any event;
 * a walk that fails is recorded in the session (`explore.result` with the reason), never thrown at the caller
 * after it began.
 */
import type { ExploreLimits } from '../../../src-preload/explore.js';
import type { AdbService } from '../adb/adb-service.js';
import { WorkbenchError } from '../errors.js';
import type { SessionManager } from '../session/session-manager.js';
import { exploreInSession } from './session-explore.js';

export class ExploreService {
  private running = new Map<string, { abort: AbortController; done: Promise<void> }>();

  constructor(private o: { sessions: SessionManager; adb: AdbService }) {}

  start(sessionId: string, limits: Partial<ExploreLimits>): { started: true } {
    const s = this.o.sessions.get(sessionId);
    if (!s) throw new WorkbenchError('session.not-found', `No session ${sessionId}`, { id: sessionId });
    if (s.meta.state !== 'recording') throw new WorkbenchError('session.not-recording', `Session ${sessionId} is not recording; resume it to explore its app`, { id: sessionId, reason: 'explore-needs-recording' });
    if (this.running.has(sessionId)) throw new WorkbenchError('session.busy', 'The explorer is already walking this app: stop it first', { id: sessionId, reason: 'explore-running' });
    const bridge = this.o.adb.requireBridge();
    const abort = new AbortController();
    const done = exploreInSession({ bridge, serial: s.meta.device.serial, session: s, packageName: s.meta.app.packageName, limits, signal: abort.signal })
      .then(() => undefined, (err: unknown) => {
        // The session may be closed by now (its writer refuses): the failure is then only the log's.
        const message = `the explorer failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
        try {
          s.append({ type: 'session.problem', code: 'explore.failed', message });
        } catch {
          console.error(`session ${sessionId}: ${message}`);
        }
      })
      .finally(() => this.running.delete(sessionId));
    this.running.set(sessionId, { abort, done });
    return { started: true };
  }

  /** Stops the session's walk at its next step and waits for its result to be written; false when none ran. */
  async stop(sessionId: string): Promise<{ stopped: boolean }> {
    const walk = this.running.get(sessionId);
    if (!walk) return { stopped: false };
    walk.abort.abort();
    await walk.done;
    return { stopped: true };
  }

  status(sessionId: string): { running: boolean } {
    return { running: this.running.has(sessionId) };
  }

  /** Stops every walk (the workbench is closing). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }
}
