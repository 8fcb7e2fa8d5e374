/**
 * The checklist over what left the phone, on sessions written by the real session writer with network events as
 * the wiring writes the proxy's reports, judged by the shipped template from the timeline on disk: 164-1.1 and
 * 164-1.3 weigh connections and values sent before consent and after a decline (and say when the network was
 * not recorded), 164-3.1 weighs the phone's values sent to third parties against the policy, contacted SDK
 * servers are run-time SDKs in the policy comparison, and the findings spreadsheet says the network evidence in words.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { findingsCsv, findingsXlsx, networkEvidence } from '../../../../src-main/core/checklist/findings-export.js';
import { packageDomain, partyOf } from '../../../../src-main/core/checklist/network-facts.js';
import { judgeSession } from '../../../../src-main/core/checklist/session-findings.js';
import { recordPolicy } from '../../../../src-main/core/policy/session-policy.js';
import { sessionComparison } from '../../../../src-main/core/policy/session-comparison.js';
import type { SdkRef } from '../../../../src-preload/network.js';
import { parseQuotedCsv } from '../../../support/csv.js';
import { JPUSH, NetworkWriter, UMENG } from '../../../support/network-events.js';
import { miit164, RecordedSession } from '../../../support/recorded-session.js';

const root = mkdtempSync(join(tmpdir(), 'network-evaluators-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A first launch with the proxy on, then whatever `during` writes, the consent at 10 s and the agree stage. */
async function session(during: (w: NetworkWriter, r: RecordedSession) => void, o: { proxy?: boolean; policy?: string } = {}) {
  const r = new RecordedSession(root);
  const w = new NetworkWriter(r);
  if (o.proxy !== false) w.proxyOn(-500);
  if (o.policy) recordPolicy(r.s, { from: 'paste', origin: 'pasted', text: o.policy, charset: 'utf-8', original: null, pages: [], problem: null });
  r.firstLaunch(0);
  during(w, r);
  await r.s.writer.flush();
  return { r, judged: judgeSession(r.s.dir, miit164) };
}

const item = (j: ReturnType<typeof judgeSession>, id: string) => j.findings.find((f) => f.item === id)!.proposal;

/** An SDK tunnel at `ms`, closed with bytes; its connection seq. */
function sdkTunnel(w: NetworkWriter, ms: number, host: string, sdk: SdkRef, app?: string | null): number {
  const c = w.connection(ms, { host, sdk, app });
  w.closed(ms + 300, c.flowId, 1800, 600, 300, null, app === undefined ? 'com.demo.shop' : app);
  return c.seq;
}

/** An intercepted request carrying the Android ID as MD5; the seqs of connection and pi.sent. */
function sentId(w: NetworkWriter, ms: number, host: string, sdk: SdkRef | null): { connection: number; pi: number } {
  const c = w.connection(ms, { host, sdk, intercepted: true });
  const x = w.request(ms + 20, c.flowId, { method: 'POST', url: `https://${host}/collect`, requestBody: w.body(Buffer.from('aid=5d41402abc4b2a76b9719d911017c592')) });
  const pi = w.piSent(ms + 21, c.flowId, x.requestId, { host, sdk });
  w.closed(ms + 100, c.flowId, 700, 90);
  return { connection: c.seq, pi };
}

