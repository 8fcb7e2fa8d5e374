// A scenario's network requests as the file gives them (untrusted YAML): placeholders of the phone's values in
// every form, filled as openssl and Node compute them; refusals with the line and field for every malformed
// request; bounded sizes; and the request fired where the behaviour places it (before consent, after decline),
// as the app's uid, on the virtual clock.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PI_FORMS } from '../../../../src-preload/network.js';
import { VirtualClock, VirtualDevice, parseScenario } from '../../../../src-main/core/virtual-device/index.js';
import { VirtualInternet } from '../../../../src-main/core/virtual-device/internet/virtual-internet.js';
import { fillTemplate, placeholderProblem, writeInForm } from '../../../../src-main/core/virtual-device/scenario/request-template.js';
import { trustsUserCas } from '../../../../src-main/core/virtual-device/scenario/app-requests.js';
import { REQUEST_LIMITS } from '../../../../src-main/core/virtual-device/scenario/schema.js';

/** A one-app scenario whose launch does `request` (YAML flow text). */
function withRequest(request: string, app = ''): string {
  return `id: x\nname: a\ndescription: b\napps:\n  - package: com.demo.talks\n    label: L\n${app}    behaviour:\n      - on: launch\n        do:\n          - request: ${request}\n`;
}

function openssl(args: string[], input: string): string {
  return spawnSync('openssl', args, { input, encoding: 'utf8' }).stdout;
}

describe('request placeholders', () => {
  it('writes a value in every form as openssl computes the digests, base64 and hex', () => {
    const v = 'a1b2c3d4e5f60789';
    const expected: Record<string, string> = {
      plain: v, upper: 'A1B2C3D4E5F60789', lower: v, 'url-encoded': v,
      base64: openssl(['base64', '-A'], v).trim(),
      hex: spawnSync('od', ['-An', '-tx1', '-v'], { input: v, encoding: 'utf8' }).stdout.replace(/\s+/g, ''),
      md5: /= (\w+)/.exec(openssl(['dgst', '-md5'], v))![1]!,
      sha1: /= (\w+)/.exec(openssl(['dgst', '-sha1'], v))![1]!,
      sha256: /= (\w+)/.exec(openssl(['dgst', '-sha256'], v))![1]!,
    };
    for (const form of PI_FORMS) expect(writeInForm(v, form), form).toBe(expected[form]);
    expect(writeInForm('39.9,116.4 x/y', 'url-encoded')).toBe('39.9%2C116.4%20x%2Fy');
    expect(fillTemplate('{"a":"{{android-id|md5}}","b":"{{ serial }}","c":{"d":1}}', (k) => (k === 'android-id' ? v : 'S1'))).toBe(`{"a":"${expected.md5}","b":"S1","c":{"d":1}}`);
  });

  it('names what is wrong with a placeholder', () => {
    expect(placeholderProblem('{{android-id|md5}} and {{imei}}')).toBeNull();
    expect(placeholderProblem('{"a":{"b":{}}}')).toBeNull();
    expect(placeholderProblem('{{androidid|md5}}')).toMatch(/unknown value "androidid"/);
    expect(placeholderProblem('{{imei|sha512}}')).toMatch(/unknown form "sha512"/);
    expect(placeholderProblem('{{other}}')).toMatch(/unknown value "other"/);
    expect(placeholderProblem('x {{imei')).toMatch(/unclosed or malformed/);
    expect(placeholderProblem('{{imei}}'.repeat(65))).toMatch(/more than 64 placeholders/);
  });
});

