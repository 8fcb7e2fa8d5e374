/**
 * The CLI's one output guard for the terminal, in two layers:
 * - `tty` builds what a command prints. The template's literal parts (and `own(...)`) are the CLI's own text;
 *   every interpolated value — anything from a package, a phone, a policy, a tester, a file name, an error —
 *   is shown on its one line: line breaks inside it are shown (`\n`, `\r`, `<U+2028>` …), escape sequences
 *   and control characters are removed, bidi controls show as `<U+202E>`, the CLI's status marks as
 *   `<U+2713>`, and a value that holds a status word the CLI prints ("VERIFIED", "验证通过" …) is quoted.
 *   So a zip entry named "x\n✓ signature: ok" cannot print a line of its own, nor look like a verdict.
 * - `guardTerminal` wraps stdout and stderr: whatever is written, however it was built, still loses escape
 *   sequences and control characters (newline, carriage return and tab stay) and shows bidi controls.
 *   None of it may write the clipboard (OSC 52), retitle the window or clear the screen.
 * JSON output is unchanged: JSON.stringify already escapes control characters and line breaks.
 */
import { SEQUENCES, isPlainText, showBidiControls } from '../core/adb/terminal-text.js';

const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

export function sanitizeForTerminal(text: string): string {
  // One scan for the common case (none of what follows would change anything), not three: a replay writes megabytes.
  if (isPlainText(text)) return text;
  return showBidiControls(text.replace(SEQUENCES, '').replace(CONTROLS, ''));
}

/** Everything a terminal, a pager or a log viewer may start a new line at (or jump back to its start at). */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
const SHOWN: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r' };
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** The marks the CLI puts before a check or a finding, and their lookalikes (heavy, ballot, emoji, square root). */
const STATUS_MARKS = /[\u221a\u2611\u2612\u2705\u2713-\u2718\u274c\u274e\u{1f5f4}-\u{1f5f8}]/gu;
/** The status words the CLI prints at the start of a line; matched on the NFKC form (full-width ＶＥＲＩＦＩＥＤ too). */
const STATUS_WORDS = /\b(?:VERIFIED|FAILED|INCOMPLETE|PROBLEM|WARNING)\b|DOES NOT VERIFY|验证通过|验证失败|警告/;
const INVISIBLE = /\p{Cf}/gu;

const codePoint = (c: string): string => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`;

/**
 * A value on one line of the CLI's output: escape sequences and controls removed, line breaks, bidi controls
 * and status marks shown visibly. For a message that is a line in itself (an error, a log line).
 */
export function oneLine(value: unknown): string {
  return showBidiControls(String(value ?? '')
    .replace(SEQUENCES, '')
    .replace(LINE_BREAKS, (c) => SHOWN[c] ?? codePoint(c))
    .replace(ANY_CONTROL, ''))
    .replace(STATUS_MARKS, codePoint);
}

/** A value inside a line the CLI writes: `oneLine`, and quoted when it holds a status word the CLI prints. */
export function terminalValue(value: unknown): string {
  const text = oneLine(value);
  return STATUS_WORDS.test(text.normalize('NFKC').replace(INVISIBLE, '')) ? `"${text.replace(/"/g, '\\"')}"` : text;
}

/** The CLI's own text inside a `tty` template (a status mark it chose, a padded column it already guarded). */
export class OwnText {
  constructor(readonly text: string) {}
}

export function own(text: string): OwnText {
  return new OwnText(text);
}

/** A value guarded and padded to a column's width (padding after guarding, so columns stay aligned). */
export function column(value: unknown, width: number): OwnText {
  return own(terminalValue(value).padEnd(width));
}

/** Tag for every line the CLI prints: literal parts are kept, interpolated values are guarded (`terminalValue`). */
export function tty(literals: TemplateStringsArray, ...values: unknown[]): string {
  let out = literals[0]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out += (v instanceof OwnText ? v.text : typeof v === 'number' ? String(v) : terminalValue(v)) + literals[i + 1]!;
  }
  return out;
}

export function guardTerminal(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') return write(sanitizeForTerminal(chunk), ...rest);
    if (Buffer.isBuffer(chunk)) return write(sanitizeForTerminal(chunk.toString('utf8')), ...rest);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