describe('164-1.1 before consent', () => {
  it('an SDK server reached before the dialog was answered, nothing readable: for the tester, pointing at the connection', async () => {
    let seq = 0;
    const { judged } = await session((w, r) => {
      seq = sdkTunnel(w, 810, 'alog.umeng.com', UMENG);
      r.mark(10_000, 'consent.given');
    });
    const p = item(judged, '164-1.1');
    expect(p.status).toBe('needs-tester');
    expect(p.evidence).toContain(seq);
    expect(p.explanation.zh).toContain('连接了 SDK 服务器：alog.umeng.com（友盟+ 统计）（TLS 未解密，内容不可见）');
    expect(p.explanation.en).toContain('SDK servers were contacted: alog.umeng.com (Umeng+ Analytics)');
  });

  it('the phone\'s value found in what an SDK sent before consent: a violation with the value, its connection and its event', async () => {
    let ids = { connection: 0, pi: 0 };
    const { judged } = await session((w, r) => {
      ids = sentId(w, 900, 'api.jpush.cn', JPUSH);
      r.mark(10_000, 'consent.given');
    });
    const p = item(judged, '164-1.1');
    expect(p.status).toBe('violation');
    expect(p.evidence).toEqual(expect.arrayContaining([ids.connection, ids.pi]));
    expect(p.explanation.zh).toContain('应用发送了手机的个人信息：Android ID（MD5 摘要，9f3c…e1a2）发往 api.jpush.cn（极光推送）');
    expect(p.explanation.en).toContain("the app sent the phone's personal information: Android ID (MD5, 9f3c…e1a2) to api.jpush.cn (JPush)");
  });

  it('the same traffic after the user agreed only: no violation, and it says no SDK was contacted before consent while recorded', async () => {
    const { judged } = await session((w, r) => {
      r.mark(5_000, 'consent.given');
      r.stage(6_000, 'agree');
      sdkTunnel(w, 6_500, 'alog.umeng.com', UMENG);
      sentId(w, 7_000, 'api.jpush.cn', JPUSH);
    });
    const p = item(judged, '164-1.1');
    expect(p.status).toBe('none-observed');
    expect(p.explanation.en).toContain('while the proxy recorded, the app contacted no SDK or unknown host');
    expect(item(judged, '164-1.3').status).not.toBe('violation');
  });

  it('without the proxy nothing is said about the network: "none observed" for what the log shows, naming the network as not recorded', async () => {
    const { judged } = await session((_w, r) => r.mark(10_000, 'consent.given'), { proxy: false });
    const p = item(judged, '164-1.1');
    expect(p.status).toBe('none-observed');
    expect(p.explanation.zh).toContain('该时段未记录网络（未开启工作台代理），本结论不涉及数据外发');
    expect(p.explanation.en).toContain('the network was not recorded in this window');
    expect(p.explanation.en).not.toContain('contacted no SDK');
  });

  it('a connection not attributed by uid (the app in front) is never a violation by itself, even carrying a value', async () => {
    const { judged } = await session((w, r) => {
      const c = w.connection(800, { host: 'api.jpush.cn', sdk: JPUSH, intercepted: true, app: null });
      const x = w.request(820, c.flowId, { method: 'POST', url: 'https://api.jpush.cn/collect', app: null });
      w.piSent(821, c.flowId, x.requestId, { host: 'api.jpush.cn', sdk: JPUSH, app: null });
      r.mark(10_000, 'consent.given');
    });
    const p = item(judged, '164-1.1');
    expect(p.status).toBe('needs-tester');
    expect(p.explanation.en).toContain('connections not attributed by uid carried: Android ID');
  });

  it('an attempt the proxy could not carry (an SDK host it could not resolve) is never "nothing contacted": for the tester', async () => {
    // As a real `run --network` recorded it: the app's SDK tried ulogs.umeng.com before consent, the proxy could not resolve it.
    let seq = 0;
    const { judged } = await session((w, r) => {
      seq = w.event(800, { type: 'net.refused', reason: 'upstream-failed', client: '127.0.0.1', detail: 'ulogs.umeng.com:443: getaddrinfo ENOTFOUND ulogs.umeng.com' });
      r.mark(10_000, 'consent.given');
    });
    const p = item(judged, '164-1.1');
    expect(p.status).toBe('needs-tester');
    expect(p.evidence).toContain(seq);
    expect(p.explanation.en).not.toContain('contacted no SDK');
    expect(p.explanation.zh).toContain('代理未能转发 1 次连接尝试（ulogs.umeng.com:443: getaddrinfo ENOTFOUND ulogs.umeng.com），发起的应用和内容均未知');
    // Another host refused in Wi-Fi mode is not the phone's attempt.
    const lan = await session((w, r) => {
      w.event(800, { type: 'net.refused', reason: 'not-the-phone', client: '192.168.1.77', detail: '' });
      r.mark(10_000, 'consent.given');
    });
    expect(item(lan.judged, '164-1.1').status).toBe('none-observed');
  });

  it('another app\'s connection (attributed by uid to it) is not the app\'s', async () => {
    const { judged } = await session((w, r) => {
      sdkTunnel(w, 800, 'alog.umeng.com', UMENG, 'com.other.app');
      r.mark(10_000, 'consent.given');
    });
    expect(item(judged, '164-1.1').status).toBe('none-observed');
  });

  it('the app\'s own domain (from its package name) is not a third party; a host the table does not know is for the tester', async () => {
    expect(packageDomain('com.demo.shop')).toBe('demo.com');
    expect(packageDomain('cn.com.demo.shop')).toBe('demo.com.cn');
    expect(partyOf('api.demo.com', null, 'com.demo.shop')).toBe('own');
    expect(partyOf('demo.com.evil.example', null, 'com.demo.shop')).toBe('unknown');
    expect(partyOf('api.demo.com', UMENG, 'com.demo.shop')).toBe('sdk');
    const own = await session((w, r) => {
      const c = w.connection(800, { host: 'config.demo.com', tls: false });
      w.closed(900, c.flowId, 100, 100);
      r.mark(10_000, 'consent.given');
    });
    expect(item(own.judged, '164-1.1').status).toBe('none-observed');
    const unknown = await session((w, r) => {
      const c = w.connection(800, { host: 't.tracker.example' });
      w.closed(900, c.flowId, 100, 100);
      r.mark(10_000, 'consent.given');
    });
    const p = item(unknown.judged, '164-1.1');
    expect(p.status).toBe('needs-tester');
    expect(p.explanation.zh).toContain('连接了不在 SDK 域名表中的主机：t.tracker.example');
  });
});

