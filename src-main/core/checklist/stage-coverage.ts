/**
 * What a "nothing seen" stands on: which of an item's stages ran, for how long, and why the others do not
 * count. A stage counts when it was started (its `stage.started` mark), the run did not record it skipped or
 * failed (`run.stage`), and what the stage is for was seen in it — the app running in a launch stage, a
 * "declined" mark on the decline path, the screen going off, a force-stop before the self-start wait, the phone
 * coming back from a reboot. A proposal whose stages did not run says "not tested" and names them; one whose
 * stages ran says over which stages and how long nothing was seen, and points at the stages' marks.
 */
import type { Localized } from '../../../src-preload/checklist.js';
import type { Outcome } from './evaluators/proposal.js';
import type { StageSpan, TimelineFacts } from './timeline-facts.js';

export interface StageRun {
  id: string;
  title: Localized;
  /** It ran, with what it is for seen in it. */
  ran: boolean;
  /** Time observed over the spans that count (ms). */
  ms: number;
  /** The marks that opened (and the run events that closed) the spans that count: the coverage's evidence. */
  seqs: number[];
  /** Why it does not count, when it does not. */
  why: Localized | null;
}

/** How an evaluator's "nothing seen" depends on the item's stages: one of them ran, or every one (164-6.1 names the reboot). */
export type CoverageNeed = 'any' | 'all';

const RUN_OUTCOME = { skipped: { zh: '被跳过', en: 'was skipped' }, failed: { zh: '失败', en: 'failed' } } as const;

/** The app's own process or window in [from, to): it was running. */
function appSeen(f: TimelineFacts, from: number, to: number): boolean {
  const own = (component: string): boolean => component.split('/')[0] === f.packageName;
  return f.appEvents('process.start').some((s) => s.t >= from && s.t < to && s.event.packageName === f.packageName) ||
    f.events('app.foreground', 'app.displayed').some((s) => s.t >= from && s.t < to && own(s.event.component));
}

/** What a stage is for, seen in its span; null when it was, else why not. */
function missing(f: TimelineFacts, id: string, s: StageSpan, end: number): Localized | null {
  const inSpan = (t: number): boolean => t >= s.start && t < end;
  const action = (...names: string[]): boolean => f.events('app.action').some((a) => inSpan(a.t) && names.includes(a.event.action));
  const mark = (name: string): boolean => f.events('tester.mark').some((m) => inSpan(m.t) && m.event.mark === name);
  switch (id) {
    case 'first-launch':
    case 'agree':
      return appSeen(f, s.start, end) ? null : { zh: '中未观察到应用运行（没有应用的进程启动或前台窗口）', en: 'the app was not seen running (no process start or window of the app)' };
    case 'decline':
      return mark('consent.declined') ? null : { zh: '中没有“已拒绝”标记', en: 'there is no "declined" mark' };
    case 'screen-off':
      return f.events('screen.state').some((e) => inSpan(e.t) && !e.event.on) || action('screen-off') ? null : { zh: '中未观察到熄屏', en: 'the screen was not seen going off' };
    case 'self-start':
      return action('force-stop') ? null : { zh: '中没有强行停止应用', en: 'the app was not force-stopped' };
    case 'reboot':
      return f.events('device.reconnected').some((e) => inSpan(e.t)) ? null : { zh: '中未观察到手机重启（没有断开后重新连接的记录）', en: 'no reboot was seen (the phone did not disconnect and come back)' };
    case 'permissions':
    case 'background':
    case 'revoke':
      // The app must have run by the stage's end: a background stage before any launch watched nothing.
      return appSeen(f, -Infinity, end) ? null : { zh: '结束前未观察到应用运行', en: 'the app was not seen running by its end' };
    default:
      return null;
  }
}

