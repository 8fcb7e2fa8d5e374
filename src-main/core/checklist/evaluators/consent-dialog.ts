/**
 * Reading a consent dialog from a UI dump, as real apps draw it: which controls agree, decline, open a guest
 * (browse-only) mode or only acknowledge; which consent boxes and switches are ticked and what they say (often in
 * a sibling text, not on the box); whether the dialog's text sits in a WebView. The words were gathered from real
 * apps (test/fixtures/consent-vocabulary/SOURCES.md) and are measured there. The headless run (screen-reading.ts)
 * and the 164-1.4/1.5 evaluators (consent-ui.ts) read dialogs through this one module, so they agree.
 */
import type { UiDumpNode } from '../../../../src-preload/api.js';

export type ControlRole = 'agree' | 'decline' | 'guest' | 'acknowledge' | 'other';

/** Words of a privacy dialog's text or title (zh and en; templates may override). */
export const POLICY_WORDS = '隐私|个人信息|用户协议|服务协议|服务条款|privacy|personal (data|information)|terms';
/** A way to use the app without agreeing: guest, visitor, browse-only, basic-function mode. */
export const GUEST_WORDS = '仅浏览|只浏览|游客|访客|基础功能|基本功能|基础模式|基本模式|浏览模式|随便看看|先逛逛|guest|visitor|browse|basic mode';
/** Declining, as the first words of a control ("不同意并退出", "暂不同意", "退出应用", "残忍拒绝"). */
export const DECLINE_WORDS = '^(不同意|不接受|不允许|拒绝|暂不同意|暂不接受|暂不使用|暂不开启|仍不同意|仍然拒绝|残忍拒绝|退出|取消|放弃|以后再说|下次再说|稍后再说|disagree|decline|reject|refuse|no,? ?thanks|not now|exit|quit|cancel|deny)';
/** Agreeing, as the first words of a control ("同意并继续", "我已阅读并同意", "接受"). */
export const AGREE_WORDS = '^(同意|我同意|已阅读并同意|我已阅读并同意|阅读并同意|确认并同意|接受|我接受|agree|i agree|accept)';
/** Only taking note: the whole label is one of these ("我知道了", "好的", "进入应用"). */
export const ACKNOWLEDGE_WORDS = '^(我知道了|知道了|我已知晓|已知晓|好的|好|确定|确认|明白了|我明白了|了解|我已了解|已了解|进入应用|进入|开始使用|立即使用|立即体验|继续|继续使用|ok|okay|got it|i understand|understood|continue|start)[!！。.]?$';
/** What a consent box or switch says (its own text, or the text beside it). */
export const CONSENT_BOX_WORDS = '同意|隐私|协议|政策|条款|授权|agree|privacy|terms|consent';
/** Consent given by doing something else ("登录即同意", "使用本应用即表示您已阅读并同意"). */
export const IMPLIED_WORDS = '(登录|注册|使用本应用|使用本软件|使用本app|继续使用)即(表示|视为|代表)?(您|你)?(已)?(阅读并)?(同意|视为|接受)|by (signing in|logging in|registering|using)[^.]{0,40}agree';

/** Class names of the widgets a consent box is drawn with. */
const BOX_CLASS = /CheckBox|Switch|ToggleButton|RadioButton|CheckedTextView|CompoundButton/i;
/**
 * An app's own tick box: a clickable picture without text whose id says what it is (iv_agree, cb_agree,
 * img_check…); uiautomator reports it as not checkable and shows its state as `selected`.
 */
const PICTURE_BOX_CLASS = /ImageView|ImageButton|^android\.view\.View$/;
const PICTURE_BOX_ID = /[:/_](cb|check|checkbox|agree|radio|select|selected|tick)(_\w*)?$|[:/](iv|img|image)_?(check|agree|select|tick|protocol|privacy)\w*$/i;
const SWITCH_CLASS = /Switch|Toggle/i;
/** The permission dialog is the system's, not the app's. */
const CONTROLLER = /permissioncontroller|packageinstaller/;
/** A control's label longer than this is body text that happens to hold a word, not a button. */
const MAX_CONTROL_LABEL = 20;
/** Inside a WebView a page's buttons are often not marked clickable: short texts with a role count. */
const MAX_WEB_CONTROL_LABEL = 12;

