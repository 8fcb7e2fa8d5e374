// Every encoding form of every value kind, written by the test as an app would write it (not by forms.ts), is found
// in a body, in the URL and in a header, and named with its kind, form and place; nothing else is named. A location
// is found as its two halves, the package list as three of the phone's apps; compressed bodies are inflated first.
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PiForm } from '../../../../../src-preload/network.js';
import type { PhoneValue } from '../../../../../src-main/core/network/contracts.js';
import { PiSearch, type PiRequest } from '../../../../../src-main/core/network/pi/index.js';

const VALUES: PhoneValue[] = [
  { kind: 'android-id', value: '3a9f1c02be4d7e61' },
  { kind: 'serial', value: 'R58N12ABCDe' },
  { kind: 'imei', value: '868965471521141' },
  { kind: 'meid', value: 'A1000049A2B3C4' },
  { kind: 'wifi-mac', value: '8a:ed:1d:3f:a5:72' },
  { kind: 'bluetooth-mac', value: 'ec:4b:91:07:3c:d8' },
  { kind: 'ip-address', value: '192.168.8.69' },
  { kind: 'ip-address', value: 'fe80::f75f:457:5b55:2001' },
  { kind: 'phone-number', value: '+86 138 1234 5678' },
  { kind: 'oaid', value: 'a3f2c1d4-5b6e-4f70-8192-a3b4c5d6e7f8' },
  { kind: 'other', value: 'tester+note/é 值' },
  { kind: 'location', value: '31.172849,121.511568' },
  ...['com.tencent.mm', 'com.eg.android.AlipayGphone', 'com.ss.android.ugc.aweme', 'com.sina.weibo'].map((value): PhoneValue => ({ kind: 'package-list', value })),
];
const search = PiSearch.compile(VALUES);

const digest = (algo: string, s: string): string => createHash(algo).update(s, 'utf8').digest('hex');

/** The renderings an app might send of `value`, with the form each must be reported as. */
function renderings(value: string): Array<[PiForm, string]> {
  const out: Array<[PiForm, string]> = [['plain', value]];
  if (value.toUpperCase() !== value) out.push(['upper', value.toUpperCase()]);
  if (value.toLowerCase() !== value) out.push(['lower', value.toLowerCase()]);
  if (encodeURIComponent(value) !== value) out.push(['url-encoded', encodeURIComponent(value)], ['url-encoded', encodeURIComponent(value.toUpperCase())]);
  const b = Buffer.from(value, 'utf8');
  out.push(['base64', b.toString('base64')], ['base64', b.toString('base64url')]);
  // Inside a longer base64 blob (base64 of a JSON body), at each byte alignment.
  for (const pad of ['', 'x', 'xy']) out.push(['base64', Buffer.from(JSON.stringify({ [`k${pad}`]: value, n: 1 })).toString('base64')]);
  out.push(['hex', b.toString('hex')], ['hex', b.toString('hex').toUpperCase()]);
  for (const algo of ['md5', 'sha1', 'sha256'] as const) {
    out.push([algo, digest(algo, value)], [algo, digest(algo, value).toUpperCase()], [algo, digest(algo, value.toUpperCase())]);
  }
  return out;
}

/** Each place an app puts a value, written around it as real traffic would be. */
const PLACES: Array<['url' | 'header' | 'body', (s: string) => PiRequest]> = [
  ['url', (s) => ({ url: `https://log.sdk.example.cn/v2/collect?app=demo&d=${s}&ts=1767225600`, headers: [['User-Agent', 'okhttp/4.12.0']], body: null })],
  ['header', (s) => ({ url: 'https://log.sdk.example.cn/v2/collect', headers: [['User-Agent', 'okhttp/4.12.0'], ['X-Device', s]], body: null })],
  ['body', (s) => ({ url: 'https://log.sdk.example.cn/v2/collect', headers: [['Content-Type', 'application/json']], body: Buffer.from(`{"app":"demo","d":"${s}","ts":1767225600}`) })],
];

