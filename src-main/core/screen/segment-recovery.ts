/**
 * Recovery of a session's recording after a crash: every segment file the timeline does not name yet is hashed
 * and named (`screen.segment`, partial, ended `recovered`); it plays up to its last whole fragment. The group of
 * pictures a crash left in a segment's journal (gop-journal.ts) — up to the last second before the kill — is
 * muxed into a segment of its own (or, when the MP4 holds no whole fragment, into that segment's file), and
 * named the same way. Nothing the timeline already names is touched.
 */
import { closeSync, readdirSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ScreenEventBody } from '../../../src-preload/screen.js';
import { openNoFollow } from '../no-follow.js';
import { scanTimeline } from '../session/timeline-chain.js';
import { readJournal } from './gop-journal.js';
import { nextSegmentIndex, sha256OfFile } from './recorder.js';
import { SegmentWriter, VIDEO_DIR } from './segment-writer.js';

/** A journal larger than this is not one the recorder wrote (a group of pictures of a few MiB). */
const MAX_JOURNAL_BYTES = 64 * 1024 * 1024;
/** A file with more top-level boxes than this is not a segment of ours. */
const MAX_BOXES = 1_000_000;

/** The files named by `screen.segment` events in a session's timeline. */
export function namedSegments(timelinePath: string): Set<string> {
  const named = new Set<string>();
  scanTimeline(timelinePath, (line) => {
    // Only lines that mention a segment are parsed (a timeline has many thousands of other events).
    if (!line.includes('"screen.segment"')) return;
    try {
      const e = (JSON.parse(line.toString('utf8')) as { event: { type: string; file?: unknown } }).event;
      if (e.type === 'screen.segment' && typeof e.file === 'string') named.add(e.file);
    } catch {
      // The chain check reports it.
    }
  });
  return named;
}

/** Whole moof+mdat pairs at the top level of a (possibly cut) fragmented MP4. */
export function wholeFragments(path: string): number {
  const { fd, stat } = openNoFollow(path, 'read');
  try {
    const head = Buffer.alloc(16);
    let at = 0;
    let whole = 0;
    let moof = false;
    for (let boxes = 0; boxes < MAX_BOXES && at + 8 <= stat.size; boxes++) {
      if (readSync(fd, head, 0, 16, at) < 8) break;
      let size = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      if (size === 1) size = Number(head.readBigUInt64BE(8));
      if (size < 8 || at + size > stat.size) break; // cut here (or size 0: to the end, never written by us whole)
      if (type === 'moof') moof = true;
      else if (type === 'mdat' && moof) {
        whole++;
        moof = false;
      } else moof = false;
      at += size;
    }
    return whole;
  } finally {
    closeSync(fd);
  }
}

/**
 * Names the segments of `dir` the timeline does not (after a crash). `append` writes one event. Returns the files
 * named. A segment that cannot be read is left for the next recovery.
 */
export async function recoverSegments(dir: string, timelinePath: string, append: (body: ScreenEventBody, hostTime: number) => void): Promise<string[]> {
  const videoDir = join(dir, VIDEO_DIR);
  let names: string[];
  try {
    names = readdirSync(videoDir).filter((n) => /^seg-\d{6}\.mp4$/.test(n)).sort();
  } catch {
    return [];
  }
  const named = namedSegments(timelinePath);
  const done: string[] = [];
  let nextIndex = nextSegmentIndex(dir);
  for (const name of names) {
    const file = `${VIDEO_DIR}/${name}`;
    const path = join(videoDir, name);
    const gop = path.replace(/\.mp4$/, '.gop');
    const index = Number(name.slice(4, 10));
    let journal: ReturnType<typeof readJournal> = null;
    try {
      journal = readJournal(gop, MAX_JOURNAL_BYTES);
    } catch {
      // No journal (closed cleanly, or it never got its first second).
    }
    if (named.has(file)) {
      // Named already: a journal left beside it holds frames the file lacks (a write failure): kept as a segment.
      if (journal?.units.length && journal.units[0]!.key) {
        const f = await muxJournal(dir, nextIndex++, journal, append);
        if (f) done.push(f);
      }
      rmSync(gop, { force: true });
      continue;
    }
    try {
      const fragments = wholeFragments(path);
      const inFile = journal ? Math.min(fragments, journal.header.fragment) : fragments;
      // A journal written before the file's last fragment was fsynced holds frames that fragment already has.
      const journalNew = journal !== null && fragments <= journal.header.fragment && journal.units.length > 0 && journal.units[0]!.key;
      if (fragments === 0 && journalNew) {
        // Nothing whole in the file: the journal's frames become this segment.
        rmSync(path, { force: true });
        const f = await muxJournal(dir, index, journal!, append);
        if (f) done.push(f);
        rmSync(gop, { force: true });
        continue;
      }
      const { sha256, size } = await sha256OfFile(path);
      const h = journal?.header;
      const frames = h ? (journalNew ? h.framesBefore : h.framesBefore + journal!.units.length) : 0;
      const last = h ? (journalNew ? h.lastHostTimeBefore : journal!.units.at(-1)?.hostTime ?? h.lastHostTimeBefore) : 0;
      append({
        type: 'screen.segment', index, file, sha256, size, firstFrameHostTime: h?.firstFrameHostTime ?? 0, lastFrameHostTime: last, frames: inFile === 0 ? 0 : frames,
        width: h?.width ?? 0, height: h?.height ?? 0, codec: h?.codec ?? '', ended: 'recovered', partial: true,
      }, Date.now());
      done.push(file);
      if (journalNew) {
        const f = await muxJournal(dir, nextIndex++, journal!, append);
        if (f) done.push(f);
      }
      rmSync(gop, { force: true });
    } catch {
      // Unreadable now: the next recovery tries again.
    }
  }
  return done;
}

/** The journal's group of pictures muxed into segment `index`, named as recovered. */
async function muxJournal(dir: string, index: number, journal: NonNullable<ReturnType<typeof readJournal>>, append: (body: ScreenEventBody, hostTime: number) => void): Promise<string | null> {
  const { header, units } = journal;
  const w = new SegmentWriter(dir, index, { width: header.width, height: header.height, codec: header.codec });
  try {
    for (const u of units) await w.add(u);
    const facts = await w.close(null);
    rmSync(w.journalPath, { force: true });
    if (!facts) return null;
    const { sha256, size } = await sha256OfFile(facts.path);
    append({ type: 'screen.segment', index, file: facts.file, sha256, size, firstFrameHostTime: facts.firstFrameHostTime, lastFrameHostTime: facts.lastFrameHostTime, frames: facts.frames, width: facts.width, height: facts.height, codec: facts.codec, ended: 'recovered', partial: true }, Date.now());
    return facts.file;
  } catch {
    w.abandon();
    return null;
  }
}
