/**
 * Evaluators over the explorer's walk (issue #29; src-main/core/explore): how many taps the privacy policy is from
 * the main screen (164-1.7), whether account deletion (191-6.1), looking up / correcting / deleting one's
 * information (191-6.2), a complaint channel (191-6.3) and a way to withdraw consent (191-6.4) were found and
 * where, whether the personalisation switch can be turned off and stays off (164-4.1), and whether an ad showed a
 * close control in time (164-7.2). They read the session's latest `explore.result`; the path and the screenshots
 * and UI dumps along it are the evidence the tester confirms. Without a walk they leave the item to the tester.
 */
import { z } from 'zod';
import { PROBLEMS_LEAVING_GAPS, type ExploreSummary, type ExploreTarget, type PathStep, type TargetResult } from '../../../../src-preload/explore.js';
import { STOP_REASONS, TARGET_NAMES } from '../../../../src-preload/explore-description.js';
import type { TimelineFacts } from '../timeline-facts.js';
import { defineEvaluator, needsTester, noneObserved, secs, violation, type Outcome } from './proposal.js';

interface Walk { seq: number; summary: ExploreSummary }

/** The session's latest finished walk, or null. */
function latestWalk(f: TimelineFacts): Walk | null {
  const all = f.events('explore.result');
  const last = all[all.length - 1];
  return last && last.event.summary && Array.isArray(last.event.summary.targets) ? { seq: last.seq, summary: last.event.summary } : null;
}

const NO_WALK = ['探索未运行：请在“探索”阶段运行探索，或人工查找并附截图。', 'The explorer has not run: run it in the Explore stage, or look by hand and attach screenshots.'] as const;

/** "我的 › 设置 › 隐私政策" */
function pathText(path: PathStep[], label: string): string {
  const steps = path.map((p) => p.label || '?');
  if (!steps.length || steps[steps.length - 1] !== label) steps.push(label);
  return steps.join(' › ');
}

function target(w: Walk, t: ExploreTarget): TargetResult | undefined {
  return w.summary.targets.find((x) => x && x.target === t);
}

/**
 * Whether a not-found means "not in the app" (the walk tried everything within its limits) or "not reached": a walk
 * that met a page it could not read, a pop-up it could not close or an app dying under it did not see all of it.
 */
function walkedAll(w: Walk): boolean {
  const problems = Array.isArray(w.summary.problems) ? w.summary.problems : [];
  return w.summary.stopped === 'explored' && !problems.some((p) => p && PROBLEMS_LEAVING_GAPS.includes(p.problem));
}

function stopWords(w: Walk): [string, string] {
  const r = STOP_REASONS[w.summary.stopped] ?? [w.summary.stopped, w.summary.stopped];
  const gaps = w.summary.stopped === 'explored' && !walkedAll(w);
  return [
    `${w.summary.screens} 个界面、${w.summary.taps} 次点击后停止：${r[0]}${gaps ? '，但有无法读取的网页、无法关闭的弹窗或应用退出' : ''}`,
    `stopped after ${w.summary.screens} screens and ${w.summary.taps} taps: ${r[1]}${gaps ? ', but a page could not be read, a pop-up could not be closed or the app died' : ''}`,
  ];
}

export const explorePolicyDepth = defineEvaluator({
  name: 'explore-policy-depth',
  summary: { zh: '探索找到隐私政策所需的点击次数：超过上限为违规，上限以内给出路径。', en: 'Taps the explorer needed to reach the privacy policy: more than the limit is a violation; within it, the path.' },
  params: () => z.object({ maxTaps: z.number().int().min(1).max(20).default(4) }).strict(),
  evaluate(f, p): Outcome {
    const w = latestWalk(f);
    if (!w) return needsTester([], NO_WALK[0], NO_WALK[1]);
    const t = target(w, 'privacy-policy');
    if (!t || !t.found) {
      const [zh, en] = stopWords(w);
      return walkedAll(w)
        ? violation([w.seq], `探索走遍了应用（${zh}），未找到隐私政策的入口：请人工确认。`, `The explorer walked the whole app (${en}) and found no way to the privacy policy: confirm by hand.`)
        : needsTester([w.seq], `探索在限制内未找到隐私政策（${zh}）：请人工查找，或放宽限制后再探索。`, `The explorer did not reach the privacy policy within its limits (${en}): look by hand, or explore again with wider limits.`);
    }
    const path = pathText(t.path, t.label);
    const evidence = [w.seq, ...t.evidence];
    return t.taps > p.maxTaps
      ? violation(evidence, `隐私政策在主界面 ${t.taps} 次点击之后（超过 ${p.maxTaps} 次）：${path}`, `The privacy policy is ${t.taps} taps from the main screen (more than ${p.maxTaps}): ${path}`)
      : noneObserved(`隐私政策在主界面 ${t.taps} 次点击以内可达：${path}`, `The privacy policy is reached in ${t.taps} taps from the main screen: ${path}`, evidence);
  },
});

