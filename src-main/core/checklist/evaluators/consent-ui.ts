/**
 * Evaluators over the first-launch screen's UI dump (164-1.4 decline option, 164-1.5 pre-ticked or implied
 * consent, 164-1.6 the policy pop-up): the workbench reads the dialog's buttons and boxes; the tester decides.
 */
import { z } from 'zod';
import type { UiDumpNode } from '../../../../src-preload/api.js';
import type { TimelineFacts } from '../timeline-facts.js';
import { defineEvaluator, insufficient, needsTester, noneObserved, violation } from './proposal.js';

/** Words of a privacy dialog, its decline buttons and its consent boxes (zh and en; templates may override). */
export const POLICY_WORDS = '隐私|个人信息|用户协议|服务协议|privacy|personal (data|information)|terms';
export const DECLINE_WORDS = '^(不同意|拒绝|暂不同意|暂不使用|不同意并退出|退出|取消|disagree|decline|refuse|reject|no,? thanks|exit|cancel)';
export const AGREE_WORDS = '^(同意|同意并继续|接受|我同意|我知道了|好的|知道了|确定|继续|agree|accept|i agree|got it|ok|continue)';
const IMPLIED = '(登录|注册)即(表示)?(您)?(已)?(阅读并)?(同意|视为)|by (signing in|logging in|registering)[^.]{0,40}agree';

/** A regular expression a tester may tune (a parameter schema, built with the evaluator's). */
const words = () => z.string().max(400).refine((s) => {
  try {
    new RegExp(s, 'i');
    return true;
  } catch {
    return false;
  }
}, 'a valid regular expression');

export function flatten(nodes: UiDumpNode[], out: UiDumpNode[] = [], depth = 0): UiDumpNode[] {
  for (const n of nodes) {
    if (out.length >= 5000 || depth > 64) break;
    out.push(n);
    flatten(n.children, out, depth + 1);
  }
  return out;
}

/**
 * The UI dumps taken before the privacy dialog was answered (the first of each first launch first). The policy
 * pages read in the policy stage are not the first-launch screen: judged as one, a page of the policy would be a
 * "dialog without a decline button".
 */
export function firstLaunchDumps(f: TimelineFacts): Array<{ seq: number; nodes: UiDumpNode[] }> {
  // By recording order (seq), not time: a capture carries the host's clock, the stage marks the phone's.
  const policy = f.stageSpans('policy');
  const inPolicy = (seq: number): boolean => policy.some((s) => seq > s.openSeq && (s.closeSeq === null || seq < s.closeSeq));
  return f.events('capture').filter((c) => c.event.kind === 'ui.dump' && f.within(f.preConsent, c.t) && f.uiDumps.has(c.seq) && !inPolicy(c.seq))
    .map((c) => ({ seq: c.seq, nodes: flatten(f.uiDumps.get(c.seq)!.nodes) }));
}

function label(n: UiDumpNode): string {
  return (n.text || n.contentDesc).trim();
}

