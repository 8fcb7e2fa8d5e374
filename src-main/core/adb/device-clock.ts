/**
 * The phone's clock as `date +%s.%N` prints it, believed only inside a sane window: from 1970-01-01 (a phone
 * whose battery ran flat starts there — wrong, but a clock, and its offset still maps its log times to the
 * host's) to a hundred years after the host's own clock. Anything else — 1e20 s, a negative time, text that is
 * no number, the year 3000 — is refused here, at the phone: the caller records no device time and no offset
 * (host time stands in), and the monitor says so once in the timeline. No time a Date cannot hold ever reaches
 * a session, so nothing recorded on such a phone can break an export.
 */

const LATEST_AHEAD_MS = 100 * 365.25 * 24 * 3600 * 1000;
/** What the phone printed, at most this long, in a refusal. */
const MAX_REPORTED = 64;

export type ClockReading = { ok: true; deviceMs: number } | { ok: false; reported: string };

/** Reads `date +%s.%N` output taken at host time `hostMs`. */
export function readDeviceClock(printed: string, hostMs: number): ClockReading {
  const text = printed.trim();
  const seconds = /^-?\d{1,30}(\.\d{1,12})?$/.test(text) ? Number(text) : NaN;
  const deviceMs = Math.round(seconds * 1000);
  if (Number.isFinite(deviceMs) && deviceMs >= 0 && deviceMs <= hostMs + LATEST_AHEAD_MS) return { ok: true, deviceMs };
  // Only printable ASCII of what the phone said: it goes into the timeline and the report.
  return { ok: false, reported: text.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_REPORTED) || '(nothing)' };
}
