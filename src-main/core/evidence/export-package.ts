/**
 * Exports a session as a signed evidence package: a streaming zip (yazl) of session.json, the timeline as of
 * the export, the raw device log and every blob, each hashed (SHA-256, and SM3 with the national algorithms)
 * while it streams, then report.html, VERIFY.txt, SHA256SUMS, manifest.json, its CMS signature, the signer's
 * certificates and, when asked, an SM2 signature and an RFC 3161 timestamp. Memory stays bounded whatever
 * the session's size. The package is written to <out>.apprights-<pid>.partial and renamed when whole; a
 * failure removes it and never touches the session, and a process killed mid-export leaves that one file,
 * which the next export into the same folder removes (dead-process-files.ts). The screen recording's segments
 * (video/seg-*.mp4, named by the timeline's screen.segment events) are streamed in stored, never deflated or held
 * in memory, and each must still hash to what its event recorded or the export stops; `video: false` leaves them
 * out (the timeline still names them by hash). Every file of the session is read
 * through session-files.ts, confined to the folder: a path that leads out, a link or anything but a regular
 * file is left out and named in the result and in the report, never read.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, readSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { ZipFile } from 'yazl';
import type { ExportProgress } from '../../../src-preload/api.js';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import { clearDeadProcessFiles, partialName } from '../dead-process-files.js';
import { WorkbenchError } from '../errors.js';
import { readSessionMeta } from '../session/session-meta.js';
import { RAW_LOG_FILE, TIMELINE_FILE } from '../session/session.js';
import { RawLog } from '../monitor/raw-log.js';
import { openSessionFile, readSessionFile, refusalOf, refusalText, sessionFolderNames, type RefusedFile } from '../session/session-files.js';
import { scanTimeline } from '../session/timeline-chain.js';
import { readCertificate } from './certificate.js';
import { signDetached } from './cms.js';
import type { UnlockedIdentity } from './identity-store.js';
import { MANIFEST, SIGNATURE, SIGNER_CERTS, SM2_PUBLIC_KEY, SM2_SIGNATURE, SUMS, TIMESTAMP, sha256sums, type FileCategory, type Manifest, type ManifestFile } from './manifest.js';
import { MAX_REPORT_EVENTS, MAX_REPORT_GAPS, renderReport, type ReportChecklist, type SignOff } from './report-html.js';
import { buildHar, HAR_FILE } from './har.js';
import { EVIDENCE_LIMITS, FlowLedger, wantsLine } from '../../../src-preload/network-flows.js';
import { sm2PublicKeyPem, sm2Sign } from './sm2.js';
import { requestTimestamp } from './timestamp.js';
import { verifyInstructions } from './verify-instructions.js';
import { useNativeZipCrc } from './zip-crc.js';
import { toPem } from './x509.js';
import { isScreenLine, segmentChanged, VIDEO_FORMAT, VideoIndex, type VideoSegment } from './video-segments.js';

export interface ExportRequest {
  sessionDir: string;
  out: string;
  identity: UnlockedIdentity;
  national: boolean;
  /** Deflate text files (a smaller package, about a third of the speed); default: store every file. */
  compress?: boolean;
  tsaUrl: string | null;
  /** The TSA may be at a local or private address: the workbench host's setting, never a browser's. */
  allowLocalTsa?: boolean;
  tool: { name: string; version: string };
  /** Carries the screen recording's segments (default); false leaves them out and the report says so. */
  video?: boolean;
  /** Names for the report's sign-off block (the tester defaults to the session's). */
  signOff?: SignOff;
  /** The session judged by a checklist: findings.json, findings.xlsx and the report's verdict table. */
  checklist?: ReportChecklist & { xlsx: Buffer };
  onProgress?: (p: Omit<ExportProgress, 'sessionId'>) => void;
}

export interface ExportOutcome {
  path: string;
  size: number;
  manifestSha256: string;
  timestamped: boolean;
  warnings: string[];
  /** Files of the session left out of the package, and why (also listed in report.html). */
  refused: RefusedFile[];
}

