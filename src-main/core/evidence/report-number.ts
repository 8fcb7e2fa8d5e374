/**
 * The report's number, printed on every page of report.html and its PDF: AR-<day the session started, in the
 * phone's zone>-<first 8 hex of SHA-256 over the session's id and start>. Derived from the session alone, so every
 * export of the same session carries the same number, whichever machine exports it.
 */
import { createHash } from 'node:crypto';
import type { SessionMeta } from '../../../src-preload/api.js';
import { zonedTime } from './event-time.js';

export function reportNumber(s: Pick<SessionMeta, 'id' | 'startedAt'> & { device: Pick<SessionMeta['device'], 'timezone'> }): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(zonedTime(s.startedAt, s.device.timezone ?? null));
  const hash = createHash('sha256').update(`${s.id}\n${s.startedAt}`).digest('hex').slice(0, 8).toUpperCase();
  return `AR-${day ? `${day[1]}${day[2]}${day[3]}` : '00000000'}-${hash}`;
}