describe('every form of every value is found where it was sent', () => {
  const plainKinds = VALUES.filter((v) => v.kind !== 'location' && v.kind !== 'package-list');
  for (const v of plainKinds) {
    it(`${v.kind} ${v.value}`, async () => {
      const spellings = v.kind === 'wifi-mac' || v.kind === 'bluetooth-mac' ? [v.value, v.value.replace(/:/g, '')] : v.kind === 'phone-number' ? ['13812345678', '+8613812345678'] : [v.value];
      let checked = 0;
      for (const spelling of spellings) {
        for (const [form, text] of renderings(spelling)) {
          for (const [where, request] of PLACES) {
            const { matches } = await search.search(request(text));
            expect(matches.map((m) => m.kind), `${form} ${text} in the ${where}`).toContain(v.kind);
            expect(matches.filter((m) => m.kind !== v.kind), `${form} ${text} in the ${where}`).toEqual([]);
            expect(matches.some((m) => m.form === form && m.where === where), `${form} ${text} in the ${where}: ${JSON.stringify(matches)}`).toBe(true);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThanOrEqual(51);
    });
  }

  it('a MAC address sent without colons, in either case, is the MAC', async () => {
    for (const text of ['8aed1d3fa572', '8AED1D3FA572']) {
      const { matches } = await search.search(PLACES[2]![1](text));
      expect(matches).toEqual([{ kind: 'wifi-mac', form: text === text.toLowerCase() ? 'plain' : 'upper', where: 'body', masked: text === text.toLowerCase() ? '8ae*******72' : '8AE*******72' }]);
    }
  });

  it('a location is its latitude and longitude together, at 2 to 4 decimals, truncated or rounded', async () => {
    for (const [lat, lon] of [['31.17', '121.51'], ['31.173', '121.512'], ['31.1728', '121.5115'], ['31.1728', '121.5116'], ['31.172849', '121.511568'], ['-31.1728', '-121.5115']]) {
      for (const [where, request] of PLACES) {
        const { matches } = await search.search(request(`lat=${lat}&lng=${lon}`));
        expect(matches, `${lat},${lon} in the ${where}`).toEqual([expect.objectContaining({ kind: 'location', form: 'plain', where })]);
      }
    }
    // One half alone, or inside a longer number, is no location.
    for (const text of ['lat=31.1728', 'lng=121.5115', 'a=131.1728&b=1121.5115', 'lat=31.18&lng=121.51']) {
      expect((await search.search(PLACES[2]![1](text))).matches, text).toEqual([]);
    }
  });

  it('the package list is three of the phone’s apps in one place; two are not a list', async () => {
    const three = await search.search(PLACES[2]![1]('com.tencent.mm;com.sina.weibo;com.ss.android.ugc.aweme'));
    expect(three.matches).toEqual([{ kind: 'package-list', form: 'plain', where: 'body', masked: 'com.tencent.mm, com.sina.weibo +1' }]);
    expect((await search.search(PLACES[0]![1]('com.tencent.mm,com.eg.android.AlipayGphone,com.sina.weibo'))).matches.map((m) => [m.kind, m.where])).toEqual([['package-list', 'url']]);
    expect((await search.search(PLACES[2]![1]('com.tencent.mm;com.sina.weibo'))).matches).toEqual([]);
  });

  it('bodies compressed with gzip, deflate (zlib and raw), br, two layers, or gzip sent without a header are inflated first', async () => {
    const plain = Buffer.from(`{"aid":"${digest('md5', '3a9f1c02be4d7e61')}","imei":"868965471521141"}`);
    const cases: Array<[string | null, Buffer]> = [
      ['gzip', gzipSync(plain)], ['deflate', deflateSync(plain)], ['deflate', deflateRawSync(plain)], ['br', brotliCompressSync(plain)],
      ['gzip, br', brotliCompressSync(gzipSync(plain))], [null, gzipSync(plain)],
    ];
    for (const [encoding, body] of cases) {
      const result = await search.search({ url: 'https://x.example.cn/u', headers: encoding ? [['Content-Encoding', encoding]] : [], body });
      expect(result.matches.map((m) => `${m.kind}/${m.form}`), String(encoding)).toEqual(['android-id/md5', 'imei/plain']);
      expect(result.body).toMatchObject({ searched: true, note: 'whole', searchedBytes: plain.length });
    }
  });

  it('a body the proxy kept only the start of is searched as far as kept, and says so', async () => {
    const plain = Buffer.from(`{"imei":"868965471521141","pad":"${randomBytes(100_000).toString('hex')}","aid":"3a9f1c02be4d7e61"}`);
    const gz = gzipSync(plain);
    const kept = gz.subarray(0, Math.floor(gz.length / 2));
    const result = await search.search({ url: 'https://x.example.cn/u', headers: [['Content-Encoding', 'gzip']], body: { bytes: kept, size: gz.length, sha256: '', truncated: true } });
    expect(result.matches.map((m) => m.kind)).toEqual(['imei']);
    expect(result.body).toMatchObject({ searched: false, note: 'kept-part', size: gz.length, encodings: ['gzip'] });
  });

  it('values shorter than 6 characters and placeholders are not searched, and are said to be skipped', async () => {
    const s = PiSearch.compile([{ kind: 'other', value: 'ab12x' }, { kind: 'wifi-mac', value: '02:00:00:00:00:00' }, { kind: 'imei', value: '000000000000000' }, { kind: 'serial', value: 'unknown' }]);
    expect(s.skipped.map((k) => [k.kind, k.reason])).toEqual([['other', 'too-short'], ['wifi-mac', 'placeholder'], ['imei', 'placeholder'], ['serial', 'placeholder']]);
    expect((await s.search(PLACES[2]![1]('ab12x 02:00:00:00:00:00 000000000000000 unknown'))).matches).toEqual([]);
  });
});