interface Payload {
  /** Where the file is in the session folder, and in the package. */
  path: string;
  size: number;
  category: FileCategory;
  format: string;
  /** Deflate level when the user asks for compression: 0 stores (PNG and binaries do not compress), 1 for text. */
  level: number;
  /** A segment of the screen recording: its bytes must hash to what the timeline recorded. */
  segment?: VideoSegment;
}

/** Screenshots inlined in report.html (the rest are linked files of the package), bounded in count and bytes. */
const MAX_THUMBNAILS = 60;
const MAX_THUMBNAIL_BYTES = 1_500_000;
const MAX_INLINE_BYTES = 24_000_000;
/** Refused files named one by one in the result (all of them are in the report). */
const MAX_REFUSED_WARNINGS = 20;

const TEXT = 1;
const STORE = 0;

const BLOB_FORMATS: Record<string, { category: FileCategory; format: string; level: number }> = {
  png: { category: 'screenshot', format: 'PNG image', level: STORE },
  json: { category: 'apk-analysis', format: 'JSON', level: TEXT },
  xml: { category: 'ui-dump', format: 'XML', level: TEXT },
  txt: { category: 'install-output', format: 'text/plain; charset=utf-8', level: TEXT },
  bin: { category: 'attachment', format: 'application/octet-stream', level: STORE },
};

/**
 * A package signed outside its certificate's validity could never verify (the verifier checks the signer at
 * the signing time it claims): refuse before any work, naming the clock, which is the usual culprit.
 */
function signerValidNow(der: Buffer): void {
  const { notBefore: from, notAfter: to } = readCertificate(der);
  const now = new Date();
  if (now >= from && now <= to) return;
  const message = `The signing certificate is valid from ${from.toISOString()} to ${to.toISOString()}, but this computer's clock says ${now.toISOString()}: correct the clock, or use another signing identity`;
  throw new WorkbenchError('evidence.export-failed', message, { message, validFrom: from.toISOString(), validTo: to.toISOString(), now: now.toISOString() });
}

