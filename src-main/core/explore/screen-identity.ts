/**
 * A screen's identity for the explorer (issue #29): a structural hash of a uiautomator dump, so that a walk knows a
 * screen it has seen and never loops. Two dumps are the same screen when they agree on the app's package, the shape
 * of the tree outside scrolling containers (class names, resource ids, clickable and scrollable, depth) and the words
 * of its titles and controls there, digits folded (a clock, a counter or an unread badge makes no new screen).
 * Inside a scrolling container (a feed, a settings list, a long policy) only the container itself counts: scrolled
 * or refreshed content is the same screen. The phone's own system UI (status and navigation bars) is left out.
 */
import { createHash } from 'node:crypto';
import type { UiDumpNode, UiTree } from '../../../src-preload/api.js';

/** Packages whose windows are the phone's, not the app's: they never tell one app screen from another. */
const SYSTEM_UI = new Set(['com.android.systemui']);
/** Longest words kept per node: a title or a control's label, not a paragraph. */
const WORDS_MAX = 40;

/** A label as the identity keeps it: trimmed, spaces collapsed, digits folded to #, bounded. */
export function foldedWords(text: string): string {
  // Only the start is read: a hostile label of a megabyte costs no more than a title.
  return text.slice(0, WORDS_MAX * 8).replace(/\s+/g, ' ').trim().replace(/\d+/g, '#').slice(0, WORDS_MAX);
}

function describe(node: UiDumpNode, depth: number, out: string[]): void {
  if (SYSTEM_UI.has(node.packageName)) return;
  const flags = `${node.clickable ? 'c' : ''}${node.scrollable ? 's' : ''}`;
  if (node.scrollable) {
    // The container, not what it scrolls.
    out.push(`${depth}|${node.className}|${node.resourceId}|${flags}`);
    return;
  }
  out.push(`${depth}|${node.className}|${node.resourceId}|${flags}|${foldedWords(node.text || node.contentDesc)}`);
  for (const child of node.children) describe(child, depth + 1, out);
}

/**
 * What the identity hashes, one line per node outside scrolling containers (depth, class, resource id, flags and
 * folded words): the walk compares two screens by these when one may be the other changed (a rotating banner).
 */
export function identityLines(tree: UiTree): string[] {
  const lines: string[] = [];
  for (const node of tree.nodes) describe(node, 0, lines);
  return lines;
}

/** The screen's identity: the app package and a SHA-256 over its structure, e.g. `com.demo.shop#1f3a…` (16 hex). */
export function screenIdentity(tree: UiTree): string {
  const app = firstAppPackage(tree.nodes) ?? '?';
  return `${app}#${createHash('sha256').update(identityLines(tree).join('\n')).digest('hex').slice(0, 16)}`;
}

function firstAppPackage(nodes: UiDumpNode[]): string | null {
  for (const n of nodes) {
    if (n.packageName && !SYSTEM_UI.has(n.packageName)) return n.packageName;
    const inner = firstAppPackage(n.children);
    if (inner) return inner;
  }
  return null;
}
