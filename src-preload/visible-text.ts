/**
 * Text from a phone, an APK, a package, a policy or a tester as people are shown it, in every shell: ANSI/VT
 * escape sequences (CSI, OSC, DCS, single-char ESC codes) and other C0/C1 control characters removed (tab and
 * newline stay), bidi controls shown as `<U+202E>` instead of reordering what is read. One definition for the
 * core (src-main/core/adb/terminal-text.ts builds on it) and the renderer, which cannot import the core.
 */
export const SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*[\u0007\u009c]?/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Whatever visibleText would change (every sequence starts with ESC or a C1 control). */
const NEEDS_CLEANING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Bidirectional-text controls (U+202A-E, U+2066-9, LRM/RLM) would reorder what the reader sees. */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;

/** Shows bidi controls as visible code points (`<U+202E>`) instead of applying them. */
export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`);
}

/** Whether visibleText would give the text back unchanged (one scan; a whole document at once is cheap). */
export function isPlainText(text: string): boolean {
  return !NEEDS_CLEANING.test(text);
}

export function visibleText(text: string): string {
  // Most text is plain: one scan, and the same string back.
  if (isPlainText(text)) return text;
  return showBidiControls(text.replace(/\r\n/g, '\n').replace(SEQUENCES, '').replace(CONTROLS, ''));
}