/** A phone number on a page ("400-000-0000", "010 1234 5678", "95xxx"). */
const PHONE = /(?:\b400[-\s]?\d{3}[-\s]?\d{4}\b|\b0\d{2,3}[-\s]?\d{7,8}\b|\b1[3-9]\d{9}\b|\b95\d{3,4}\b)/;
/** What a deletion page offers when deletion can be done in the app (a button that starts it). */
const DELETE_ACTIONS = ['申请注销', '确认注销', '立即注销', '继续注销', '注销账号', '下一步', '同意并继续', 'delete account', 'continue', 'next'];

export const exploreTargetFound = defineEvaluator({
  name: 'explore-target',
  summary: { zh: '探索是否找到某项功能（注销账号、个人信息查询更正删除、投诉、撤回同意）及其路径。', en: 'Whether the explorer found a function (account deletion, PI rights, complaints, consent withdrawal) and its path.' },
  params: () => z.object({
    target: z.enum(['account-deletion', 'pi-rights', 'complaints', 'consent-withdrawal']),
    maxTaps: z.number().int().min(1).max(20).optional(),
  }).strict(),
  evaluate(f, p): Outcome {
    const w = latestWalk(f);
    if (!w) return needsTester([], NO_WALK[0], NO_WALK[1]);
    const [zhName, enName] = TARGET_NAMES[p.target];
    const t = target(w, p.target);
    if (!t || !t.found) {
      const [zh, en] = stopWords(w);
      return walkedAll(w)
        ? violation([w.seq], `探索走遍了应用（${zh}），未找到${zhName}的入口：请人工确认。`, `The explorer walked the whole app (${en}) and found no ${enName}: confirm by hand.`)
        : needsTester([w.seq], `探索在限制内未找到${zhName}（${zh}）：请人工查找。`, `The explorer did not find ${enName} within its limits (${en}): look by hand.`);
    }
    const path = pathText(t.path, t.label);
    const evidence = [w.seq, ...t.evidence];
    if (p.maxTaps !== undefined && t.taps > p.maxTaps) {
      return violation(evidence, `${zhName}在主界面 ${t.taps} 次点击之后（超过 ${p.maxTaps} 次）：${path}`, `${enName[0]!.toUpperCase()}${enName.slice(1)} is ${t.taps} taps from the main screen (more than ${p.maxTaps}): ${path}`);
    }
    if (p.target === 'account-deletion' && t.landing) {
      const words = t.landing.words.join(' ');
      const phone = PHONE.exec(words)?.[0];
      const actions = Array.isArray(t.landing.actions) ? t.landing.actions : [];
      const action = actions.some((x) => DELETE_ACTIONS.some((a) => x.trim().toLowerCase() === a || (x.trim().toLowerCase().startsWith(a) && x.length <= 12)));
      if (phone && !action) {
        return violation(evidence, `注销账号页面（${path}）只给出电话 ${phone}，应用内没有注销操作：请确认是否属于不合理条件。`, `The account deletion page (${path}) only gives a phone number, ${phone}, and offers no way to delete the account in the app: confirm whether that is an unreasonable condition.`);
      }
    }
    return noneObserved(`${zhName}在主界面 ${t.taps} 次点击处找到：${path}。请确认其可用。`, `${enName[0]!.toUpperCase()}${enName.slice(1)} found ${t.taps} taps from the main screen: ${path}. Confirm that it works.`, evidence);
  },
});

