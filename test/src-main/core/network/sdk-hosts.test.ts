/**
 * The SDK host table: every entry names a known SDK and a public source, no suffix twice; hosts map to the
 * longest matching suffix, and untrusted text (IPs, ports, spaces, lookalikes) maps to nothing.
 */
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../../src-main/core/apk/knowledge.js';
import { readSdkHostTable, sdkForHost, sdkHostMatcher } from '../../../../src-main/core/network/sdk-hosts.js';

describe('the SDK host table', () => {
  it('names only known SDKs, each entry with an https source, no suffix twice', () => {
    const table = readSdkHostTable();
    const ids = new Set(loadKnowledge().sdks.sdks.map((s) => s.id));
    expect(table.hosts.length).toBeGreaterThanOrEqual(50);
    for (const e of table.hosts) {
      expect(ids.has(e.sdk), e.sdk).toBe(true);
      expect(e.source).toMatch(/^https:\/\/\S+$/);
      expect(e.suffix).toMatch(/^[a-z0-9.-]+\.[a-z]{2,}$/);
      expect(['sdk', 'company']).toContain(e.scope);
    }
    expect(new Set(table.hosts.map((e) => e.suffix)).size).toBe(table.hosts.length);
  });

  it('maps hosts to the longest suffix, case and trailing dot aside', () => {
    expect(sdkForHost('ulogs.umeng.com')).toMatchObject({ id: 'umeng-analytics', vendor: '友盟同欣（北京）科技有限公司', scope: 'company' });
    expect(sdkForHost('MI.GDT.QQ.COM.')).toMatchObject({ id: 'tencent-gdt', scope: 'sdk' });
    expect(sdkForHost('android.bugly.qq.com')?.id).toBe('bugly');
    expect(sdkForHost('api-access.pangolin-sdk-toutiao.com')?.id).toBe('pangle-csj');
    expect(sdkForHost('tsis.jpush.cn')?.id).toBe('jcore');
    // qq.com itself is Tencent's but says nothing about an SDK.
    expect(sdkForHost('www.qq.com')).toBeNull();
    // A lookalike is not the vendor's.
    expect(sdkForHost('evilumeng.com')).toBeNull();
    expect(sdkForHost('umeng.com.evil.example')).toBeNull();
  });

  it('gives nothing for text that is not a host name', () => {
    for (const bad of ['', '127.0.0.1', '::1', 'ulogs.umeng.com:443', 'ulogs umeng.com', 'a'.repeat(300) + '.umeng.com', '\u001b[31mumeng.com', 'umeng.com/x']) expect(sdkForHost(bad), bad).toBeNull();
  });

  it('uses the table it is given (a lab may ship its own)', () => {
    const match = sdkHostMatcher({ note: '', retrieved: '', hosts: [{ suffix: 'collector.example', sdk: 'sensorsdata', scope: 'sdk', source: 'https://example.org' }] });
    expect(match('a.b.collector.example')?.id).toBe('sensorsdata');
    expect(match('ulogs.umeng.com')).toBeNull();
  });
});