export interface Words {
  policy: RegExp;
  guest: RegExp;
  decline: RegExp;
  agree: RegExp;
  acknowledge: RegExp;
  box: RegExp;
  implied: RegExp;
}

export const DEFAULT_WORDS: Words = compileWords({});

export function compileWords(o: Partial<Record<keyof Words, string>>): Words {
  return {
    policy: new RegExp(o.policy ?? POLICY_WORDS, 'i'),
    guest: new RegExp(o.guest ?? GUEST_WORDS, 'i'),
    decline: new RegExp(o.decline ?? DECLINE_WORDS, 'i'),
    agree: new RegExp(o.agree ?? AGREE_WORDS, 'i'),
    acknowledge: new RegExp(o.acknowledge ?? ACKNOWLEDGE_WORDS, 'i'),
    box: new RegExp(o.box ?? CONSENT_BOX_WORDS, 'i'),
    implied: new RegExp(o.implied ?? IMPLIED_WORDS, 'i'),
  };
}

export function label(n: UiDumpNode): string {
  return (n.text || n.contentDesc).trim();
}

/** A label as the word lists read it: no spaces or decoration around or inside ("同 意" is "同意"). */
export function normalize(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u3000「」『』【】"'“”‘’()（）<>＜＞]/g, '').toLowerCase();
}

/**
 * The role of a control by its label. A guest mode comes first ("暂不同意，仅浏览" opens the app without
 * consent), then declining, agreeing and only acknowledging.
 */
export function controlRole(text: string, words: Words = DEFAULT_WORDS): ControlRole {
  const t = text.trim();
  if (!t || t.length > MAX_CONTROL_LABEL) return 'other';
  const n = normalize(t);
  // English keeps its spaces for the word lists ("no thanks", "got it").
  const spaced = t.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
  const test = (re: RegExp) => re.test(n) || re.test(spaced);
  if (test(words.guest)) return 'guest';
  if (test(words.decline)) return 'decline';
  if (test(words.agree)) return 'agree';
  if (test(words.acknowledge)) return 'acknowledge';
  return 'other';
}

export interface DialogControl {
  node: UiDumpNode;
  label: string;
  role: ControlRole;
  /** Where to tap: the control itself, or the clickable row around its text. */
  target: UiDumpNode;
}

export interface ConsentBox {
  node: UiDumpNode;
  /** The box's own text, else the text beside it (a row "☑ 我已阅读并同意《隐私政策》"). */
  label: string;
  kind: 'checkbox' | 'switch';
  checked: boolean;
}

export interface ConsentDialog {
  /** The node whose text made this read as a privacy dialog. */
  policyNode: UiDumpNode;
  /** The dialog's text is inside a WebView (an H5 page or a cross-platform app). */
  inWebView: boolean;
  controls: DialogControl[];
  /** Consent boxes and switches (a box about something else is not listed). */
  boxes: ConsentBox[];
  /** Text that gives consent by doing something else ("登录即同意"). */
  implied: UiDumpNode | null;
}

interface Placed {
  node: UiDumpNode;
  parent: Placed | null;
  inWebView: boolean;
}

/** Every node with its parent, bounded like flatten() (5,000 nodes, 64 levels): dumps are untrusted input. */
function place(nodes: UiDumpNode[]): Placed[] {
  const out: Placed[] = [];
  const walk = (list: UiDumpNode[], parent: Placed | null, depth: number) => {
    for (const node of list) {
      if (out.length >= 5000 || depth > 64) return;
      const p: Placed = { node, parent, inWebView: (parent?.inWebView ?? false) || /WebView/i.test(parent?.node.className ?? '') };
      out.push(p);
      walk(node.children, p, depth + 1);
    }
  };
  walk(nodes, null, 0);
  return out;
}

/** Whether a node holds exactly one labelled node (memoised: many texts may ask about one container). */
function holdsOneLabel(n: UiDumpNode, memo: Map<UiDumpNode, boolean>): boolean {
  const known = memo.get(n);
  if (known !== undefined) return known;
  let count = 0;
  const stack = [n.children];
  const index = [0];
  while (stack.length && count < 2) {
    const list = stack[stack.length - 1]!;
    const i = index[index.length - 1]!;
    if (i >= list.length) {
      stack.pop();
      index.pop();
      continue;
    }
    index[index.length - 1] = i + 1;
    const c = list[i]!;
    if (label(c)) count++;
    if (c.children.length && stack.length < 64) {
      stack.push(c.children);
      index.push(0);
    }
  }
  memo.set(n, count === 1);
  return count === 1;
}