describe('scenario requests in the schema', () => {
  it('accepts a request with placeholders in the path, query, headers and body', () => {
    const s = parseScenario(withRequest(`{ method: POST, url: "https://ulogs.umeng.com/u/{{imei|sha1}}?a={{oaid|url-encoded}}", headers: { X-Id: "{{android-id|upper}}" }, body: '{"l":"{{location|base64}}"}', tag: UMLog }`));
    const act = s.apps[0]!.behaviour[0]!.do[0]!;
    expect('request' in act && act.request).toMatchObject({ method: 'POST', tag: 'UMLog', headers: { 'X-Id': '{{android-id|upper}}' } });
  });

  it('refuses malformed requests with the line and field', () => {
    const refusals: Array<[string, RegExp]> = [
      ['{ url: "ftp://ulogs.umeng.com/x" }', /request\.url: an http:\/\/ or https:\/\/ URL/],
      ['{ url: "https://{{imei}}.umeng.com/x" }', /the host may not carry a placeholder/],
      ['{ url: "https://user:pw@ulogs.umeng.com/x" }', /no user or password/],
      ['{ url: "https://ulogs.umeng.com/x#frag" }', /no #fragment/],
      ['{ url: "https://ulogs.umeng.com/{{imei|rot13}}" }', /unknown form "rot13"/],
      ['{ url: "https://ulogs.umeng.com/", method: TRACE }', /request\.method: one of GET, POST/],
      ['{ url: "https://ulogs.umeng.com/", body: "{}" }', /a GET or HEAD request has no body/],
      ['{ url: "https://ulogs.umeng.com/", headers: { Host: evil.example } }', /writes this header itself/],
      ['{ url: "https://ulogs.umeng.com/", headers: { Content-Length: "5" } }', /writes this header itself/],
      ['{ url: "https://ulogs.umeng.com/", headers: { "Bad Name": x } }', /a header name/],
      ['{ url: "https://ulogs.umeng.com/", headers: { X-A: "a\\r\\nX-B: b" } }', /printable ASCII only/],
      ['{ url: "https://ulogs.umeng.com/", tag: "bad tag" }', /a log tag/],
      ['{ url: "https://ulogs.umeng.com/", extra: 1 }', /extra/],
    ];
    for (const [request, message] of refusals) {
      expect(() => parseScenario(withRequest(request), 's.yaml'), request).toThrow(message);
      expect(() => parseScenario(withRequest(request), 's.yaml'), request).toThrow(/s\.yaml:1\d(:\d+)?: apps\.0\.behaviour\.0\.do\.0/);
    }
  });

  it('bounds sizes: URL, header count and value, body', () => {
    const big = (n: number): string => 'a'.repeat(n);
    expect(() => parseScenario(withRequest(`{ url: "https://ulogs.umeng.com/${big(REQUEST_LIMITS.urlChars)}" }`))).toThrow(/request\.url/);
    const headers = Array.from({ length: REQUEST_LIMITS.headers + 1 }, (_, i) => `X-H${i}: v`).join(', ');
    expect(() => parseScenario(withRequest(`{ url: "https://ulogs.umeng.com/", headers: { ${headers} } }`))).toThrow(/at most 32 headers/);
    expect(() => parseScenario(withRequest(`{ url: "https://ulogs.umeng.com/", headers: { X-A: ${big(REQUEST_LIMITS.headerValueChars + 1)} } }`))).toThrow(/request\.headers/);
    const t0 = Date.now();
    expect(() => parseScenario(withRequest(`{ method: POST, url: "https://ulogs.umeng.com/", body: "${big(REQUEST_LIMITS.bodyChars + 1)}" }`))).toThrow(/request\.body/);
    // A body just under the limit, made of placeholder-like text, is checked quickly.
    parseScenario(withRequest(`{ method: POST, url: "https://ulogs.umeng.com/", body: "${'{x}'.repeat(Math.floor(REQUEST_LIMITS.bodyChars / 3))}" }`));
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a network security config must keep the system CAs; user CAs are trusted by it or by targetSdk ≤ 23', () => {
    expect(() => parseScenario(withRequest('{ url: "https://ulogs.umeng.com/" }', '    networkSecurityConfig: { trustAnchors: [user] }\n'))).toThrow(/keep "system"/);
    const nsc = parseScenario(withRequest('{ url: "https://ulogs.umeng.com/" }', '    targetSdk: 33\n    networkSecurityConfig: { trustAnchors: [system, user] }\n')).apps[0]!;
    expect(trustsUserCas(nsc)).toBe(true);
    const strict = parseScenario(withRequest('{ url: "https://ulogs.umeng.com/" }', '    targetSdk: 22\n    networkSecurityConfig: { trustAnchors: [system] }\n')).apps[0]!;
    expect(trustsUserCas(strict)).toBe(false);
    expect(trustsUserCas({ targetSdk: 23, networkSecurityConfig: undefined })).toBe(true);
    expect(trustsUserCas({ targetSdk: 24, networkSecurityConfig: undefined })).toBe(false);
  });
});

describe('requests in the scenario\'s timeline', () => {
  it('fires where the behaviour places it, as the app\'s uid, without holding up the steps after it', async () => {
    // Given not yet started: the phone starts it, and leaves stopping it to its owner.
    const internet = new VirtualInternet();
    try {
      const scenario = parseScenario(`id: x\nname: a\ndescription: b\ndevice: { noise: false }\napps:\n  - package: com.demo.talks\n    label: L\n    screens: [{ id: consent, nodes: [] }, { id: guest, nodes: [] }]\n    behaviour:\n      - on: launch\n        do: [{ show: consent }, { request: { url: "http://stats.demo.example/launch?id={{android-id}}" } }, { show: guest }]\n`);
      const clock = new VirtualClock();
      const device = new VirtualDevice({ scenario, clock, internet });
      await device.start();
      try {
        expect(internet.resolves('stats.demo.example')).toBe(true);
        device.system.launch('com.demo.talks', 'am');
        // The step after the request ran at once; the request ends on its own.
        expect(device.system.screenOf('com.demo.talks')).toBe('guest');
        await device.player.requests.settled();
        const [call] = device.player.requests.calls;
        expect(call).toMatchObject({ pkg: 'com.demo.talks', uid: device.system.pm.get('com.demo.talks')!.uid, url: `http://stats.demo.example/launch?id=${device.system.androidId}`, carries: [{ kind: 'android-id', form: 'plain' }], result: { ok: true, status: 200, via: 'direct' } });
        expect(internet.requests.map((r) => r.target)).toEqual([`/launch?id=${device.system.androidId}`]);
      } finally {
        await device.stop();
      }
      // The internet was the test's: the phone leaves it running.
      const after = await fetch(`http://127.0.0.1:${internet.port}/still-here`, { headers: { Host: 'stats.demo.example' } });
      expect(after.status).toBe(200);
    } finally {
      await internet.stop();
    }
  });

  it('a phone given no internet has no route: the request fails in the app\'s log, the phone goes on', async () => {
    const scenario = parseScenario(withRequest('{ url: "https://ulogs.umeng.com/x", tag: UMLog }'));
    const device = new VirtualDevice({ scenario, clock: new VirtualClock(), internet: null });
    await device.start();
    try {
      expect(device.internet).toBeNull();
      device.system.launch('com.demo.talks', 'am');
      await device.player.requests.settled();
      expect(device.system.log.all().filter((e) => e.tag === 'UMLog').map((e) => e.message)).toEqual(['java.net.ConnectException: Failed to connect to /ulogs.umeng.com:443']);
    } finally {
      await device.stop();
    }
  });
});