export const declineOption = defineEvaluator({
  name: 'consent-decline-option',
  summary: { zh: '首次启动的隐私政策弹窗是否有明确的“不同意/拒绝”按钮（读取界面结构）。', en: 'Whether the first-launch privacy dialog has an explicit decline button (from the UI dump).' },
  params: () => z.object({ policyWords: words().default(POLICY_WORDS), declineWords: words().default(DECLINE_WORDS) }).strict(),
  evaluate(f, p) {
    const dumps = firstLaunchDumps(f);
    if (!dumps.length) return insufficient('首次启动时没有采集界面结构（UI dump）。', 'No UI dump was taken at first launch.');
    const policy = new RegExp(p.policyWords, 'i');
    const decline = new RegExp(p.declineWords, 'i');
    const dialog = dumps.find((d) => d.nodes.some((n) => policy.test(label(n))));
    if (!dialog) return needsTester(dumps.map((d) => d.seq), '首次启动界面上未识别出隐私政策弹窗，请人工确认（另见 164-1.6）。', 'No privacy dialog was recognised on the first-launch screen; check by hand (see also 164-1.6).');
    const box = dialog.nodes.find((n) => n.checkable && policy.test(label(n)));
    if (box) return noneObserved(`同意以勾选框方式给出（“${label(box)}”），不勾选即拒绝；是否默认勾选见 164-1.5。`, `Consent is a checkbox ("${label(box)}"); leaving it unticked declines. Whether it is pre-ticked is 164-1.5.`, [dialog.seq]);
    const buttons = dialog.nodes.filter((n) => n.clickable && label(n));
    const declines = buttons.filter((n) => decline.test(label(n)));
    if (declines.length) return noneObserved(`弹窗有拒绝选项：“${label(declines[0]!)}”。`, `The dialog offers a decline option: "${label(declines[0]!)}".`, [dialog.seq]);
    const names = buttons.map((n) => `“${label(n)}”`).join('、') || '无';
    return violation([dialog.seq], `隐私政策弹窗没有拒绝选项，只有：${names}。`, `The privacy dialog has no decline option, only: ${buttons.map((n) => `"${label(n)}"`).join(', ') || 'none'}.`);
  },
});

export const preTickedConsent = defineEvaluator({
  name: 'consent-pre-ticked',
  summary: { zh: '首次启动界面上是否有默认勾选的同意框，或“登录即同意”式的默示同意。', en: 'A consent box ticked before any tap, or implied consent ("signing in means you agree"), on the first-launch screen.' },
  params: () => z.object({ consentWords: words().default('同意|隐私|协议|agree|privacy|terms'), impliedWords: words().default(IMPLIED) }).strict(),
  evaluate(f, p) {
    const dumps = firstLaunchDumps(f);
    if (!dumps.length) return insufficient('首次启动时没有采集界面结构（UI dump）。', 'No UI dump was taken at first launch.');
    const consent = new RegExp(p.consentWords, 'i');
    const implied = new RegExp(p.impliedWords, 'i');
    for (const d of dumps) {
      const ticked = d.nodes.find((n) => n.checkable && n.checked && consent.test(label(n)));
      if (ticked) return violation([d.seq], `同意框在任何操作前已被勾选：“${label(ticked)}”。`, `A consent box was ticked before any tap: "${label(ticked)}".`);
      const said = d.nodes.find((n) => implied.test(label(n)));
      if (said) return violation([d.seq], `默示同意：“${label(said)}”。`, `Implied consent: "${label(said)}".`);
    }
    return noneObserved('未发现默认勾选的同意框或默示同意。', 'No pre-ticked consent box or implied consent was found.', dumps.map((d) => d.seq));
  },
});

export const policyPrompt = defineEvaluator({
  name: 'consent-policy-prompt',
  summary: { zh: '首次运行是否以弹窗提示阅读隐私政策并提供可点击的链接：工作台找出弹窗和链接，检测人员点开确认。', en: 'Whether first run prompts to read the policy in a pop-up with a working link: the workbench finds the dialog and link, the tester opens it.' },
  params: () => z.object({ policyWords: words().default(POLICY_WORDS) }).strict(),
  evaluate(f, p) {
    const dumps = firstLaunchDumps(f);
    if (!dumps.length) return insufficient('首次启动时没有采集界面结构（UI dump）。', 'No UI dump was taken at first launch.');
    const policy = new RegExp(p.policyWords, 'i');
    const link = dumps.flatMap((d) => d.nodes.filter((n) => n.clickable && policy.test(label(n))).map((n) => ({ seq: d.seq, n })))[0];
    if (!link) return needsTester(dumps.map((d) => d.seq), '未找到可点击的隐私政策链接，请人工确认首次运行是否提示阅读隐私政策。', 'No clickable privacy policy link was found; check by hand whether first run prompts to read the policy.');
    return needsTester([link.seq], `找到隐私政策链接“${label(link.n)}”，请点开确认其可用。`, `Found the policy link "${label(link.n)}"; open it to confirm it works.`);
  },
});
