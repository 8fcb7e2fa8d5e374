/**
 * A session judged by a template: its timeline read from disk (chain checked by the scan), the UI dumps it
 * captured (parsed, bounded), the clock offset, then proposals and findings. Used by the live view, exports
 * and headless runs alike.
 */
import { join } from 'node:path';
import type { UiTree } from '../../../src-preload/api.js';
import type { Finding, Proposal } from '../../../src-preload/checklist.js';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import { parseUiDump } from '../adb/ui-dump.js';
import { readSessionPolicyInputs } from '../policy/session-policy.js';
import { readSessionFile } from '../session/session-files.js';
import { readSessionMeta } from '../session/session-meta.js';
import { TIMELINE_FILE } from '../session/session.js';
import { scanTimeline } from '../session/timeline-chain.js';
import { findings, propose } from './evaluate.js';
import { permissionKnowledge } from './permission-knowledge.js';
import type { ChecklistTemplate } from './template-schema.js';
import { TimelineFacts, type Entry, type PermissionKnowledge } from './timeline-facts.js';

const MAX_DUMPS = 200;
const MAX_DUMP_BYTES = 4 * 1024 * 1024;

let knowledge: PermissionKnowledge | null = null;

export interface SessionJudgement {
  proposals: Proposal[];
  findings: Finding[];
  facts: TimelineFacts;
  /** The template the session recorded (`checklist.template`), if any. */
  recordedTemplate: { templateId: string; version: string; sha256: string } | null;
}

export function readEntries(sessionDir: string): Entry[] {
  const entries: Entry[] = [];
  scanTimeline(join(sessionDir, TIMELINE_FILE), (line, seq) => {
    try {
      entries.push({ seq, event: (JSON.parse(line.toString('utf8')) as { event: TimelineEvent }).event });
    } catch {
      // A line that is not JSON breaks the chain; export and verify report it.
    }
  });
  return entries;
}

function readDumps(sessionDir: string, entries: Entry[]): Map<number, UiTree> {
  const dumps = new Map<number, UiTree>();
  for (const { seq, event } of entries) {
    if (event.type !== 'capture' || event.kind !== 'ui.dump' || dumps.size >= MAX_DUMPS) continue;
    if (!/^blobs\/[0-9a-f]{64}\.xml$/.test(event.blob.path)) continue;
    try {
      dumps.set(seq, parseUiDump(readSessionFile(sessionDir, event.blob.path, MAX_DUMP_BYTES).toString('utf8')));
    } catch {
      // A missing, oversized or unreadable dump, or one that is not a file of the session (a link), is left
      // out; the UI-dump evaluators then say the evidence is insufficient.
    }
  }
  return dumps;
}

/** What the evaluators read from a session: its timeline, UI dumps, clock offset, policy, APK analysis and app type. */
export function sessionFacts(sessionDir: string, entries = readEntries(sessionDir)): TimelineFacts {
  const meta = readSessionMeta(sessionDir);
  knowledge ??= permissionKnowledge();
  return new TimelineFacts({ entries, packageName: meta.app.packageName, clockOffsetMs: meta.device.clockOffsetMs, knowledge, uiDumps: readDumps(sessionDir, entries), policyInputs: readSessionPolicyInputs(sessionDir, entries) });
}

export function judgeSession(sessionDir: string, template: ChecklistTemplate, entries = readEntries(sessionDir)): SessionJudgement {
  const facts = sessionFacts(sessionDir, entries);
  const proposals = propose(template, facts);
  const recorded = [...entries].reverse().find((e) => e.event.type === 'checklist.template')?.event as Extract<TimelineEvent, { type: 'checklist.template' }> | undefined;
  return { proposals, findings: findings(template, proposals, facts), facts, recordedTemplate: recorded ? { templateId: recorded.templateId, version: recorded.version, sha256: recorded.sha256 } : null };
}
