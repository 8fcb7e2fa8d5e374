/**
 * Start evaluators (164-6.1 self-start, 164-6.2 associated start, 164-7.1 silent installs). A process of the
 * app started while the tester had it in front (or right after their launch) is theirs; a start the phone
 * refused (Android's background-start limit, MIUI's or ColorOS's start manager) is an attempt and counts; a
 * start right after an update of the app is named as such. An associated start is the app starting another
 * package (cold or warm, or refused) or another package starting the app — the launcher, the shell and the
 * permission controller are not "other apps".
 */
import { z } from 'zod';
import type { TimelineFacts } from '../timeline-facts.js';
import { defineEvaluator, listOf, noneObserved, secs, violation } from './proposal.js';

const SYSTEM_TARGETS = /^(android|com\.android\.(permissioncontroller|packageinstaller|systemui|launcher3?|settings)|com\.google\.android\.permissioncontroller)$/;

const BLOCKER_ZH = { android: 'Android 系统', miui: 'MIUI 自启动管理', coloros: 'ColorOS 启动管理', emui: '华为 iAware 启动管控' } as const;
const BLOCKER_EN = { android: 'Android', miui: 'MIUI auto-start manager', coloros: 'ColorOS start-up manager', emui: 'Huawei iAware start control' } as const;

/**
 * Starts of the app the phone refused (a blocked background start, a vendor's auto-start reject, a foreground
 * service refused from the background) that the tester did not cause: attempts to start itself.
 */
function blockedAttempts(f: TimelineFacts): Array<{ seq: number; t: number; zh: string; en: string }> {
  const app = f.packageName;
  const out: Array<{ seq: number; t: number; zh: string; en: string }> = [];
  for (const b of f.appEvents('start.blocked')) {
    const e = b.event;
    if (e.target !== app || (e.callerPackage && e.callerPackage !== app) || f.testerCaused(b.t)) continue;
    out.push({ seq: b.seq, t: b.t, zh: `${BLOCKER_ZH[e.blocker]}拦截（${e.reason}）`, en: `refused by ${BLOCKER_EN[e.blocker]} (${e.reason})` });
  }
  for (const s of f.appEvents('intent.start')) {
    const e = s.event;
    if (e.kind !== 'service' || e.allowed !== false || e.callerPackage !== app || f.testerCaused(s.t)) continue;
    out.push({ seq: s.seq, t: s.t, zh: `后台启动前台服务被拒绝（${e.uidState ?? '?'}）`, en: `a foreground service refused from the background (${e.uidState ?? '?'})` });
  }
  return out.sort((a, b) => a.t - b.t);
}

export const selfStart = defineEvaluator({
  name: 'self-start',
  readsLog: true,
  observes: 'all',
  summary: { zh: '没有用户操作时应用进程被拉起（广播、服务、内容提供者等），或尝试自启动被系统/厂商拦截，次数达到阈值；更新后随即自启动的注明。', en: 'The app\'s process started without the user (broadcast, service, provider...), or tried to and the phone refused, at least minStarts times; a start right after an update of the app says so.' },
  params: () => z.object({ minStarts: z.number().int().min(1).max(1000).default(1), afterUpdateMs: z.number().int().min(0).max(3_600_000).default(60_000) }).strict(),
  evaluate(f, p) {
    const starts = f.appEvents('process.start').filter((s) => s.event.packageName === f.packageName);
    const own = starts.filter((s) => !f.testerCaused(s.t));
    const attempts = blockedAttempts(f);
    const updates = f.appEvents('package.updated', 'package.installed').filter((u) => u.event.packageName === f.packageName);
    const afterUpdate = (t: number) => updates.filter((u) => u.t <= t && t - u.t <= p.afterUpdateMs).pop();
    if (own.length + attempts.length >= p.minStarts) {
      const tied = own.map((s) => ({ s, u: afterUpdate(s.t) })).filter((x) => x.u);
      const zh = [
        own.length ? `无用户操作时应用被拉起 ${own.length} 次：${listOf(own.map((s) => `${s.event.hostingType} ${s.event.component}`))}` : '',
        attempts.length ? `尝试自启动 ${attempts.length} 次被拦截：${listOf(attempts.map((a) => a.zh))}` : '',
        tied.length ? `其中 ${tied.length} 次在应用安装或更新后 ${secs(tied[0]!.s.t - tied[0]!.u!.t)} 秒内（更新后自行启动）` : '',
      ].filter(Boolean).join('；');
      const en = [
        own.length ? `The app started ${own.length} times without the user: ${listOf(own.map((s) => `${s.event.hostingType} ${s.event.component}`))}` : '',
        attempts.length ? `it tried to start itself ${attempts.length} times and was refused: ${listOf(attempts.map((a) => a.en))}` : '',
        tied.length ? `${tied.length} of the starts came within ${secs(tied[0]!.s.t - tied[0]!.u!.t)} s of an install or update of the app (it started itself after the update)` : '',
      ].filter(Boolean).join('; ');
      return violation([...own.map((s) => s.seq), ...attempts.map((a) => a.seq), ...tied.map((x) => x.u!.seq)], `${zh}。`, `${en.charAt(0).toUpperCase()}${en.slice(1)}.`);
    }
    // Which stages ran (the force-stop wait, the reboot) the coverage says: this sentence claims neither.
    return noneObserved('未观察到无用户操作时的自启动或自启动尝试。', 'No start of the app without the user, and no attempt, was observed.', starts.map((s) => s.seq));
  },
});

