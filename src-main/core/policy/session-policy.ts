/**
 * A session's policy side: recording a policy (the original bytes and the text read from them, the page
 * screenshots of a phone capture, where it came from), the separate list pages it points to, and the tester's
 * app type; and reading back what the comparison needs — the latest policy read again from its text with the
 * list pages captured for it, the latest APK analysis and app type — from the session's blobs, bounded in size.
 */
import type { BlobRef, TimelineEvent } from '../../../src-preload/monitor-events.js';
import type { ListKind, PolicyReading, PolicySource } from '../../../src-preload/policy.js';
import type { ApkAnalysis } from '../apk/analyze-apk.js';
import type { Entry } from '../checklist/timeline-facts.js';
import { WorkbenchError } from '../errors.js';
import type { Session } from '../session/session.js';
import { readSessionFile } from '../session/session-files.js';
import { appTypeByNo, type AppType } from './policy-knowledge.js';
import { MAX_POLICY_CHARS } from './policy-text.js';
import { readPolicy } from './read-policy.js';

const MAX_ANALYSIS_BYTES = 32 * 1024 * 1024;
/** List pages read with one policy (a policy points to two lists, a few pages each at most). */
export const MAX_LIST_PAGES = 8;

type PolicyEvent = Extract<TimelineEvent, { type: 'policy.captured' }>;
export type ListPageEvent = Extract<TimelineEvent, { type: 'policy.list-captured' }>;

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
  if (reading) remember(readingKey(text, []), reading);
  // HTML is kept as opaque bytes: an evidence package must never carry a page that runs when opened.
  const original = p.original ? session.capture('policy', p.original.bytes, p.original.html ? 'application/octet-stream' : 'text/plain', `policy as received: ${p.origin}`).blob : null;
  const seq = session.append({ type: 'policy.captured', from: p.from, origin: p.origin.slice(0, 2000), text, original, charset: p.charset, pages: p.pages, problem: p.problem });
  return { seq };
}

export interface RecordListPage extends RecordPolicy {
  list: ListKind;
  policySeq: number;
  reference: string;
  tapped: string | null;
}

/** A list page is kept like a policy (its text, the bytes as received, its screenshots) and tied to its policy's event. */
export function recordListPage(session: Session, p: RecordListPage): { seq: number } {
  const text = session.capture('policy', Buffer.from(p.text, 'utf8'), 'text/plain', `${p.list} list page text (${p.from})`).blob;
  const original = p.original ? session.capture('policy', p.original.bytes, p.original.html ? 'application/octet-stream' : 'text/plain', `list page as received: ${p.origin}`).blob : null;
  const seq = session.append({
    type: 'policy.list-captured', list: p.list, policySeq: p.policySeq, reference: p.reference.slice(0, 400), tapped: p.tapped?.slice(0, 200) ?? null,
    from: p.from, origin: p.origin.slice(0, 2000), text, original, charset: p.charset, pages: p.pages, problem: p.problem,
  });
  return { seq };
}

export function recordAppType(session: Session, typeNo: number): { seq: number; type: AppType } {
  const type = appTypeByNo(typeNo);
  if (!type) throw new WorkbenchError('policy.not-found', `There is no app type ${typeNo}; the types are numbered 1 to 39`, { typeNo });
  return { seq: session.append({ type: 'app.type', typeNo, name: type.name.zh }), type };
}

export interface SessionPolicyInputs {
  /** `listPages`: the list pages captured for this policy, read with it (absent: none). */
  policy: { seq: number; event: PolicyEvent; reading: PolicyReading; listPages?: Array<{ seq: number; event: ListPageEvent }> } | null;
  analysis: { seq: number; analysis: ApkAnalysis } | null;
  appType: { seq: number; type: AppType } | null;
}

/**
 * Readings by text hash (with its list pages' hashes): the live checklist re-judges a session every second, the
 * policy text rarely changes. null: the text was refused when read off-thread (past the deadline); it is not read again here.
 */
const readings = new Map<string, PolicyReading | null>();

function readingKey(text: BlobRef, lists: ListPageEvent[]): string {
  return [text.sha256, ...lists.map((l) => l.text.sha256)].join('+');
}

function remember(key: string, reading: PolicyReading | null): void {
  readings.delete(key);
  if (readings.size >= 8) readings.delete(readings.keys().next().value!);
  readings.set(key, reading);
}

/** The texts of a policy and its list pages, bounded together by the policy's cap; null when the policy's text is unreadable. */
function policyTexts(sessionDir: string, text: BlobRef, lists: ListPageEvent[]): { policy: string; lists: string[] } | null {
  const policy = readBlob(sessionDir, text.path, MAX_POLICY_CHARS * 4);
  if (policy === null) return null;
  let total = policy.length;
  const pages: string[] = [];
  for (const l of lists) {
    const page = readBlob(sessionDir, l.text.path, MAX_POLICY_CHARS * 4);
    // An unreadable page, or one past the cap, is left out: the list then reads as the policy alone says.
    if (page === null || total + page.length > MAX_POLICY_CHARS) continue;
    total += page.length;
    pages.push(page);
  }
  return { policy, lists: pages };
}

