/**
 * Device text on its way to a terminal or the UI: ANSI/VT escape sequences (CSI, OSC, DCS, single-char ESC
 * codes) and other C0/C1 control characters removed, invalid UTF-8 replaced, bidi controls shown as
 * `<U+202E>`. A hostile app's log line must not be able to retitle the window, move the cursor or reorder
 * what the tester reads. (Raw logs keep the bytes the phone sent; this is for what is shown.) The rules live in
 * src-preload/visible-text.ts, shared with the renderer.
 */
import { visibleText } from '../../../src-preload/visible-text.js';

export { BIDI_CONTROLS, SEQUENCES, isPlainText, showBidiControls } from '../../../src-preload/visible-text.js';

export function stripTerminalControls(input: string | Buffer): string {
  return visibleText(typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input));
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
