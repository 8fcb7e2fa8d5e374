/**
 * Device text on its way to a terminal or the UI: ANSI/VT escape sequences (CSI, OSC, DCS, single-char ESC
 * codes) and other C0/C1 control characters removed, invalid UTF-8 replaced. A hostile app's log line must
 * not be able to retitle the window, move the cursor or rewrite what the tester sees.
 */
const SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*[\u0007\u009c]?/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function stripTerminalControls(input: string | Buffer): string {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  return text.replace(/\r\n/g, '\n').replace(SEQUENCES, '').replace(CONTROLS, '');
}