/**
 * The remembered reading of a session's policy text, else its text read in this thread: the CLI's commands,
 * which serve no one else meanwhile (the workbench prepares it off-thread first, see preparePolicyReading).
 */
function sessionReading(sessionDir: string, text: BlobRef, lists: ListPageEvent[]): PolicyReading | null {
  const key = readingKey(text, lists);
  if (readings.has(key)) return readings.get(key)!;
  const texts = policyTexts(sessionDir, text, lists);
  if (texts === null) return null;
  const reading = readPolicy(texts.policy, { lists: texts.lists });
  remember(key, reading);
  return reading;
}

const inFlight = new Map<string, Promise<void>>();

/** Reads one policy text (with its list pages) in an analysis child and remembers its reading (null when refused); one at a time per text. */
function readOffThread(sessionDir: string, text: BlobRef, lists: ListPageEvent[]): Promise<void> {
  const key = readingKey(text, lists);
  let pending = inFlight.get(key);
  if (!pending) {
    pending = (async () => {
      const texts = policyTexts(sessionDir, text, lists);
      if (texts === null) return;
      const { readPolicyOffThread } = await import('./read-off-thread.js');
      try {
        remember(key, (await readPolicyOffThread({ text: texts.policy, lists: texts.lists, what: 'the session\'s policy' })).reading);
      } catch (err) {
        if (!(err instanceof WorkbenchError) || err.code !== 'policy.refused') throw err;
        remember(key, null);
      }
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

/** A list page event as the workbench writes it (a session folder is untrusted: anything else is left out). */
function wellFormed(e: ListPageEvent): boolean {
  return (e.list === 'collected' || e.list === 'shared') && ['phone', 'file', 'url', 'paste'].includes(e.from) && Number.isInteger(e.policySeq)
    && typeof e.origin === 'string' && typeof e.reference === 'string' && (e.tapped === null || typeof e.tapped === 'string')
    && (e.problem === null || typeof e.problem === 'string') && Array.isArray(e.pages) && typeof e.text?.path === 'string' && BLOB_TEXT.test(e.text.path) && typeof e.text.sha256 === 'string';
}

/** List pages by the policy event they belong to, in timeline order, at most MAX_LIST_PAGES each. */
function listPagesByPolicy(entries: Entry[]): Map<number, Array<{ seq: number; event: ListPageEvent }>> {
  const out = new Map<number, Array<{ seq: number; event: ListPageEvent }>>();
  for (const { seq, event } of entries) {
    if (event.type !== 'policy.list-captured' || !wellFormed(event)) continue;
    const pages = out.get(event.policySeq) ?? [];
    if (pages.length < MAX_LIST_PAGES) pages.push({ seq, event });
    out.set(event.policySeq, pages);
  }
  return out;
}

/**
 * Reads in an analysis child the policy that judging the session will use — its latest policy with a reading,
 * as readSessionPolicyInputs picks it, with its list pages — unless that reading is remembered, so that judging
 * (synchronous, on the workbench's main thread) never reads a policy itself.
 */
export async function preparePolicyReading(sessionDir: string, entries: Entry[]): Promise<void> {
  const lists = listPagesByPolicy(entries);
  for (let i = entries.length - 1; i >= 0; i--) {
    const { seq, event } = entries[i]!;
    if (event.type !== 'policy.captured') continue;
    const pages = (lists.get(seq) ?? []).map((l) => l.event);
    const key = readingKey(event.text, pages);
    if (!readings.has(key)) await readOffThread(sessionDir, event.text, pages);
    if (readings.get(key)) return;
  }
}

const BLOB_TEXT = /^blobs\/[0-9a-f]{64}\.(txt|json)$/;

function readBlob(sessionDir: string, path: string, max: number): string | null {
  if (!BLOB_TEXT.test(path)) return null;
  try {
    return readSessionFile(sessionDir, path, max).toString('utf8');
  } catch {
    // Missing, too large, or not a file of the session (a link): the comparison goes without it.
    return null;
  }
}

export function readSessionPolicyInputs(sessionDir: string, entries: Entry[]): SessionPolicyInputs {
  const out: SessionPolicyInputs = { policy: null, analysis: null, appType: null };
  let lists: ReturnType<typeof listPagesByPolicy> | undefined;
  for (let i = entries.length - 1; i >= 0 && (!out.policy || !out.analysis || !out.appType); i--) {
    const { seq, event } = entries[i]!;
    if (!out.policy && event.type === 'policy.captured') {
      lists ??= listPagesByPolicy(entries);
      const listPages = lists.get(seq) ?? [];
      const reading = sessionReading(sessionDir, event.text, listPages.map((l) => l.event));
      if (reading) out.policy = { seq, event, reading, listPages };
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
