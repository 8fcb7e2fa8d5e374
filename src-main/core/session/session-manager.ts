/**
 * All sessions of a data directory: lists them, starts one per phone (several phones record at once),
 * routes what the workbench observes or does on a phone into that phone's recording session, and drives
 * the phone's monitor (raw logcat into the session) through pause, resume and close. At start it recovers
 * sessions a crash left "recording": the chain is checked, a torn line set aside, and the session paused.
 * A session's id is its folder's name, unique on disk: a copied folder (`cp -r S S-backup`, the same id in
 * its session.json) is listed as its own session marked as a copy, and every action — delete above all —
 * acts on the folder it names and on no other. New folders are made atomically and never collide: two
 * phones that start the same app in the same second get `…-<package>` and `…-<package>-2`.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { DeviceInputEvent, PhoneLink, SessionInfo, SessionMeta, TimelineEntry } from '../../../src-preload/api.js';
import type { MonitorEvent, TesterMark, TimelineEvent } from '../../../src-preload/monitor-events.js';
import { WorkbenchError } from '../errors.js';
import { refuseLongNote } from './note-length.js';
import { readSessionMeta } from './session-meta.js';
import { LOCK_FILE, lockedByOther, Session, TIMELINE_FILE } from './session.js';
import { readSessionFileHead } from './session-files.js';
import { scanTimeline } from './timeline-chain.js';
import { recoverSegments } from '../screen/segment-recovery.js';
import { screenSink } from '../screen/screen-sink.js';

/** Starts and stops the phone's monitor for a session (the workbench's monitors, or the CLI's own). */
export interface SessionMonitors {
  start(serial: string, packageName: string, rawLogPath: string): Promise<void>;
  stop(serial: string): Promise<void>;
}

export interface SessionStart {
  serial: string;
  packageName: string;
  tester: string;
  caseRef: string;
  /** A directory of the caller's choosing (CLI --session-dir); default: a new one under the sessions root. */
  dir?: string;
  /** Record the phone's screen as video (default: on); kept in session.json, so a resume does as the start chose. */
  video?: boolean;
}

export interface SessionManagerOptions {
  root: string;
  tool: { name: string; version: string };
  monitors: SessionMonitors;
  /** Reads the phone and the app's installed version (one or two adb round trips). */
  describe: (serial: string, packageName: string) => Promise<{ device: SessionMeta['device']; app: Partial<SessionMeta['app']> }>;
  onChange?: (info: SessionInfo) => void;
  onProblem?: (sessionId: string, err: Error) => void;
  /**
   * What follows a session's recording (the network capture, the screen recording): each told after the session
   * starts or records again, and before it stops recording (pause, close, the workbench's shutdown) — while it can
   * still write. One follower's failure is recorded and never keeps the others from being told.
   */
  recording?: RecordingFollower | Array<RecordingFollower | null | undefined>;
}

export interface RecordingFollower {
  /** The `session.problem` code its failure is recorded with (default `network-failed`). */
  problemCode?: string;
  /** The session has just started recording (session.start). */
  afterStart?(s: Session): Promise<void>;
  beforeStop(s: Session, why: 'pause' | 'close' | 'shutdown'): Promise<void>;
  afterResume(s: Session): Promise<void>;
}

const MAX_TIMELINE_PAGE = 2000;
/** A consent mark this soon after a tap on the phone is that tap's answer. */
const CONSENT_TAP_MS = 15_000;
const MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024;
/** What a session id (a folder name under the sessions root) may be: what the API accepts. */
const SESSION_ID = /^[\w.-]{1,200}$/;
/** Same-second starts of one app beyond this many are refused rather than searched for ever. */
const MAX_SAME_NAME = 1000;

/** How often a recording session's counts are announced (only when they changed). */
const ANNOUNCE_MS = 1000;

export class SessionManager {
  private open = new Map<string, Session>();
  private announced = new Map<string, number>();
  private announcer: NodeJS.Timeout | null = null;
  /** Each open session's phone connection, from its monitor's disconnect and reconnect events. */
  private links = new Map<string, PhoneLink>();
  /**
   * The state change of each session under way (pause, resume, close): the next waits for it. Two stops at
   * once — a double click, the bar and the Sessions page — are one stop; the second sees it done.
   */
  private changing = new Map<string, Promise<unknown>>();

