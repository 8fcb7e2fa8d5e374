/** How the report prints a stored time: local time with its offset; anything no Date holds says so, never throws. */
export function time(ms: unknown, offsetMinutes = -new Date().getTimezoneOffset()): string {
  if (ms === null || ms === undefined) return '—';
  const d = typeof ms === 'number' ? new Date(ms + offsetMinutes * 60_000) : null;
  if (!d || Number.isNaN(d.getTime())) return `无效时间 / invalid time (${String(ms).slice(0, 40)})`;
  const local = d.toISOString().replace('T', ' ').replace('Z', '');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${local} UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

