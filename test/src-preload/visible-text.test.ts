// The one rule for showing untrusted text, shared by the core and the renderer.
import { describe, expect, it } from 'vitest';
import { showBidiControls, visibleText } from '../../src-preload/visible-text.js';

describe('visibleText', () => {
  it('removes escape sequences (CSI, OSC, DCS, C1 CSI/OSC, single ESC codes) and other controls', () => {
    expect(visibleText('a\u001b[2J\u001b[1;31mb\u001b]0;title\u0007c\u001b]52;c;aGk=\u001b\\d\u001bP1$r\u001b\\e\u009b31mf\u009d0;t\u009cg\u001bEh\u0000\u0008\u007f\u0085i')).toBe('abcdefghi');
  });

  it('keeps tab and newline, turns CRLF into LF and drops a lone CR', () => {
    expect(visibleText('a\tb\r\nc\rd\n')).toBe('a\tb\ncd\n');
  });

  it('shows every bidi control as its code point', () => {
    expect(visibleText('\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f')).toBe('<U+202A><U+202B><U+202C><U+202D><U+202E><U+2066><U+2067><U+2068><U+2069><U+200E><U+200F>');
    expect(showBidiControls('gnp\u202eexe')).toBe('gnp<U+202E>exe');
  });

  it('gives plain text back as it is', () => {
    const plain = '同意并继续 Pixel 7 — 1080×2400 ✓';
    expect(visibleText(plain)).toBe(plain);
    expect(visibleText(visibleText('x\u202e\u001b[2Jy'))).toBe('x<U+202E>y');
  });
});
