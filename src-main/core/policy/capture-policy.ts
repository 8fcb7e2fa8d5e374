/**
 * Captures a privacy policy from the phone's screen as a tester would read it: optionally taps the policy
 * link of the dialog on screen, then page by page takes a screenshot and a UI dump (both kept in the
 * session), reads the text inside the scrolling container, and swipes up until a page brings no new text.
 * Bounded in pages and time; a phone that leaves the policy screen ends the capture with what was read.
 * The same reads a list page the policy points to (capture-list.ts gives the link to tap).
 * The taps and swipes are the workbench's (source `workbench`). The mark saying the policy was reached is
 * written only once the page is seen on the phone — the tap changed the screen, the app (not a system
 * window) shows it, and its first page reads as a privacy policy. A capture that fails is recorded as a
 * `workbench.step-failed` event with its reason in both languages, never as a mark; a page with images and
 * no text is refused as unreadable (its screenshot and UI dump stay in the session), never guessed at.
 */
import type { InputAction, TesterMark, UiDumpNode, UiTree } from '../../../src-preload/api.js';
import type { WorkbenchStep } from '../../../src-preload/monitor-events.js';
import type { DeviceControl } from '../adb/device-control.js';
import { parseUiDump } from '../adb/ui-dump.js';
import { flatten } from '../checklist/evaluators/consent-ui.js';
import { policyLink, type Button } from '../checklist/run/screen-reading.js';
import { WorkbenchError } from '../errors.js';
import type { Session } from '../session/session.js';
import { recordStepFailure } from '../session/step-failure.js';
import { captureFailure, captureFailureWords } from './capture-failures.js';

/** A link to tap before reading: the dialog's policy link, or the link to a list page. */
export interface LinkToTap {
  find(tree: UiTree): Button | null;
  /** The refusal when it is not on the screen (what to do instead). */
  missing(serial: string): WorkbenchError;
  /** Names the page in capture names and messages: "policy", "list page". */
  page: string;
  /** Written once the page is seen on the phone (and reads as what the mark claims), never before. */
  mark: TesterMark | null;
  /** The step named in a `workbench.step-failed` event when the capture fails. */
  step: WorkbenchStep;
}

const POLICY_LINK: LinkToTap = {
  find: policyLink,
  missing: (serial) => captureFailure('policy-link-missing', { serial }),
  page: 'policy',
  mark: 'policy.reached',
  step: 'policy.capture',
};

/** What any privacy policy says somewhere on its first screen; a page without it is not the policy the mark claims. */
const READS_AS_POLICY = /隐私|个人信息|privacy|personal (?:data|information)/i;

export interface PhoneCaptureOptions {
  control: DeviceControl;
  serial: string;
  session: Session;
  /** Tap a link on the screen first: true, the policy link (the dialog's 《隐私政策》); or the link given. */
  openLink: boolean | LinkToTap;
  maxPages?: number;
  timeoutMs?: number;
  settleMs?: number;
  onPage?: (page: number, lines: number) => void;
}

export interface PhoneCapture {
  text: string;
  /** The label of the link tapped to open the page (null: it was open already). */
  tapped: string | null;
  pages: number[];
  problem: string | null;
  packageName: string;
}

const SYSTEM_UI = /^(com\.android\.systemui|com\.android\.launcher3|com\.android\.permissioncontroller|com\.google\.android\.permissioncontroller)$/;

function label(n: UiDumpNode): string {
  return (n.text || n.contentDesc).trim();
}

function scrollContainer(tree: UiTree): UiDumpNode | null {
  return flatten(tree.nodes).find((n) => n.scrollable && !SYSTEM_UI.test(n.packageName)) ?? null;
}

function appPackage(tree: UiTree): string {
  return flatten(tree.nodes).find((n) => n.packageName && !SYSTEM_UI.test(n.packageName))?.packageName ?? '';
}

/** The system package whose window is the only one with text on the screen (a permission dialog over the app), if any. */
function systemWindow(tree: UiTree): string | null {
  return flatten(tree.nodes).find((n) => SYSTEM_UI.test(n.packageName) && label(n))?.packageName ?? null;
}

/** The page's text lines: inside the scrolling container when there is one, else every text of the app's window. */
function pageLines(tree: UiTree, container: UiDumpNode | null): string[] {
  const nodes = container ? flatten(container.children) : flatten(tree.nodes).filter((n) => !SYSTEM_UI.test(n.packageName));
  return nodes.map(label).filter(Boolean);
}

const IMAGE_CLASS = /(^|\.)(ImageView|ImageButton|WebView|Image)$/;

/** Images (and web views, whose pictures the UI dump cannot show) on a page that exposes no text. */
function imageNodes(tree: UiTree, container: UiDumpNode | null): number {
  const nodes = container ? [container, ...flatten(container.children)] : flatten(tree.nodes).filter((n) => !SYSTEM_UI.test(n.packageName));
  return nodes.filter((n) => IMAGE_CLASS.test(n.className)).length;
}

/** Appends a page to what was read, skipping the lines it repeats from the end of the previous page. */
export function mergePage(read: string[], page: string[]): string[] {
  for (let k = Math.min(read.length, page.length); k > 0; k--) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = read[read.length - k + i] === page[i];
    if (same) return page.slice(k);
  }
  const seen = new Set(read.slice(-page.length * 2));
  return page.every((l) => seen.has(l)) ? [] : page;
}

/**
 * Reads the policy (or the list page) from the phone. A failure is recorded in the session as the workbench's
 * failed step, with its reason in both languages, and thrown to the caller.
 */
