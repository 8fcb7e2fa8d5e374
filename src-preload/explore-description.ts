/**
 * The explorer's timeline events (issue #29) in Chinese and English, for the feed, the timeline, report.html and
 * the CLI: a walk started with its limits, each step (a tap with the control's label, Back, a pop-up closed, a
 * denied control and why, a screen reached), the switch and ad checks, and what the walk found. Labels are the
 * app's words: quoted as written, never translated. A session folder is untrusted: a field that is missing or of
 * the wrong type reads as "?", never throws.
 */
import type { ExploreStep, ExploreSummary, ExploreTarget, StopReason } from './explore.js';
import { q, say, w, type Said } from './said.js';

type Pair = readonly [string, string];

function pair(table: Record<string, Pair>, key: unknown, lang: 0 | 1): Said {
  const found = typeof key === 'string' && Object.hasOwn(table, key) ? table[key]! : null;
  return found ? [w(found[lang])] : say`${String(key)}`;
}

const text = (x: unknown): string => (typeof x === 'string' ? x.slice(0, 200) : '?');
const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
const secs = (ms: unknown): string => (num(ms) / 1000).toFixed(num(ms) < 10_000 ? 1 : 0);

export const TARGET_NAMES: Record<ExploreTarget, Pair> = {
  'privacy-policy': ['隐私政策', 'privacy policy'], 'account-deletion': ['注销账号', 'account deletion'], 'pi-rights': ['个人信息查询、更正、删除', 'query, correct or delete personal information'],
  complaints: ['投诉举报渠道', 'complaint channel'], 'consent-withdrawal': ['撤回同意', 'consent withdrawal'], personalisation: ['个性化推荐开关', 'personalisation switch'],
};

export const STOP_REASONS: Record<StopReason, Pair> = {
  explored: ['可点击的控件均已尝试', 'every control it may tap was tried'], maxTaps: ['达到点击次数上限', 'the tap limit was reached'],
  maxDepth: ['达到深度上限', 'the depth limit was reached'], maxMs: ['达到时间上限', 'the time limit was reached'], maxScreens: ['达到界面数上限', 'the screen limit was reached'],
  lost: ['无法回到主界面', 'the main screen could not be reached again'], stopped: ['已手动停止', 'stopped by hand'], error: ['手机无响应', 'the phone stopped answering'],
  'app-gone': ['应用反复退出', 'the app kept exiting'], 'screen-off': ['屏幕熄灭且无法唤醒', 'the screen went off and could not be woken'],
};

const DENY: Record<string, Pair> = {
  pays: ['会付款', 'would pay'], posts: ['会发布内容', 'would post'], deletes: ['会删除数据', 'would delete data'], withdraws: ['会撤回同意', 'would withdraw consent'], 'logs-out': ['会退出登录', 'would log out'],
  calls: ['会拨打电话', 'would call'], 'leaves-app': ['会离开应用', 'would leave the app'], types: ['是输入框', 'is a text field'], toggles: ['是开关', 'is a switch'],
};
const POPUP: Record<string, Pair> = { permission: ['权限申请', 'permission dialog'], ad: ['广告', 'ad'], update: ['更新提示', 'update prompt'], 'permission-explainer': ['权限说明', 'permission explainer'] };
const BACK: Record<string, Pair> = { return: ['返回上一界面', 'back to the screen before'], 'left-app': ['离开了应用，返回', 'left the app, back'], popup: ['关闭弹窗', 'closing a pop-up'] };
const SWITCH: Record<string, Pair> = {
  'stays-off': ['关闭后保持关闭', 'turned off and stayed off'], 'back-on': ['关闭后自动重新打开', 'turned off, then turned itself back on'],
  'not-off': ['点击后未关闭', 'did not turn off when tapped'], 'was-off': ['原本已关闭', 'was already off'], 'no-switch': ['有文字但旁边没有开关', 'words without a switch beside them'],
};

