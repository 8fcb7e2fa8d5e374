/**
 * What `apprights monitor --replay` says about the capture besides its events: how it was read (encoding,
 * container, formats, mixed formats, unread lines), where the year and the zone of its times came from — said
 * plainly when they were assumed or when --year / --utc-offset were needed — and where its clock jumps back.
 * The same facts as one JSON record (`replay.summary`) for --json.
 */
import type { CaptureSource } from '../core/monitor/log-formats/capture-file.js';
import type { ReplayResult } from '../core/monitor/replay.js';

const FORMAT_NAMES: Record<string, string> = {
  threadtime: 'threadtime', time: '-v time', brief: '-v brief', process: '-v process', tag: '-v tag', long: '-v long',
  matlog: 'MatLog/App Manager export', studio: 'Android Studio Logcat copy', 'studio-legacy': 'Android Studio (legacy) Logcat copy',
};

/** `+08:00` for 480. */
export function offsetText(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

function duration(ms: number): string {
  if (ms >= 86_400_000) return `${(ms / 86_400_000).toFixed(1)} days`;
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}

/** The lines printed to stderr after the events (plain text; the caller guards them for the terminal). */
export function replayReport(r: ReplayResult, source: CaptureSource): string[] {
  const out: string[] = [];
  const formats = Object.entries(r.formats).map(([f, n]) => `${FORMAT_NAMES[f] ?? f} ${n.toLocaleString('en-US')}`);
  out.push(`${r.events.length} events from ${r.lines} lines: ${r.entries.toLocaleString('en-US')} log entries read (${formats.join(', ')})${formats.length > 1 ? ' — the file mixes formats; each line was read in its own' : ''}`);
  if (r.unparsed) {
    const first = r.firstUnparsed[0];
    out.push(`${r.unparsed.toLocaleString('en-US')} lines could not be read as log entries${first ? ` (the first, line ${first.line}: "${first.text}")` : ''}`);
  }
  const how: string[] = [];
  if (source.container === 'bugreport-zip') how.push(`bugreport zip (${source.entry})`);
  if (source.encoding !== 'utf-8' || source.bom) how.push(`${source.encoding.toUpperCase()}${source.bom ? ' with BOM' : ' without BOM'}`);
  if (r.carriageReturns) how.push('CRLF line ends');
  if (r.indented) how.push(`${r.indented.toLocaleString('en-US')} indented lines`);
  if (r.continued) how.push(`${r.continued} lines continuing the entry before`);
  if (r.bugreport) {
    how.push(`bugreport text${r.bugreport.dumpstate ? ` taken ${r.bugreport.dumpstate}` : ''}${r.bugreport.fingerprint ? `, ${r.bugreport.fingerprint}` : ''}; log sections: ${r.bugreport.logSections.join(', ') || 'none'}`);
  }
  if (how.length) out.push(`read as: ${how.join('; ')}`);
  const { year, zone } = r.clock;
  if (r.clock.yearNeeded) {
    out.push(year.source === 'assumed'
      ? `year assumed: ${year.value} — the capture does not say which year its lines are from; give --year if that is wrong`
      : `year ${year.value}, from ${year.from}${year.source === 'option' ? ' (needed: the capture does not say)' : ''}`);
  }
  if (r.clock.zoneNeeded) {
    out.push(zone.source === 'assumed'
      ? `zone assumed: UTC${offsetText(zone.offsetMinutes)} (this computer's) — the capture does not say which zone the phone was in; give --utc-offset if that is wrong`
      : `zone UTC${offsetText(zone.offsetMinutes)}, from ${zone.from}${zone.source === 'option' ? ' (needed: the capture does not say)' : ''}`);
  }
  if (r.clock.jumpCount) {
    const j = r.clock.jumps[0]!;
    out.push(`the clock jumps back ${r.clock.jumpCount === 1 ? 'once' : `${r.clock.jumpCount} times`} (first at line ${j.line}, by ${duration(j.backMs)}: a reboot, or captures appended): events keep the file's order across it`);
  }
  return out;
}

/** The same as one JSON record, last on stdout under --json. */
export function replaySummary(r: ReplayResult, source: CaptureSource): Record<string, unknown> {
  return {
    type: 'replay.summary', events: r.events.length, lines: r.lines, entries: r.entries, unparsed: r.unparsed, firstUnparsed: r.firstUnparsed,
    formats: r.formats, mixedFormats: Object.keys(r.formats).length > 1, source, bugreport: r.bugreport,
    year: { ...r.clock.year, assumed: r.clock.year.source === 'assumed', needed: r.clock.yearNeeded },
    zone: { ...r.clock.zone, utcOffset: offsetText(r.clock.zone.offsetMinutes), assumed: r.clock.zone.source === 'assumed', needed: r.clock.zoneNeeded },
    clockJumps: { count: r.clock.jumpCount, first: r.clock.jumps.slice(0, 10) },
    indented: r.indented, carriageReturns: r.carriageReturns, continued: r.continued,
  };
}
