/**
 * Collection evaluators (164-2.1 frequency, 164-2.2 background and silent state, 164-2.4 device identifiers):
 * repeated accesses to the same data while the app runs (accesses at a launch are the launch's), accesses
 * from the background, with the screen off or after a force-stop, and identifier reads for the tester to judge.
 */
import { z } from 'zod';
import { anyBetween, type TimelineFacts } from '../timeline-facts.js';
import { defineEvaluator, needsTester, noneObserved, secs, violation } from './proposal.js';

/** Accesses within this time of a launch or a return to the foreground are what the launch does. */
const AT_LAUNCH_MS = 2000;

export const accessFrequency = defineEvaluator({
  name: 'access-frequency',
  readsLog: true,
  observes: 'any',
  summary: { zh: '同一类敏感数据在应用运行期间被反复访问：次数达到阈值且中位间隔不超过周期阈值（启动时的访问不计）。', en: 'The same sensitive data accessed repeatedly while the app runs: at least minCount times with a median interval up to maxPeriodMs (accesses at a launch are not counted).' },
  params: () => z.object({ minCount: z.number().int().min(2).max(1000).default(4), maxPeriodMs: z.number().int().min(100).max(86_400_000).default(60_000) }).strict(),
  evaluate(f, p) {
    const starts = [...f.events('app.action').filter((a) => a.event.action === 'launch'), ...f.appEvents('app.foreground')].map((s) => s.t).sort((a, b) => a - b);
    const byWhat = new Map<string, Array<{ seq: number; t: number }>>();
    for (const a of f.sensitiveAccesses()) {
      if (anyBetween(starts, a.t - AT_LAUNCH_MS, a.t)) continue;
      const list = byWhat.get(a.what);
      if (list) list.push(a);
      else byWhat.set(a.what, [a]);
    }
    const found: Array<{ what: string; count: number; median: number; cv: number; seqs: number[] }> = [];
    for (const [what, list] of byWhat) {
      if (list.length < p.minCount) continue;
      const gaps = list.slice(1).map((a, i) => a.t - list[i]!.t).sort((x, y) => x - y);
      const median = gaps[Math.floor(gaps.length / 2)]!;
      const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
      const cv = mean ? Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length) / mean : 0;
      if (median <= p.maxPeriodMs) found.push({ what, count: list.length, median, cv, seqs: list.map((a) => a.seq) });
    }
    if (!found.length) return noneObserved(`没有一类敏感数据被访问 ${p.minCount} 次以上且间隔不超过 ${secs(p.maxPeriodMs)} 秒。`, `No sensitive data was accessed ${p.minCount}+ times at intervals up to ${secs(p.maxPeriodMs)} s.`);
    const zh = found.map((x) => `${x.what} ${x.count} 次，中位间隔 ${secs(x.median)} 秒${x.cv < 0.25 ? '（周期性）' : ''}`).join('；');
    const en = found.map((x) => `${x.what} ${x.count} times, median interval ${secs(x.median)} s${x.cv < 0.25 ? ' (periodic)' : ''}`).join('; ');
    return violation(found.flatMap((x) => x.seqs), `频繁访问：${zh}。`, `Frequent access: ${en}.`);
  },
});

function screenOff(f: TimelineFacts): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let off: number | null = null;
  for (const s of f.events('screen.state')) {
    if (!s.event.on && off === null) off = s.t;
    if (s.event.on && off !== null) {
      spans.push({ start: off, end: s.t });
      off = null;
    }
  }
  if (off !== null) spans.push({ start: off, end: Infinity });
  return spans;
}

export const backgroundAccess = defineEvaluator({
  name: 'background-access',
  readsLog: true,
  observes: 'any',
  summary: { zh: '应用在后台（uid 状态 bg/cch）、熄屏时或被强行停止后访问敏感数据（含尝试）。', en: 'Sensitive accesses (attempts included) from the background (uid state bg/cch), with the screen off, or after a force-stop.' },
  params: () => z.object({ states: z.array(z.string().regex(/^[a-z]+$/)).max(10).default(['bg', 'cch']) }).strict(),
  evaluate(f, p) {
    // Whether a background, screen-off or force-stop stage ran the coverage says (stage-coverage.ts).
    const quiet = ['background', 'screen-off', 'self-start', 'reboot'];
    const off = screenOff(f);
    const hits = f.sensitiveAccesses().filter((a) => {
      if (a.uidState && p.states.includes(a.uidState)) return true;
      if (off.some((s) => s.start <= a.t && a.t < s.end)) return true;
      const stage = f.stageAt(a.t);
      return !a.uidState && !!stage && quiet.includes(stage.id) && !f.testerCaused(a.t);
    });
    if (!hits.length) return noneObserved('未观察到后台或静默状态下的敏感访问。', 'No sensitive access was observed in the background or silent state.');
    const states = [...new Set(hits.map((h) => h.uidState ?? 'screen off / stopped'))].join(', ');
    return violation(hits.map((h) => h.seq), `后台/静默状态下的敏感访问 ${hits.length} 次（${states}）：${[...new Set(hits.map((h) => h.what))].join('、')}。`, `${hits.length} sensitive accesses in the background or silent state (${states}): ${[...new Set(hits.map((h) => h.what))].join(', ')}.`);
  },
});

export const identifierCollection = defineEvaluator({
  name: 'identifier-collection',
  readsLog: true,
  observes: 'any',
  summary: { zh: '读取不可变更的设备唯一标识（IMEI、IMSI、序列号等）的尝试：工作台列出，检测人员判断用途。', en: 'Attempts to read non-changeable device identifiers (IMEI, IMSI, serial...): listed for the tester to judge the purpose.' },
  params: () => z.object({ ops: z.array(z.string().regex(/^[A-Z_]+$/)).max(20).default(['READ_PHONE_STATE', 'READ_DEVICE_IDENTIFIERS', 'READ_PHONE_NUMBERS']) }).strict(),
  evaluate(f, p) {
    const hits = [
      ...f.appEvents('identifier.access').map((e) => ({ seq: e.seq, what: e.event.method })),
      ...f.appEvents('appop.access', 'appop.reject').filter((e) => p.ops.includes(e.event.op)).map((e) => ({ seq: e.seq, what: e.event.op })),
    ];
    if (!hits.length) return noneObserved('未观察到读取设备标识的尝试。', 'No attempt to read device identifiers was observed.');
    const what = [...new Set(hits.map((h) => h.what))].join(', ');
    return needsTester(hits.map((h) => h.seq), `应用尝试读取设备标识（${what}），请结合隐私政策判断用途（推送、画像等）。`, `The app tried to read device identifiers (${what}); judge the purpose (push, profiling...) against the privacy policy.`);
  },
});
