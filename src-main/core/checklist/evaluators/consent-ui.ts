/**
 * Evaluators over the first-launch screen's UI dump (164-1.4 decline option, 164-1.5 pre-ticked or implied
 * consent, 164-1.6 the policy pop-up): the workbench reads the dialog's controls and boxes with consent-dialog.ts
 * and points at the dump and the screenshot taken with it; the tester decides.
 */
import { z } from 'zod';
import type { UiDumpNode } from '../../../../src-preload/api.js';
import type { TimelineFacts } from '../timeline-facts.js';
import { compileWords, CONSENT_BOX_WORDS, consentBoxes, DECLINE_WORDS, GUEST_WORDS, IMPLIED_WORDS, impliedConsent, label, ofRole, POLICY_WORDS, readConsentDialog, type ConsentBox, type DialogControl } from './consent-dialog.js';
import { defineEvaluator, insufficient, needsTester, noneObserved, violation } from './proposal.js';

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
export function firstLaunchDumps(f: TimelineFacts): Array<{ seq: number; nodes: UiDumpNode[]; shot: number | null }> {
  // By recording order (seq), not time: a capture carries the host's clock, the stage marks the phone's.
  const policy = f.stageSpans('policy');
  const inPolicy = (seq: number): boolean => policy.some((s) => seq > s.openSeq && (s.closeSeq === null || seq < s.closeSeq));
  const captures = f.events('capture');
  return captures.filter((c) => c.event.kind === 'ui.dump' && f.within(f.preConsent, c.t) && f.uiDumps.has(c.seq) && !inPolicy(c.seq))
    .map((c) => ({ seq: c.seq, nodes: f.uiDumps.get(c.seq)!.nodes, shot: screenshotOf(captures, c) }));
}

/**
 * The screenshot taken with a UI dump (the run takes one, then the other, under one name): the picture the
 * tester compares the dump with. Null when the dump was taken alone.
 */
function screenshotOf(captures: ReturnType<TimelineFacts['events']>, dump: { seq: number; event: { name: string | null } }): number | null {
  let shot: number | null = null;
  for (const c of captures) {
    if (c.seq >= dump.seq) break;
    if (c.event.type !== 'capture') continue;
    if (c.event.kind === 'screenshot' && c.event.name === dump.event.name) shot = c.seq;
    else if (c.event.kind === 'ui.dump') shot = null;
  }
  return shot;
}

const quoted = (cs: Array<{ label: string }>, zh: boolean) => cs.map((c) => (zh ? `“${c.label}”` : `"${c.label}"`)).join(zh ? '、' : ', ');

function boxKind(b: ConsentBox): { zh: string; en: string } {
  return b.kind === 'switch' ? { zh: '开关', en: 'switch' } : { zh: '勾选框', en: 'checkbox' };
}

export const declineOption = defineEvaluator({
  name: 'consent-decline-option',
  summary: { zh: '首次启动的隐私政策弹窗是否有明确的“不同意/拒绝”按钮或游客（仅浏览）模式；只有“我知道了/好的/同意”等按钮即无法拒绝（读取界面结构，含 WebView 中的文字）。', en: 'Whether the first-launch privacy dialog has an explicit decline button or a guest (browse-only) mode; only "Got it / OK / Agree" means it cannot be refused (from the UI dump, WebView text included).' },
  params: () => z.object({ policyWords: words().default(POLICY_WORDS), declineWords: words().default(DECLINE_WORDS), guestWords: words().default(GUEST_WORDS) }).strict(),
  evaluate(f, p) {
    const dumps = firstLaunchDumps(f);
    if (!dumps.length) return insufficient('首次启动时没有采集界面结构（UI dump）。', 'No UI dump was taken at first launch.');
    const vocabulary = compileWords({ policy: p.policyWords, decline: p.declineWords, guest: p.guestWords });
    const found = dumps.map((d) => ({ d, dialog: readConsentDialog(d.nodes, vocabulary) })).find((x) => x.dialog);
    if (!found) return needsTester(dumps.map((d) => d.seq), '首次启动界面上未识别出隐私政策弹窗，请人工确认（另见 164-1.6）。', 'No privacy dialog was recognised on the first-launch screen; check by hand (see also 164-1.6).');
    const { d } = found;
    const dialog = found.dialog!;
    const evidence = d.shot === null ? [d.seq] : [d.shot, d.seq];
    const web = dialog.inWebView ? { zh: '（弹窗文字在 WebView 中）', en: ' (the dialog is a WebView page)' } : { zh: '', en: '' };
    const declines = ofRole(dialog, 'decline');
    const guests = ofRole(dialog, 'guest');
    if (declines.length) {
      const guest = guests.length ? { zh: `；另可${quoted(guests, true)}进入游客/浏览模式`, en: `; ${quoted(guests, false)} also opens a guest/browse mode` } : { zh: '', en: '' };
      return noneObserved(`弹窗有拒绝选项：${quoted(declines.slice(0, 1), true)}${guest.zh}${web.zh}。`, `The dialog offers a decline option: ${quoted(declines.slice(0, 1), false)}${guest.en}${web.en}.`, evidence);
    }
    if (guests.length) {
      return noneObserved(`弹窗没有“不同意”按钮，但可以${quoted(guests, true)}进入游客/浏览模式，不同意也能使用${web.zh}；进入后的行为见 164-1.3。`, `The dialog has no "disagree" button, but ${quoted(guests, false)} opens a guest/browse mode without consent${web.en}; what happens there is 164-1.3.`, evidence);
    }
    const box = dialog.boxes[0];
    if (box) {
      const k = boxKind(box);
      return noneObserved(`同意以${k.zh}方式给出（“${box.label}”），不勾选即拒绝；是否默认勾选见 164-1.5。`, `Consent is a ${k.en} ("${box.label}"); leaving it off declines. Whether it is pre-ticked is 164-1.5.`, evidence);
    }
    const proceed = ofRole(dialog, 'agree', 'acknowledge');
    const others = dialog.controls.filter((c) => c.role === 'other');
    if (proceed.length) return onlyProceed(evidence, proceed, others, web);
    const names = others.length ? { zh: `，只有：${quoted(others, true)}`, en: `, only: ${quoted(others, false)}` } : { zh: '', en: '' };
    return needsTester(evidence, `识别出隐私政策弹窗，但没有识别出同意、拒绝或确认按钮${names.zh}${web.zh}；请对照截图确认能否拒绝。`, `A privacy dialog was recognised but no agree, decline or acknowledge control${names.en}${web.en}; check against the screenshot whether it can be refused.`);
  },
});

