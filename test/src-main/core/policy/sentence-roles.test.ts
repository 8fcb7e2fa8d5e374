/**
 * Issue #25's mentions that declare nothing, one rule each, on sentences shaped like the real policies': the
 * definitions section, the app's own account, SMS as a channel, a customer-service call record, Wi-Fi /
 * Bluetooth / cell as sources of location, the company's own address, what the app will NOT share, a negated
 * SDK; and tables whose cells are separated by tabs or wide runs of spaces, read as rows under their header.
 */
import { describe, expect, it } from 'vitest';
import { policyTextFromBytes } from '../../../../src-main/core/policy/policy-text.js';
import { readPolicy } from '../../../../src-main/core/policy/read-policy.js';

const declared = (text: string): string[] => readPolicy(text).pi.filter((p) => p.declared).map((p) => p.category);

describe('sentences that only mention', () => {
  it('each declares nothing of what it names (and the collecting sentence beside it still declares)', () => {
    const cases: Array<[string, string[]]> = [
      ['个人敏感信息是指一旦泄露、非法提供或滥用可能危害人身和财产安全的个人信息。本政策中涉及的个人敏感信息包括：身份证件号码、生物识别信息、通讯录、通话记录、行踪轨迹。', []],
      ['当您注册账号时，我们会收集您的账号信息和手机号码。', ['phoneNumber']],
      ['我们会以短信、站内信的方式通知您政策的更新。', []],
      ['当您登录时，我们会向您发送短信验证码，并收集您的手机号码。', ['phoneNumber']],
      ['为了处理您的投诉，我们会保存您与客服的通话记录。', []],
      ['我们会通过GPS、Wi-Fi接入点、蓝牙和基站等传感器信息确定您的位置信息。', ['location']],
      ['如您有任何疑问，可邮寄至以下地址：北京市海淀区某某路1号某某大厦，联系地址：北京市海淀区。', []],
      ['我们不会与第三方共享您的通讯录和位置信息。', []],
      ['您可以在系统设置中关闭相机、麦克风权限，撤回对我们的授权。', []],
    ];
    for (const [text, want] of cases) expect({ text, declared: declared(text) }).toEqual({ text, declared: want });
  });

  it('a negated SDK is denied, not declared; a company named only as a provider, in a link or an address declares nothing', () => {
    const r = readPolicy([
      '本应用未接入个推，也不会使用极光推送。',
      '支付功能由支付宝向您提供服务，详见[《支付宝隐私政策》](https://render.alipay.com/p/privacy)。',
      '联系地址：深圳市南山区腾讯滨海大厦。',
    ].join('\n'));
    expect(r.sdks).toEqual([]);
    expect(r.deniedSdks.map((d) => d.id).sort()).toEqual(['getui', 'jpush']);
    expect(r.companies.map((c) => `${c.term}:${c.role}`).sort()).toEqual(['支付宝:service-provider', '腾讯:address']);
    expect(r.sentences.map((s) => s.role)).toEqual(['negates', 'link', 'contact']);
  });
});

describe('tables whatever separates their cells', () => {
  it('tab-separated and space-aligned tables read as rows under their header', () => {
    for (const sep of ['\t', '    ']) {
      const page = ['与第三方共享个人信息清单', ['SDK名称', '使用目的', '共享个人信息字段', '共享方式'].join(sep), ['极光推送SDK', '消息推送', '设备标识符', 'SDK采集'].join(sep), ['友盟+统计SDK', '统计分析', '设备信息', 'SDK采集'].join(sep)].join('\n');
      const { text } = policyTextFromBytes(Buffer.from(page));
      expect(text.split('\n')[2]).toBe('极光推送SDK | 消息推送 | 设备标识符 | SDK采集');
      const r = readPolicy(text);
      expect(r.twoLists.shared).toMatchObject({ verdict: 'present', form: 'table', fields: { type: true, purpose: true, method: true } });
      expect(r.sentences.map((s) => s.role)).toEqual(['heading', 'list-header', 'list-row', 'list-row']);
      expect(r.sdks.map((s) => s.id)).toEqual(['jpush', 'umeng-analytics']);
    }
  });
});
