/**
 * What the workbench could and could not read of the phone's own values at session start, and which values the PI
 * search leaves out — types and their words in both languages, shared by the core (network/pi/), the session, the
 * Network view and the CLI. The values themselves never appear here: only their kind, where they came from and why not.
 */
import type { PiKind } from './network.js';

/** Why a value could not be read from the phone through the shell. */
export const PI_UNREAD_REASONS = ['refused', 'not-set', 'not-an-identifier', 'no-such-command', 'timeout', 'too-large', 'failed'] as const;
export type PiUnreadReason = (typeof PI_UNREAD_REASONS)[number];

/** Why a value (read or typed) is not searched for. */
export const PI_SKIP_REASONS = ['too-short', 'placeholder', 'too-long', 'too-many', 'malformed', 'too-few-packages'] as const;
export type PiSkipReason = (typeof PI_SKIP_REASONS)[number];

/** A value read from the phone: `source` is the shell command (or `typed` for the tester's own). */
export interface PiValueSource {
  kind: PiKind;
  source: string;
}

/** A value the phone did not give: the last command tried, why, and the phone's own words (cleaned, capped). */
export interface PiUnread {
  kind: PiKind;
  command: string;
  reason: PiUnreadReason;
  detail: string;
}

export const PI_UNREAD_WORDS: Record<PiUnreadReason, readonly [zh: string, en: string]> = {
  refused: ['手机拒绝了 shell 读取', 'the phone refused the shell'],
  'not-set': ['手机上没有这个值', 'the phone has no such value'],
  'not-an-identifier': ['手机的回答不是这种标识符', 'the phone answered something that is not this identifier'],
  'no-such-command': ['手机没有这个命令或服务', 'the phone has no such command or service'],
  timeout: ['手机没有及时回答', 'the phone did not answer in time'],
  'too-large': ['回答过大，已放弃', 'the answer was too large and was dropped'],
  failed: ['adb 命令失败', 'the adb command failed'],
};

export const PI_SKIP_WORDS: Record<PiSkipReason, readonly [zh: string, en: string]> = {
  'too-short': ['少于 6 个字符，不搜索（普通流量里也会出现）', 'shorter than 6 characters, not searched (ordinary traffic has such strings)'],
  placeholder: ['占位值，不代表这台手机', 'a placeholder that names no phone'],
  'too-long': ['超过 256 个字符，不搜索', 'longer than 256 characters, not searched'],
  'too-many': ['值的数量超过上限，其余不搜索', 'too many values: the rest are not searched'],
  malformed: ['格式无法识别', 'not in a form the search understands'],
  'too-few-packages': ['第三方应用少于 2 个，无法识别应用列表', 'fewer than 2 third-party apps: an app list cannot be told apart'],
};