export async function exportPackage(req: ExportRequest): Promise<ExportOutcome> {
  useNativeZipCrc();
  signerValidNow(req.identity.chain[0]!);
  const meta = readSessionMeta(req.sessionDir);
  const timelinePath = join(req.sessionDir, TIMELINE_FILE);
  // The package holds the session as of now: sizes are fixed here, so a session still recording can be exported.
  const timelineBytes = essentialSize(req.sessionDir, TIMELINE_FILE);
  const events: Array<{ seq: number; event: TimelineEvent }> = [];
  const shots: Array<{ path: string; seq: number; hostTime: number }> = [];
  const captureKinds = new Map<string, FileCategory>();
  let tail = 0;
  let unreadable: number | null = null;
  /** Every gap in the log, also past the events the report lists: the report names each. */
  const gaps: Array<{ seq: number; event: TimelineEvent }> = [];
  /** What left the phone (network.har and the report's destinations), gathered in the same pass. */
  const flows = new FlowLedger(EVIDENCE_LIMITS);
  /** The screen recording's segments and gaps, also past the events the report lists. */
  const video = new VideoIndex();
  const scan = scanTimeline(timelinePath, (line, seq) => {
    const wanted = events.length < MAX_REPORT_EVENTS;
    const gap = line.includes('"type":"log.gap"');
    const network = wantsLine(line);
    const screen = isScreenLine(line);
    if (!wanted && !gap && !network && !screen && !line.includes('"type":"capture"')) {
      tail++;
      return;
    }
    let event: TimelineEvent;
    try {
      event = (JSON.parse(line.toString('utf8')) as { event: TimelineEvent }).event;
    } catch {
      unreadable ??= seq;
      return;
    }
    if (network) flows.add(seq, event, line.length);
    if (event.type === 'capture') {
      captureKinds.set(event.blob.path, categoryOfCapture(event.kind));
      if (event.kind === 'screenshot' && shots.length < MAX_THUMBNAILS) shots.push({ path: event.blob.path, seq, hostTime: event.hostTime });
    }
    if (event.type === 'log.gap' && gaps.length < MAX_REPORT_GAPS) gaps.push({ seq, event });
    if (screen) video.add(seq, event);
    if (wanted) events.push({ seq, event });
    else tail++;
  }, timelineBytes);
  // The bodies the proxy kept are network evidence in the data list, whatever their extension says.
  for (const flow of flows.connections) {
    for (const x of flow.requests) for (const b of [x.requestBody, x.responseBody]) if (b?.blob && !captureKinds.has(b.blob.path)) captureKinds.set(b.blob.path, 'network');
  }
  if (unreadable !== null && !scan.broken) scan.broken = { line: unreadable, reason: 'not-json', detail: 'not JSON' };
  if (scan.broken) throw new WorkbenchError('session.corrupt', `The timeline breaks at line ${scan.broken.line} (${scan.broken.detail}); it was changed outside the workbench and cannot be exported as evidence`, { line: scan.broken.line });

  const refused = new Map<string, RefusedFile>();
  const payloads: Payload[] = [
    { path: 'session.json', size: essentialSize(req.sessionDir, 'session.json'), category: 'session-metadata', format: 'JSON', level: TEXT },
    { path: TIMELINE_FILE, size: scan.goodBytes, category: 'timeline', format: 'JSON Lines (hash-chained)', level: TEXT },
  ];
  /** Adds a file of the session when it may be read (a regular file inside the folder), else names it as refused. */
  const plan = (path: string, kind: Omit<Payload, 'path' | 'size'>): void => {
    try {
      payloads.push({ path, size: sizeOf(req.sessionDir, path), ...kind });
    } catch (err) {
      const r = refusalOf(err);
      if (!r) throw err;
      refused.set(r.path, r);
    }
  };
  // The raw log and its rotated parts (logcat.log.1 is the oldest).
  for (const file of RawLog.files(join(req.sessionDir, RAW_LOG_FILE))) plan(basename(file), { category: 'device-log', format: 'logcat -v threadtime -v year -v UTC', level: TEXT });
  let blobNames: string[] = [];
  try {
    blobNames = sessionFolderNames(req.sessionDir, 'blobs');
  } catch (err) {
    const r = refusalOf(err);
    if (!r) throw err;
    refused.set(r.path, r);
  }
  for (const name of blobNames.filter((n) => /^[0-9a-f]{64}\.[a-z]{2,4}$/.test(n)).sort()) {
    const ext = name.split('.').pop()!;
    const kind = BLOB_FORMATS[ext] ?? BLOB_FORMATS.bin!;
    const path = `blobs/${name}`;
    plan(path, { ...kind, category: captureKinds.get(path) ?? kind.category });
  }
  // The recording's segments, in the order they were recorded, stored (H.264 does not deflate).
  const withVideo = req.video !== false;
  if (withVideo) {
    for (const segment of video.segments) plan(segment.event.file, { category: 'video', format: VIDEO_FORMAT, level: STORE, segment });
  }
  /** Path → size of every file of the session that goes into the package. */
  const included = new Map(payloads.map((p) => [p.path, p.size]));
  // A screenshot the timeline names is inlined only when its file is in the package: a path that leads out
  // of the folder, a link or a missing file is named as refused instead.
  for (const s of shots) {
    if (included.has(s.path) || refused.has(s.path)) continue;
    try {
      sizeOf(req.sessionDir, s.path);
      refused.set(s.path, { path: s.path, reason: 'missing' });
    } catch (err) {
      const r = refusalOf(err);
      if (!r) throw err;
      refused.set(r.path, r);
    }
  }

  const total = payloads.reduce((n, p) => n + p.size, 0);
  let done = 0;
  let lastReport = 0;
  const progress = (phase: ExportProgress['phase'], force = false): void => {
    const now = Date.now();
    if (!force && now - lastReport < 100) return;
    lastReport = now;
    req.onProgress?.({ phase, bytes: done, total });
  };

  clearDeadProcessFiles(dirname(req.out), { partials: true });
  const partial = partialName(req.out);
  const zip = new ZipFile();
  const output = createWriteStream(partial, { mode: 0o600, highWaterMark: 4 << 20 });
  const written = new Promise<void>((resolve, reject) => {
    output.on('close', resolve);
    output.on('error', reject);
    zip.outputStream.on('error', reject);
  });
  zip.outputStream.pipe(output);
  // A start time from a hand-edited or hostile session.json that no Date can hold must not stop the export.
  const mtime = Number.isNaN(new Date(meta.startedAt).getTime()) ? new Date() : new Date(meta.startedAt);

  try {
    const files: ManifestFile[] = [];
    const added = { bytes: 0 };
    for (const p of payloads) {
      // A segment's size is checked before its bytes are read: a cut or grown file fails at once.
      if (p.segment && p.segment.event.size !== p.size) throw segmentChanged(p.segment, { size: p.size });
      const entry = { ...p, level: req.compress ? p.level : STORE };
      const onBytes = (n: number): void => {
        done += n;
        progress('hashing');
      };
      const hashed = p.size <= SMALL_FILE
        ? await addSmall(zip, req.sessionDir, entry, req.national, mtime, onBytes, added, output, written)
        : await addHashed(zip, req.sessionDir, entry, req.national, mtime, onBytes, written);
      if (p.segment && hashed.sha256 !== p.segment.event.sha256) throw segmentChanged(p.segment, hashed);
      files.push({ path: p.path, size: hashed.size, sha256: hashed.sha256, sm3: hashed.sm3, category: p.category, format: p.format });
    }
    if (!flows.empty) {
      const har = buildHar(flows, { tool: req.tool, packageName: meta.app.packageName, bodies: { mode: 'reference', inPackage: (path) => included.has(path) } });
      const bytes = Buffer.from(JSON.stringify(har) + '\n');
      files.push(describeBuffer(HAR_FILE, bytes, 'network', 'HAR 1.2 (JSON)', req.national));
      zip.addBuffer(bytes, HAR_FILE, { mtime, mode: 0o644, compress: !!req.compress });
    }
    if (req.checklist) {
      const c = req.checklist;
      const json = Buffer.from(JSON.stringify({ template: c.template, incomplete: c.incomplete, findings: c.findings }, null, 2) + '\n');
      const extra: Array<[string, Buffer, string]> = c.policy ? [['policy-comparison.json', Buffer.from(JSON.stringify(c.policy, null, 2) + '\n'), 'JSON']] : [];
      for (const [name, bytes, format] of [['findings.json', json, 'JSON'], ['findings.xlsx', c.xlsx, 'Office Open XML spreadsheet'], ...extra] as const) {
        files.push(describeBuffer(name, bytes, 'findings', format, req.national));
        zip.addBuffer(bytes, name, { mtime, mode: 0o644, compress: name.endsWith('.json') });
      }
    }
    progress('report', true);
    let inlined = 0;
    const thumbnails = shots.flatMap((s) => {
      const size = included.get(s.path);
      if (size === undefined || size > MAX_THUMBNAIL_BYTES || inlined + size > MAX_INLINE_BYTES) return [];
      inlined += size;
      return [{ ...s, dataUri: `data:image/png;base64,${readSessionFile(req.sessionDir, s.path, MAX_THUMBNAIL_BYTES).toString('base64')}` }];
    });
    const left = [...refused.values()];
    const fileName = basename(req.out);
    const signer = req.identity.info;
    const sm2 = req.national ? req.identity.sm2 : null;

    // Built twice at most: a TSA that fails after signing makes the report say so, and the package is signed again.
    const build = async (trustedTime: Manifest['trustedTime'], timestamped: boolean) => {
      const base = {
        format: 'apprights-evidence' as const, formatVersion: 1 as const, tool: req.tool, createdAt: new Date().toISOString(),
        complete: meta.state === 'closed' && !req.checklist?.incomplete, session: meta,
        signer: { subject: signer.subject, fingerprint: signer.fingerprint, selfAsserted: signer.selfSigned },
        timeline: { path: TIMELINE_FILE as 'timeline.jsonl', head: scan.head, count: scan.count },
        national: sm2 ? { sm2PublicKey: sm2.publicKey, distinguishingId: '1234567812345678' as const } : null,
        trustedTime,
      };
      const report = Buffer.from(renderReport({ manifest: base, files, events, omittedEvents: tail, gaps, thumbnails, network: flows, refused: left,
        video: { segments: video.segments, gaps: video.gaps, included: withVideo, inPackage: (path: string) => included.has(path) }, checklist: req.checklist ?? null, timestamped, signOff: req.signOff }));
      const verify = Buffer.from(verifyInstructions({ fileName, fingerprint: signer.fingerprint, selfAsserted: signer.selfSigned, national: !!sm2, timestamped }));
      const all = [...files, describeBuffer('report.html', report, 'report', 'HTML (self-contained)', req.national), describeBuffer('VERIFY.txt', verify, 'instructions', 'text/plain; charset=utf-8', req.national)];
      const sums = Buffer.from(sha256sums(all));
      const manifest: Manifest = { ...base, files: all, sha256sums: createHash('sha256').update(sums).digest('hex') };
      const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
      progress('signing', true);
      const p7s = await signDetached(manifestBytes, req.identity.key, req.identity.chain);
      return { report, verify, sums, manifestBytes, p7s };
    };

    const warnings: string[] = left.slice(0, MAX_REFUSED_WARNINGS).map((r) => {
      const text = refusalText(r);
      return `Left out of the package / 未收入包中: ${text.en} / ${text.zh}`;
    });
    if (left.length > MAX_REFUSED_WARNINGS) warnings.push(`${left.length - MAX_REFUSED_WARNINGS} more files left out: see report.html / 另有 ${left.length - MAX_REFUSED_WARNINGS} 个文件未收入，见 report.html`);
    let built = await build({ tsaUrl: req.tsaUrl, note: req.tsaUrl ? `RFC 3161 timestamp from ${req.tsaUrl}: manifest.json.p7s.tsr` : 'No TSA configured: no trusted time; times are the host\'s and the phone\'s clocks. 未配置时间戳服务：无可信时间。' }, !!req.tsaUrl);
    let tsr: Buffer | null = null;
    if (req.tsaUrl) {
      progress('timestamp', true);
      try {
        tsr = await requestTimestamp(req.tsaUrl, built.p7s, { allowLocal: req.allowLocalTsa ?? false });
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        warnings.push(`No trusted time: the TSA ${req.tsaUrl} failed (${why}); the package was signed without a timestamp.`);
        built = await build({ tsaUrl: req.tsaUrl, note: `The TSA ${req.tsaUrl} failed (${why}): no trusted time. 时间戳服务失败：无可信时间。` }, false);
      }
    }
    const addBuffer = (b: Buffer, name: string): void => zip.addBuffer(b, name, { mtime, mode: 0o644, compress: true });
    addBuffer(built.report, 'report.html');
    addBuffer(built.verify, 'VERIFY.txt');
    addBuffer(built.sums, SUMS);
    addBuffer(built.manifestBytes, MANIFEST);
    addBuffer(built.p7s, SIGNATURE);
    addBuffer(Buffer.from(req.identity.chain.map((c) => toPem(c)).join('')), SIGNER_CERTS);
    if (tsr) addBuffer(tsr, TIMESTAMP);
    if (sm2) {
      addBuffer(sm2Sign(built.manifestBytes, sm2), SM2_SIGNATURE);
      addBuffer(Buffer.from(sm2PublicKeyPem(sm2.publicKey)), SM2_PUBLIC_KEY);
    }
    zip.end();
    await written;
    renameSync(partial, req.out);
    progress('done', true);
    return {
      path: req.out, size: statSync(req.out).size, manifestSha256: createHash('sha256').update(built.manifestBytes).digest('hex'),
      timestamped: !!tsr, warnings, refused: left,
    };
  } catch (err) {
    // The abandoned output may still fail (its folder removed, the disk full): that is no longer anyone's to hear.
    written.catch(() => undefined);
    zip.outputStream.unpipe(output);
    // A failure before the file was opened (a cut video segment is found at once): it is created when the open
    // completes, so it is removed only once the stream has closed, or a stray .partial would be left behind.
    if (!output.closed) {
      const closed = new Promise<void>((resolve) => output.once('close', () => resolve()));
      output.destroy();
      await closed;
    }
    rmSync(partial, { force: true });
    if (err instanceof WorkbenchError) throw err;
    const e = err as NodeJS.ErrnoException;
    const reason = e.code === 'ENOSPC' ? 'the disk is full; free some space or export to another disk' : e.message;
    throw new WorkbenchError('evidence.export-failed', `The export failed: ${reason}. The session is unchanged.`, { message: reason });
  }
}