export function describeExploreStep(step: ExploreStep): { zh: Said; en: Said } {
  const s = step as ExploreStep & Record<string, unknown>;
  switch (step.kind) {
    case 'tap': return {
      zh: say`探索：第 ${num(step.tap)} 次点击“${q(text(step.label))}”${step.replay ? w('（重走路径）') : null}`,
      en: say`Explorer: tap ${num(step.tap)} on “${q(text(step.label))}”${step.replay ? w(' (retracing a path)') : null}`,
    };
    case 'screen': return {
      zh: say`探索：到达新界面（距主界面 ${num(step.depth)} 次点击）${text(step.id)}`,
      en: say`Explorer: reached a new screen (${num(step.depth)} taps from the main screen) ${text(step.id)}`,
    };
    case 'back': return { zh: say`探索：返回键（${pair(BACK, step.reason, 0)}）`, en: say`Explorer: Back (${pair(BACK, step.reason, 1)})` };
    case 'relaunch': return { zh: say`探索：重新启动应用回到主界面`, en: say`Explorer: relaunched the app to reach its main screen` };
    case 'popup': return {
      zh: say`探索：遇到${pair(POPUP, step.popup, 0)}“${q(text(step.words))}”${step.closedWith ? say`，点击“${q(text(step.closedWith))}”关闭` : w('，无可关闭的控件')}`,
      en: say`Explorer: ${pair(POPUP, step.popup, 1)} “${q(text(step.words))}”${step.closedWith ? say`, closed with “${q(text(step.closedWith))}”` : w(', nothing to close it with')}`,
    };
    case 'left-app': return {
      zh: say`探索：点击“${q(text(step.label))}”离开了应用，进入 ${text(step.package)}；此后不再点击它`,
      en: say`Explorer: “${q(text(step.label))}” left the app for ${text(step.package)}; never tapped again`,
    };
    case 'denied': return {
      zh: say`探索：未点击“${q(text(step.label))}”（${pair(DENY, step.reason, 0)}）`,
      en: say`Explorer: did not tap “${q(text(step.label))}” (${pair(DENY, step.reason, 1)})`,
    };
    case 'switch': return {
      zh: say`探索：个性化推荐开关“${q(text(step.check?.label))}”${pair(SWITCH, step.check?.state, 0)}（观察 ${secs(step.check?.watchedMs)} 秒${step.check?.backOn === 'reopened' ? w('，重新打开页面时已恢复开启') : null}）`,
      en: say`Explorer: the personalisation switch “${q(text(step.check?.label))}” ${pair(SWITCH, step.check?.state, 1)} (watched ${secs(step.check?.watchedMs)} s${step.check?.backOn === 'reopened' ? w('; on again when its page was opened again') : null})`,
    };
    case 'ad': return step.watch?.closeAfterMs === null || step.watch?.closeAfterMs === undefined
      ? { zh: say`探索：广告“${q(text(step.watch?.words))}”在 ${secs(step.watch?.waitedMs)} 秒内没有关闭按钮`, en: say`Explorer: the ad “${q(text(step.watch?.words))}” showed no close control within ${secs(step.watch?.waitedMs)} s` }
      : { zh: say`探索：广告“${q(text(step.watch.words))}”的关闭按钮在 ${secs(step.watch.closeAfterMs)} 秒后才出现`, en: say`Explorer: the ad “${q(text(step.watch.words))}” showed its close control only after ${secs(step.watch.closeAfterMs)} s` };
    case 'scroll': return step.direction === 'up'
      ? { zh: say`探索：向上滚动列表`, en: say`Explorer: scrolled the list up` }
      : { zh: say`探索：向下滚动列表${num(step.revealed) ? say`，新出现 ${num(step.revealed)} 项` : null}`, en: say`Explorer: scrolled the list down${num(step.revealed) ? say` (${num(step.revealed)} new)` : null}` };
    case 'problem': return describeProblem(step);
    default: return { zh: say`探索：未知步骤 ${text(s.kind)}`, en: say`Explorer: unknown step ${text(s.kind)}` };
  }
}

