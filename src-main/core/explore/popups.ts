/**
 * Pop-ups the explorer (issue #29) meets on its walk and dismisses before it reads a screen: the system's runtime
 * permission dialog (always answered Deny: the walk must not grant what the tester is there to observe) and an app's
 * own ad, update or permission-explanation dialog, closed by its close control (关闭, 跳过, 以后再说, 取消, ×, Close,
 * Skip …). A pop-up without such a control is reported and left alone: the walk never guesses a button. Reads only
 * the first nodes and characters of a dump (an app's window is untrusted); never taps a denied control.
 */
import type { UiDumpNode, UiTree } from '../../../src-preload/api.js';
import type { PopupKind } from '../../../src-preload/explore.js';
import { deniedControl } from './deny-list.js';

/** The packages of the system's runtime permission dialog. */
export const PERMISSION_PACKAGES = new Set(['com.android.permissioncontroller', 'com.google.android.permissioncontroller', 'com.android.packageinstaller']);

export type { PopupKind };

/** The answer to the system's permission dialog (Deny; "Don't allow" on newer releases). */
const DENY_WORDS = ['拒绝', '不允许', '禁止', 'deny', "don't allow", 'don’t allow', 'do not allow'];
/** The words of a close control, at the start of a short label ("跳过 5s" is skip). */
const CLOSE_WORDS = ['关闭', '跳过', '以后再说', '下次再说', '暂不更新', '暂不升级', '稍后', '取消', '我知道了', '知道了', '×', '✕', 'x', 'close', 'skip', 'not now', 'later', 'cancel', 'no thanks', 'dismiss'];
/** Resource ids of close controls (an icon without words). */
const CLOSE_ID = /(^|[_./:])(close|skip|dismiss|cancel)([_.]|$|btn|button|icon|img|iv)/i;
/** What a dialog's words say it is about. */
const KIND_WORDS: Array<[Exclude<PopupKind, 'permission'>, string[]]> = [
  ['update', ['更新', '升级', '新版本', 'update', 'upgrade', 'new version']],
  ['permission-explainer', ['权限', '授权', 'permission']],
  ['ad', ['广告', '福利', '红包', '优惠', '限时', '领取', '活动', '推广', ' ad ', 'ads', 'advert', 'sponsored', 'offer']],
];

/** Nodes and characters read from one dump: enough for a dialog, bounded for a hostile window. */
const SCAN_NODES = 2_000;
const LABEL_MAX = 60;
const WORDS_MAX = 2_000;

export interface Popup {
  kind: PopupKind;
  /** The dialog's first words (bounded), for the record. */
  words: string;
  /**
   * The words that make it this pop-up (the label holding its kind's word, or the permission dialog's question):
   * the same dialog over another screen has other `words` but the same `about`.
   */
  about: string;
  /** The control that closes it, or null when there is none the walk may tap. */
  close: { label: string; bounds: [number, number, number, number] } | null;
}

function labelOf(node: UiDumpNode): string {
  return (node.text || node.contentDesc).slice(0, LABEL_MAX).replace(/\s+/g, ' ').trim();
}

/** The nodes of a tree, breadth-first, at most `max` of them (iterative: no recursion on untrusted depth). */
export function nodesOf(tree: UiTree, max: number): UiDumpNode[] {
  const out: UiDumpNode[] = [];
  const queue = [...tree.nodes];
  for (let i = 0; i < queue.length && out.length < max; i++) {
    const n = queue[i]!;
    out.push(n);
    if (queue.length < max) queue.push(...n.children.slice(0, max - queue.length));
  }
  return out;
}

function startsWithWord(label: string, words: string[]): boolean {
  const l = label.toLowerCase();
  if (l.length > 12) return false;
  return words.some((w) => l === w || (l.startsWith(w) && !/[a-z]/.test(l[w.length] ?? '')));
}

function closeControl(nodes: UiDumpNode[], words: string[]): Popup['close'] {
  for (const n of nodes) {
    const label = labelOf(n);
    const byWord = label !== '' && startsWithWord(label, words);
    const byId = label === '' && CLOSE_ID.test(n.resourceId);
    if ((byWord || byId) && deniedControl(n) === null && n.bounds[2] > n.bounds[0] && n.bounds[3] > n.bounds[1]) {
      return { label: label || n.resourceId.slice(0, LABEL_MAX), bounds: n.bounds };
    }
  }
  return null;
}

/** The pop-up on this screen, or null. `foreground` is the package the phone says is in front. */
export function findPopup(tree: UiTree, foreground: string | null): Popup | null {
  const nodes = nodesOf(tree, SCAN_NODES);
  let words = '';
  for (const n of nodes) {
    if (words.length >= WORDS_MAX) break;
    const l = labelOf(n);
    if (l) words += (words ? ' ' : '') + l;
  }
  words = words.slice(0, WORDS_MAX);
  const permission = (foreground !== null && PERMISSION_PACKAGES.has(foreground)) || nodes.some((n) => PERMISSION_PACKAGES.has(n.packageName));
  if (permission) {
    const question = nodes.find((n) => PERMISSION_PACKAGES.has(n.packageName) && labelOf(n));
    return { kind: 'permission', words: words.slice(0, 200), about: question ? labelOf(question) : words.slice(0, LABEL_MAX), close: closeControl(nodes, DENY_WORDS) };
  }
  const lower = ` ${words.toLowerCase()} `;
  const kind = KIND_WORDS.find(([, ws]) => ws.some((w) => lower.includes(w)))?.[0];
  if (!kind) return null;
  const close = closeControl(nodes, CLOSE_WORDS);
  const kindWords = KIND_WORDS.find(([k]) => k === kind)![1];
  const about = nodes.map(labelOf).find((l) => kindWords.some((w) => ` ${l.toLowerCase()} `.includes(w))) ?? words.slice(0, LABEL_MAX);
  // Words alone do not make a dialog (a settings page says 更新 and 权限): only with a close control beside them.
  return close ? { kind, words: words.slice(0, 200), about, close } : null;
}

/** An overlay's container: a dialog or pop-up window, or an id that says ad, splash or pop-up. */
const OVERLAY_CLASS = /Dialog|PopupWindow/;
const OVERLAY_ID = /(^|[/_:.])(ad|ads|advert|splash|popup|dialog|banner)([_A-Z.]|$)/;

/**
 * An ad on this screen with no control the walk could close it by: its words, or null. `anywhere`: at the app's
 * launch an ad fills the screen, so its words anywhere count; elsewhere only inside an overlay's container (a
 * shop's page full of 优惠 is not an ad to wait on).
 */
export function findAdWithoutClose(tree: UiTree, anywhere: boolean): { words: string } | null {
  const nodes = nodesOf(tree, SCAN_NODES);
  const adWords = KIND_WORDS.find(([k]) => k === 'ad')![1];
  const inside = new Set<UiDumpNode>();
  if (!anywhere) {
    for (const n of nodes) {
      if (!OVERLAY_CLASS.test(n.className) && !OVERLAY_ID.test(n.resourceId)) continue;
      for (const d of nodesOf({ rotation: 0, nodes: [n], nodeCount: 0 }, 200)) inside.add(d);
    }
  }
  for (const n of nodes) {
    if (!anywhere && !inside.has(n)) continue;
    const l = labelOf(n);
    if (!l || !adWords.some((w) => ` ${l.toLowerCase()} `.includes(w))) continue;
    if (closeControl(nodes, CLOSE_WORDS)) return null;
    return { words: l };
  }
  return null;
}
