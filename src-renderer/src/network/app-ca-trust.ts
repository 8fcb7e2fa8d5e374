/**
 * Whether the app under test would trust the session CA once the phone holds it as a user CA: what the APK
 * analysis kept in the session says (userCaTrust, from the network security config and targetSdk), read from
 * the session's last `apk.analysis` capture. No analysis, or one from an older build without the field, is said
 * as such — never guessed. Pure (read-app-ca-trust.ts reads the session through the API).
 */
import type { ApkAnalysis, TimelineEntry } from '../../../src-preload/api';

export type UserCaTrust = ApkAnalysis['userCaTrust'];

export type AppCaTrust = { known: true; trust: UserCaTrust } | { known: false; why: 'no-analysis' | 'unreadable' };

/** The blob path of the last APK analysis among timeline entries (null: none). */
export function lastAnalysisPath(entries: readonly TimelineEntry[], from: string | null = null): string | null {
  let path = from;
  for (const { event } of entries) {
    const e = event as unknown as { type?: unknown; kind?: unknown; blob?: { path?: unknown } };
    if (e.type === 'capture' && e.kind === 'apk.analysis' && typeof e.blob?.path === 'string') path = e.blob.path;
  }
  return path;
}

/** The trust verdict inside an analysis's JSON text, or null when it holds none that reads as one. */
export function trustOf(json: string): UserCaTrust | null {
  try {
    const t = (JSON.parse(json) as { userCaTrust?: Partial<UserCaTrust> }).userCaTrust;
    if (!t || typeof t.trusts !== 'string' || !['yes', 'some-domains', 'debug-only', 'no', 'unknown'].includes(t.trusts)) return null;
    return { trusts: t.trusts, reason: t.reason ?? 'config-unreadable', domains: Array.isArray(t.domains) ? t.domains.filter((d) => typeof d === 'string').slice(0, 50) : [], configPath: typeof t.configPath === 'string' ? t.configPath : null };
  } catch {
    return null;
  }
}