describe('164-1.3 after a decline', () => {
  it('the app list uploaded after the decline: a violation; an SDK reached after it: for the tester', async () => {
    let pi = 0;
    const sent = await session((w, r) => {
      r.stage(5_000, 'decline');
      r.mark(6_000, 'consent.declined');
      const c = w.connection(8_000, { host: 'api.jpush.cn', sdk: JPUSH, intercepted: true });
      const x = w.request(8_020, c.flowId, { method: 'POST', url: 'https://api.jpush.cn/apps', requestBody: w.body(Buffer.from('com.a,com.b')) });
      pi = w.piSent(8_021, c.flowId, x.requestId, { host: 'api.jpush.cn', sdk: JPUSH, kind: 'package-list', form: 'plain', masked: 'com.a, com.b (+37)' });
    });
    const p = item(sent.judged, '164-1.3');
    expect(p.status).toBe('violation');
    expect(p.evidence).toContain(pi);
    expect(p.explanation.zh).toContain('已安装应用列表（原文');
    const reached = await session((w, r) => {
      r.stage(5_000, 'decline');
      r.mark(6_000, 'consent.declined');
      sdkTunnel(w, 8_000, 'alog.umeng.com', UMENG);
    });
    expect(item(reached.judged, '164-1.3').status).toBe('needs-tester');
  });
});

