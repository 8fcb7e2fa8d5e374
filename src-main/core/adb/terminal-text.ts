/**
 * Device text on its way to a terminal or the UI: ANSI/VT escape sequences (CSI, OSC, DCS, single-char ESC
 * codes) and other C0/C1 control characters removed, invalid UTF-8 replaced, bidi controls shown as
 * `<U+202E>`. A hostile app's log line must not be able to retitle the window, move the cursor or reorder
 * what the tester reads. (Raw logs keep the bytes the phone sent; this is for what is shown.)
 */
export const SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*[\u0007\u009c]?/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Whatever the cleaning below would change (every sequence starts with ESC or a C1 control). */
const NEEDS_CLEANING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export function stripTerminalControls(input: string | Buffer): string {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  // Most device text is plain: one scan, and the same string back.
  if (!NEEDS_CLEANING.test(text)) return text;
  return showBidiControls(text.replace(/\r\n/g, '\n').replace(SEQUENCES, '').replace(CONTROLS, ''));
}

/**
 * The phone's properties (getprop) as the workbench keeps them: every key and value cleaned where they enter,
 * so the device list, the details, sessions, reports and the CLI all get a model that shows, never acts.
 */
export function cleanProperties(props: Record<string, string>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) clean[stripTerminalControls(key)] = stripTerminalControls(value);
  return clean;
}

/** Bidirectional-text controls (U+202A-E, U+2066-9, LRM/RLM) would reorder what the reader sees. */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;

/** Shows bidi controls as visible code points (`<U+202E>`) instead of applying them. */
export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`);
}
