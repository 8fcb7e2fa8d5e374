/**
 * What is on the phone's screen as a tree of UI nodes, and its `uiautomator dump` XML in the layout real
 * phones write (one line, every attribute, bounds as [x1,y1][x2,y2]).
 */
export type NodeStyle = 'title' | 'text' | 'button' | 'primary' | 'checkbox' | 'switch' | 'link' | 'dialog' | 'panel' | 'icon' | 'document';

export interface UiNode {
  key: string;
  text: string;
  resourceId: string;
  className: string;
  packageName: string;
  contentDesc: string;
  bounds: [number, number, number, number];
  clickable: boolean;
  checkable: boolean;
  checked: boolean;
  enabled: boolean;
  style: NodeStyle;
  children: UiNode[];
  /** A container the user scrolls (a policy's WebView). */
  scrollable?: boolean;
  /** The text as drawn, wrapped to the node's width (the dump keeps `text` whole, as real phones do). */
  wrapped?: string[];
  /**
   * A scrollable document drawn as a WebView draws it: the whole text as one tall page, shown from `offsetPx`
   * down (between two resting positions while a swipe's scroll animates). Its children stay what uiautomator lists.
   */
  document?: { text: string; offsetPx: number };
}

export interface ScreenContent {
  packageName: string;
  activity: string;
  background: string;
  nodes: UiNode[];
  /** The focused window has FLAG_SECURE: screenshots and screen recordings show it black. */
  secure?: boolean;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 cannot carry most control characters: drop them as uiautomator does.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function nodeXml(n: UiNode, index: number): string {
  const [x1, y1, x2, y2] = n.bounds;
  const attrs = [
    ['index', String(index)], ['text', n.text], ['resource-id', n.resourceId], ['class', n.className],
    ['package', n.packageName], ['content-desc', n.contentDesc], ['checkable', String(n.checkable)],
    ['checked', String(n.checked)], ['clickable', String(n.clickable)], ['enabled', String(n.enabled)],
    ['focusable', String(n.clickable || n.checkable)], ['focused', 'false'], ['scrollable', String(n.scrollable ?? false)],
    ['long-clickable', 'false'], ['password', 'false'], ['selected', 'false'], ['bounds', `[${x1},${y1}][${x2},${y2}]`],
  ].map(([k, v]) => `${k}="${escapeXml(v!)}"`).join(' ');
  const kids = n.children.map((c, i) => nodeXml(c, i)).join('');
  return kids ? `<node ${attrs}>${kids}</node>` : `<node ${attrs} />`;
}

export function uiautomatorXml(screen: ScreenContent, width: number, height: number): string {
  const root: UiNode = {
    key: 'root', text: '', resourceId: '', className: 'android.widget.FrameLayout', packageName: screen.packageName,
    contentDesc: '', bounds: [0, 0, width, height], clickable: false, checkable: false, checked: false, enabled: true,
    style: 'panel', children: screen.nodes,
  };
  return `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0">${nodeXml(root, 0)}</hierarchy>`;
}

/**
 * The top-most clickable or checkable node under a point, searching children before parents. Inside a WebView
 * the page gets every touch: the element under the finger is hit even when uiautomator calls it not clickable
 * (a page's click handlers are not in the accessibility tree).
 */
export function hitTest(nodes: UiNode[], x: number, y: number, inWebView = false): UiNode | undefined {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    const inside = x >= n.bounds[0] && x < n.bounds[2] && y >= n.bounds[1] && y < n.bounds[3];
    if (!inside) continue;
    const child = hitTest(n.children, x, y, inWebView || (n.className === 'android.webkit.WebView' && n.style !== 'document'));
    if (child) return child;
    if (n.clickable || n.checkable || (inWebView && n.text)) return n;
  }
  return undefined;
}