describe('164-3.1 values sent to third parties against the policy', () => {
  const AFTER_CONSENT = (w: NetworkWriter, r: RecordedSession) => {
    r.mark(5_000, 'consent.given');
    r.stage(6_000, 'agree');
    sentId(w, 7_000, 'api.jpush.cn', JPUSH);
  };

  it('to an SDK the policy names: no violation', async () => {
    const { judged } = await session(AFTER_CONSENT, { policy: '隐私政策\n本政策由示例商城科技有限公司提供。\n我们的产品集成了极光推送SDK，用于消息推送，会收集您的设备标识符。\n' });
    expect(item(judged, '164-3.1').status).toBe('none-observed');
  });

  it('to an SDK whose company the policy names as a third party receiving data: the sending is disclosed, only the SDK\'s name is missing (issue #25\'s rule)', async () => {
    const { judged } = await session(AFTER_CONSENT, { policy: '隐私政策\n本政策由示例商城科技有限公司提供。\n为提供消息推送服务，我们会与极光SDK共享您的设备标识符。\n' });
    expect(judged.facts.policyInputs.policy!.reading.companies).toMatchObject([{ vendor: JPUSH.vendor, role: 'third-party' }]);
    const p = item(judged, '164-3.1');
    // The value went to a company the policy names as receiving data: no "sent to a third party the policy does not name".
    expect(p.explanation.zh).not.toContain('手机的个人信息被发送给隐私政策未写明的第三方');
    // What stays is the SDK named only by its company, which issue #25 counts as undeclared.
    expect(p.explanation.zh).toContain('隐私政策未写明 1 个检出的第三方 SDK：极光推送');
  });

  it('to an SDK the policy does not name: a violation pointing at the value sent and its connection', async () => {
    let ids = { connection: 0, pi: 0 };
    const { judged } = await session((w, r) => {
      r.mark(5_000, 'consent.given');
      ids = sentId(w, 7_000, 'api.jpush.cn', JPUSH);
    }, { policy: '隐私政策\n本政策由示例商城科技有限公司提供。\n我们接入了友盟+统计SDK（友盟同欣（北京）科技有限公司），收集设备标识符用于统计分析。\n' });
    const p = item(judged, '164-3.1');
    expect(p.status).toBe('violation');
    expect(p.evidence).toEqual(expect.arrayContaining([ids.connection, ids.pi]));
    expect(p.explanation.zh).toContain('手机的个人信息被发送给隐私政策未写明的第三方：Android ID（MD5 摘要）→ api.jpush.cn（极光推送，深圳市和讯华谷信息技术有限公司）');
  });

  it('contacted SDK servers are run-time SDKs of the comparison (by uid only); an SDK the signature table does not know is named by the host table', async () => {
    const ODD: SdkRef = { id: 'host-only-sdk', name: { zh: '某统计', en: 'Some Analytics' }, vendor: '某某科技有限公司' };
    let seqs: number[] = [];
    const { judged } = await session((w, r) => {
      r.mark(5_000, 'consent.given');
      seqs = [sdkTunnel(w, 6_000, 'alog.umeng.com', UMENG), sdkTunnel(w, 6_100, 'stat.odd.example', ODD)];
      sdkTunnel(w, 6_200, 'api.jpush.cn', JPUSH, null);
    }, { policy: '隐私政策\n本政策由示例商城科技有限公司提供。\n我们接入了友盟+统计SDK（友盟同欣（北京）科技有限公司），收集设备标识符用于统计分析。\n' });
    const c = sessionComparison(judged.facts);
    expect(c.observed.sdks).toEqual(['host-only-sdk', 'umeng-analytics']);
    expect(c.rows.find((r) => r.key === 'umeng-analytics')).toMatchObject({ status: 'declared-observed', observedBy: ['runtime'], evidence: { timeline: [seqs[0]] } });
    expect(c.rows.find((r) => r.key === 'host-only-sdk')).toMatchObject({ status: 'observed-undeclared', label: { zh: '某统计（某某科技有限公司）', en: 'Some Analytics (某某科技有限公司)' } });
    const p = item(judged, '164-3.1');
    expect(p.status).toBe('violation');
    expect(p.evidence).toContain(seqs[1]);
  });
});

describe('the findings spreadsheet', () => {
  it('says in words the network evidence of a finding, in the CSV and the XLSX', async () => {
    let ids = { connection: 0, pi: 0 };
    const { judged } = await session((w, r) => {
      ids = sentId(w, 900, 'api.jpush.cn', JPUSH);
      r.mark(10_000, 'consent.given');
    });
    const network = networkEvidence(judged.facts.entries);
    const rows = parseQuotedCsv(findingsCsv(judged.findings, network));
    const column = rows[0]!.indexOf('网络证据 (Network evidence)');
    expect(column).toBeGreaterThan(0);
    const cell = rows.find((row) => row[0] === '164-1.1')![column]!;
    expect(cell).toContain(`#${ids.connection} com.demo.shop 连接 api.jpush.cn:443，TLS 已解密：极光推送（深圳市和讯华谷信息技术有限公司） / com.demo.shop connected to api.jpush.cn:443, TLS intercepted: JPush`);
    expect(cell).toContain(`#${ids.pi} 个人信息外发：Android ID（MD5 摘要，位于请求体）发往 api.jpush.cn（极光推送）：9f3c…e1a2`);
    // An item without network evidence has an empty cell.
    expect(rows.find((row) => row[0] === '164-6.1')![column]).toBe('');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await findingsXlsx(judged.findings, 'net', network) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(2).values as unknown[]).indexOf('网络证据 (Network evidence)');
    const row = sheet.getRows(3, sheet.rowCount - 2)!.find((r) => r.getCell(1).value === '164-1.1')!;
    expect(String(row.getCell(header).value)).toBe(cell);
  });
});
