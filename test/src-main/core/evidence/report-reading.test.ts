/**
 * report.html's part of a policy reading (issue #25): each list's verdict with the reference's words and link,
 * the list pages read with the policy, companies named in other roles, SDKs the policy denies and notices — in
 * Chinese with the English beside it marked lang="en", identifiers and links in <code>, and every word that came
 * from the policy, the phone or the tester escaped.
 */
import { describe, expect, it } from 'vitest';
import type { ListReading, PolicySentence, ReadingView } from '../../../../src-preload/policy.js';
import { readingSection } from '../../../../src-main/core/evidence/report-html.js';

const HOSTILE = '<img src=x onerror="alert(1)">';
const list = (l: Partial<ListReading>): ListReading => ({ verdict: 'absent', reference: null, present: false, referencedOnly: false, form: null, sentence: null, fields: { type: false, purpose: false, scenario: false, method: null }, ...l });

const sentences = new Map<number, PolicySentence>([
  [3, { index: 3, line: 7, text: `支付功能由${HOSTILE}支付宝提供，详见其隐私政策。`, role: 'other' }],
  [5, { index: 5, line: 9, text: '我们不会接入个推SDK。', role: 'negates' }],
]);

const reading: ReadingView = {
  twoLists: {
    collected: list({ verdict: 'referenced', referencedOnly: true, sentence: 2, reference: { sentence: 2, text: `详见《已收集个人信息清单》${HOSTILE}`, url: 'https://example.test/list?a=1&b="2"' } }),
    shared: list({ verdict: 'present', present: true, form: 'table', sentence: 12, fields: { type: true, purpose: true, scenario: true, method: true } }),
  },
  companies: [{ vendor: '支付宝（中国）网络技术有限公司', term: `支付宝${HOSTILE}`, role: 'service-provider', sentences: [3] }],
  deniedSdks: [{ id: 'getui', term: '个推SDK', sentence: 5 }],
  operator: `资讯示例${HOSTILE}`,
  notices: [{ code: 'english-only', message: { zh: '政策只有英文<b>', en: 'The policy is in English only <b>' } }],
  listPages: [{ seq: 38, list: 'shared', from: 'phone', origin: 'VPHONE1301 com.demo.news', reference: `详见《第三方信息共享清单》${HOSTILE}`, tapped: `《第三方信息共享清单》${HOSTILE}`, chars: 420, problem: null }],
};

describe('the reading in report.html', () => {
  const html = readingSection(reading, sentences, new Set([38]));

  it('says each list\'s verdict in both languages, with the words and link of a list that is only referenced', () => {
    expect(html).toMatch(/已收集个人信息清单<br><span class="en" lang="en">Collected-PI list<\/span><\/td><td class="warn">仅被引用（须采集该页面） \/ <span class="en" lang="en">only referenced \(that page must be captured\)<\/span>/);
    expect(html).toContain('政策原文 / <span class="en" lang="en">the policy says</span>: “<span class="quote" lang="">详见《已收集个人信息清单》&#60;img src=x onerror=&#34;alert(1)&#34;&#62;</span>”');
    expect(html).toContain('<code>https://example.test/list?a=1&#38;b=&#34;2&#34;</code>');
    expect(html).toMatch(/与第三方共享个人信息清单<br><span class="en" lang="en">Third-party sharing list<\/span><\/td><td>政策中有 \/ <span class="en" lang="en">in the policy<\/span><\/td>/);
  });

  it('lists the list pages read with the policy, linked to their events, with how each was opened', () => {
    expect(html).toContain('<a href="#e38">#38</a>');
    expect(html).toContain('手机 / <span class="en" lang="en">phone</span>: <code>VPHONE1301 com.demo.news</code>');
    expect(html).toContain('点击“<span class="quote" lang="">《第三方信息共享清单》&#60;img src=x onerror=&#34;alert(1)&#34;&#62;</span>”打开');
  });

  it('shows companies named in other roles as needing the tester, with their role and sentence; denied SDKs with their id in <code>; notices', () => {
    expect(html).toContain('提到的公司（未写明SDK，需人工核对） / <span class="en" lang="en">Companies named, SDK not named — check</span>');
    expect(html).toContain('<td><span class="quote" lang="">支付宝&#60;img src=x onerror=&#34;alert(1)&#34;&#62;</span><br><small class="quote" lang="">支付宝（中国）网络技术有限公司</small></td><td>某项功能的服务提供方<br><span class="en" lang="en">provider of a function</span></td>');
    expect(html).toContain('政策第 7 行 / <span class="en" lang="en">policy line 7</span>: “<span class="quote" lang="">支付功能由&#60;img');
    expect(html).toContain('<li><code>getui</code> <span class="quote" lang="">个推SDK</span><br><small>政策第 9 行');
    expect(html).toContain('<li class="warn">政策只有英文&#60;b&#62;<br><span class="en" lang="en">The policy is in English only &#60;b&#62;</span></li>');
    expect(html).toContain('运营方 / <span class="en" lang="en">Operator</span>: <span class="quote" lang="">资讯示例&#60;img');
  });

  it('carries no markup from the policy', () => {
    expect(html).not.toMatch(/<img|<b>|onerror="/);
    // Every English label is marked as English.
    for (const m of html.matchAll(/<span class="en"( lang="en")?>/g)) expect(m[1]).toBe(' lang="en"');
  });

  it('leaves out the parts a reading does not have', () => {
    const bare = readingSection({ ...reading, companies: [], deniedSdks: [], notices: [], listPages: [], operator: null }, sentences, new Set());
    expect(bare).not.toMatch(/提到的公司|政策称未接入|关于政策文本|已采集的清单页面|运营方/);
    expect(bare).toContain('双清单 / <span class="en" lang="en">The two lists</span>');
  });
});
