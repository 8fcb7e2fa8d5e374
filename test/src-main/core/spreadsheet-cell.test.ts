/** OWASP's CSV-injection rule for every spreadsheet cell the workbench writes, and RFC 4180 quoting for CSV. */
import { describe, expect, it } from 'vitest';
import { csvField, spreadsheetCell, spreadsheetText } from '../../../src-main/core/spreadsheet-cell.js';

describe('spreadsheet cells', () => {
  it('prefix every formula start with a quote, full-width forms too', () => {
    for (const v of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '＝1+1', '＋1', '－1', '＠SUM(A1)']) {
      expect(spreadsheetText(v)).toBe(`'${v}`);
    }
  });

  it('leave other text and the workbench\'s numbers alone', () => {
    for (const v of ['', 'com.demo.shop', '同意 = 1', ' =1', "'=1", '1+1', '疑似违规 (violation)']) expect(spreadsheetText(v)).toBe(v);
    expect(spreadsheetCell(-3)).toBe(-3);
    expect(spreadsheetCell('-3')).toBe("'-3");
  });

  it('quote every CSV field and double its quotes', () => {
    expect(csvField('plain')).toBe('"plain"');
    expect(csvField('a "b", c\r\nd')).toBe('"a ""b"", c\r\nd"');
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField(null)).toBe('""');
    expect(csvField(undefined)).toBe('""');
    expect(csvField(12)).toBe('"12"');
  });
});
