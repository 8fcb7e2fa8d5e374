/**
 * Reading a phone's screen for the headless run: the system permission dialog and its deny button, and the
 * privacy dialog's agree, decline and guest-mode controls, from a UI dump. The dialog is read by the same module
 * as the consent evaluators (consent-dialog.ts) so the run and the judgement agree on what a decline button is.
 */
import type { UiDumpNode, UiTree } from '../../../../src-preload/api.js';
import { AGREE_WORDS, ofRole, POLICY_WORDS, readConsentDialog, type DialogControl } from '../evaluators/consent-dialog.js';
import { flatten } from '../evaluators/consent-ui.js';

const CONTROLLER = /permissioncontroller|packageinstaller/;
const DENY_IDS = /permission_deny_button|permission_deny_and_dont_ask_again_button|permission_deny_and_dont_ask_again_button$/;
const DENY_TEXT = /^(不允许|拒绝|禁止|deny|don.t allow)/i;

export interface Button {
  text: string;
  x: number;
  y: number;
}

function label(n: UiDumpNode): string {
  return (n.text || n.contentDesc).trim();
}

function center(n: UiDumpNode): Button {
  const [l, t, r, b] = n.bounds;
  return { text: label(n), x: Math.round((l + r) / 2), y: Math.round((t + b) / 2) };
}

/** The deny button of a system permission dialog on screen, if one is showing. */
export function permissionDialogDeny(tree: UiTree): Button | null {
  const nodes = flatten(tree.nodes);
  if (!nodes.some((n) => CONTROLLER.test(n.packageName))) return null;
  const deny = nodes.find((n) => CONTROLLER.test(n.packageName) && DENY_IDS.test(n.resourceId)) ?? nodes.find((n) => CONTROLLER.test(n.packageName) && n.clickable && DENY_TEXT.test(label(n)));
  return deny ? center(deny) : null;
}

/** A page's own back button (a toolbar arrow is often only a content description). */
export function backButton(tree: UiTree): Button | null {
  const back = flatten(tree.nodes).find((n) => !CONTROLLER.test(n.packageName) && n.clickable && n.enabled && /^(返回|关闭|back|close|navigate up)$/i.test(label(n)));
  return back ? center(back) : null;
}

/** The privacy-policy link on the screen (the dialog's 《隐私政策》), if there is one. */
export function policyLink(tree: UiTree): Button | null {
  const policy = new RegExp(POLICY_WORDS, 'i');
  const agree = new RegExp(AGREE_WORDS, 'i');
  const link = flatten(tree.nodes).find((n) => !CONTROLLER.test(n.packageName) && n.clickable && n.enabled && !n.checkable && policy.test(label(n)) && !agree.test(label(n)));
  return link ? center(link) : null;
}

function controlButton(c: DialogControl | undefined): Button | null {
  if (!c) return null;
  return { ...center(c.target), text: c.label };
}

/**
 * The privacy dialog's controls; `dialog` says whether the screen reads like a privacy dialog at all. `agree` is
 * an agree control, else one that only acknowledges (tapping it goes on into the app all the same); `guest`
 * opens a browse-only mode without consent, the decline path when there is no decline button.
 */
export function consentButtons(tree: UiTree): { dialog: boolean; agree: Button | null; decline: Button | null; guest: Button | null } {
  const d = readConsentDialog(tree.nodes);
  if (!d) return { dialog: false, agree: null, decline: null, guest: null };
  return {
    dialog: true,
    agree: controlButton(ofRole(d, 'agree')[0] ?? ofRole(d, 'acknowledge')[0]),
    decline: controlButton(ofRole(d, 'decline')[0]),
    guest: controlButton(ofRole(d, 'guest')[0]),
  };
}