/** The clickable row a text sits in (real dialogs often put the text in a TextView inside a clickable layout). */
function clickableRow(p: Placed, memo: Map<UiDumpNode, boolean>): UiDumpNode | null {
  let up = p.parent;
  for (let i = 0; up && i < 3; i++, up = up.parent) {
    if (!up.node.clickable || !up.node.enabled) continue;
    // A clickable container holding several texts is a panel, not this text's button.
    return !label(up.node) && holdsOneLabel(up.node, memo) ? up.node : null;
  }
  return null;
}

function boxLabel(p: Placed): string {
  const own = label(p.node);
  if (own) return own;
  const siblings = p.parent ? p.parent.node.children.filter((c) => c !== p.node).map(label).filter(Boolean) : [];
  return (siblings.join('') || (p.parent ? label(p.parent.node) : '')).slice(0, 200);
}

function isBox(n: UiDumpNode): boolean {
  return n.checkable || BOX_CLASS.test(n.className) || isPictureBox(n);
}

function isPictureBox(n: UiDumpNode): boolean {
  return !n.checkable && n.clickable && !label(n) && PICTURE_BOX_CLASS.test(n.className) && PICTURE_BOX_ID.test(n.resourceId) && !/[:/](btn|button)_/i.test(n.resourceId);
}

function boxesOf(placed: Placed[], words: Words): ConsentBox[] {
  const out: ConsentBox[] = [];
  for (const p of placed) {
    if (!isBox(p.node)) continue;
    const said = boxLabel(p);
    const checked = p.node.checked || (isPictureBox(p.node) && p.node.selected === true);
    if (words.box.test(said)) out.push({ node: p.node, label: said, kind: SWITCH_CLASS.test(p.node.className) ? 'switch' : 'checkbox', checked });
  }
  return out;
}

/** The consent boxes and switches on a screen, whether or not it reads like a privacy dialog (a login page). */
export function consentBoxes(nodes: UiDumpNode[], words: Words = DEFAULT_WORDS): ConsentBox[] {
  return boxesOf(place(nodes).filter((p) => !CONTROLLER.test(p.node.packageName)), words);
}

/** Text on a screen that gives consent by doing something else ("登录即同意"). */
export function impliedConsent(nodes: UiDumpNode[], words: Words = DEFAULT_WORDS): UiDumpNode | null {
  return place(nodes).find((p) => !CONTROLLER.test(p.node.packageName) && (words.implied.test(normalize(label(p.node))) || words.implied.test(label(p.node))))?.node ?? null;
}

/**
 * The consent dialog on a screen, if the screen reads like one (a text about the privacy policy or terms);
 * null otherwise. The system's permission dialog is not the app's consent dialog.
 */
export function readConsentDialog(nodes: UiDumpNode[], words: Words = DEFAULT_WORDS): ConsentDialog | null {
  const placed = place(nodes).filter((p) => !CONTROLLER.test(p.node.packageName));
  const policy = placed.find((p) => words.policy.test(label(p.node)));
  if (!policy) return null;
  const controls: DialogControl[] = [];
  const memo = new Map<UiDumpNode, boolean>();
  let inWebView = policy.inWebView;
  for (const p of placed) {
    const n = p.node;
    const text = label(n);
    if (isBox(n)) continue;
    if (!text || !n.enabled) continue;
    const role = controlRole(text, words);
    let target: UiDumpNode | null = n.clickable ? n : clickableRow(p, memo);
    if (!target && p.inWebView && role !== 'other' && text.length <= MAX_WEB_CONTROL_LABEL) target = n;
    if (!target || (role === 'other' && !n.clickable)) continue;
    controls.push({ node: n, label: text, role, target });
    if (role !== 'other') inWebView ||= p.inWebView;
  }
  const implied = impliedConsent(nodes, words);
  return { policyNode: policy.node, inWebView, controls, boxes: boxesOf(placed, words), implied };
}

/** The controls of a role, in screen order. */
export function ofRole(d: ConsentDialog, ...roles: ControlRole[]): DialogControl[] {
  return d.controls.filter((c) => roles.includes(c.role));
}
