/** Reads the app's trust in user CAs from a session through the API: its last APK analysis (app-ca-trust.ts). */
import { api } from '../api-client';
import { lastAnalysisPath, trustOf, type AppCaTrust } from './app-ca-trust';

/** An analysis larger than this is not read here (its JSON cannot be parsed in part). */
const MAX_ANALYSIS_BYTES = 1024 * 1024;

export async function readAppCaTrust(sessionId: string): Promise<AppCaTrust> {
  let path: string | null = null;
  for (let after = 0; ;) {
    const o = await api.call('session.timeline', { id: sessionId, afterSeq: after, limit: 2000 });
    if (!o.ok) return { known: false, why: 'unreadable' };
    if (!o.value.entries.length) break;
    path = lastAnalysisPath(o.value.entries, path);
    after = o.value.entries[o.value.entries.length - 1]!.seq;
  }
  if (!path) return { known: false, why: 'no-analysis' };
  const blob = await api.call('session.blob', { id: sessionId, path, maxBytes: MAX_ANALYSIS_BYTES });
  if (!blob.ok || blob.value.size > MAX_ANALYSIS_BYTES) return { known: false, why: 'unreadable' };
  const bytes = Uint8Array.from(atob(blob.value.base64), (c) => c.charCodeAt(0));
  const trust = trustOf(new TextDecoder().decode(bytes));
  return trust ? { known: true, trust } : { known: false, why: 'unreadable' };
}