export function stageRun(f: TimelineFacts, id: string, title: Localized): StageRun {
  const spans = f.stageSpans(id);
  const name = `“${title.zh}”阶段`;
  if (!spans.length) return { id, title, ran: false, ms: 0, seqs: [], why: { zh: `${name}未运行`, en: `the "${title.en}" stage was not run` } };
  const outcomes = f.events('run.stage').filter((r) => r.event.stage === id);
  let ms = 0;
  const seqs: number[] = [];
  let why: Localized | null = null;
  for (const s of spans) {
    // The run records each stage's end; a tester's stage ends where the next begins (or now, while it lasts).
    const done = outcomes.find((o) => o.seq > s.openSeq && (s.closeSeq === null || o.seq < s.closeSeq));
    const end = Math.min(s.end, done ? done.t : f.end);
    if (done && done.event.outcome !== 'done') {
      const message = done.event.message ? `: ${done.event.message}` : '';
      why = { zh: `${name}${RUN_OUTCOME[done.event.outcome].zh}`, en: `the "${title.en}" stage ${RUN_OUTCOME[done.event.outcome].en}${message}` };
      continue;
    }
    const lacking = missing(f, id, s, Math.max(end, s.start + 1));
    if (lacking) {
      why = { zh: `${name}${lacking.zh}`, en: `the "${title.en}" stage: ${lacking.en}` };
      continue;
    }
    ms += Math.max(0, end - s.start);
    seqs.push(s.openSeq, ...(done ? [done.seq] : []));
  }
  return seqs.length ? { id, title, ran: true, ms, seqs, why: null } : { id, title, ran: false, ms: 0, seqs: [], why };
}

/** "40 秒" / "2.5 分钟", "40 s" / "2.5 min". */
export function span(ms: number): Localized {
  if (ms < 60_000) {
    const s = ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
    return { zh: `${s} 秒`, en: `${s} s` };
  }
  const m = (ms / 60_000).toFixed(ms < 600_000 ? 1 : 0);
  return { zh: `${m} 分钟`, en: `${m} min` };
}

const listZh = (runs: StageRun[]): string => runs.map((r) => `“${r.title.zh}”`).join('、');
const listEn = (runs: StageRun[]): string => runs.map((r) => `"${r.title.en}"`).join(', ');
/** An evaluator's sentence after a lead-in: "No access…" → "no access…" (an acronym keeps its capitals). */
const continued = (en: string): string => (/^[A-Z][a-z]/.test(en) ? en.charAt(0).toLowerCase() + en.slice(1) : en);

/**
 * The outcome said against what ran. A violation or a question for the tester stands on what was seen and is
 * left as it is. "Nothing seen" over stages that ran names them and their time, and points at their marks;
 * "nothing seen" (or "not enough evidence") when what it needs did not run is "not tested", naming why.
 */
export function withCoverage(outcome: Outcome, runs: StageRun[], need: CoverageNeed): Outcome {
  if (outcome.status === 'violation' || outcome.status === 'needs-tester' || outcome.status === 'not-tested' || !runs.length) return outcome;
  const ran = runs.filter((r) => r.ran);
  const notRun = runs.filter((r) => !r.ran);
  const met = need === 'all' ? notRun.length === 0 : ran.length > 0;
  const time = span(ran.reduce((s, r) => s + r.ms, 0));
  const { zh, en } = outcome.explanation;
  if (!met) {
    const reasons = notRun.map((r) => r.why!);
    // What the stages that ran showed is said as such; "nothing seen" with nothing run says nothing more.
    const partial = outcome.status !== 'none-observed' ? { zh, en: ` ${en}` }
      : ran.length ? { zh: `已运行的${listZh(ran)}阶段（${time.zh}）内：${zh}`, en: ` In the ${time.en} the ${listEn(ran)} stage${ran.length > 1 ? 's' : ''} ran: ${continued(en)}` }
        : { zh: '', en: '' };
    return {
      status: 'not-tested', evidence: [...new Set([...outcome.evidence, ...ran.flatMap((r) => r.seqs)])].sort((a, b) => a - b),
      explanation: { zh: `未检测：${reasons.map((r) => r.zh).join('；')}。${partial.zh}`, en: `Not tested: ${reasons.map((r) => r.en).join('; ')}.${partial.en}` },
    };
  }
  if (outcome.status !== 'none-observed') return outcome;
  const uncovered = notRun.length ? { zh: `（${listZh(notRun)}阶段未运行，不在其内。）`, en: ` (Not covered: the ${listEn(notRun)} stage${notRun.length > 1 ? 's' : ''}, which did not run.)` } : { zh: '', en: '' };
  return {
    status: 'none-observed', evidence: [...new Set([...outcome.evidence, ...ran.flatMap((r) => r.seqs)])].sort((a, b) => a - b),
    explanation: {
      zh: `在${listZh(ran)}阶段运行的 ${time.zh}内：${zh}${uncovered.zh}`,
      en: `In the ${time.en} the ${listEn(ran)} stage${ran.length > 1 ? 's' : ''} ran: ${continued(en)}${uncovered.en}`,
    },
  };
}
