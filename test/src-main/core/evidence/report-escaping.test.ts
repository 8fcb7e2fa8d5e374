/**
 * report.html escapes what the phone, the app, a policy and the tester wrote, and carries none of their escape
 * sequences, control characters or bidi overrides: the one escaping function, and the report of a session
 * full of hostile text read back from its package. (test/e2e/report-html.spec.ts opens the same report in
 * Chromium.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../../src-main/core/evidence/report-html.js';
import { exportSession, makeSession, readEntries } from '../../../support/evidence-fixtures.js';

/** What the report must never carry: C0/C1 controls (tab and newline excepted) and raw bidi controls. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml('<img src=x onerror="alert(1)">`\'&')).toBe('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;&#96;&#39;&#38;');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });

  it('removes escape sequences, BEL, carriage returns and C1 controls', () => {
    expect(escapeHtml('Pixel\u001b]0;pwned\u0007 7\u001b[2J\u001b[31m red\r\n\u009b1mx\u0085y\rz')).toBe('Pixel 7 red\nxyz');
  });

  it('shows bidi controls as code points instead of applying them', () => {
    expect(escapeHtml('\u202egnp.exe\u2066\u200f')).toBe('&#60;U+202E&#62;gnp.exe&#60;U+2066&#62;&#60;U+200F&#62;');
  });
});

describe('the report of a hostile session', () => {
  it('holds its text escaped and cleaned', async () => {
    const root = mkdtempSync(join(tmpdir(), 'report-esc-'));
    await makeSession(join(root, 'hostile'), { hostile: true });
    const out = await exportSession(join(root, 'hostile'), join(root, 'pkg.zip'), join(root, 'data'));
    const html = new Map(await readEntries(out.path)).get('report.html')!.toString('utf8');
    expect(html).not.toMatch(UNSAFE);
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;Pixel&#60;U+202E&#62;7');
    expect(html).toContain('Google &#60;img');
    expect(html).toContain('张三&#60;U+2066&#62;');
    expect(html).toContain('&#60;U+202E&#62;gnp.exe');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toMatch(/<img src=x|<svg|<b>/);
    expect(html.match(/<script/g)).toBeNull();
  }, 60_000);
});
