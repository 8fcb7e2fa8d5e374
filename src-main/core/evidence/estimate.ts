/**
 * What a session's package would weigh, said before it is made (the Evidence page, `evidence.estimate`): the
 * session's files that go into every package (session.json, the timeline, the raw log, the blobs) and, apart,
 * the screen recording's segments the timeline names, with the seconds they cover — so the tester can choose a
 * package without video. It reads sizes, never contents, besides one pass over the timeline.
 */
import { closeSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ExportEstimate } from '../../../src-preload/api.js';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import { RawLog } from '../monitor/raw-log.js';
import { openSessionFile, refusalOf, sessionFolderNames } from '../session/session-files.js';
import { RAW_LOG_FILE, TIMELINE_FILE } from '../session/session.js';
import { scanTimeline } from '../session/timeline-chain.js';
import { isScreenLine, VideoIndex } from './video-segments.js';

/** The size of a file of the session, or null when the export would leave it out (a link, missing, outside). */
function sizeOrNull(sessionDir: string, path: string): number | null {
  try {
    const { fd, size } = openSessionFile(sessionDir, path);
    closeSync(fd);
    return size;
  } catch (err) {
    if (refusalOf(err)) return null;
    throw err;
  }
}

export function estimatePackage(sessionDir: string): ExportEstimate {
  const video = new VideoIndex();
  scanTimeline(join(sessionDir, TIMELINE_FILE), (line, seq) => {
    if (!isScreenLine(line)) return;
    try {
      video.add(seq, (JSON.parse(line.toString('utf8')) as { event: TimelineEvent }).event);
    } catch {
      // A line that is not JSON stops the export itself, which says so; the estimate only counts.
    }
  });
  const files = ['session.json', TIMELINE_FILE, ...RawLog.files(join(sessionDir, RAW_LOG_FILE)).map((f) => basename(f))];
  let blobs: string[] = [];
  try {
    blobs = sessionFolderNames(sessionDir, 'blobs');
  } catch (err) {
    if (!refusalOf(err)) throw err;
  }
  for (const name of blobs) if (/^[0-9a-f]{64}\.[a-z]{2,4}$/.test(name)) files.push(`blobs/${name}`);
  const bytes = files.reduce((n, f) => n + (sizeOrNull(sessionDir, f) ?? 0), 0);
  let videoBytes = 0;
  let videoSegments = 0;
  let videoMs = 0;
  for (const s of video.segments) {
    const size = sizeOrNull(sessionDir, s.event.file);
    if (size === null) continue;
    videoBytes += size;
    videoSegments++;
    videoMs += s.event.lastFrameHostTime - s.event.firstFrameHostTime;
  }
  return { bytes, videoBytes, videoSegments, videoSeconds: Math.round(videoMs) / 1000 };
}
