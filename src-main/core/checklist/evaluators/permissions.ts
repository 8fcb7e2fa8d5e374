/**
 * Permission-request evaluators (164-5.1 forced, 5.2 frequent, 5.3 ahead of need, 5.4 bundled, 5.5 changed by
 * an update). A request the user saw is an answer with a USER_* result; a death the tester caused (force-stop,
 * clear data, revoke, reboot) is not the app exiting; a crash (Java, native, ANR) after a denial is. An update is
 * an install over the app or the phone's `Update package` line.
 */
import { z } from 'zod';
import { anyBetween, type TimelineFacts } from '../timeline-facts.js';
import { defineEvaluator, insufficient, listOf, noneObserved, secs, violation } from './proposal.js';
import { inChinese, requests } from './consent.js';

const short = (p: string): string => p.replace('android.permission.', '');

function answers(f: TimelineFacts): Array<{ seq: number; t: number; permission: string; denied: boolean; granted: boolean }> {
  return f.appEvents('permission.result').filter((r) => r.event.resultName.startsWith('USER_'))
    .map((r) => ({ seq: r.seq, t: r.t, permission: r.event.permission, denied: r.event.resultName.startsWith('USER_DENIED'), granted: r.event.granted }));
}

/** Clearing data, uninstalling or installing forgets what the user answered. */
function resets(f: TimelineFacts): number[] {
  return [
    ...f.events('app.action').filter((a) => (a.event.action === 'clear-data' || a.event.action === 'uninstall') && a.event.target === f.packageName).map((a) => a.t),
    ...f.appEvents('app.installed').filter((i) => i.event.ok).map((i) => i.t),
  ];
}

const CRASH_ZH = { java: 'Java 异常', native: '原生信号', anr: '无响应（ANR）' } as const;
const CRASH_EN = { java: 'a Java exception', native: 'a native signal', anr: 'not responding (ANR)' } as const;

export const forcedPermission = defineEvaluator({
  name: 'forced-permission',
  readsLog: true,
  observes: 'any',
  summary: { zh: '拒绝权限后应用在窗口期内崩溃或退出（不是检测人员强行停止，其间检测人员也没有其他操作，如拒绝隐私政策），或反复弹出同一权限申请。', en: 'After a denial the app crashes or exits within the window (not by the tester\'s force-stop, and with no other tester action in between such as declining the policy) or loops the same request.' },
  params: () => z.object({ windowMs: z.number().int().min(500).max(600_000).default(10_000), loopCount: z.number().int().min(2).max(100).default(3) }).strict(),
  evaluate(f, p) {
    const all = answers(f);
    const denials = all.filter((a) => a.denied);
    if (!denials.length) return insufficient('本会话中没有拒绝过权限。', 'No permission was denied in this session.');
    const deaths = f.appEvents('process.death');
    const crashes = f.appEvents('app.crash');
    for (const d of denials) {
      // A crash is the exit's cause, and says more than the death that follows it.
      const crash = crashes.find((x) => x.t >= d.t && x.t - d.t <= p.windowMs && !f.testerActedBetween(d.t, x.t));
      if (crash) {
        const c = crash.event;
        return violation([d.seq, crash.seq], `拒绝 ${short(d.permission)} 后 ${secs(crash.t - d.t)} 秒应用崩溃（${CRASH_ZH[c.crash]}：${c.detail}）。`, `The app crashed ${secs(crash.t - d.t)} s after ${short(d.permission)} was denied (${CRASH_EN[c.crash]}: ${c.detail}).`);
      }
      const death = deaths.find((x) => x.t >= d.t && x.t - d.t <= p.windowMs && !f.stoppedByTester(x.t) && !f.testerActedBetween(d.t, x.t));
      if (death) return violation([d.seq, death.seq], `拒绝 ${short(d.permission)} 后 ${secs(death.t - d.t)} 秒应用退出（${death.event.process}）。`, `The app exited ${secs(death.t - d.t)} s after ${short(d.permission)} was denied (${death.event.process}).`);
      const again = all.filter((a) => a.permission === d.permission && a.t > d.t && a.t - d.t <= p.windowMs);
      if (again.length + 1 >= p.loopCount) return violation([d.seq, ...again.map((a) => a.seq)], `拒绝 ${short(d.permission)} 后 ${secs(p.windowMs)} 秒内又弹出 ${again.length} 次。`, `${short(d.permission)} was asked ${again.length} more times within ${secs(p.windowMs)} s of the denial.`);
    }
    return noneObserved('拒绝权限后应用未退出，也未循环弹窗。', 'After denials the app neither exited nor looped the dialog.', denials.map((d) => d.seq));
  },
});

