/**
 * How a gap in the evidence reads, in Chinese and English: "the phone dropped N lines of X before T" and the like.
 * Shared by the CLI (UTC times), the report and the checklist's explanations (local times with their offset).
 */
import type { LogGapReason } from '../../../src-preload/monitor-events.js';

export interface GapFacts {
  reason: LogGapReason;
  lines: number | null;
  from: number | null;
  to: number | null;
  process: string | null;
}

export function gapText(e: GapFacts, at: (ms: number | null) => string): { zh: string; en: string } {
  const s = e.lines === 1 ? '' : 's';
  switch (e.reason) {
    case 'chatty-expire': return {
      zh: `手机日志系统（chatty）在 ${at(e.to)} 之前丢弃了 ${e.process ?? '?'} 的 ${e.lines} 行日志`,
      en: `the phone dropped ${e.lines} line${s} of ${e.process ?? '?'} (chatty) before ${at(e.to)}`,
    };
    case 'chatty-identical': return {
      zh: `手机日志系统（chatty）在 ${at(e.to)} 之前合并了 ${e.process ?? '?'} 的 ${e.lines} 行重复日志`,
      en: `the phone folded ${e.lines} identical line${s} of ${e.process ?? '?'} (chatty) before ${at(e.to)}`,
    };
    case 'restart': return {
      zh: `logcat 重新开始或缓冲区被清除，${at(e.from)} 至 ${at(e.to)} 之间的日志可能缺失`,
      en: `logcat restarted or its buffer was cleared: lines between ${at(e.from)} and ${at(e.to)} may be missing`,
    };
    case 'clock-back': return {
      zh: `日志时间从 ${at(e.from)} 倒退到 ${at(e.to)}（重启、改时间或拼接了另一份日志），其前后的日志可能缺失或重复`,
      en: `the log's clock went back from ${at(e.from)} to ${at(e.to)} (reboot, clock change or another capture): lines around here may be missing or repeated`,
    };
  }
}
