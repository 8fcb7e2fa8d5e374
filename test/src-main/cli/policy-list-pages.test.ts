/**
 * `apprights policy check --list`: a policy that only points to its lists (the referenced-list scenario's texts)
 * reads them as "referenced" with the words that point to them — said in English and Chinese — and with the
 * list page given, as "present"; an image-only list page is refused as unreadable. Needs `npm run build`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../src-main/core/virtual-device/index.js';
import { runCli } from '../../support/cli.js';
import { SCENARIOS } from '../../support/virtual-phone.js';

let work: string;
const file = (name: string): string => join(work, name);
const env = { ...process.env, ANDROID_ADB_SERVER_PORT: '1' };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'policy-lists-'));
  const app = loadScenarioFile(join(SCENARIOS, 'referenced-list.yaml')).apps[0]!;
  const doc = (screen: string, node: string): string => (app.screens.find((s) => s.id === screen)!.nodes.find((n) => n.id === node)!.text as { zh: string }).zh;
  writeFileSync(file('policy.txt'), doc('policy', 'policyText'));
  writeFileSync(file('sdk-list.txt'), doc('sharedList', 'listText'));
  writeFileSync(file('collected-list.html'), '<!doctype html><html><body><img src="a.png"><img src="b.png"></body></html>');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('apprights policy check with list pages', () => {
  it('without the list page: both lists only referenced, with the policy\'s words, in English and Chinese', async () => {
    const r = await runCli(['policy', 'check', '--policy', file('policy.txt')], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Two lists (292号): collected: only referenced (capture that page); shared: only referenced (capture that page)');
    expect(r.stdout).toMatch(/\nthird-party sharing list only referenced — the policy says: “为实现消息推送和统计分析，.*详见《第三方信息共享清单》.*”; (link: https:\/\/news-example\.example\/sdk-list\.html|the policy gives no address) \(read that page with --list FILE\|URL\)\n {2}第三方共享个人信息清单仅被引用——政策原文：“为实现消息推送和统计分析，.*（用 --list 文件\|网址 读取该页面）\n/);
    expect(r.stdout).toMatch(/\ncollected-PI list only referenced — the policy says: “我们收集的个人信息的种类、使用目的和使用场景，详见《已收集个人信息清单》。”/);
  });

  it('with --list: the sharing list is present, read from that page; --json carries the reading and the pages', async () => {
    const text = await runCli(['policy', 'check', '--policy', file('policy.txt'), '--list', file('sdk-list.txt')], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('shared: yes (table; type ✓, purpose ✓, scenario ✓, method ✗)');
    expect(text.stdout).toContain(`List page read with the policy: ${file('sdk-list.txt')}\n  与政策一同读取的清单页面：${file('sdk-list.txt')}`);
    expect(text.stdout).not.toContain('third-party sharing list only referenced');
    const r = await runCli(['policy', 'check', '--policy', file('policy.txt'), '--list', file('sdk-list.txt'), '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.twoLists).toMatchObject({ shared: true, referencedOnly: ['collected'] });
    expect(out.reading.twoLists.shared.verdict).toBe('present');
    expect(out.reading.twoLists.collected).toMatchObject({ verdict: 'referenced', reference: { text: expect.stringContaining('《已收集个人信息清单》') } });
    expect(out.listPages).toEqual([{ origin: file('sdk-list.txt'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), chars: expect.any(Number) }]);
    expect(out.declared.sdks.sort()).toEqual(['jpush', 'umeng-analytics']);
  });

  it('an image-only list page is refused as unreadable, and nothing is printed as read', async () => {
    const r = await runCli(['policy', 'check', '--policy', file('policy.txt'), '--list', file('collected-list.html')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/collected-list\.html shows 2 image\(s\) and no readable text \(an image-only page\): it cannot be read, and nothing is guessed from it\. Paste its text or load it as a file/);
    expect(r.stdout).toBe('');
  });
});