export const frequentReRequest = defineEvaluator({
  name: 'frequent-rerequest',
  readsLog: true,
  observes: 'any',
  summary: { zh: '用户拒绝某权限后，在窗口期（默认 48 小时，行业惯例）内再次弹窗申请该权限。清除数据或重装后重新计算。', en: 'A denied permission requested again (a dialog the user sees) within the window (48 h by default, industry practice). Clearing data or reinstalling starts afresh.' },
  params: () => z.object({ windowMs: z.number().int().min(1000).default(48 * 3_600_000) }).strict(),
  evaluate(f, p) {
    const all = answers(f);
    if (!all.some((a) => a.denied)) return insufficient('本会话中没有拒绝过权限。', 'No permission was denied in this session.');
    const cuts = resets(f).sort((a, b) => a - b);
    const byPermission = new Map<string, typeof all>();
    for (const a of all) {
      const list = byPermission.get(a.permission);
      if (list) list.push(a);
      else byPermission.set(a.permission, [a]);
    }
    const hits: Array<{ denial: (typeof all)[number]; again: (typeof all)[number] }> = [];
    for (const list of byPermission.values()) {
      list.forEach((d, i) => {
        const again = list[i + 1];
        // The next time the user saw this permission's dialog, unless clearing data or a reinstall came between.
        if (d.denied && again && again.t - d.t <= p.windowMs && !anyBetween(cuts, d.t, again.t)) hits.push({ denial: d, again });
      });
    }
    hits.sort((a, b) => a.again.t - b.again.t);
    if (!hits.length) return noneObserved('被拒绝的权限在窗口期内没有再次申请。', 'No denied permission was asked again within the window.');
    return violation(hits.flatMap((h) => [h.denial.seq, h.again.seq]), `被拒绝后再次申请：${listOf(hits.map((h) => `${short(h.again.permission)}（${secs(h.again.t - h.denial.t)} 秒后）`))}。`, `Asked again after a denial: ${listOf(hits.map((h) => `${short(h.again.permission)} (${secs(h.again.t - h.denial.t)} s later)`))}.`);
  },
});

export const aheadOfNeed = defineEvaluator({
  name: 'ahead-of-need',
  readsLog: true,
  observes: 'any',
  summary: { zh: '同意隐私政策后、检测人员使用任何功能之前就弹出的权限申请（提前申请）；同意前的申请归 164-1.2。', en: 'Permission dialogs right after consent, before the tester used any feature (requests ahead of need); requests before consent are 164-1.2.' },
  params: () => z.object({ windowMs: z.number().int().min(1000).max(600_000).default(15_000) }).strict(),
  evaluate(f, p) {
    const consents = f.events('tester.mark').filter((m) => m.event.mark === 'consent.given');
    if (!consents.length) return insufficient('本会话中没有“同意”标记。', 'The session has no "consent given" mark.');
    const inputs = f.events('tester.input').filter((i) => i.event.source === 'tester');
    const hits = requests(f).filter((r) => consents.some((c) => r.t >= c.t && r.t - c.t <= p.windowMs && !inputs.some((i) => i.t > c.t && i.t < r.t)));
    if (!hits.length) return noneObserved('同意后未在使用功能前申请权限。', 'No permission was requested after consent before a feature was used.');
    return violation(hits.map((h) => h.seq), `同意后、使用任何功能前即申请权限：${listOf(hits.map(inChinese))}。请确认是否为当前功能所必需。`, `Permissions requested right after consent, before any feature was used: ${listOf(hits.map((h) => h.what))}. Confirm whether the screen needs them.`);
  },
});