/** A problem the walk met, worded by its kind; an older session's step (only `what`) is quoted as written. */
function describeProblem(step: Extract<ExploreStep, { kind: 'problem' }>): { zh: Said; en: Said } {
  const label = text(step.label);
  const n = num(step.count);
  switch (step.problem) {
    case 'unreadable-webview': return {
      zh: say`探索：界面 ${text(step.screen)} 是没有界面树的网页视图（${'WebView'}），无法读取其中内容，未猜测点击其中任何位置`,
      en: say`Explorer: screen ${text(step.screen)} is a WebView with nothing in its UI tree: the walk cannot read into it and tapped nothing there by guess`,
    };
    case 'changing-screen': return {
      zh: say`探索：界面 ${text(step.screen)} 的内容在不断自行变化（已见 ${n} 种样子，如时钟、信息流、轮播），按同一界面处理`,
      en: say`Explorer: screen ${text(step.screen)} keeps changing by itself (seen ${n} ways: a clock, a feed, a rotating banner); taken as one screen`,
    };
    case 'recurring-popup': return {
      zh: say`探索：弹窗“${q(label)}”反复出现（已关闭 ${n} 次），此后只计数不再逐条记录`,
      en: say`Explorer: the pop-up “${q(label)}” keeps coming back (closed ${n} times); counted from now on`,
    };
    case 'stuck-popup': return {
      zh: say`探索：弹窗“${q(label)}”一关闭就再次出现（连续 ${n} 次），不再关闭，带着弹窗继续读取界面`,
      en: say`Explorer: the pop-up “${q(label)}” came back each time it was closed (${n} times in a row); left in place, the walk reads the screen with it`,
    };
    case 'screen-off': return { zh: say`探索：屏幕熄灭，已唤醒（本次探索第 ${n} 次）`, en: say`Explorer: the screen went off; woke it (${n} in this walk)` };
    case 'app-died': return label !== '?' && label
      ? { zh: say`探索：点击“${q(label)}”后应用进程结束，已重新启动（本次探索第 ${n} 次）`, en: say`Explorer: the app's process died after a tap on “${q(label)}”; relaunched it (${n} in this walk)` }
      : { zh: say`探索：应用进程结束，已重新启动（本次探索第 ${n} 次）`, en: say`Explorer: the app's process died; relaunched it (${n} in this walk)` };
    default: return { zh: say`探索：${q(text(step.what), 'en')}`, en: say`Explorer: ${q(text(step.what), 'en')}` };
  }
}

export function describeExploreResult(r: ExploreSummary): { zh: Said; en: Said } {
  const targets = Array.isArray(r.targets) ? r.targets : [];
  const found = targets.filter((t) => t && t.found);
  const zhFound: Said = found.length ? found.flatMap((t, i) => say`${i ? w('、') : null}${pair(TARGET_NAMES, t.target, 0)}（${num(t.found ? t.taps : 0)} 次点击）`) : [w('无')];
  const enFound: Said = found.length ? found.flatMap((t, i) => say`${i ? w(', ') : null}${pair(TARGET_NAMES, t.target, 1)} (${num(t.found ? t.taps : 0)} taps)`) : [w('nothing')];
  return {
    zh: say`探索结束（${pair(STOP_REASONS, r.stopped, 0)}）：${num(r.taps)} 次点击，${num(r.screens)} 个界面，${secs(r.elapsedMs)} 秒；找到：${zhFound}`,
    en: say`Explorer finished (${pair(STOP_REASONS, r.stopped, 1)}): ${num(r.taps)} taps, ${num(r.screens)} screens, ${secs(r.elapsedMs)} s; found: ${enFound}`,
  };
}
