/**
 * How the report prints a stored time: in a named zone (the phone's for phone times, the host's for host times),
 * with that zone's offset on that date; anything no Date holds says so, never throws.
 */
/** The host's zone as the platform names it (UTC when it names none). */
export function hostZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A fixed offset from UTC in minutes, as "UTC+08:00". */
function offsetText(offsetMinutes: number): string {
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The zone's offset from UTC at that moment, in minutes; null when no zone of that name is known here. */
export function zoneOffset(ms: number, zone: string): number | null {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? '';
    const m = /^GMT(?:([+-])(\d{2}):?(\d{2})?)?$/.exec(name);
    if (!m) return null;
    return m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
  } catch {
    return null;
  }
}

/** "2026-12-06 22:19:20.123 UTC+08:00" in the zone (UTC when the zone is null or unknown). */
export function zonedTime(ms: unknown, zone: string | null): string {
  if (ms === null || ms === undefined) return '—';
  const at = typeof ms === 'number' && !Number.isNaN(new Date(ms).getTime()) ? ms : null;
  if (at === null) return `无效时间 / invalid time (${String(ms).slice(0, 40)})`;
  return time(at, (zone ? zoneOffset(at, zone) : null) ?? 0);
}

/** A time at a fixed offset (the checklist's explanations use the host's current offset). */
export function time(ms: unknown, offsetMinutes = -new Date().getTimezoneOffset()): string {
  if (ms === null || ms === undefined) return '—';
  const d = typeof ms === 'number' ? new Date(ms + offsetMinutes * 60_000) : null;
  if (!d || Number.isNaN(d.getTime())) return `无效时间 / invalid time (${String(ms).slice(0, 40)})`;
  return `${d.toISOString().replace('T', ' ').replace('Z', '')} ${offsetText(offsetMinutes)}`;
}