  constructor(private o: SessionManagerOptions) {}

  /** Sessions a crash left recording: recovered and paused, each reported once. */
  async recoverInterrupted(): Promise<Array<{ id: string; tornBytes: number }>> {
    const recovered: Array<{ id: string; tornBytes: number }> = [];
    for (const dir of this.dirs()) {
      let meta: SessionMeta;
      try {
        meta = readSessionMeta(dir);
      } catch {
        continue;
      }
      if (meta.state !== 'recording' || this.open.has(basename(dir)) || lockedByOther(dir)) continue;
      try {
        const r = await recoverSession(dir);
        recovered.push({ id: basename(dir), tornBytes: r.tornBytes });
      } catch {
        // A broken chain stays as it is; list() reports it.
      }
    }
    return recovered;
  }

  list(): SessionInfo[] {
    const out: SessionInfo[] = [];
    for (const dir of this.dirs()) {
      const id = basename(dir);
      const live = this.open.get(id);
      if (live) {
        out.push(this.info(live));
        continue;
      }
      if (!isSessionId(id)) {
        out.push(brokenInfo(dir, new Error(`The folder name "${id.slice(0, 80)}" cannot name a session: rename the folder using only letters, digits, '.', '-' and '_'`)));
        continue;
      }
      try {
        const meta = readSessionMeta(dir);
        out.push({ ...meta, id, dir, problem: null, copyOf: copyOf(meta, id), phoneLink: null });
      } catch (err) {
        out.push(brokenInfo(dir, err));
      }
    }
    return out.sort((a, b) => b.startedAt - a.startedAt);
  }

  async start(req: SessionStart): Promise<SessionInfo> {
    const busy = this.recordingOn(req.serial);
    if (busy) throw new WorkbenchError('session.busy', `${req.serial} is already recording session ${busy.id}; stop or pause it first`, { serial: req.serial, session: busy.id, reason: 'phone-recording' });
    const { device, app } = await this.o.describe(req.serial, req.packageName);
    const startedAt = Date.now();
    let dir: string;
    if (req.dir) {
      dir = resolve(req.dir);
      if (existsSync(join(dir, 'session.json'))) throw new WorkbenchError('session.busy', `${dir} already holds a session; choose another directory`, { dir, reason: 'folder-holds-session' });
    } else dir = this.newFolder(`${stamp(startedAt)}-${req.packageName}`);
    const id = basename(dir);
    const session = Session.create(dir, {
      id: safeId(id), app: { packageName: req.packageName, versionName: null, versionCode: null, apkSha256: null, ...app }, device,
      tester: req.tester, caseRef: req.caseRef, startedAt, tool: this.o.tool, ...(req.video === false ? { video: false } : {}),
    }, (err) => this.o.onProblem?.(id, err));
    this.open.set(id, session);
    session.append({ type: 'session.started', reason: null }, { deviceTime: device.clockOffsetMs === null ? null : startedAt + device.clockOffsetMs });
    try {
      await this.o.monitors.start(req.serial, req.packageName, session.rawLogPath);
    } catch (err) {
      session.append({ type: 'session.problem', code: 'monitor-failed', message: err instanceof Error ? err.message : String(err) });
      await session.setState('paused', 'the phone could not be monitored');
      this.changed(session);
      throw err;
    }
    await this.follow(session, (f) => f.afterStart?.(session) ?? Promise.resolve());
    this.changed(session);
    return this.info(session);
  }

  pause(id: string): Promise<SessionInfo> {
    return this.serially(id, async () => {
      const s = this.require(id);
      if (s.meta.state === 'recording') {
        await this.follow(s, (f) => f.beforeStop(s, 'pause'));
        await this.o.monitors.stop(s.meta.device.serial);
        await s.setState('paused', null);
        this.changed(s);
      }
      return this.info(s);
    });
  }

