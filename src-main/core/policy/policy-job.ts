/**
 * A privacy policy read in an analysis child, as read-off-thread.ts asks: its bytes decoded and reduced to
 * text (policy-text.ts) or its text as captured, then read (read-policy.ts). Plain data in and out; the size
 * caps apply here as anywhere.
 */
import type { PolicyReading } from '../../../src-preload/policy.js';
import { policyTextFromBytes, type PolicyText } from './policy-text.js';
import { readPolicy } from './read-policy.js';

/** `what` names the policy in messages (a file name, an address); `lists`: list pages read with it (issue #25). */
export type PolicyJob = { job: 'policy'; what: string; lists?: string[] } & ({ bytes: Uint8Array; contentType: string | null } | { text: string });

export interface PolicyJobResult {
  text: PolicyText;
  reading: PolicyReading;
}

export function policyJob(j: PolicyJob): PolicyJobResult {
  const text = 'bytes' in j
    ? policyTextFromBytes(Buffer.from(j.bytes.buffer, j.bytes.byteOffset, j.bytes.byteLength), j.contentType, j.what)
    : { text: j.text, charset: 'utf-8', html: false };
  return { text, reading: readPolicy(text.text, { lists: j.lists }) };
}