export async function capturePolicyFromPhone(o: PhoneCaptureOptions): Promise<PhoneCapture> {
  try {
    return await readFromPhone(o);
  } catch (err) {
    const step = o.openLink && o.openLink !== true ? o.openLink.step : 'policy.capture';
    recordStepFailure(o.session, { step, ...captureFailureWords(err) });
    throw err;
  }
}

async function readFromPhone(o: PhoneCaptureOptions): Promise<PhoneCapture> {
  const maxPages = o.maxPages ?? 60;
  const deadline = Date.now() + (o.timeoutMs ?? 180_000);
  const settle = o.settleMs ?? 500;
  const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  const act = async (action: InputAction): Promise<void> => {
    o.session.append({ type: 'tester.input', action }, { source: 'workbench', deviceTime: await o.control.readClock(o.serial).catch(() => null) });
    await o.control.input(o.serial, action);
  };
  const dump = async (): Promise<{ xml: string; tree: UiTree }> => {
    const xml = await o.control.uiDumpXml(o.serial);
    try {
      return { xml, tree: parseUiDump(xml) };
    } catch (err) {
      throw captureFailure('no-ui-dump', { serial: o.serial, problem: (err instanceof Error ? err.message : String(err)).slice(0, 200) });
    }
  };

  let { xml, tree } = await dump();
  const linkToTap = o.openLink === true ? POLICY_LINK : o.openLink || null;
  let tapped: string | null = null;
  /** The mark to write once the page is seen: it claims the page opened. */
  let pendingMark: { mark: TesterMark; label: string } | null = null;
  if (linkToTap) {
    const link = linkToTap.find(tree);
    if (!link) throw linkToTap.missing(o.serial);
    const before = pageLines(tree, null).join('\n');
    await act({ kind: 'tap', x: link.x, y: link.y });
    await wait(settle);
    ({ xml, tree } = await dump());
    for (let retry = 0; retry < 3 && pageLines(tree, null).join('\n') === before; retry++) {
      await wait(settle);
      ({ xml, tree } = await dump());
    }
    const after = pageLines(tree, null);
    if (after.join('\n') === before) {
      o.session.capture('ui.dump', Buffer.from(xml), 'application/xml', `${linkToTap.page} link "${link.text}" tapped: nothing changed`, { source: 'workbench' });
      throw captureFailure('link-dead', { serial: o.serial, link: link.text.slice(0, 200), page: linkToTap.page });
    }
    // The app's window is gone from the dump and a system one is left: a permission dialog (or the like) came up
    // over the app — the screen changed, but not to the page.
    const system = after.length ? null : systemWindow(tree);
    if (system) {
      o.session.capture('ui.dump', Buffer.from(xml), 'application/xml', `${linkToTap.page} link "${link.text}" tapped: a system window shows`, { source: 'workbench' });
      throw captureFailure('covered-by-system', { serial: o.serial, link: link.text.slice(0, 200), window: system });
    }
    tapped = link.text;
    if (linkToTap.mark) pendingMark = { mark: linkToTap.mark, label: `tapped "${link.text}"` };
  }
  const pkg = appPackage(tree);
  const first = scrollContainer(tree);
  const read: string[] = [];
  const pages: number[] = [];
  let problem: string | null = null;
  for (let page = 1; ; page++) {
    const container = scrollContainer(tree);
    if (page > 1 && (appPackage(tree) !== pkg || (first && !container))) {
      problem = `the phone left the policy screen at page ${page}; the ${page - 1} pages read before are kept`;
      break;
    }
    const name = `${linkToTap?.page ?? 'policy'} page ${page}`;
    const shot = await o.control.screenshot(o.serial);
    pages.push(o.session.capture('screenshot', shot.png, 'image/png', name, { source: 'workbench' }).seq);
    o.session.capture('ui.dump', Buffer.from(xml), 'application/xml', name, { source: 'workbench' });
    const lines = pageLines(tree, container);
    if (page === 1 && !lines.length) {
      const images = imageNodes(tree, container);
      // An image-only page: nothing is read from it, the tester is asked for its text; the screenshot stays.
      if (images) throw captureFailure('image-only', { serial: o.serial, images, where: 'phone', seq: pages[0]! });
      throw captureFailure('empty-screen', { serial: o.serial });
    }
    if (page === 1 && pendingMark) {
      if (!READS_AS_POLICY.test(lines.join('\n'))) throw captureFailure('not-a-policy', { serial: o.serial, link: (tapped ?? '').slice(0, 200) });
      // Seen on the phone: the app shows a page that reads as the policy. Only now does the record say it opened.
      o.session.append({ type: 'tester.mark', mark: pendingMark.mark, label: pendingMark.label }, { source: 'workbench', deviceTime: await o.control.readClock(o.serial).catch(() => null) });
    }
    const fresh = mergePage(read, lines);
    read.push(...fresh);
    o.onPage?.(page, read.length);
    if (!fresh.length || !container) break;
    if (page >= maxPages) {
      problem = `stopped after ${maxPages} pages; the policy may go on (capture again from where it stopped, or load it as a file)`;
      break;
    }
    if (Date.now() > deadline) {
      problem = `stopped after ${Math.round((o.timeoutMs ?? 180_000) / 1000)} s at page ${page}; what was read is kept`;
      break;
    }
    const [l, t, r, b] = container.bounds;
    const x = Math.round((l + r) / 2), h = b - t;
    await act({ kind: 'swipe', x1: x, y1: Math.round(b - h * 0.15), x2: x, y2: Math.round(t + h * 0.15), durationMs: 300 });
    await wait(settle);
    ({ xml, tree } = await dump());
  }
  return { text: read.join('\n'), tapped, pages, problem, packageName: pkg };
}
