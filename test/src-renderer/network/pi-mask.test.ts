// The phone's values as the detail pane shows them, with masked forms made by the PI search's own functions
// (src-main/core/network/pi/mask.ts): a digest in a JSON body, the Android ID as is / upper case in a URL and a
// header, its hex and URL-encoded forms — each place shown as the masked form, marked, the value gone from the
// text; forms that cannot be located (base64, short values, app lists, locations) leave the text as sent; a
// masked form is literal text, never a pattern; a 64 KB body full of near misses is searched in bounded time.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FlowPi } from '../../../src-preload/network-flows.js';
import { maskedEnds, maskedSegments, maskPattern } from '../../../src-renderer/src/network/pi-mask.js';
import { maskDigest, maskLocation, maskPackageList, maskValue } from '../../../src-main/core/network/pi/index.js';

const pi = (masked: string, form: FlowPi['form'], kind: FlowPi['kind'] = 'android-id'): FlowPi => ({ seq: 1, requestId: 'r', kind, form, where: 'body', host: 'h', sdk: null, masked });
const shown = (text: string, pis: FlowPi[]): string => maskedSegments(text, pis).map((s) => s.text).join('');
const marked = (text: string, pis: FlowPi[]): string[] => maskedSegments(text, pis).filter((s) => s.pi).map((s) => s.text);

const ID = '9774d56d682e549c';
const sha = createHash('sha256').update(ID).digest('hex');
const md5 = createHash('md5').update(ID).digest('hex');

describe('masked values in what the phone sent', () => {
  it('shows a digest in a JSON body, either case, as its masked form, and not a longer hex run', () => {
    const body = JSON.stringify({ aid: sha, upper: md5.toUpperCase(), longer: `${sha}00` });
    const pis = [pi(maskDigest(sha), 'sha256'), pi(maskDigest(md5), 'md5')];
    const out = shown(body, pis);
    expect(out).toBe(JSON.stringify({ aid: maskDigest(sha), upper: maskDigest(md5), longer: `${sha}00` }));
    expect(marked(body, pis)).toEqual([maskDigest(sha), maskDigest(md5)]);
  });

  it('shows the Android ID as is and in upper case, in a URL and a header, by its exact hidden length', () => {
    const url = `http://log.adsdk.example/collect?aid=${ID}&b=${ID.toUpperCase()}&c=${ID}0`;
    const pis = [pi(maskValue(ID), 'plain'), pi(maskValue(ID.toUpperCase()), 'upper')];
    expect(shown(url, pis)).toBe(`http://log.adsdk.example/collect?aid=${maskValue(ID)}&b=${maskValue(ID.toUpperCase())}&c=${maskValue(ID)}0`);
    expect(shown(`Bearer ${ID}`, pis)).toBe(`Bearer ${maskValue(ID)}`);
    // A 6-8 character value keeps one character each end.
    expect(shown('sn=R58M123', [pi(maskValue('R58M123'), 'plain', 'serial')])).toBe(`sn=${maskValue('R58M123')}`);
  });

  it('shows the hex and URL-encoded forms of a value by the masked value they encode', () => {
    const mac = '02:00:00:44:55:66';
    const hex = Buffer.from(mac).toString('hex');
    expect(shown(`m=${hex.toUpperCase()};`, [pi(maskValue(mac), 'hex', 'wifi-mac')])).toBe(`m=${maskValue(mac)};`);
    expect(shown(`mac=${encodeURIComponent(mac)}&x=1`, [pi(maskValue(mac), 'url-encoded', 'wifi-mac')])).toBe(`mac=${maskValue(mac)}&x=1`);
  });

  it('leaves the text as sent where the form cannot be located', () => {
    const b64 = Buffer.from(ID).toString('base64');
    expect(maskPattern(pi(maskValue(ID), 'base64'))).toBeNull();
    expect(shown(`x=${b64}`, [pi(maskValue(ID), 'base64')])).toBe(`x=${b64}`);
    expect(maskPattern(pi(maskValue('12345'), 'plain'))).toBeNull();
    expect(maskPattern(pi(maskPackageList(['com.a', 'com.b', 'com.c']), 'plain', 'package-list'))).toBeNull();
    expect(maskPattern(pi(maskLocation('39.9042', '116.4074'), 'plain', 'location'))).toBeNull();
    expect(maskPattern(pi('abcdef…', 'sha256'))).toBeNull();
    expect(maskedEnds('abc*x**yz')).toBeNull();
  });

  it('keeps the first of overlapping places and each masked form once however many matches name it', () => {
    const text = `${ID}${ID}`;
    const segments = maskedSegments(text, [pi(maskValue(ID), 'plain'), pi(maskValue(ID), 'plain'), pi(maskValue(`${ID}${ID}`.slice(3, 20)), 'plain')]);
    expect(segments.map((s) => s.text).join('')).toBe(`${maskValue(ID)}${maskValue(ID)}`);
  });

  it('reads a masked form as literal text, never as a pattern', () => {
    const odd = '(.*)+$[1]{2}|/x';
    expect(() => maskedSegments('anything', [pi(maskValue(odd), 'plain', 'other'), pi(maskValue(odd), 'url-encoded', 'other'), pi(maskValue(odd), 'hex', 'other')])).not.toThrow();
    expect(shown(`v=${odd}!`, [pi(maskValue(odd), 'plain', 'other')])).toBe(`v=${maskValue(odd)}!`);
    expect(shown('v=(.xxxxxxxxxxx/x!', [pi(maskValue(odd), 'plain', 'other')])).toBe('v=(.xxxxxxxxxxx/x!');
  });

  it('searches a 64 KB body full of near misses in bounded time', () => {
    const text = `${'977'.repeat(21_000)}${ID}`;
    const t = performance.now();
    const out = shown(text, [pi(maskValue(ID), 'plain'), pi(maskValue(ID), 'url-encoded'), pi(maskValue(ID), 'hex'), pi(maskDigest(sha), 'sha256')]);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(out.endsWith(maskValue(ID))).toBe(true);
  });
});