export const explorePersonalisation = defineEvaluator({
  name: 'explore-personalisation',
  summary: { zh: '探索找到个性化推荐开关后将其关闭并观察：自动重新打开或无法关闭为违规。', en: 'The explorer turns the personalisation switch off and watches it: turning itself back on, or not turning off, is a violation.' },
  params: () => z.object({}).strict(),
  evaluate(f): Outcome {
    const w = latestWalk(f);
    if (!w) return needsTester([], NO_WALK[0], NO_WALK[1]);
    const t = target(w, 'personalisation');
    const sw = w.summary.switch;
    const where = t && t.found ? pathText(t.path, t.label) : sw?.label ?? '';
    const evidence = [w.seq, ...(t && t.found ? t.evidence : []), ...(sw?.evidence ?? [])];
    if (!sw) {
      const [zh, en] = stopWords(w);
      return needsTester(evidence, `探索未找到个性化推荐开关（${zh}）：若应用有个性化推荐，请人工查找关闭选项。`, `The explorer found no personalisation switch (${en}): if the app personalises content, look for the switch by hand.`);
    }
    switch (sw.state) {
      case 'back-on': return sw.backOn === 'reopened'
        ? violation(evidence, `个性化推荐开关（${where}）关闭后，离开并重新打开该页面时又是打开的：设置没有保存，用户无法关闭。`, `The personalisation switch (${where}) was on again when its page was left and opened again after turning it off: the setting is not kept, so the user cannot turn it off.`)
        : violation(evidence, `个性化推荐开关（${where}）关闭后 ${secs(sw.watchedMs)} 秒内自动重新打开：用户无法关闭。`, `The personalisation switch (${where}) turned itself back on within ${secs(sw.watchedMs)} s of being turned off: the user cannot turn it off.`);
      case 'not-off': return violation(evidence, `个性化推荐开关（${where}）点击后未关闭。`, `The personalisation switch (${where}) did not turn off when tapped.`);
      case 'no-switch': return needsTester(evidence, `找到“个性化推荐”文字（${where}），旁边没有开关：请人工确认如何关闭。`, `Found the words (${where}) but no switch beside them: confirm by hand how to turn it off.`);
      case 'was-off': return noneObserved(`个性化推荐开关（${where}）原本就是关闭的。`, `The personalisation switch (${where}) was already off.`, evidence);
      default: return noneObserved(`个性化推荐开关（${where}）可以关闭，观察 ${secs(sw.watchedMs)} 秒保持关闭。`, `The personalisation switch (${where}) turns off and stayed off for the ${secs(sw.watchedMs)} s watched.`, evidence);
    }
  },
});

export const exploreAdClose = defineEvaluator({
  name: 'explore-ad-close',
  summary: { zh: '探索遇到的广告是否在规定秒数内出现关闭按钮。', en: 'Whether the ads the explorer met showed a close control within the given seconds.' },
  params: () => z.object({ closeWithinS: z.number().min(0).max(120).default(5) }).strict(),
  evaluate(f, p): Outcome {
    const w = latestWalk(f);
    if (!w) return needsTester([], NO_WALK[0], NO_WALK[1]);
    const ads = Array.isArray(w.summary.ads) ? w.summary.ads : [];
    const never = ads.find((a) => a.closeAfterMs === null);
    if (never) return violation([w.seq, ...never.evidence], `广告“${never.words}”在 ${secs(never.waitedMs)} 秒内没有关闭按钮。`, `The ad “${never.words}” showed no close control within ${secs(never.waitedMs)} s.`);
    const late = ads.find((a) => (a.closeAfterMs ?? 0) > p.closeWithinS * 1000);
    if (late) return violation([w.seq, ...late.evidence], `广告“${late.words}”的关闭按钮在探索看到它 ${secs(late.closeAfterMs!)} 秒后才出现（超过 ${p.closeWithinS} 秒）。`, `The ad “${late.words}” showed its close control only ${secs(late.closeAfterMs!)} s after the explorer saw it (more than ${p.closeWithinS} s).`);
    const closed = w.summary.popups.filter((x) => x.kind === 'ad').length + ads.length;
    return noneObserved(
      closed ? `探索遇到的 ${closed} 个广告都能在 ${p.closeWithinS} 秒内关闭。` : '探索过程中没有遇到无法关闭的广告；摇一摇跳转仍需人工检测。',
      closed ? `The ${closed} ads the explorer met could all be closed within ${p.closeWithinS} s.` : 'The explorer met no ad it could not close; shake-to-jump still needs a tester.',
      [w.seq, ...ads.flatMap((a) => a.evidence)],
    );
  },
});
