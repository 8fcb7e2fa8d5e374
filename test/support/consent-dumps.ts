/**
 * `uiautomator dump` XML for consent dialogs, in the shapes real dumps take: native buttons that carry their
 * text; a text in a clickable row (a TextView inside a clickable layout, the usual custom dialog); a WebView page
 * whose texts are android.view.View nodes that uiautomator often reports as not clickable; and a consent box or
 * switch whose words sit in a TextView beside it. The XML is read back by the real parser (parseUiDump).
 */
import type { UiTree } from '../../src-preload/api.js';
import { parseUiDump } from '../../src-main/core/adb/ui-dump.js';

export type Shape = 'native' | 'row' | 'webview';

export interface DumpNode {
  cls: string;
  text?: string;
  desc?: string;
  id?: string;
  clickable?: boolean;
  checkable?: boolean;
  checked?: boolean;
  selected?: boolean;
  children?: DumpNode[];
}

export interface DialogSpec {
  texts: string[];
  controls: Array<{ text: string; as?: 'content-desc' }>;
  boxes?: BoxSpec[];
}

export interface BoxSpec {
  /** The box's own text ('' when its words are beside it). */
  box: string;
  beside: string;
  /** picture: the app's own tick box, an ImageView whose state uiautomator shows as `selected`. */
  kind: 'checkbox' | 'switch' | 'picture';
  checked: boolean;
}

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** One window as uiautomator writes it (one line, every attribute, bounds laid out top to bottom). */
export function dumpXml(pkg: string, nodes: DumpNode[]): string {
  let y = 200;
  const write = (n: DumpNode, index: number, x1: number, x2: number): string => {
    const top = y;
    if (!n.children?.length) y += 120;
    const kids = (n.children ?? []).map((c, i) => write(c, i, x1 + 20, x2 - 20)).join('');
    const bottom = Math.max(y, top + 1);
    const clickable = n.clickable ?? false;
    const attrs = [
      ['index', String(index)], ['text', n.text ?? ''], ['resource-id', n.id ? `${pkg}:id/${n.id}` : ''], ['class', n.cls], ['package', pkg],
      ['content-desc', n.desc ?? ''], ['checkable', String(n.checkable ?? false)], ['checked', String(n.checked ?? false)],
      ['clickable', String(clickable)], ['enabled', 'true'], ['focusable', String(clickable)], ['focused', 'false'], ['scrollable', 'false'],
      ['long-clickable', 'false'], ['password', 'false'], ['selected', String(n.selected ?? false)], ['bounds', `[${x1},${top}][${x2},${bottom}]`],
    ].map(([k, v]) => `${k}="${esc(v!)}"`).join(' ');
    return kids ? `<node ${attrs}>${kids}</node>` : `<node ${attrs} />`;
  };
  const body = nodes.map((n, i) => write(n, i, 0, 1080)).join('');
  return `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0">${body}</hierarchy>`;
}

const isLink = (t: string) => /^《.*》$/.test(t);

function control(c: DialogSpec['controls'][number], shape: Shape, i: number): DumpNode {
  const own: DumpNode = c.as === 'content-desc' ? { cls: 'android.widget.ImageView', desc: c.text } : { cls: 'android.widget.TextView', text: c.text };
  if (shape === 'webview') return { ...own, cls: 'android.view.View', clickable: false };
  if (shape === 'row') return { cls: 'android.widget.FrameLayout', id: `btn_${i}`, clickable: true, children: [own] };
  return { ...own, cls: c.as === 'content-desc' ? own.cls : 'android.widget.Button', id: `btn_${i}`, clickable: true };
}

function box(b: BoxSpec, web: boolean): DumpNode {
  const cls = web ? 'android.widget.CheckBox' : b.kind === 'switch' ? 'android.widget.Switch' : 'android.widget.CheckBox';
  const own: DumpNode = b.kind === 'picture'
    ? { cls: 'android.widget.ImageView', clickable: true, selected: b.checked, id: 'iv_agree' }
    : { cls, text: b.box, checkable: true, checked: b.checked, clickable: true, id: b.kind === 'switch' ? 'sw_agree' : 'cb_agree' };
  return {
    cls: 'android.widget.LinearLayout',
    children: [
      own,
      ...(b.beside ? [{ cls: web ? 'android.view.View' : 'android.widget.TextView', text: b.beside }] : []),
    ],
  };
}

/** A dialog's nodes in one of the shapes. */
export function dialogNodes(spec: DialogSpec, shape: Shape): DumpNode[] {
  const web = shape === 'webview';
  const texts: DumpNode[] = spec.texts.map((t) => ({ cls: web ? 'android.view.View' : 'android.widget.TextView', text: t, clickable: !web && isLink(t) }));
  const controls = spec.controls.map((c, i) => control(c, shape, i));
  const boxes = (spec.boxes ?? []).map((b) => box(b, web));
  const panel: DumpNode = { cls: web ? 'android.view.View' : 'android.widget.LinearLayout', id: web ? undefined : 'dialog', children: [...texts, ...boxes, { cls: web ? 'android.view.View' : 'android.widget.LinearLayout', children: controls }] };
  const content: DumpNode = web ? { cls: 'android.webkit.WebView', text: '', children: [panel] } : panel;
  return [{ cls: 'android.widget.FrameLayout', children: [content] }];
}

export function dialogDump(pkg: string, spec: DialogSpec, shape: Shape): { xml: string; tree: UiTree } {
  const xml = dumpXml(pkg, dialogNodes(spec, shape));
  return { xml, tree: parseUiDump(xml) };
}
