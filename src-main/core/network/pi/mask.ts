/**
 * How one of the phone's values is shown in the UI, the timeline and the report: enough to recognise it beside
 * the phone, never enough to reuse it. Everything that leaves the PI search goes through here — a value is never
 * written to a session in the clear by this capability.
 */
/** First 3 and last 2 characters, one star for each hidden one; shorter values keep less (≤ 5: all stars). */
export function maskValue(value: string): string {
  const chars = Array.from(value);
  const n = chars.length;
  if (n <= 5) return '*'.repeat(n);
  if (n <= 8) return chars[0] + '*'.repeat(n - 2) + chars[n - 1];
  return chars.slice(0, 3).join('') + '*'.repeat(n - 5) + chars.slice(n - 2).join('');
}

/** A digest as found: its first 8 hex digits (lower case) and an ellipsis — what the tester looks for in the body. */
export function maskDigest(hex: string): string {
  return `${hex.slice(0, 8).toLowerCase()}…`;
}

/** A coordinate pair at the precision it was found: the integer degrees and one decimal, the rest hidden. */
export function maskLocation(lat: string, lon: string): string {
  const part = (v: string): string => {
    const dot = v.indexOf('.');
    return dot < 0 ? v : v.slice(0, dot + 2) + '*'.repeat(Math.max(0, v.length - dot - 2));
  };
  return `${part(lat)},${part(lon)}`;
}

/** The installed apps found in one request: how many, and the first two names (apps, not the person, are named). */
export function maskPackageList(names: string[]): string {
  const shown = names.slice(0, 2).join(', ');
  return names.length > 2 ? `${shown} +${names.length - 2}` : shown;
}

