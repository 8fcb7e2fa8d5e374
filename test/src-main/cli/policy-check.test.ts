/**
 * `apprights policy check` end to end, as a lab scripts it: a policy file against the SDK-bearing APK and an
 * app type, a policy URL (refused as local unless allowed), and a recorded demo session whose app started an
 * SDK the policy does not name. Needs `npm run build`.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { startAdbServer, type TestAdbServer } from '../../support/adb-server.js';
import { sdkApk } from '../../support/sdk-apk.js';

const root = join(import.meta.dirname, '../../..');
const FIXTURES = join(root, 'test/fixtures/policies');
let adb: TestAdbServer;
let work: string;
let server: Server;
let url: string;

beforeAll(async () => {
  adb = await startAdbServer();
  work = mkdtempSync(join(tmpdir(), 'policy-check-'));
  writeFileSync(join(work, 'sdks.apk'), sdkApk());
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(readFileSync(join(FIXTURES, 'shop-partial.txt'))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/privacy`;
}, 60_000);

afterAll(async () => {
  server?.close();
  await adb?.kill();
  rmSync(work, { recursive: true, force: true });
});

const apprights = (args: string[]) => runCli(args, adb.env);

describe('apprights policy check', () => {
  it('--json: exactly the SDKs the policy does not name, the two lists, and PI beyond the app type', async () => {
    const r = await apprights(['policy', 'check', '--policy', join(FIXTURES, 'shop-partial.txt'), '--apk', join(work, 'sdks.apk'), '--type', '网上购物类', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['declared', 'observed', 'undeclaredSdks', 'undeclaredPi', 'beyondNecessary', 'twoLists']));
    expect(out.undeclaredSdks.map((s: { name: string }) => s.name).sort()).toEqual(['腾讯 Bugly', '腾讯优量汇（广点通）']);
    expect(out.undeclaredSdks[0]).toMatchObject({ vendor: '深圳市腾讯计算机系统有限公司', evidence: { apk: [expect.stringMatching(/^sdk:/)] } });
    expect(out.twoLists).toEqual({ collected: true, shared: false, missingFields: [], referencedOnly: [] });
    expect(out.declared.sdks.sort()).toEqual(['jpush', 'umeng-analytics']);
    expect(out.observed.sdks).toEqual(['bugly', 'jpush', 'tencent-gdt', 'umeng-analytics']);
    expect(out.beyondNecessary).toEqual([]);
    expect(out.appType).toMatchObject({ no: 6, name: { zh: '网上购物类' } });
  });

  it('prints the matrix for a person, quoting the policy line of each declared item', async () => {
    const r = await apprights(['policy', 'check', '--policy', join(FIXTURES, 'shop-partial.txt'), '--apk', join(work, 'sdks.apk')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SDK {2}腾讯 Bugly（深圳市腾讯计算机系统有限公司）.*\n\s+✗ observed, not in the policy \[static\]/);
    expect(r.stdout).toMatch(/SDK {2}极光推送.*\n\s+✓ declared and observed \[static\]\n\s+policy line 4: “2\. 消息推送：我们使用极光推送/);
    expect(r.stdout).toContain('Two lists (292号): collected: yes (prose; type ✓, purpose ✓, scenario ✓); shared: absent');
    expect(r.stdout).toContain('Summary: 2 undeclared SDK(s)');
  });

  it('a URL: refused as a local address unless --allow-local; an unknown type names the choices', async () => {
    const refused = await apprights(['policy', 'check', '--policy', url, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is a local or private address; fetching it is off/);
    const ok = await apprights(['policy', 'check', '--policy', url, '--allow-local', '--apk', join(work, 'sdks.apk'), '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).policy).toMatchObject({ source: 'url', origin: url });
    const badType = await apprights(['policy', 'check', '--policy', url, '--type', '手电筒']);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/unknown app type "手电筒"; give its number \(1-39\) or name.*38 实用工具类/);
  });

  it('--session: an SDK started at run time and identifiers read, against a policy and the 实用工具类 type', async () => {
    const demo = await apprights(['demo', '--scenario', 'undisclosed-sdk', '--fast', '--json', '--out', join(work, 'demo.zip'), '--data-dir', join(work, 'data')]);
    expect(demo.code, demo.stderr).toBe(0);
    const session = readdirSync(work).map((n) => join(work, n)).find((p) => p.includes('demo-session-'))!;
    const r = await apprights(['policy', 'check', '--policy', join(FIXTURES, 'shop-complete.html'), '--session', session, '--type', '38', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.undeclaredSdks.map((s: { name: string }) => s.name)).toEqual(['个推']);
    expect(out.undeclaredSdks[0].evidence.timeline.length).toBeGreaterThan(0);
    expect(out.beyondNecessary.map((b: { category: string }) => b.category)).toEqual(['deviceId']);
  }, 120_000);
});
