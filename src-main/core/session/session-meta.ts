/**
 * session.json: who tested which app build on which phone, when, and the session's state. Validated with
 * zod when read (the file may have been edited by hand; it is read through session-files.ts, so never through
 * a link and never more than 4 MiB) and rewritten atomically (temp file, fsync, rename), so a crash leaves
 * either the old or the new version, never half of one.
 */
import { closeSync, fsyncSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SessionMeta } from '../../../src-preload/api.js';
import { builtOnce } from '../built-once.js';
import { WorkbenchError } from '../errors.js';
import { openNoFollow } from '../no-follow.js';
import { readSessionFile, refusalOf, refusalText } from './session-files.js';
import { tempName } from '../dead-process-files.js';
import { TIME_ZONE_NAME } from '../adb/time-zone.js';

/** session.json's schema (also inside an evidence manifest), built when the first one is read. */
export const sessionMetaSchema = builtOnce(() => {
  const nullableString = z.string().max(4096).nullable();

  return z.object({
    schemaVersion: z.literal(1),
    id: z.string().regex(/^[\w.-]{1,200}$/),
    state: z.enum(['recording', 'paused', 'closed']),
    app: z.object({
      packageName: z.string().max(255),
      versionName: nullableString,
      versionCode: z.number().int().nullable(),
      apkSha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
    }),
    device: z.object({
      serial: z.string().max(300),
      model: nullableString,
      manufacturer: nullableString,
      fingerprint: nullableString,
      androidVersion: nullableString,
      sdk: z.number().int().nullable(),
      clockOffsetMs: z.number().nullable(),
      timezone: z.string().regex(TIME_ZONE_NAME).nullable().optional(),
    }),
    tester: z.string().max(200),
    caseRef: z.string().max(200),
    startedAt: z.number(),
    endedAt: z.number().nullable(),
    tool: z.object({ name: z.string().max(100), version: z.string().max(50) }),
    timeline: z.object({ count: z.number().int().min(0), head: z.string().regex(/^[0-9a-f]{64}$/) }),
    recoveries: z.array(z.object({ at: z.number(), tornBytes: z.number().int(), tornFile: nullableString })).max(10_000),
    video: z.boolean().optional(),
  }).strict() satisfies z.ZodType<SessionMeta>;
});

export const SESSION_FILE = 'session.json';
/** Far above what the workbench writes (10,000 recoveries and 4 KiB fields stay under 2 MiB). */
const MAX_META_BYTES = 4 * 1024 * 1024;

export function readSessionMeta(dir: string): SessionMeta {
  let text: string;
  try {
    text = readSessionFile(dir, SESSION_FILE, MAX_META_BYTES).toString('utf8');
  } catch (err) {
    const r = refusalOf(err);
    if (!r) throw err;
    if (r.reason === 'missing') throw new WorkbenchError('session.not-found', `No session in ${dir} (session.json is missing)`, { dir });
    throw new WorkbenchError('session.corrupt', `${refusalText(r).en} (in ${dir}); a session's files must be inside its folder: put the file itself there, not a link`, { dir, field: SESSION_FILE });
  }
  const parsed = sessionMetaSchema().safeParse(safeJson(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WorkbenchError('session.corrupt', `session.json in ${dir} is not valid (${issue.path.join('.') || 'file'}: ${issue.message}); it was changed outside the workbench`, { dir, field: issue.path.join('.') });
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function writeSessionMeta(dir: string, meta: SessionMeta): void {
  const file = join(dir, SESSION_FILE);
  const tmp = tempName(file);
  const { fd } = openNoFollow(tmp, 'fresh');
  try {
    writeSync(fd, JSON.stringify(meta, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