export const associatedStart = defineEvaluator({
  name: 'associated-start',
  readsLog: true,
  observes: 'any',
  summary: { zh: '应用启动其他应用的组件（冷启动或热启动），或被其他应用拉起。', en: 'The app starts another app\'s component (cold or warm), or another app starts it.' },
  params: () => z.object({}).strict(),
  evaluate(f) {
    const app = f.packageName;
    const hits: Array<{ seq: number; what: string }> = [];
    for (const s of f.events('intent.start')) {
      const e = s.event;
      if (e.launcher || SYSTEM_TARGETS.test(e.target)) continue;
      if (e.callerPackage === app && e.target !== app) hits.push({ seq: s.seq, what: `${app} → ${e.target} (${e.kind})` });
      else if (e.target === app && e.callerPackage && e.callerPackage !== app) hits.push({ seq: s.seq, what: `${e.callerPackage} → ${app} (${e.kind})` });
      else if (e.target === app && !e.callerPackage && e.callerUid !== null && e.callerUid >= 10000 && !f.testerCaused(s.t)) hits.push({ seq: s.seq, what: `uid ${e.callerUid} → ${app} (${e.kind})` });
    }
    for (const s of f.events('process.start')) {
      const e = s.event;
      if (!e.caller || SYSTEM_TARGETS.test(e.packageName ?? '')) continue;
      if ((e.caller === app && e.packageName !== app) || (e.packageName === app && e.caller !== app)) hits.push({ seq: s.seq, what: `${e.caller} → ${e.process} (process)` });
    }
    // An attempt the phone refused is an associated start all the same: one app tried to start another.
    for (const s of f.events('start.blocked')) {
      const e = s.event;
      if (!e.callerPackage || e.callerPackage === e.target || SYSTEM_TARGETS.test(e.target)) continue;
      if (e.callerPackage === app || e.target === app) hits.push({ seq: s.seq, what: `${e.callerPackage} → ${e.target} (refused)` });
    }
    if (!hits.length) return noneObserved('未观察到关联启动。', 'No associated start was observed.');
    return violation(hits.map((h) => h.seq), `关联启动：${listOf(hits.map((h) => h.what))}。`, `Associated starts: ${listOf(hits.map((h) => h.what))}.`);
  },
});

export const silentInstall = defineEvaluator({
  name: 'silent-install',
  readsLog: true,
  observes: 'any',
  summary: { zh: '会话期间出现的、不是工作台安装的应用（由被测应用或在其运行时安装）。', en: 'Packages installed during the session that the workbench did not install (by the app, or while it ran).' },
  params: () => z.object({}).strict(),
  evaluate(f) {
    const ours = new Set(f.events('app.installed').filter((i) => i.event.ok).map((i) => i.event.installedPackage));
    const hits = f.events('package.installed').filter((i) => i.event.packageName !== f.packageName && !ours.has(i.event.packageName) && (i.event.installer === f.packageName || f.within(f.testerForeground, i.t)));
    if (!hits.length) return noneObserved('会话期间没有其他应用被安装。', 'No other package was installed during the session.');
    return violation(hits.map((h) => h.seq), `会话期间被安装：${listOf(hits.map((h) => `${h.event.packageName}${h.event.installer ? `（安装者 ${h.event.installer}）` : ''}`))}。请确认用户是否知情。`, `Installed during the session: ${listOf(hits.map((h) => `${h.event.packageName}${h.event.installer ? ` (by ${h.event.installer})` : ''}`))}. Confirm whether the user knew.`);
  },
});
