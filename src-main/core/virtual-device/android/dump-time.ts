/** Android's ways of printing times and durations in dumpsys output (TimeUtils.formatDuration and friends). */
import { formatDeviceTime } from './log-format.js';

export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  const sign = ms < 0 ? '-' : '+';
  let rest = Math.abs(Math.round(ms));
  const parts: Array<[number, string]> = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1000, 's']];
  let out = sign;
  for (const [unit, suffix] of parts) {
    if (rest >= unit) {
      out += Math.floor(rest / unit) + suffix;
      rest %= unit;
    }
  }
  return out + `${rest}ms`;
}

/** `2026-11-29 10:00:00.123` in the phone's time zone. */
export function formatDumpTime(timeMs: number, offsetMinutes: number, millis = true): string {
  const s = formatDeviceTime(timeMs, offsetMinutes, true);
  return millis ? s : s.slice(0, -4);
}
