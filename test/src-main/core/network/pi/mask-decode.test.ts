// Masking (what the UI and report show of a value) and the bounded body decoding the search relies on.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../../../../src-main/core/network/pi/body-decode.js';
import { maskDigest, maskLocation, maskPackageList, maskValue } from '../../../../../src-main/core/network/pi/mask.js';
import { PiSearch } from '../../../../../src-main/core/network/pi/index.js';

describe('masks', () => {
  it('keeps the first 3 and last 2 characters, less for short values, and never the whole value', () => {
    expect(maskValue('3a9f1c02be4d7e61')).toBe('3a9***********61');
    expect(maskValue('868965471521141')).toBe('868**********41');
    expect(maskValue('abcdefg')).toBe('a*****g');
    expect(maskValue('abcde')).toBe('*****');
    expect(maskValue('手机号码一二三四五')).toBe('手机号****四五');
    expect(maskDigest('D41D8CD98F00B204E9800998ECF8427E')).toBe('d41d8cd9…');
    expect(maskLocation('31.1728', '121.5115')).toBe('31.1***,121.5***');
    expect(maskPackageList(['com.a.b', 'com.c.d', 'com.e.f', 'com.g.h'])).toBe('com.a.b, com.c.d +2');
  });

  it('no match carries a value in the clear', async () => {
    const values = ['3a9f1c02be4d7e61', '868965471521141', 'R58N12ABCDE'];
    const s = PiSearch.compile([{ kind: 'android-id', value: values[0]! }, { kind: 'imei', value: values[1]! }, { kind: 'serial', value: values[2]! }]);
    const { matches } = await s.search({ url: `https://x.example.cn/?a=${values[0]}&i=${values[1]}`, headers: [['X-S', values[2]!]], body: Buffer.from(values.join(',')) });
    expect(matches).toHaveLength(6);
    for (const m of matches) for (const v of values) expect(m.masked.toLowerCase()).not.toContain(v.toLowerCase().slice(0, 6));
  });
});

describe('a session with nothing to look for', () => {
  it('searches and finds nothing, the body still accounted for', async () => {
    const s = PiSearch.compile([]);
    expect(await s.search({ url: 'https://x.example.cn/?a=1', headers: [['A', 'b']], body: Buffer.from('{"x":1}') })).toEqual({
      matches: [], body: { searched: true, searchedBytes: 7, size: 7, encodings: [], note: 'whole' },
    });
  });
});

describe('body decoding', () => {
  it('gives an unknown encoding back as sent and says so', async () => {
    expect(await decodeBody(Buffer.from('abc'), 'zstd', 100)).toEqual({ bytes: Buffer.from('abc'), encodings: [], note: 'unknown-encoding' });
  });

  it('gives what decoded before a broken stream, and the raw bytes when a sniffed gzip is no gzip', async () => {
    const text = Buffer.from(Array.from({ length: 4000 }, (_, i) => `line ${i * 7919 % 10007}\n`).join(''));
    const gz = gzipSync(text);
    for (const broken of [gz.subarray(0, gz.length >> 1), Buffer.concat([gz.subarray(0, gz.length >> 1), Buffer.from('garbage!garbage!')])]) {
      const r = await decodeBody(broken, 'gzip', 1 << 20);
      expect(r.note).toBe('broken');
      expect(r.bytes.length).toBeGreaterThan(1000);
      expect(text.subarray(0, r.bytes.length).equals(r.bytes)).toBe(true);
    }
    const fake = Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3]);
    expect(await decodeBody(fake, null, 100)).toEqual({ bytes: fake, encodings: [], note: 'whole' });
  });

  it('stops at the cap and counts layers', async () => {
    const r = await decodeBody(gzipSync(Buffer.alloc(1 << 20, 0x61)), 'gzip', 1000);
    expect(r).toMatchObject({ note: 'over-cap', encodings: ['gzip'] });
    expect(r.bytes.length).toBe(1000);
    let layered = Buffer.from('hello');
    for (let i = 0; i < 4; i++) layered = gzipSync(layered);
    expect((await decodeBody(layered, 'gzip, gzip, gzip, gzip', 1000)).note).toBe('unknown-encoding');
  });
});
