/**
 * The package's network.har read by a HAR reader that was not written here: Playwright's (routeFromHAR, in the
 * Debian Chromium the e2e tests drive) opens the evidence package itself as a HAR archive, finds network.har,
 * resolves the bodies it references in blobs/ and replays them — a POST matched by its body, a GET answered with
 * its JSON. And the report's "网络外发" section, shown in that Chromium, passes the zh-CN DOM check the e2e tests use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFindings, findEnglish } from '../../../e2e/zh-dom-check.js';
import { readEntries } from '../../../support/evidence-fixtures.js';
import { exportNetworkSession, networkSession, REQUEST_BODY, RESPONSE_BODY } from '../../../support/network-evidence-session.js';

let root: string;
let pkg: string;
let browser: Browser;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'network-har-reader-'));
  const s = await networkSession(root);
  pkg = (await exportNetworkSession(s.dir, join(root, 'net.zip'))).path;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the evidence package as a HAR archive in Playwright', () => {
  it('replays the intercepted POST (matched by its body from blobs/) and the plain GET, with their bodies', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // A page on the SDK's origin (not in the HAR), so the POST below is same-origin.
      await page.route('https://api.jpush.cn/', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<html><body></body></html>' }));
      await context.routeFromHAR(pkg, { notFound: 'abort', url: /api\.jpush\.cn\/v3|api\.demo\.shop/ });
      await page.goto('https://api.jpush.cn/');
      const answer = await page.evaluate(async (body) => {
        const r = await fetch('/v3/report?app=com.demo.shop&v=2', { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'application/json' } });
        return { status: r.status, bytes: [...new Uint8Array(await r.arrayBuffer())] };
      }, [...REQUEST_BODY]);
      expect(answer.status).toBe(200);
      expect(Buffer.from(answer.bytes)).toEqual(RESPONSE_BODY);
      // Another body is not that request: the archive has no answer for it.
      const other = await page.evaluate(async () => fetch('/v3/report?app=com.demo.shop&v=2', { method: 'POST', body: 'something else' }).then((r) => r.status, () => 'refused'));
      expect(other).toBe('refused');
      const home = await page.goto('http://api.demo.shop/home');
      expect(await home!.json()).toEqual({ ok: true });
    } finally {
      await context.close();
    }
  });
});

describe('report.html in Chromium', () => {
  it('the network section has no English outside <code> and lang="en"', async () => {
    const html = new Map(await readEntries(pkg)).get('report.html')!.toString('utf8');
    const section = html.slice(html.indexOf('<h2 id="network">'), html.indexOf('<h2>摘要'));
    expect(section).toContain('alog.umeng.com');
    const page = await browser.newPage();
    try {
      await page.setContent(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>${section}</body></html>`);
      const found = await findEnglish(page);
      expect(found, describeFindings('report network section', found)).toEqual([]);
      // The check can fail: an English word left unmarked in the section is found.
      await page.setContent(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>${section.replace('未归属', 'unattributed connection')}</body></html>`);
      expect((await findEnglish(page)).flatMap((f) => f.words)).toContain('unattributed');
    } finally {
      await page.close();
    }
  });
});
