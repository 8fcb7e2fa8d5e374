// The phone's values as the detail pane shows them: where a `pi.sent` match's masked form can be found (a hashed
// Android ID in a JSON body, an URL-encoded app list in a URL, a header value), the screen shows the masked form,
// marked, and never the value; forms that show too little, or nothing hidden, are not searched; hostile masked
// strings (regex syntax) are literal; a 64 KB body full of near-misses is searched in bounded time.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FlowPi } from '../../../src-renderer/src/network/flow-ledger.js';
import { maskedSegments, maskPattern } from '../../../src-renderer/src/network/pi-mask.js';
import { mask, PACKAGES } from '../../support/network-session.js';

const pi = (masked: string, kind: FlowPi['kind'] = 'android-id'): FlowPi => ({ seq: 1, requestId: 'r', kind, form: 'sha256', where: 'body', host: 'h', masked });
const shown = (text: string, pis: FlowPi[]): string => maskedSegments(text, pis).map((s) => s.text).join('');
const marked = (text: string, pis: FlowPi[]): string[] => maskedSegments(text, pis).filter((s) => s.pi).map((s) => s.text);

const sha = createHash('sha256').update('9774d56d682e549c').digest('hex');

describe('masked values in what the phone sent', () => {
  it('replaces a hashed Android ID in a JSON body by its masked form, marked', () => {
    const body = JSON.stringify({ aid: sha, other: 'x' });
    const out = shown(body, [pi(mask(sha))]);
    expect(out).toBe(JSON.stringify({ aid: mask(sha), other: 'x' }));
    expect(out).not.toContain(sha);
    expect(marked(body, [pi(mask(sha))])).toEqual([mask(sha)]);
  });

  it('finds every place, in a URL and in a header value, and the app list URL-encoded', () => {
    const list = encodeURIComponent(PACKAGES);
    const url = `http://log.adsdk.example:8080/collect?pkgs=${list}&again=${list}`;
    expect(shown(url, [pi(mask(list), 'package-list')])).toBe(`http://log.adsdk.example:8080/collect?pkgs=${mask(list)}&again=${mask(list)}`);
    expect(shown(`Bearer ${sha}`, [pi(mask(sha))])).toBe(`Bearer ${mask(sha)}`);
  });

  it('keeps the first of overlapping places and each value once however many matches name it', () => {
    const text = `${sha}${sha}`;
    const segments = maskedSegments(text, [pi(mask(sha)), pi(mask(sha)), pi(`${sha.slice(0, 4)}••••${sha.slice(10, 14)}`)]);
    expect(segments.map((s) => s.text).join('')).not.toContain(sha.slice(4, 60));
    expect(segments.filter((s) => s.pi)).toHaveLength(2);
  });

  it('does not search for a form with nothing hidden, or too little shown to tell it apart', () => {
    expect(maskPattern('plainvalue')).toBeNull();
    expect(maskPattern('••••1234')).toBeNull();
    expect(maskPattern('a••••b')).toBeNull();
    expect(shown('a secret b', [pi('a••••b')])).toBe('a secret b');
  });

  it('reads a masked form as literal text, never as a pattern', () => {
    const text = 'x(.*)+$[1]•y 1.*+abcd';
    expect(() => maskedSegments(text, [pi('(.*)+$[••••]'), pi('1.*+••••abcd')])).not.toThrow();
    expect(shown('1.*+SECRETabcd', [pi('1.*+••••abcd')])).toBe('1.*+••••abcd');
    expect(shown('1xx+SECRETabcd', [pi('1.*+••••abcd')])).toBe('1xx+SECRETabcd');
  });

  it('masks to the end of the token when the form ends masked', () => {
    expect(shown('id=9774d56d682e549c&x=1', [pi('9774••••')])).toBe('id=9774••••&x=1');
  });

  it('searches a 64 KB body full of near misses in bounded time', () => {
    const text = `${'abcd'.repeat(16_000)} abcdZZZZwxyz`;
    const t = performance.now();
    const out = shown(text, [pi('abcd••••wxyz'), pi('abcd••••')]);
    const elapsed = performance.now() - t;
    expect(elapsed).toBeLessThan(1500);
    expect(out.endsWith('abcd••••wxyz')).toBe(true);
  });
});