/** 164-1.4: the dialog can only be accepted or acknowledged ("我知道了" alone does not count as a choice). */
function onlyProceed(evidence: number[], proceed: DialogControl[], others: DialogControl[], web: { zh: string; en: string }) {
  const ackOnly = proceed.every((c) => c.role === 'acknowledge');
  const what = ackOnly ? { zh: '只有确认类按钮', en: 'only acknowledge buttons' } : { zh: '只有同意类按钮', en: 'only agree buttons' };
  const rest = others.length ? { zh: `（另有：${quoted(others, true)}）`, en: ` (besides: ${quoted(others, false)})` } : { zh: '', en: '' };
  return violation(evidence, `隐私政策弹窗没有拒绝选项，${what.zh}：${quoted(proceed, true)}${rest.zh}${web.zh}，用户无法拒绝。`, `The privacy dialog has no decline option, ${what.en}: ${quoted(proceed, false)}${rest.en}${web.en}; the user cannot refuse.`);
}

export const preTickedConsent = defineEvaluator({
  name: 'consent-pre-ticked',
  summary: { zh: '首次启动界面上是否有默认勾选的同意框或默认打开的同意开关，或“登录即同意”式的默示同意。', en: 'A consent box ticked or a consent switch on before any tap, or implied consent ("signing in means you agree"), on the first-launch screen.' },
  params: () => z.object({ consentWords: words().default(CONSENT_BOX_WORDS), impliedWords: words().default(IMPLIED_WORDS) }).strict(),
  evaluate(f, p) {
    const dumps = firstLaunchDumps(f);
    if (!dumps.length) return insufficient('首次启动时没有采集界面结构（UI dump）。', 'No UI dump was taken at first launch.');
    const vocabulary = compileWords({ box: p.consentWords, implied: p.impliedWords });
    for (const d of dumps) {
      const evidence = d.shot === null ? [d.seq] : [d.shot, d.seq];
      const ticked = consentBoxes(d.nodes, vocabulary).find((b) => b.checked);
      if (ticked) {
        const k = boxKind(ticked);
        return violation(evidence, `同意${k.zh}在任何操作前已${ticked.kind === 'switch' ? '打开' : '被勾选'}：“${ticked.label}”。`, `A consent ${k.en} was ${ticked.kind === 'switch' ? 'on' : 'ticked'} before any tap: "${ticked.label}".`);
      }
      const said = impliedConsent(d.nodes, vocabulary);
      if (said) return violation(evidence, `默示同意：“${label(said)}”。`, `Implied consent: "${label(said)}".`);
    }
    return noneObserved('未发现默认勾选的同意框、默认打开的同意开关或默示同意。', 'No pre-ticked consent box, consent switch left on, or implied consent was found.', dumps.map((d) => d.seq));
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
    const link = dumps.flatMap((d) => flatten(d.nodes).filter((n) => n.clickable && policy.test(label(n))).map((n) => ({ seq: d.seq, n })))[0];
    if (!link) return needsTester(dumps.map((d) => d.seq), '未找到可点击的隐私政策链接，请人工确认首次运行是否提示阅读隐私政策。', 'No clickable privacy policy link was found; check by hand whether first run prompts to read the policy.');
    return needsTester([link.seq], `找到隐私政策链接“${label(link.n)}”，请点开确认其可用。`, `Found the policy link "${label(link.n)}"; open it to confirm it works.`);
  },
});
