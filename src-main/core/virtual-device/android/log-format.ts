/**
 * How the phone prints log entries: `logcat -v threadtime` (and brief/time/epoch with year/UTC modifiers)
 * exactly as AOSP's logprint.cpp lays them out, and `logcat -B` binary logger_entry v4 records.
 */
import { PRIORITY_LETTERS, type LogEntry } from './log-buffer.js';

export interface TextFormat {
  style: 'threadtime' | 'brief' | 'time' | 'epoch' | 'tag' | 'raw';
  utc: boolean;
  year: boolean;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad3 = (n: number): string => String(n).padStart(3, '0');

/** Device-local wall time; `offsetMinutes` is the phone's time-zone offset. */
export function formatDeviceTime(timeMs: number, offsetMinutes: number, year = false): string {
  const d = new Date(timeMs + offsetMinutes * 60_000);
  const date = `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${pad3(d.getUTCMilliseconds())}`;
  return `${year ? `${d.getUTCFullYear()}-` : ''}${date} ${time}`;
}

export function formatText(e: LogEntry, fmt: TextFormat, offsetMinutes: number): string {
  const p = PRIORITY_LETTERS[e.priority] ?? '?';
  const offset = fmt.utc ? 0 : offsetMinutes;
  const stamp =
    fmt.style === 'epoch'
      ? `${String(Math.floor(e.timeMs / 1000)).padStart(5)}.${pad3(e.timeMs % 1000)}`
      : formatDeviceTime(e.timeMs, offset, fmt.year);
  const lines = e.message.split('\n');
  const prefix = (): string => {
    switch (fmt.style) {
      case 'brief':
        return `${p}/${e.tag.padEnd(8)}(${String(e.pid).padStart(5)}): `;
      case 'tag':
        return `${p}/${e.tag}: `;
      case 'raw':
        return '';
      case 'time':
        return `${stamp} ${p}/${e.tag.padEnd(8)}(${String(e.pid).padStart(5)}): `;
      default:
        return `${stamp} ${String(e.pid).padStart(5)} ${String(e.tid).padStart(5)} ${p} ${e.tag.padEnd(8)}: `;
    }
  };
  const head = prefix();
  return lines.map((l) => head + l + '\n').join('');
}

/** logger_entry v4 with uid: len u16, hdr_size u16 (28), pid, tid, sec, nsec, lid, uid; payload prio tag\0 msg\0. */
export function formatBinary(e: LogEntry): Buffer {
  const tag = Buffer.from(e.tag, 'utf8');
  const msg = Buffer.from(e.message, 'utf8');
  const payloadLength = Math.min(1 + tag.length + 1 + msg.length + 1, 0xffff);
  const out = Buffer.alloc(28 + payloadLength);
  out.writeUInt16LE(payloadLength, 0);
  out.writeUInt16LE(28, 2);
  out.writeInt32LE(e.pid, 4);
  out.writeInt32LE(e.tid, 8);
  out.writeInt32LE(Math.floor(e.timeMs / 1000), 12);
  out.writeInt32LE(e.nsec, 16);
  out.writeUInt32LE(e.lid, 20);
  out.writeUInt32LE(e.uid, 24);
  out[28] = e.priority;
  tag.copy(out, 29);
  msg.copy(out, 30 + tag.length, 0, Math.max(0, payloadLength - tag.length - 3));
  return out;
}
