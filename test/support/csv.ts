/** Reads a CSV the workbench wrote, strictly: RFC 4180 with every field quoted (a bare field is an error), CRLF rows. */
export function parseQuotedCsv(text: string): string[][] {
  const rows: string[][] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const row: string[] = [];
    for (;;) {
      if (text[i] !== '"') throw new Error(`field ${row.length + 1} of row ${rows.length + 1} is not quoted: ${JSON.stringify(text.slice(i, i + 40))}`);
      let value = '';
      for (i++; ; i++) {
        if (i >= text.length) throw new Error(`row ${rows.length + 1}: a quoted field does not end`);
        if (text[i] === '"' && text[i + 1] === '"') value += text[i++];
        else if (text[i] === '"') break;
        else value += text[i];
      }
      row.push(value);
      i++;
      if (text[i] === ',') i++;
      else break;
    }
    if (text.slice(i, i + 2) !== '\r\n') throw new Error(`row ${rows.length + 1} does not end in CRLF`);
    i += 2;
    rows.push(row);
  }
  return rows;
}
