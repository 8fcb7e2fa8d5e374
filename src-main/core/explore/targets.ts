/**
 * What the explorer (issue #29) looks for on each screen, with the wordings real apps use, and the checklist item
 * each one answers: the privacy policy (164-1.7: more than 4 taps from the main screen is a violation), account
 * deletion (191-6.1), looking up / correcting / deleting / exporting one's personal information (191-6.2),
 * complaints and contact (191-6.3), withdrawing consent (191-6.4) and the switch for personalised recommendations
 * and ads (164-4.1). A label names a target when it contains one of the target's words (Chinese) or phrases
 * (English, case-insensitive), unless that word lies inside a longer word of another target ("撤回隐私政策同意" is
 * withdrawing consent, not the policy); a label may name several.
 */
import type { UiDumpNode } from '../../../src-preload/api.js';
import type { ExploreTarget } from '../../../src-preload/explore.js';

export type { ExploreTarget };

export interface TargetWords {
  /** The checklist item the finding goes to. */
  item: string;
  zh: string[];
  en: string[];
}

export const TARGETS: Record<ExploreTarget, TargetWords> = {
  'privacy-policy': { item: '164-1.7', zh: ['隐私政策', '隐私权政策', '个人信息保护政策', '隐私保护政策', '隐私协议', '隐私条款'], en: ['privacy policy', 'privacy notice'] },
  'account-deletion': { item: '191-6.1', zh: ['注销账号', '账号注销', '注销帐号', '帐号注销', '注销账户', '账户注销'], en: ['delete account', 'account deletion', 'close account', 'cancel account'] },
  'pi-rights': { item: '191-6.2', zh: ['个人信息查询', '个人信息更正', '个人信息删除', '个人信息导出', '查询个人信息', '更正个人信息', '删除个人信息', '导出个人信息', '个人信息管理', '个人信息副本'], en: ['personal information', 'download your data', 'export your data', 'access your data'] },
  complaints: { item: '191-6.3', zh: ['投诉', '举报', '联系我们', '客服', '意见反馈', '帮助与反馈'], en: ['complaint', 'report a problem', 'contact us', 'customer service', 'feedback'] },
  'consent-withdrawal': { item: '191-6.4', zh: ['撤回同意', '撤回授权', '关闭授权', '撤回隐私政策同意', '撤销授权'], en: ['withdraw consent', 'revoke consent', 'revoke authorization'] },
  personalisation: { item: '164-4.1', zh: ['个性化推荐', '个性化广告', '程序化广告', '个性化内容推荐', '个性化服务'], en: ['personalized recommendation', 'personalised recommendation', 'personalized ads', 'personalised ads', 'ad personalization'] },
};

type Match = { target: ExploreTarget; from: number; to: number };

function matchesIn(text: string, words: (t: ExploreTarget) => string[]): Match[] {
  const out: Match[] = [];
  for (const target of Object.keys(TARGETS) as ExploreTarget[]) {
    for (const w of words(target)) {
      for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) out.push({ target, from: at, to: at + w.length });
    }
  }
  return out;
}

/** The matches not inside a longer match of another target. */
function outermost(matches: Match[]): Match[] {
  return matches.filter((m) => !matches.some((o) => o.target !== m.target && o.from <= m.from && m.to <= o.to && o.to - o.from > m.to - m.from));
}

/** Longest label read (an app's text is untrusted; a control's label is short). */
const LABEL_MAX = 200;

/** The targets a label names (in the order of TARGETS). */
export function targetsOfLabel(label: string): ExploreTarget[] {
  const text = label.slice(0, LABEL_MAX);
  const found = new Set([
    ...outermost(matchesIn(text.replace(/\s+/g, ''), (t) => TARGETS[t].zh)),
    ...outermost(matchesIn(text.replace(/\s+/g, ' ').toLowerCase(), (t) => TARGETS[t].en)),
  ].map((m) => m.target));
  return (Object.keys(TARGETS) as ExploreTarget[]).filter((t) => found.has(t));
}

/** The targets a node names by its text or its description. */
export function targetsOf(node: Pick<UiDumpNode, 'text' | 'contentDesc'>): ExploreTarget[] {
  const found = new Set([...targetsOfLabel(node.text), ...targetsOfLabel(node.contentDesc)]);
  return (Object.keys(TARGETS) as ExploreTarget[]).filter((t) => found.has(t));
}
