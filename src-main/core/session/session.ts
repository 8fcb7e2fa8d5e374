/**
 * One session on disk, open for writing: its directory (session.json, timeline.jsonl, logcat.log, blobs/),
 * the chained timeline writer and its metadata. Everything the session records goes through append() or
 * capture(), so every event gets a timeline seq and every file a content hash.
 */
import { closeSync, lstatSync, mkdirSync, rmSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SessionMeta, SessionState } from '../../../src-preload/api.js';
import type { Actor, BlobRef, CaptureKind, EventBase, SessionEventBody, TimelineEvent } from '../../../src-preload/monitor-events.js';
import { openNoFollow } from '../no-follow.js';
import { clearDeadProcessFiles } from '../dead-process-files.js';
import { BLOB_DIR, putBlob } from './blob-store.js';
import { readSessionFile } from './session-files.js';
import { readSessionMeta, SESSION_FILE, writeSessionMeta } from './session-meta.js';
import { TimelineWriter } from './timeline-writer.js';

export const TIMELINE_FILE = 'timeline.jsonl';
export const RAW_LOG_FILE = 'logcat.log';
/** Present while a process records into the session: its pid. */
export const LOCK_FILE = 'recording.lock';

/** True when another live process is recording into `dir`. */
export function lockedByOther(dir: string): boolean {
  let pid: number;
  try {
    pid = Number(readSessionFile(dir, LOCK_FILE, 64).toString('utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process's pid in the lock, written as a new file (a lock that is a link is replaced, never written through). */
function writeLock(dir: string): void {
  const { fd } = openNoFollow(join(dir, LOCK_FILE), 'fresh');
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
}

/** The events done by someone on the phone or in the session: marks and inputs, whose actor is always given. */
type ActedBody = Extract<SessionEventBody, { type: 'tester.mark' | 'tester.input' }>;

export class Session {
  private constructor(readonly dir: string, public meta: SessionMeta, readonly writer: TimelineWriter) {}

  /** A new session in `dir` (created; must not hold a session yet). */
  static create(dir: string, meta: Omit<SessionMeta, 'timeline' | 'recoveries' | 'state' | 'endedAt' | 'schemaVersion'>, onError?: (err: Error) => void): Session {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const full: SessionMeta = { schemaVersion: 1, ...meta, state: 'recording', endedAt: null, timeline: { count: 0, head: '0'.repeat(64) }, recoveries: [] };
    const session = new Session(dir, full, new TimelineWriter(join(dir, TIMELINE_FILE), onError));
    writeSessionMeta(dir, full);
    writeLock(dir);
    return session;
  }

  /** Opens an existing session to append; a torn last line is set aside and recorded as a recovery. */
  static open(dir: string, onError?: (err: Error) => void): Session {
    const meta = readSessionMeta(dir);
    // Temp files of rewrites (session.json, blobs) that a process killed mid-write left behind.
    clearDeadProcessFiles(dir, { temps: [SESSION_FILE] });
    // Not through a link: a folder from elsewhere may make blobs/ point anywhere.
    if (lstatSync(join(dir, BLOB_DIR), { throwIfNoEntry: false })?.isDirectory()) clearDeadProcessFiles(join(dir, BLOB_DIR), { temps: 'any' });
    const session = new Session(dir, meta, new TimelineWriter(join(dir, TIMELINE_FILE), onError));
    const r = session.writer.recovery;
    if (r) {
      meta.recoveries.push({ at: Date.now(), tornBytes: r.tornBytes, tornFile: r.tornFile });
      session.append({ type: 'session.recovered', tornBytes: r.tornBytes, tornFile: r.tornFile });
    }
    session.saveMeta();
    return session;
  }

  /** The session's id in the workbench: its folder's name (a copied folder is another session, whatever its session.json says). */
  get id(): string {
    return basename(this.dir);
  }

  get rawLogPath(): string {
    return join(this.dir, RAW_LOG_FILE);
  }

  /** Who hears each event as it is appended (the live checklist), with its timeline seq. */
  readonly appended = new Set<(seq: number, event: TimelineEvent) => void>();

  /**
   * The tester's own last input on the phone (a consent mark the tester sets takes its time: the tap came
   * first). The workbench's automated taps and swipes are not the tester's answer and never count here.
   */
  lastInput: { seq: number; hostTime: number; deviceTime: number | null } | null = null;

  private add(event: TimelineEvent): number {
    const seq = this.writer.append(event);
    if (event.type === 'tester.input' && event.source === 'tester') this.lastInput = { seq, hostTime: event.hostTime, deviceTime: event.deviceTime };
    for (const listener of this.appended) listener(seq, event);
    return seq;
  }

  /**
   * Records a session-side event (tester, workbench, lifecycle) and returns its timeline seq. A mark or an
   * input says who did it: the caller names the actor (the type checker insists), since the same mark or tap
   * is the tester's from the UI and the workbench's from its automation, and the record must not guess.
   */
  append(body: ActedBody, base: Partial<EventBase> & { source: Actor }): number;
  append(body: Exclude<SessionEventBody, ActedBody>, base?: Partial<EventBase>): number;
  append(body: SessionEventBody, base: Partial<EventBase> = {}): number {
    const source = body.type.startsWith('session.') ? 'session' : body.type === 'tester.note' ? 'tester' : 'workbench';
    const event = {
      seq: this.writer.count + 1, serial: this.meta.device.serial, packageName: this.meta.app.packageName,
      hostTime: Date.now(), deviceTime: null, source, raw: [], ...base, ...body,
    } as TimelineEvent;
    return this.add(event);
  }

  /** Records an install the workbench did: pm's output kept by hash; the session's app gains its APK hash. */
  recordInstall(result: import('../../../src-preload/api.js').InstallResult, apkSha256: string | null, fileName: string): number {
    const output = this.capture('install.output', Buffer.from(result.output), 'text/plain', fileName).blob;
    const seq = this.append({ type: 'app.installed', ok: result.ok, installedPackage: result.packageName, failureCode: result.ok ? null : result.failure.code, apkSha256, output });
    if (result.ok && result.packageName === this.meta.app.packageName && apkSha256) {
      this.meta.app.apkSha256 = apkSha256;
      this.saveMeta();
    }
    return seq;
  }

  /** Records an event as observed elsewhere (a monitor), unchanged. */
  appendObserved(event: TimelineEvent): number {
    return this.add(event);
  }

  /** Keeps a file by content hash and records its capture. */
  capture(kind: CaptureKind, bytes: Buffer, mediaType: string, name: string | null, base: Partial<EventBase> = {}): { blob: BlobRef; seq: number } {
    const blob = putBlob(this.dir, bytes, mediaType);
    return { blob, seq: this.append({ type: 'capture', kind, blob, name }, base) };
  }

  async setState(state: SessionState, reason: string | null): Promise<void> {
    if (state === 'recording') writeLock(this.dir);
    else rmSync(join(this.dir, LOCK_FILE), { force: true });
    if (this.meta.state === state) return;
    const type = state === 'closed' ? 'session.closed' : state === 'paused' ? 'session.paused' : 'session.resumed';
    this.append({ type, reason });
    this.meta.state = state;
    if (state === 'closed') this.meta.endedAt = Date.now();
    await this.writer.flush();
    this.saveMeta();
  }

  saveMeta(): void {
    this.meta.timeline = { count: this.writer.count, head: this.writer.head };
    writeSessionMeta(this.dir, this.meta);
  }

  async release(): Promise<void> {
    await this.writer.close();
    this.saveMeta();
  }
}
