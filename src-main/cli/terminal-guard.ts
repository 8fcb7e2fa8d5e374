/**
 * The CLI's last line of defence for the terminal: everything written to stdout and stderr loses escape
 * sequences and control characters (newline, carriage return and tab stay) and shows bidi controls as
 * `<U+202E>`. Phones and APKs put text in models, activity names, labels and log lines; none of it may write
 * the clipboard (OSC 52), retitle the window or clear the screen. JSON output is unchanged: JSON.stringify
 * already escapes control characters.
 */
import { SEQUENCES, showBidiControls } from '../core/adb/terminal-text.js';

const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

export function sanitizeForTerminal(text: string): string {
  return showBidiControls(text.replace(SEQUENCES, '').replace(CONTROLS, ''));
}

export function guardTerminal(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') return write(sanitizeForTerminal(chunk), ...rest);
    if (Buffer.isBuffer(chunk)) return write(sanitizeForTerminal(chunk.toString('utf8')), ...rest);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
