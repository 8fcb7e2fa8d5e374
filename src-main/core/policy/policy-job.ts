/**
 * A privacy policy read in an analysis child, as read-off-thread.ts asks: its bytes decoded and reduced to
 * text (policy-text.ts) or its text as captured, then read (read-policy.ts). Plain data in and out; the size
 * caps apply here as anywhere.
 */
import type { PolicyReading } from '../../../src-preload/policy.js';
import { WorkbenchError } from '../errors.js';
import { MAX_POLICY_CHARS, policyTextFromBytes, type PolicyText } from './policy-text.js';
import { readPolicy } from './read-policy.js';

/**
 * `what` names the policy in messages (a file name, an address); `lists` are the texts of its separate list
 * pages captured after it (a referenced 清单 or SDK 目录), read with it.
 */
export type PolicyJob = { job: 'policy'; what: string; lists?: string[] } & ({ bytes: Uint8Array; contentType: string | null } | { text: string });

export interface PolicyJobResult {
  text: PolicyText;
  reading: PolicyReading;
}

/** List pages read with one policy: a policy points to two lists, a few pages each at most. */
export const MAX_LIST_PAGES = 8;

export function policyJob(j: PolicyJob): PolicyJobResult {
  const lists = j.lists ?? [];
  const listChars = lists.reduce((n, l) => n + l.length, 0);
  if (lists.length > MAX_LIST_PAGES || listChars > MAX_POLICY_CHARS) {
    throw new WorkbenchError('policy.refused', `${lists.length} list pages of ${listChars.toLocaleString('en')} characters were given with ${j.what}; at most ${MAX_LIST_PAGES} pages and ${MAX_POLICY_CHARS.toLocaleString('en')} characters are read with one policy (capture only the pages of its two lists). 与“${j.what}”一同提供了 ${lists.length} 个清单页面、共 ${listChars.toLocaleString('en')} 个字符；一份隐私政策最多一同读取 ${MAX_LIST_PAGES} 个页面、${MAX_POLICY_CHARS.toLocaleString('en')} 个字符（请只采集其两个清单的页面）。`);
  }
  const text = 'bytes' in j
    ? policyTextFromBytes(Buffer.from(j.bytes.buffer, j.bytes.byteOffset, j.bytes.byteLength), j.contentType, j.what)
    : { text: j.text, charset: 'utf-8', html: false };
  return { text, reading: readPolicy(text.text, { lists: j.lists }) };
}