  resume(id: string): Promise<SessionInfo> {
    return this.serially(id, async () => {
      const s = this.require(id);
      if (s.meta.state === 'closed') throw new WorkbenchError('session.not-recording', 'A closed session cannot record again; start a new session', { id, reason: 'closed-for-good' });
      if (s.meta.state === 'paused') {
        const busy = this.recordingOn(s.meta.device.serial);
        if (busy) throw new WorkbenchError('session.busy', `${s.meta.device.serial} is recording session ${busy.id}`, { serial: s.meta.device.serial, session: busy.id, reason: 'phone-recording' });
        await this.o.monitors.start(s.meta.device.serial, s.meta.app.packageName, s.rawLogPath);
        // A new monitor has just reached the phone: whatever absence was open ended with the pause.
        const link = this.links.get(id);
        if (link) link.lostAt = null;
        await s.setState('recording', null);
        await this.follow(s, (f) => f.afterResume(s));
        this.changed(s);
      }
      return this.info(s);
    });
  }

  /**
   * Stops the session. Idempotent: a session already stopped is answered with its stopped state, and a stop
   * while another is under way waits for it and gets the same answer — never an error, never a second close.
   */
  close(id: string): Promise<SessionInfo> {
    return this.serially(id, async () => {
      const closed = this.open.has(id) ? null : this.closedOnDisk(id);
      if (closed) return closed;
      const s = this.require(id);
      if (s.meta.state === 'recording') {
        await this.follow(s, (f) => f.beforeStop(s, 'close'));
        await this.o.monitors.stop(s.meta.device.serial);
      }
      await s.setState('closed', null);
      await s.release();
      this.open.delete(id);
      this.links.delete(id);
      this.changed(s);
      return this.info(s);
    });
  }

