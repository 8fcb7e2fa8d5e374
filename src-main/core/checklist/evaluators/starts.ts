/**
 * Start evaluators (164-6.1 self-start, 164-6.2 associated start, 164-7.1 silent installs). A process of the
 * app started while the tester had it in front (or right after their launch) is theirs; an associated start
 * is the app starting another package (cold or warm) or another package starting the app — the launcher, the
 * shell and the permission controller are not "other apps".
 */
import { z } from 'zod';
import { defineEvaluator, insufficient, listOf, noneObserved, violation } from './proposal.js';

const SYSTEM_TARGETS = /^(android|com\.android\.(permissioncontroller|packageinstaller|systemui|launcher3?|settings)|com\.google\.android\.permissioncontroller)$/;

export const selfStart = defineEvaluator({
  name: 'self-start',
  summary: { zh: '没有用户操作时应用进程被拉起（广播、服务、内容提供者等），次数达到阈值。', en: 'The app\'s process started without the user (broadcast, service, provider...), at least minStarts times.' },
  params: () => z.object({ minStarts: z.number().int().min(1).max(1000).default(1) }).strict(),
  evaluate(f, p) {
    const starts = f.appEvents('process.start').filter((s) => s.event.packageName === f.packageName);
    const own = starts.filter((s) => !f.testerCaused(s.t));
    if (own.length >= p.minStarts) {
      return violation(own.map((s) => s.seq), `无用户操作时应用被拉起 ${own.length} 次：${listOf(own.map((s) => `${s.event.hostingType} ${s.event.component}`))}。`, `The app started ${own.length} times without the user: ${listOf(own.map((s) => `${s.event.hostingType} ${s.event.component}`))}.`);
    }
    if (!f.stages.some((s) => s.id === 'self-start' || s.id === 'reboot')) return insufficient('会话没有“强行停止后等待”或重启阶段。', 'The session has no force-stop-and-wait or reboot stage.');
    return noneObserved('强行停止、重启后未观察到自启动。', 'No self-start was observed after force-stop or reboot.', starts.map((s) => s.seq));
  },
});

export const associatedStart = defineEvaluator({
  name: 'associated-start',
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
    if (!hits.length) return noneObserved('未观察到关联启动。', 'No associated start was observed.');
    return violation(hits.map((h) => h.seq), `关联启动：${listOf(hits.map((h) => h.what))}。`, `Associated starts: ${listOf(hits.map((h) => h.what))}.`);
  },
});

export const silentInstall = defineEvaluator({
  name: 'silent-install',
  summary: { zh: '会话期间出现的、不是工作台安装的应用（由被测应用或在其运行时安装）。', en: 'Packages installed during the session that the workbench did not install (by the app, or while it ran).' },
  params: () => z.object({}).strict(),
  evaluate(f) {
    const ours = new Set(f.events('app.installed').filter((i) => i.event.ok).map((i) => i.event.installedPackage));
    const hits = f.events('package.installed').filter((i) => i.event.packageName !== f.packageName && !ours.has(i.event.packageName) && (i.event.installer === f.packageName || f.within(f.testerForeground, i.t)));
    if (!hits.length) return noneObserved('会话期间没有其他应用被安装。', 'No other package was installed during the session.');
    return violation(hits.map((h) => h.seq), `会话期间被安装：${listOf(hits.map((h) => `${h.event.packageName}${h.event.installer ? `（安装者 ${h.event.installer}）` : ''}`))}。请确认用户是否知情。`, `Installed during the session: ${listOf(hits.map((h) => `${h.event.packageName}${h.event.installer ? ` (by ${h.event.installer})` : ''}`))}. Confirm whether the user knew.`);
  },
});
