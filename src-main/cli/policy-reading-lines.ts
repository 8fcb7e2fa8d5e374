/**
 * What `apprights policy check` prints of a reading beside the matrix (issue #25): each list the policy only
 * points to with the reference's words and link, the list pages read with it, companies named in other roles
 * (they declare nothing: the tester checks), SDKs the policy denies, notices about the text. Each line in
 * English, then in Chinese, indented (as `apprights verify` prints its checks); every value through `tty`.
 */
import type { PolicySentence, ReadingView } from '../../src-preload/policy.js';
import { own, tty } from './terminal-guard.js';

const LIST = { collected: ['collected-PI list', '已收集个人信息清单'], shared: ['third-party sharing list', '第三方共享个人信息清单'] } as const;
const ROLE = {
  'third-party': ['third party receiving data (no SDK of it named)', '接收信息的第三方（未写明其 SDK）'], 'service-provider': ['provider of a function', '某项功能的服务提供方'], link: ['link', '链接'], address: ['address', '地址'], operator: ['operator', '运营方'], other: ['another role', '其他身份'],
} as const;

export function readingLines(r: ReadingView, sentences: PolicySentence[], listFiles: string[]): string[] {
  const out: string[] = [];
  const quote = (i: number | undefined): { en: string; zh: string } => {
    const s = i === undefined ? undefined : sentences[i];
    return s ? { en: tty` — policy line ${s.line}: “${s.text.slice(0, 120)}”`, zh: tty`——政策第 ${s.line} 行：“${s.text.slice(0, 120)}”` } : { en: '', zh: '' };
  };
  for (const key of ['collected', 'shared'] as const) {
    const ref = r.twoLists[key].reference;
    if (r.twoLists[key].verdict !== 'referenced' || !ref) continue;
    const [en, zh] = LIST[key];
    out.push(tty`${own(en)} only referenced — the policy says: “${ref.text.slice(0, 160)}”; ${ref.url ? tty`link: ${ref.url}` : own('the policy gives no address')} (read that page with --list FILE|URL)`);
    out.push(tty`  ${own(zh)}仅被引用——政策原文：“${ref.text.slice(0, 160)}”；${ref.url ? tty`链接：${ref.url}` : own('政策未给出网址')}（用 --list 文件|网址 读取该页面）`);
  }
  for (const f of listFiles) {
    out.push(tty`List page read with the policy: ${f}`);
    out.push(tty`  与政策一同读取的清单页面：${f}`);
  }
  if (r.operator) out.push(tty`Operator: ${r.operator}`, tty`  运营方：${r.operator}`);
  for (const c of r.companies) {
    const q = quote(c.sentences[0]);
    out.push(tty`Company named, SDK not named — check: ${c.term} (${own(ROLE[c.role][0])})${own(q.en)}`);
    out.push(tty`  提到的公司（未写明SDK，需人工核对）：${c.term}（${own(ROLE[c.role][1])}）${own(q.zh)}`);
  }
  for (const d of r.deniedSdks) {
    const q = quote(d.sentence);
    out.push(tty`The policy says it does not use: ${d.term} (${d.id})${own(q.en)}`);
    out.push(tty`  政策称未接入：${d.term}（${d.id}）${own(q.zh)}`);
  }
  for (const n of r.notices) out.push(tty`Note: ${n.message.en}`, tty`  提示：${n.message.zh}`);
  return out;
}
