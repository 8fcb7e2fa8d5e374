/**
 * Cells of the spreadsheets the workbench writes (the findings CSV and XLSX, the triage CSV) from text that came
 * from an APK, a phone, a policy or a tester. OWASP's CSV-injection rule: a cell that starts with = + - @, a tab
 * or a carriage return gets a leading ' so it stays text (a note "=HYPERLINK(...)" must not run); so does one
 * that starts with a full-width ＝ ＋ － ＠, what a Chinese input method types, which a spreadsheet may take
 * for the ASCII sign. In CSV every field is quoted and its quotes doubled (RFC 4180), so no value can end a
 * field or a row early. Numbers the workbench computed stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

export function spreadsheetText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A cell for XLSX: text defused, numbers as numbers. */
export function spreadsheetCell(value: string | number): string | number {
  return typeof value === 'number' ? value : spreadsheetText(value);
}

/** A CSV field: defused, always quoted, quotes doubled; empty for null. */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : typeof value === 'number' ? String(value) : spreadsheetText(value);
  return `"${text.replace(/"/g, '""')}"`;
}