export const bundledRequest = defineEvaluator({
  name: 'bundled-request',
  readsLog: true,
  observes: 'any',
  summary: { zh: '短时间内（突发窗口）连续申请多个不同权限组。', en: 'Several different permission groups requested in one burst.' },
  params: () => z.object({ burstMs: z.number().int().min(500).max(120_000).default(10_000), minGroups: z.number().int().min(2).max(20).default(2) }).strict(),
  evaluate(f, p) {
    const list = answers(f);
    if (!list.length) return noneObserved('未出现权限申请。', 'No permission was requested.');
    const groupOf = (a: (typeof list)[number]): string => f.knowledge.categoryOf(a.permission) ?? a.permission;
    // Bursts: answers no further apart than burstMs. One pass, counting the groups of the current burst.
    let start = 0;
    for (let i = 0; i <= list.length; i++) {
      if (i < list.length && (i === start || list[i]!.t - list[i - 1]!.t <= p.burstMs)) continue;
      const burst = list.slice(start, i);
      start = i;
      const g = [...new Set(burst.map(groupOf))];
      if (g.length >= p.minGroups) {
        const span = secs(burst[burst.length - 1]!.t - burst[0]!.t);
        return violation(burst.slice(0, 200).map((b) => b.seq), `${span} 秒内连续申请 ${g.length} 组权限：${g.join('、')}。`, `${g.length} permission groups requested within ${span} s: ${g.join(', ')}.`);
      }
    }
    return noneObserved('未发现捆绑申请多组权限。', 'No bundled request of several permission groups.');
  },
});

export const updatePermissionChange = defineEvaluator({
  name: 'update-permission-change',
  readsLog: true,
  observes: 'any',
  summary: { zh: '应用更新后权限状态被改变（如自动授予）而用户没有授权。', en: 'Permission state changed (e.g. granted) after an app update without the user granting it.' },
  params: () => z.object({ windowMs: z.number().int().min(1000).max(3_600_000).default(60_000) }).strict(),
  evaluate(f, p) {
    const installs = [...f.appEvents('package.installed', 'package.updated').filter((i) => i.event.packageName === f.packageName), ...f.appEvents('app.installed').filter((i) => i.event.ok)];
    installs.sort((a, b) => a.t - b.t);
    const updates = installs.filter((i, n) => n > 0 || i.event.type === 'package.installed' || i.event.type === 'package.updated');
    if (!updates.length) return insufficient('本会话未覆盖应用更新。', 'The session covers no app update.');
    // Grants the user gave: answers in a dialog, and grants the tester made in Settings (the run's revoke stage).
    const granted = [...answers(f).filter((a) => a.granted), ...f.events('app.action').filter((a) => a.event.action === 'grant-permission').map((a) => ({ permission: a.event.target.split(' ')[1] ?? '', t: a.t }))];
    const changes = f.appEvents('permission.state').filter((s) => s.event.change === 'granted' && updates.some((u) => s.t >= u.t - 1000 && s.t - u.t <= p.windowMs));
    const silent = changes.filter((c) => !granted.some((g) => g.permission === c.event.permission && g.t <= c.t + 1000 && c.t - g.t < p.windowMs));
    if (!silent.length) return noneObserved('更新后权限状态未被静默改变。', 'No permission changed silently after the update.', updates.map((u) => u.seq));
    return violation([...updates.map((u) => u.seq), ...silent.map((s) => s.seq)], `更新后未经用户授权即获得权限：${listOf(silent.map((s) => short(s.event.permission)))}。`, `After the update these permissions were granted without the user: ${listOf(silent.map((s) => short(s.event.permission)))}.`);
  },
});
