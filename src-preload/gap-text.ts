/**
 * How a gap in the evidence reads, in Chinese and English: "the phone dropped N lines of X before T" and the like.
 * Shared by the CLI (UTC times), the report (the phone's zone), the renderer (local time) and the checklist's
 * explanations; the process a gap concerns is quoted as code, as the log names it.
 */
import type { LogGapReason } from './monitor-events.js';
import { say, saidText, w, type Said } from './said.js';

export interface GapFacts {
  reason: LogGapReason;
  lines: number | null;
  from: number | null;
  to: number | null;
  process: string | null;
}

/** `at` writes a gap's edge (null when not known) in the reader's zone. */
export function gapSaid(e: GapFacts, at: (ms: number | null) => string): { zh: Said; en: Said } {
  const s = e.lines === 1 ? '' : 's';
  const lines = e.lines ?? '?';
  const who = e.process ?? '?';
  switch (e.reason) {
    case 'chatty-expire': return {
      zh: say`手机日志系统（${'chatty'}）在 ${w(at(e.to))} 之前丢弃了 ${who} 的 ${lines} 行日志`,
      en: say`the phone dropped ${lines} line${s} of ${who} (${'chatty'}) before ${w(at(e.to))}`,
    };
    case 'chatty-identical': return {
      zh: say`手机日志系统（${'chatty'}）在 ${w(at(e.to))} 之前合并了 ${who} 的 ${lines} 行重复日志`,
      en: say`the phone folded ${lines} identical line${s} of ${who} (${'chatty'}) before ${w(at(e.to))}`,
    };
    case 'restart': return {
      zh: say`手机日志（${'logcat'}）重新开始或缓冲区被清除，${w(at(e.from))} 至 ${w(at(e.to))} 之间的日志可能缺失`,
      en: say`${'logcat'} restarted or its buffer was cleared: lines between ${w(at(e.from))} and ${w(at(e.to))} may be missing`,
    };
    case 'clock-back': return {
      zh: say`日志时间从 ${w(at(e.from))} 倒退到 ${w(at(e.to))}（重启、改时间或拼接了另一份日志），其前后的日志可能缺失或重复`,
      en: say`the log's clock went back from ${w(at(e.from))} to ${w(at(e.to))} (reboot, clock change or another capture): lines around here may be missing or repeated`,
    };
  }
}

export function gapText(e: GapFacts, at: (ms: number | null) => string): { zh: string; en: string } {
  const g = gapSaid(e, at);
  return { zh: saidText(g.zh), en: saidText(g.en) };
}
