/**
 * List pages from an untrusted session folder (issue #25): events the workbench would never write — an unknown
 * list or source, a text outside the session's blobs, the wrong types — are left out of the reading and still
 * described in the report without failing; the pages read with one policy are bounded; a well-formed page is
 * read with its policy (the sharing list becomes present).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BlobRef, TimelineEvent } from '../../../../src-preload/monitor-events.js';
import type { Entry } from '../../../../src-main/core/checklist/timeline-facts.js';
import { describeText } from '../../../../src-preload/event-description.js';
import { MAX_LIST_PAGES, readSessionPolicyInputs } from '../../../../src-main/core/policy/session-policy.js';

const POLICY = '资讯隐私政策\n二、共享\n我们接入的第三方SDK及与其共享的个人信息，详见《第三方信息共享清单》。';
const LIST = '第三方信息共享清单\nSDK名称 | 使用场景 | 共享个人信息字段 | 共享方式 | 使用目的\n极光推送SDK | 消息推送 | 设备标识符 | SDK本机采集 | 推送资讯';

function blob(dir: string, text: string): BlobRef {
  const sha256 = createHash('sha256').update(text).digest('hex');
  writeFileSync(join(dir, 'blobs', `${sha256}.txt`), text);
  return { sha256, size: Buffer.byteLength(text), path: `blobs/${sha256}.txt`, mediaType: 'text/plain' };
}

const base = { hostTime: 1, deviceTime: null, source: 'workbench' } as const;
const policyEvent = (text: BlobRef): TimelineEvent => ({ ...base, type: 'policy.captured', from: 'phone', origin: 'VPHONE com.demo', text, original: null, charset: 'utf-8', pages: [], problem: null }) as unknown as TimelineEvent;
const listEvent = (text: BlobRef, over: Record<string, unknown> = {}): TimelineEvent => ({
  ...base, type: 'policy.list-captured', list: 'shared', policySeq: 1, reference: '详见《第三方信息共享清单》', tapped: null, from: 'paste', origin: 'pasted', text, original: null, charset: 'utf-8', pages: [], problem: null, ...over,
}) as unknown as TimelineEvent;

describe('list pages from an untrusted session folder', () => {
  it('leaves out what the workbench would never write, and reads a well-formed page with its policy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'list-hostile-'));
    mkdirSync(join(dir, 'blobs'));
    const policy = blob(dir, POLICY);
    const list = blob(dir, LIST);
    const hostile = [
      listEvent(list, { list: '__proto__' }), listEvent(list, { from: 'carrier-pigeon' }), listEvent(list, { reference: 42 }),
      listEvent({ ...list, path: '../../etc/passwd' }), listEvent(list, { text: null }), listEvent(list, { policySeq: 'one' }),
    ];
    const entries: Entry[] = [policyEvent(policy), ...hostile].map((event, i) => ({ seq: i + 1, event }));
    let inputs = readSessionPolicyInputs(dir, entries);
    expect(inputs.policy!.listPages).toEqual([]);
    expect(inputs.policy!.reading.twoLists.shared.verdict).toBe('referenced');
    // Each is still described (as written) in the report's timeline, without failing.
    for (const e of hostile.filter((x) => (x as { text: unknown }).text)) expect(describeText(e, 'en')).toMatch(/page captured/);

    entries.push({ seq: entries.length + 1, event: listEvent(list) });
    inputs = readSessionPolicyInputs(dir, entries);
    expect(inputs.policy!.listPages!.map((l) => l.seq)).toEqual([entries.length]);
    expect(inputs.policy!.reading.twoLists.shared).toMatchObject({ verdict: 'present', form: 'table' });
  });

  it('reads at most MAX_LIST_PAGES pages with one policy, however many the timeline holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'list-many-'));
    mkdirSync(join(dir, 'blobs'));
    const policy = blob(dir, POLICY);
    const entries: Entry[] = [{ seq: 1, event: policyEvent(policy) }];
    for (let i = 0; i < 5000; i++) entries.push({ seq: entries.length + 1, event: listEvent(blob(dir, `${LIST}\n第 ${i} 页`)) });
    const t0 = performance.now();
    const inputs = readSessionPolicyInputs(dir, entries);
    const ms = performance.now() - t0;
    expect(inputs.policy!.listPages).toHaveLength(MAX_LIST_PAGES);
    expect(inputs.policy!.listPages!.map((l) => l.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    // Eight small pages read with the policy: well under a second even on a busy 2-core machine.
    expect(ms).toBeLessThan(2000);
  });
});
