/**
 * The link on the phone's screen that opens a list page the policy points to: the words of the reference
 * (《第三方信息共享清单》, 点击查看…) matched to a node the tester could tap. Only a short label that names the
 * reference is taken (a paragraph that merely contains the title is not a link); the capture itself is
 * capture-policy.ts's, which records the tap and, when it opened nothing, the failed step (never a mark).
 */
import type { UiDumpNode, UiTree } from '../../../src-preload/api.js';
import { flatten } from '../checklist/evaluators/consent-ui.js';
import type { Button } from '../checklist/run/screen-reading.js';
import { captureFailure } from './capture-failures.js';
import type { LinkToTap } from './capture-policy.js';

const SYSTEM = /^(com\.android\.systemui|com\.android\.launcher3|com\.android\.permissioncontroller|com\.google\.android\.permissioncontroller)$/;
/** A label longer than this is text, not a link. */
const MAX_LINK_CHARS = 40;

/** Letters only: brackets, quotes, spaces and punctuation do not tell a link from its title. */
function bare(s: string): string {
  return s.replace(/[\s《》〈〉<>“”"'‘’「」【】()（）:：,，.。、·\-—>]/g, '').toLowerCase();
}

/** The names a reference gives its page: the titles in 《》, else the words after 点击查看/详见/见. */
export function referenceTitles(reference: string): string[] {
  const titles = [...reference.matchAll(/《([^》]{2,40})》/g)].map((m) => m[1]!);
  if (!titles.length) {
    const after = /(?:点击查看|点击|查看|详见|参见|请见)\s*[“"「]?([^，。；,;“”"」]{2,30})/.exec(reference);
    if (after) titles.push(after[1]!);
  }
  return [...new Set(titles.map(bare).filter((t) => t.length >= 2))];
}

function label(n: UiDumpNode): string {
  return (n.text || n.contentDesc).trim();
}

/** The node on screen that links to the referenced page, preferring what is clickable; null when none is shown. */
export function referenceLink(tree: UiTree, reference: string): Button | null {
  const titles = referenceTitles(reference);
  if (!titles.length) return null;
  const candidates = flatten(tree.nodes).filter((n) => !SYSTEM.test(n.packageName) && n.enabled && label(n) && label(n).length <= MAX_LINK_CHARS);
  const names = (n: UiDumpNode): boolean => {
    const b = bare(label(n));
    return b.length >= 2 && titles.some((t) => b === t || (b.includes(t) && b.length <= t.length + 8));
  };
  const hit = candidates.find((n) => n.clickable && names(n)) ?? candidates.find(names);
  if (!hit) return null;
  const [l, t, r, b] = hit.bounds;
  return { text: label(hit), x: Math.round((l + r) / 2), y: Math.round((t + b) / 2) };
}

/** The link to tap for a list page, for capturePolicyFromPhone. */
export function listPageLink(reference: string): LinkToTap {
  const shown = [...reference.matchAll(/《[^》]{2,40}》/g)].map((m) => m[0]).join(' ') || reference.slice(0, 60);
  return {
    find: (tree) => referenceLink(tree, reference),
    missing: (serial) => captureFailure('list-link-missing', { serial, link: shown }),
    page: 'list page',
    mark: null,
    step: 'list-page.capture',
  };
}
