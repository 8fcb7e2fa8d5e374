/**
 * Reading a privacy policy away from the workbench's main thread: its bytes (a file, a page) or its text (a
 * phone capture, a session's copy) go to an analysis child — the APK analysis queue and its limits, see
 * analysis-pool.ts — which decodes and reads them under a deadline. A policy that takes longer, or ends its
 * child, is refused with what to do; the workbench's other calls never wait on it.
 */
import { askAnalysisChild, type ChildFailure } from '../apk/analysis-pool.js';
import { WorkbenchError } from '../errors.js';
import type { PolicyJob, PolicyJobResult } from './policy-job.js';

/**
 * A policy at the size cap (a million characters of one sentence dense with dictionary terms) reads in
 * 1.2-1.5 s on a busy 2-core machine, the child's start included; twenty times that is not a policy.
 */
export const POLICY_READ_DEADLINE_MS = 30_000;

type PolicyInput = { what: string; lists?: string[] } & ({ bytes: Buffer; contentType: string | null } | { text: string });

export async function readPolicyOffThread(input: PolicyInput, o: { timeoutMs?: number } = {}): Promise<PolicyJobResult> {
  const timeoutMs = o.timeoutMs ?? POLICY_READ_DEADLINE_MS;
  const job: PolicyJob = { job: 'policy', ...input };
  const answer = await askAnalysisChild<PolicyJobResult>(job, timeoutMs);
  if (answer.ok) return answer.value;
  if ('error' in answer) {
    const { message, ...details } = answer.error.details;
    throw new WorkbenchError(answer.error.code, String(message ?? answer.error.code), details);
  }
  throw refusal(answer.failure, input.what, timeoutMs);
}

function refusal(why: ChildFailure, what: string, timeoutMs: number): WorkbenchError {
  const s = +(timeoutMs / 1000).toFixed(1);
  const en = why.kind === 'timeout'
    ? `reading ${what} took longer than ${s} s and was stopped; a privacy policy reads in a few seconds, so check that this is the policy page itself (not a site archive or generated text), or load the policy's own text as a file`
    : `reading ${what} ended the process reading it (${why.kind === 'crashed' ? why.message : why.kind === 'out-of-memory' ? 'out of memory' : why.how}); check that this is the policy page itself, or load the policy's own text as a file`;
  const zh = why.kind === 'timeout'
    ? `读取“${what}”超过 ${s} 秒，已停止；隐私政策几秒内即可读完，请确认这是隐私政策页面本身（而非网站存档或生成的文本），或将政策正文另存为文件后载入`
    : `读取“${what}”时读取进程意外结束；请确认这是隐私政策页面本身，或将政策正文另存为文件后载入`;
  return new WorkbenchError('policy.refused', `${en}. ${zh}。`, { what: what.slice(0, 200) });
}
