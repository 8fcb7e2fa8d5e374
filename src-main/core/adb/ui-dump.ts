/**
 * `uiautomator dump` XML to a tree of UI nodes: a small tolerant reader for that one layout (no DTDs, no
 * entities beyond the five XML ones), bounded in nodes and depth, so a hostile app's window cannot stall or
 * exhaust the workbench. Every attribute is cleaned as it is read (escape sequences and controls removed, bidi
 * controls shown): the UI tree, the checklist's facts and a policy read from the screen all start from here.
 * The XML itself is kept as the phone wrote it, as evidence.
 */
import type { UiDumpNode, UiTree } from '../../../src-preload/api.js';
import { WorkbenchError } from '../errors.js';
import { isPlainText, stripTerminalControls } from './terminal-text.js';

const MAX_NODES = 20_000;
const MAX_DEPTH = 200;

function decode(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
  });
}

function parseBounds(b: string | undefined): [number, number, number, number] {
  const m = /^\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]$/.exec(b ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : [0, 0, 0, 0];
}

export function parseUiDump(xml: string): UiTree {
  const start = xml.indexOf('<hierarchy');
  if (start < 0) throw new WorkbenchError('adb.command-failed', 'uiautomator did not return a window hierarchy', { what: 'uiautomator dump' });
  const rotation = Number(/<hierarchy[^>]*rotation="(\d)"/.exec(xml)?.[1] ?? 0);
  const root: UiDumpNode = { text: '', resourceId: '', className: 'hierarchy', packageName: '', contentDesc: '', checkable: false, checked: false, clickable: false, enabled: true, bounds: [0, 0, 0, 0], children: [] };
  const stack: UiDumpNode[] = [root];
  let count = 0;
  // A dump without a control or bidi character anywhere needs only its character references cleaned.
  const plain = isPlainText(xml);
  const tag = /<(\/?)node\b([^>]*?)(\/?)>/g;
  tag.lastIndex = start;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[1]) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    if (++count > MAX_NODES) throw new WorkbenchError('adb.command-failed', `window has more than ${MAX_NODES} nodes`, { what: 'uiautomator dump' });
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/([\w-]+)="([^"]*)"/g)) {
      const value = decode(a[2]!);
      attrs[a[1]!] = plain && value === a[2] ? value : stripTerminalControls(value);
    }
    const node: UiDumpNode = {
      text: attrs.text ?? '', resourceId: attrs['resource-id'] ?? '', className: attrs.class ?? '', packageName: attrs.package ?? '',
      contentDesc: attrs['content-desc'] ?? '', checkable: attrs.checkable === 'true', checked: attrs.checked === 'true',
      clickable: attrs.clickable === 'true', enabled: attrs.enabled !== 'false', bounds: parseBounds(attrs.bounds), children: [],
      ...(attrs.scrollable === 'true' ? { scrollable: true } : {}),
      ...(attrs.selected === 'true' ? { selected: true } : {}),
    };
    stack[stack.length - 1]!.children.push(node);
    if (!m[3]) {
      if (stack.length > MAX_DEPTH) throw new WorkbenchError('adb.command-failed', 'window hierarchy is nested too deeply', { what: 'uiautomator dump' });
      stack.push(node);
    }
  }
  return { rotation: (rotation & 3) as UiTree['rotation'], nodes: root.children, nodeCount: count };
}