/** Files up to this size are read in one call and handed to the zip as a buffer (no stream per file). */
const SMALL_FILE = 4 << 20;
/** How far the zip may lag behind the small files handed to it before the next one waits. */
const MAX_QUEUED = 64 << 20;

/** Reads a small file whole (its first `size` bytes), hashes it and queues it, keeping the queue bounded. */
async function addSmall(zip: ZipFile, sessionDir: string, p: Payload, national: boolean, mtime: Date, onBytes: (n: number) => void, added: { bytes: number }, output: WriteStream, written: Promise<void>): Promise<{ size: number; sha256: string; sm3: string | null }> {
  while (added.bytes - output.bytesWritten > MAX_QUEUED) {
    await Promise.race([new Promise((r) => setTimeout(r, 5)), written]);
  }
  const data = Buffer.allocUnsafe(p.size);
  const { fd } = openSessionFile(sessionDir, p.path);
  try {
    for (let at = 0; at < p.size; ) {
      const n = readSync(fd, data, at, p.size - at, at);
      if (n === 0) throw new Error(`${p.path} became shorter while it was exported`);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  zip.addBuffer(data, p.path, { mtime, mode: 0o644, compressionLevel: p.level });
  added.bytes += p.size;
  onBytes(p.size);
  return { size: p.size, sha256: createHash('sha256').update(data).digest('hex'), sm3: national ? createHash('sm3').update(data).digest('hex') : null };
}

/** The size of a file of the session as it may be read now (throws its refusal otherwise). */
function sizeOf(sessionDir: string, path: string): number {
  const { fd, size } = openSessionFile(sessionDir, path);
  closeSync(fd);
  return size;
}

/** The size of a file the session cannot be exported without: a refusal becomes the reason the export stops. */
function essentialSize(sessionDir: string, path: string): number {
  try {
    return sizeOf(sessionDir, path);
  } catch (err) {
    const r = refusalOf(err);
    if (!r) throw err;
    const text = refusalText(r);
    throw new WorkbenchError('session.corrupt', `${text.en} (in ${sessionDir}); a session's files must be inside its folder: put the file itself there, not a link, and export again`, { dir: sessionDir, path: r.path, reason: r.reason });
  }
}

function categoryOfCapture(kind: string): FileCategory {
  switch (kind) {
    case 'screenshot': return 'screenshot';
    case 'ui.dump': return 'ui-dump';
    case 'apk.analysis': return 'apk-analysis';
    case 'install.output': return 'install-output';
    default: return 'attachment';
  }
}

function describeBuffer(path: string, b: Buffer, category: FileCategory, format: string, national: boolean): ManifestFile {
  return { path, size: b.length, sha256: createHash('sha256').update(b).digest('hex'), sm3: national ? createHash('sm3').update(b).digest('hex') : null, category, format };
}

/** Streams one file (its first `size` bytes) into the zip, hashing as it goes; resolves when it is read. */
function addHashed(zip: ZipFile, sessionDir: string, p: Payload, national: boolean, mtime: Date, onBytes: (n: number) => void, written: Promise<void>): Promise<{ size: number; sha256: string; sm3: string | null }> {
  return new Promise((resolve, reject) => {
    const sha = createHash('sha256');
    const sm3: Hash | null = national ? createHash('sm3') : null;
    let size = 0;
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        sha.update(chunk);
        sm3?.update(chunk);
        size += chunk.length;
        onBytes(chunk.length);
        cb(null, chunk);
      },
    });
    hasher.on('end', () => {
      if (size !== p.size) reject(new Error(`${p.path} changed size while it was exported`));
      else resolve({ size, sha256: sha.digest('hex'), sm3: sm3 ? sm3.digest('hex') : null });
    });
    let source: NodeJS.ReadableStream;
    if (p.size > 0) {
      const { fd } = openSessionFile(sessionDir, p.path);
      source = createReadStream(join(sessionDir, p.path), { fd, start: 0, end: p.size - 1, highWaterMark: 4 << 20 });
    } else source = new PassThrough().end();
    source.on('error', reject);
    hasher.on('error', reject);
    written.catch(reject);
    zip.addReadStream(source.pipe(hasher), p.path, { mtime, mode: 0o644, compressionLevel: p.level, size: p.size });
  });
}
