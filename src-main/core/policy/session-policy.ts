/**
 * A session's policy side: recording a policy (the original bytes and the text read from them, the page
 * screenshots of a phone capture, where it came from) and the tester's app type; and reading back what the
 * comparison needs — the latest policy (read again from its text), the latest APK analysis and app type —
 * from the session's blobs, bounded in size.
 */
import type { BlobRef, TimelineEvent } from '../../../src-preload/monitor-events.js';
import type { PolicyReading, PolicySource } from '../../../src-preload/policy.js';
import type { ApkAnalysis } from '../apk/analyze-apk.js';
import type { Entry } from '../checklist/timeline-facts.js';
import { WorkbenchError } from '../errors.js';
import type { Session } from '../session/session.js';
import { readSessionFile } from '../session/session-files.js';
import { appTypeByNo, type AppType } from './policy-knowledge.js';
import { MAX_POLICY_CHARS } from './policy-text.js';
import { readPolicy } from './read-policy.js';

const MAX_ANALYSIS_BYTES = 32 * 1024 * 1024;

export interface RecordPolicy {
  from: PolicySource;
  origin: string;
  text: string;
  charset: string;
  /** The bytes as received (file, URL); null for a phone capture (its pages are screenshots and UI dumps). */
  original: { bytes: Buffer; html: boolean } | null;
  pages: number[];
  problem: string | null;
}

/** `reading`: the text's reading when the caller has it (made off-thread), remembered for the session's judging. */
export function recordPolicy(session: Session, p: RecordPolicy, reading: PolicyReading | null = null): { seq: number } {
  const text = session.capture('policy', Buffer.from(p.text, 'utf8'), 'text/plain', `policy text (${p.from})`).blob;
  if (reading) remember(text.sha256, reading);
  // HTML is kept as opaque bytes: an evidence package must never carry a page that runs when opened.
  const original = p.original ? session.capture('policy', p.original.bytes, p.original.html ? 'application/octet-stream' : 'text/plain', `policy as received: ${p.origin}`).blob : null;
  const seq = session.append({ type: 'policy.captured', from: p.from, origin: p.origin.slice(0, 2000), text, original, charset: p.charset, pages: p.pages, problem: p.problem });
  return { seq };
}

export function recordAppType(session: Session, typeNo: number): { seq: number; type: AppType } {
  const type = appTypeByNo(typeNo);
  if (!type) throw new WorkbenchError('policy.not-found', `There is no app type ${typeNo}; the types are numbered 1 to 39`, { typeNo });
  return { seq: session.append({ type: 'app.type', typeNo, name: type.name.zh }), type };
}

export interface SessionPolicyInputs {
  policy: { seq: number; event: Extract<TimelineEvent, { type: 'policy.captured' }>; reading: PolicyReading } | null;
  analysis: { seq: number; analysis: ApkAnalysis } | null;
  appType: { seq: number; type: AppType } | null;
}

/**
 * Readings by text hash: the live checklist re-judges a session every second, the policy text rarely changes.
 * null: the text was refused when read off-thread (past the deadline); it is not read again here.
 */
const readings = new Map<string, PolicyReading | null>();

function remember(sha256: string, reading: PolicyReading | null): void {
  readings.delete(sha256);
  if (readings.size >= 8) readings.delete(readings.keys().next().value!);
  readings.set(sha256, reading);
}

/**
 * The remembered reading of a session's policy text, else its text read in this thread: the CLI's commands,
 * which serve no one else meanwhile (the workbench prepares it off-thread first, see preparePolicyReading).
 */
function sessionReading(sessionDir: string, text: BlobRef): PolicyReading | null {
  if (readings.has(text.sha256)) return readings.get(text.sha256)!;
  const content = readBlob(sessionDir, text.path, MAX_POLICY_CHARS * 4);
  if (content === null) return null;
  const reading = readPolicy(content);
  remember(text.sha256, reading);
  return reading;
}

const inFlight = new Map<string, Promise<void>>();

/** Reads one policy text in an analysis child and remembers its reading (null when refused); one at a time per text. */
function readOffThread(sessionDir: string, text: BlobRef): Promise<void> {
  let pending = inFlight.get(text.sha256);
  if (!pending) {
    pending = (async () => {
      const content = readBlob(sessionDir, text.path, MAX_POLICY_CHARS * 4);
      if (content === null) return;
      const { readPolicyOffThread } = await import('./read-off-thread.js');
      try {
        remember(text.sha256, (await readPolicyOffThread({ text: content, what: 'the session\'s policy' })).reading);
      } catch (err) {
        if (!(err instanceof WorkbenchError) || err.code !== 'policy.refused') throw err;
        remember(text.sha256, null);
      }
    })().finally(() => inFlight.delete(text.sha256));
    inFlight.set(text.sha256, pending);
  }
  return pending;
}

/**
 * Reads in an analysis child the policy that judging the session will use — its latest policy with a reading,
 * as readSessionPolicyInputs picks it — unless that reading is remembered, so that judging (synchronous, on the
 * workbench's main thread) never reads a policy itself.
 */
export async function preparePolicyReading(sessionDir: string, entries: Entry[]): Promise<void> {
  for (let i = entries.length - 1; i >= 0; i--) {
    const { event } = entries[i]!;
    if (event.type !== 'policy.captured') continue;
    if (!readings.has(event.text.sha256)) await readOffThread(sessionDir, event.text);
    if (readings.get(event.text.sha256)) return;
  }
}

function readBlob(sessionDir: string, path: string, max: number): string | null {
  if (!/^blobs\/[0-9a-f]{64}\.(txt|json)$/.test(path)) return null;
  try {
    return readSessionFile(sessionDir, path, max).toString('utf8');
  } catch {
    // Missing, too large, or not a file of the session (a link): the comparison goes without it.
    return null;
  }
}

export function readSessionPolicyInputs(sessionDir: string, entries: Entry[]): SessionPolicyInputs {
  const out: SessionPolicyInputs = { policy: null, analysis: null, appType: null };
  for (let i = entries.length - 1; i >= 0 && (!out.policy || !out.analysis || !out.appType); i--) {
    const { seq, event } = entries[i]!;
    if (!out.policy && event.type === 'policy.captured') {
      const reading = sessionReading(sessionDir, event.text);
      if (reading) out.policy = { seq, event, reading };
    } else if (!out.analysis && event.type === 'capture' && event.kind === 'apk.analysis') {
      const json = readBlob(sessionDir, event.blob.path, MAX_ANALYSIS_BYTES);
      try {
        if (json !== null) out.analysis = { seq, analysis: JSON.parse(json) as ApkAnalysis };
      } catch {
        // An unreadable analysis is left out; the comparison then says it had none.
      }
    } else if (!out.appType && event.type === 'app.type') {
      const type = appTypeByNo(event.typeNo);
      if (type) out.appType = { seq, type };
    }
  }
  return out;
}