  /** Tells each follower in turn; a failure is the session's problem (recorded), never a reason not to pause or stop. */
  private async follow(s: Session, tell: (f: RecordingFollower) => Promise<void>): Promise<void> {
    const followers = Array.isArray(this.o.recording) ? this.o.recording : [this.o.recording];
    for (const f of followers) {
      if (!f) continue;
      try {
        await tell(f);
      } catch (err) {
        s.append({ type: 'session.problem', code: f.problemCode ?? 'network-failed', message: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  /** Runs `change` after the change of session `id` under way, if any (its failure is that caller's, not ours). */
  private serially<T>(id: string, change: () => Promise<T>): Promise<T> {
    const before = this.changing.get(id) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(change);
    const settled = run.catch(() => undefined);
    this.changing.set(id, settled);
    void settled.then(() => {
      if (this.changing.get(id) === settled) this.changing.delete(id);
    });
    return run;
  }

  /** A session on disk that is stopped, as listed; null when it is not (or not a session: require() says why). */
  private closedOnDisk(id: string): SessionInfo | null {
    let meta: SessionMeta;
    try {
      meta = readSessionMeta(this.dirOf(id));
    } catch {
      return null;
    }
    return meta.state === 'closed' ? { ...meta, id, dir: this.dirOf(id), problem: null, copyOf: copyOf(meta, id), phoneLink: null } : null;
  }

  async delete(id: string): Promise<void> {
    const dir = this.dirOf(id);
    const s = this.open.get(id);
    if (s?.meta.state === 'recording') throw new WorkbenchError('session.busy', 'Stop the session before deleting it', { id, reason: 'recording-delete' });
    if (s) {
      await s.release();
      this.open.delete(id);
      this.links.delete(id);
    }
    rmSync(dir, { recursive: true, force: true });
  }

  /** Flushes and releases every open session (workbench shutdown): recording ones are paused. */
  async closeAll(): Promise<void> {
    if (this.announcer) clearInterval(this.announcer);
    this.announcer = null;
    for (const s of [...this.open.values()]) {
      if (s.meta.state === 'recording') {
        await this.follow(s, (f) => f.beforeStop(s, 'shutdown'));
        await this.o.monitors.stop(s.meta.device.serial).catch(() => undefined);
        await s.setState('paused', 'the workbench stopped');
      }
      await s.release();
    }
    this.open.clear();
    this.links.clear();
  }

  /**
   * A tester mark. The privacy dialog is answered by a tap on the phone and marked a moment later: a consent
   * mark takes the time of the tap when there was one in the last 15 s, so what the app did in reply to the
   * tap is not counted as before the answer.
   */
  /** Taps on their way to a phone: a consent mark waits for them, so it finds the tap that answered. */
  private inputsInFlight = new Map<string, { count: number; waiters: Array<() => void> }>();

  /** Called when an input for `serial` is received; the returned function when it is recorded. */
  beginInput(serial: string): () => void {
    const entry = this.inputsInFlight.get(serial) ?? { count: 0, waiters: [] };
    entry.count++;
    this.inputsInFlight.set(serial, entry);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--entry.count > 0) return;
      this.inputsInFlight.delete(serial);
      for (const w of entry.waiters.splice(0)) w();
    };
  }

  private inputsSettled(serial: string, timeoutMs = 3000): Promise<void> {
    const entry = this.inputsInFlight.get(serial);
    if (!entry) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      entry.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async mark(id: string, mark: TesterMark, label: string | null): Promise<number> {
    const phone = this.open.get(id)?.meta.device.serial;
    if (phone && mark.startsWith('consent.')) await this.inputsSettled(phone);
    const s = this.open.get(id);
    const tap = s?.lastInput;
    if (s && tap && mark.startsWith('consent.') && Date.now() - tap.hostTime < CONSENT_TAP_MS) {
      return this.writable(id).append({ type: 'tester.mark', mark, label: `${label ? `${label}; ` : ''}at the tap #${tap.seq}` }, { source: 'tester', hostTime: tap.hostTime - 1, deviceTime: tap.deviceTime === null ? null : tap.deviceTime - 1 });
    }
    return this.writable(id).append({ type: 'tester.mark', mark, label }, { source: 'tester' });
  }

  note(id: string, text: string): number {
    refuseLongNote(text);
    return this.writable(id).append({ type: 'tester.note', text });
  }

  /** Keeps a file the tester hands over in the session (by hash) and records it. */
  attach(id: string, file: { path: string; fileName: string; size: number }): { seq: number; sha256: string } {
    const s = this.open.get(id);
    if (!s || s.meta.state === 'closed') throw new WorkbenchError('session.not-recording', `Session ${id} is not open; resume it first`, { id, reason: 'not-open' });
    if (file.size > MAX_ATTACHMENT_BYTES) throw new WorkbenchError('bridge.invalid-arguments', `${file.fileName} is larger than 64 MiB; attach a smaller excerpt`, { field: 'fileId', problem: 'larger than 64 MiB' });
    const { blob, seq } = s.capture('attachment', readFileSync(file.path), 'application/octet-stream', file.fileName);
    return { seq, sha256: blob.sha256 };
  }

  /** A page of a session's timeline (from disk; what is still queued is flushed first). */
  async timeline(id: string, afterSeq: number, limit: number): Promise<{ entries: TimelineEntry[]; count: number }> {
    const s = this.open.get(id);
    await s?.writer.flush();
    const dir = this.dirOf(id);
    const entries: TimelineEntry[] = [];
    const max = Math.min(limit, MAX_TIMELINE_PAGE);
    const scan = scanTimeline(join(dir, TIMELINE_FILE), (line, seq) => {
      if (seq <= afterSeq || entries.length >= max) return;
      try {
        entries.push({ seq, event: (JSON.parse(line.toString('utf8')) as { event: TimelineEvent }).event });
      } catch {
        // A line that is not JSON breaks the chain check elsewhere; the page shows the rest.
      }
    });
    return { entries, count: scan.count };
  }

  /** The first bytes of one of the session's blobs (a body the proxy kept), read only inside its folder. */
  blobHead(id: string, path: string, maxBytes: number): { bytes: Buffer; size: number } {
    // The path comes from the timeline, a file anyone could edit: only blobs/<name>, read as session-files reads.
    if (!/^blobs\/[\w.-]{1,255}$/.test(path)) throw new WorkbenchError('session.file-refused', `${path.slice(0, 300)}: not a file under blobs/`, { path: path.slice(0, 300), reason: 'outside' });
    return readSessionFileHead(this.dirOf(id), path, maxBytes);
  }

  recordingSessions(): Session[] {
    return [...this.open.values()].filter((s) => s.meta.state === 'recording');
  }

  /** The session recording on this phone, if any. */
  recordingOn(serial: string): Session | null {
    for (const s of this.open.values()) if (s.meta.state === 'recording' && s.meta.device.serial === serial) return s;
    return null;
  }

  /**
   * Everything a monitor observed on a phone goes into that phone's recording session. The phone lost and back
   * (the monitor's own events, recorded like the rest) also change the session's phone link, announced at once:
   * the bar says the phone is gone within the moment the monitor saw it, not at the next count.
   */
  onMonitorEvent(e: MonitorEvent): void {
    const s = this.recordingOn(e.serial);
    if (!s) return;
    s.appendObserved(e);
    if (e.type !== 'device.disconnected' && e.type !== 'device.reconnected') return;
    const link = this.linkOf(s.id);
    if (e.type === 'device.disconnected') {
      if (link.lostAt === null) link.losses++;
      link.lostAt ??= e.hostTime;
    } else {
      if (link.lostAt !== null) link.interruptedMs += e.gapMs ?? Math.max(0, e.hostTime - link.lostAt);
      link.lostAt = null;
    }
    this.changed(s);
  }

  private linkOf(id: string): PhoneLink {
    let link = this.links.get(id);
    if (!link) this.links.set(id, (link = { lostAt: null, interruptedMs: 0, losses: 0 }));
    return link;
  }

  onDeviceInput(e: DeviceInputEvent): void {
    this.recordingOn(e.serial)?.append({ type: 'tester.input', action: e.action }, { source: 'tester', hostTime: e.hostTime, deviceTime: e.deviceTime });
  }

  /** Records a workbench action or capture on `serial` when a session records there; returns its seq. */
  onDevice<T>(serial: string, fn: (s: Session) => T): T | null {
    const s = this.recordingOn(serial);
    return s ? fn(s) : null;
  }

  get(id: string): Session | null {
    return this.open.get(id) ?? null;
  }

  /** The folder of session `id` (a folder name under the root, never a link), for every action on it. */
  dirOf(id: string): string {
    const live = this.open.get(id);
    if (live) return live.dir;
    if (!isSessionId(id)) throw new WorkbenchError('session.not-found', `No session ${id.slice(0, 80)}`, { id: id.slice(0, 80) });
    const dir = join(this.o.root, id);
    if (!isFolder(dir) || !existsSync(join(dir, 'session.json'))) throw new WorkbenchError('session.not-found', `No session ${id}`, { id });
    return dir;
  }

  info(s: Session): SessionInfo {
    return { ...structuredClone(s.meta), id: s.id, timeline: { count: s.writer.count, head: s.writer.head }, dir: s.dir, problem: null, copyOf: copyOf(s.meta, s.id), phoneLink: s.meta.state === 'closed' ? null : { ...this.linkOf(s.id) } };
  }

  /** A new folder under the root named `base`, or `base-2`, `base-3` … when taken: made atomically, so two starts never share one. */
  private newFolder(base: string): string {
    mkdirSync(this.o.root, { recursive: true, mode: 0o700 });
    for (let n = 1; n <= MAX_SAME_NAME; n++) {
      const dir = join(this.o.root, n === 1 ? base : `${base}-${n}`);
      try {
        mkdirSync(dir, { mode: 0o700 });
        return dir;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    throw new WorkbenchError('session.busy', `${MAX_SAME_NAME} sessions named ${base} already exist; wait a second and start again`, { dir: base, max: MAX_SAME_NAME, reason: 'same-name-full' });
  }

  /** The open session `id`, to record what the tester does in it (refused when it is closed or not open). */
  private writable(id: string): Session {
    const s = this.open.get(id);
    if (!s || s.meta.state === 'closed') throw new WorkbenchError('session.not-recording', `Session ${id} is not open; resume it first`, { id, reason: 'not-open' });
    return s;
  }

  /** An open session, or a paused/recording one on disk opened now (after a restart). */
  private require(id: string): Session {
    const live = this.open.get(id);
    if (live) return live;
    const dir = this.dirOf(id);
    const meta = readSessionMeta(dir);
    if (meta.state === 'closed') throw new WorkbenchError('session.not-recording', `Session ${id} is closed`, { id, reason: 'closed-for-good' });
    if (lockedByOther(dir)) throw new WorkbenchError('session.busy', `Another process is recording session ${id}`, { id, reason: 'recorded-elsewhere' });
    const s = Session.open(dir, (err) => this.o.onProblem?.(id, err));
    this.open.set(s.id, s);
    return s;
  }

  private changed(s: Session): void {
    this.announced.set(s.id, s.writer.count);
    this.o.onChange?.(this.info(s));
    // While anything records, its event count reaches the UI once a second.
    if (!this.o.onChange) return;
    const recording = this.recordingSessions().length > 0;
    if (recording && !this.announcer) {
      this.announcer = setInterval(() => {
        for (const r of this.recordingSessions()) if (this.announced.get(r.id) !== r.writer.count) this.changed(r);
      }, ANNOUNCE_MS);
      this.announcer.unref();
    } else if (!recording && this.announcer) {
      clearInterval(this.announcer);
      this.announcer = null;
    }
  }

  private dirs(): string[] {
    if (!existsSync(this.o.root)) return [];
    return readdirSync(this.o.root, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(this.o.root, d.name, 'session.json'))).map((d) => join(this.o.root, d.name));
  }
}

/**
 * A session left "recording" by a process that died (kill -9, power loss): the chain is checked, a torn last
 * line set aside and reported in the timeline, and the session paused so it can be resumed or exported.
 */
export async function recoverSession(dir: string): Promise<{ tornBytes: number; tornFile: string | null; recovered: boolean }> {
  const meta = readSessionMeta(dir);
  if (meta.state !== 'recording' || lockedByOther(dir)) return { tornBytes: 0, tornFile: null, recovered: false };
  const s = Session.open(dir);
  // Segments the killed process wrote but did not name yet (and the group of pictures in their journals).
  await recoverSegments(dir, join(dir, TIMELINE_FILE), screenSink(s).append);
  s.append({ type: 'session.paused', reason: 'the recording process stopped without closing the session; recovered' });
  s.meta.state = 'paused';
  rmSync(join(dir, LOCK_FILE), { force: true });
  await s.release();
  return { tornBytes: s.writer.recovery?.tornBytes ?? 0, tornFile: s.writer.recovery?.tornFile ?? null, recovered: true };
}

function brokenInfo(dir: string, err: unknown): SessionInfo {
  const id = dir.split(/[\\/]/).pop()!;
  return {
    schemaVersion: 1, id, state: 'closed', app: { packageName: '', versionName: null, versionCode: null, apkSha256: null },
    device: { serial: '', model: null, manufacturer: null, fingerprint: null, androidVersion: null, sdk: null, clockOffsetMs: null },
    tester: '', caseRef: '', startedAt: 0, endedAt: null, tool: { name: '', version: '' }, timeline: { count: 0, head: '0'.repeat(64) },
    recoveries: [], dir, problem: err instanceof Error ? err.message : String(err), copyOf: null, phoneLink: null,
  };
}

function isSessionId(id: string): boolean {
  return SESSION_ID.test(id) && id !== '.' && id !== '..';
}

/** A real folder: a link in the sessions root is not a session of this workbench and is never acted on. */
function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** session.json's id when the folder has another name (a copy or a renamed folder), else null. */
function copyOf(meta: SessionMeta, folderName: string): string | null {
  return meta.id === folderName || meta.id === safeId(folderName) ? null : meta.id;
}

function stamp(t: number): string {
  return new Date(t).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function safeId(name: string): string {
  return name.replace(/[^\w.-]/g, '_').slice(0, 200) || 'session';
}
