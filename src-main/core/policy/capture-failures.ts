/**
 * Why a capture from the phone failed, in both languages: the refusal thrown to the caller (its English
 * message, and a reason code the UI words from its catalogue) and the `workbench.step-failed` event the
 * session keeps. One table, so the toast and the signed record say the same thing.
 */
import { WorkbenchError } from '../errors.js';

type Details = Record<string, string | number | boolean | null>;
type Words = { zh: string; en: string };

/** Quoted screen text is shown as data: cut, so a hostile label cannot fill the record. */
const quote = (s: unknown): string => String(s ?? '').slice(0, 200);

const FAILURES = {
  'policy-link-missing': (): Words => ({
    en: 'no privacy-policy link is on the screen; open the policy on the phone yourself, then capture',
    zh: '屏幕上没有隐私政策链接：请自行在手机上打开隐私政策后再采集。',
  }),
  'list-link-missing': (d: Details): Words => ({
    en: `no link "${quote(d.link)}" is on the phone's screen; scroll the policy to it, or open the list page on the phone yourself and capture the screen`,
    zh: `手机屏幕上没有“${quote(d.link)}”链接：请将政策滚动到该链接处，或自行在手机上打开清单页面后采集当前屏幕。`,
  }),
  'link-dead': (d: Details): Words => ({
    en: `tapping "${quote(d.link)}" changed nothing on the screen: the ${d.page === 'list page' ? 'list page' : 'policy'} link may not work (164-1.6); open the page yourself and capture the screen, or load it from a file or URL`,
    zh: `点击“${quote(d.link)}”后手机屏幕没有任何变化：该链接可能无效（164-1.6）。请自行在手机上打开该页面后采集当前屏幕，或改用网址、文件。`,
  }),
  'covered-by-system': (d: Details): Words => ({
    en: `after tapping "${quote(d.link)}" a system window (${quote(d.window)}) covers the app, not the page: answer it on the phone, then capture again`,
    zh: `点击“${quote(d.link)}”后，手机上显示的是系统窗口（${quote(d.window)}），而不是该页面：请先在手机上处理该窗口，再重新采集。`,
  }),
  'not-a-policy': (d: Details): Words => ({
    en: `tapping "${quote(d.link)}" opened a page that does not read as a privacy policy (it never mentions privacy or personal information); nothing was read as the policy: open the policy yourself and capture the screen, or load it from a file or URL`,
    zh: `点击“${quote(d.link)}”后打开的页面不像隐私政策（未提及隐私或个人信息），未将其作为政策读取：请自行在手机上打开隐私政策后采集当前屏幕，或改用网址、文件。`,
  }),
  'no-ui-dump': (d: Details): Words => ({
    en: `the phone gave no readable UI dump (${quote(d.problem)}); unlock it and open the policy, then try again`,
    zh: `手机没有给出可读的界面结构（${quote(d.problem)}）：请解锁手机并打开隐私政策后重试。`,
  }),
  'empty-screen': (): Words => ({
    en: 'the screen shows no text (an empty UI dump); open the policy page on the phone, then capture',
    zh: '手机屏幕上没有文字（界面结构为空）：请在手机上打开隐私政策页面后再采集。',
  }),
  'image-only': (d: Details): Words => ({
    en: `the page on the phone shows ${d.images} image(s) or web view(s) but no text the phone exposes (an image-only page): it cannot be read, and nothing is guessed from it. Paste its text or load it as a file; its screenshot is kept in the session (#${d.seq}).`,
    zh: `手机上的页面只有图片（${d.images} 处）、没有可读的文字，无法读取，也不作任何推测：请粘贴其文字或载入文本文件；截图已保存在会话中（#${d.seq}）。`,
  }),
  'phone-error': (d: Details): Words => ({
    en: `the phone did not complete the capture: ${quote(d.message)}`,
    zh: `手机未能完成采集：${quote(d.message)}`,
  }),
} satisfies Record<string, (d: Details) => Words>;

export type CaptureFailureReason = keyof typeof FAILURES;

/** The refusal for `reason`: its English message, the reason and details for the UI's words. */
export function captureFailure(reason: CaptureFailureReason, details: Details = {}): WorkbenchError {
  const words = FAILURES[reason](details);
  // policy.no-text has its own sentence in the catalogue and says itself in both languages where no catalogue
  // is (the CLI, like a URL's image-only page); every other refusal is worded by its reason.
  if (reason === 'image-only') return new WorkbenchError('policy.no-text', `${words.en} ${words.zh}`, details);
  return new WorkbenchError('policy.capture-failed', words.en, { ...details, reason });
}

/** What a capture's error says in both languages, and its reason code (any error: a lost phone is said too). */
export function captureFailureWords(err: unknown): Words & { reason: string } {
  if (err instanceof WorkbenchError) {
    const reason = err.code === 'policy.no-text' ? 'image-only' : String(err.details.reason ?? '');
    if (Object.hasOwn(FAILURES, reason)) return { reason, ...FAILURES[reason as CaptureFailureReason](err.details) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { reason: 'phone-error', ...FAILURES['phone-error']({ message }) };
}
