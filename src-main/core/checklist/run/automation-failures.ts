/**
 * The words of the headless run's own failed steps (a tap on the phone that the screen never answered), in
 * both languages, for the `workbench.step-failed` events the stage runner records instead of a mark.
 */
import type { StepFailure } from '../../session/step-failure.js';

const quote = (s: string): string => s.slice(0, 200);

/** The privacy dialog was still there after the workbench tapped its agree or decline button. */
export function consentNotAnswered(step: 'consent.agree' | 'consent.decline', button: string, waitedMs: number): StepFailure {
  const s = (waitedMs / 1000).toFixed(1);
  const [zhPath, enPath] = step === 'consent.agree' ? ['同意路径', 'agree path'] : ['拒绝路径', 'decline path'];
  return {
    step, reason: 'dialog-still-shown',
    en: `tapped "${quote(button)}", but ${s} s later the screen still shows it: the dialog was not answered, so no consent mark was set; the ${enPath} needs the tester`,
    zh: `已点击“${quote(button)}”，但 ${s} 秒后屏幕上仍显示该按钮：弹窗未被应答，因此未设置同意/拒绝标记；${zhPath}需由检测人员完成。`,
  };
}

/** A system permission dialog was still there, unchanged, after the workbench tapped its deny button. */
export function permissionNotAnswered(button: string, waitedMs: number): StepFailure {
  const s = (waitedMs / 1000).toFixed(1);
  return {
    step: 'permission.deny', reason: 'dialog-still-shown',
    en: `tapped "${quote(button)}" on the permission dialog, but ${s} s later the same dialog still shows: answer it on the phone`,
    zh: `已点击权限弹窗的“${quote(button)}”，但 ${s} 秒后同一弹窗仍在：请在手机上处理该弹窗。`,
  };
}
