/**
 * Issue #25's comparisons with APKs the tests build: a company named only as a service provider (and inside a
 * link's URL) declares none of its SDKs; SDKs listed in a table by product-plus-function names and the
 * carrier's one-click login are declared; an SDK the policy says it does not use, found in the APK, is a
 * finding quoting the negation; the operator's own SDK is first party.
 */
import { describe, expect, it } from 'vitest';
import { analyzeApk } from '../../../../src-main/core/apk/index.js';
import { compare } from '../../../../src-main/core/policy/compare.js';
import { observe } from '../../../../src-main/core/policy/observed.js';
import { readPolicy } from '../../../../src-main/core/policy/read-policy.js';
import { apkWithClasses } from '../../../support/sdk-apk.js';

const observedIn = async (classes: string[]) => observe(await analyzeApk(apkWithClasses(classes), 'app.apk'), null);
const TENCENT = ['com.tencent.bugly.crashreport.CrashReport', 'com.qq.e.ads.banner2.UnifiedBannerView', 'com.tencent.tencentmap.mapsdk.maps.TencentMap'];

describe('comparing a policy with an APK built for it', () => {
  it('a company named only as the provider of a function (and inside a URL) declares none of its SDKs: all three are undeclared, each with a note quoting it', async () => {
    const policy = [
      '一、我们如何收集和使用您的个人信息',
      '当您注册账号时，我们会收集您的手机号码，用于创建账号。',
      '钱包功能由腾讯向您提供服务，您可以查阅[《腾讯隐私政策》](https://privacy.qq.com/tencent/policy)了解其如何处理您的信息。',
      '更多说明见 https://www.tencent.com/zh-cn/privacy-policy.html 。',
    ].join('\n');
    const reading = readPolicy(policy);
    expect(reading.sdks).toEqual([]);
    expect(reading.companies.map((c) => c.role)).toEqual(['service-provider']);
    const c = compare({ reading, policy: null, observed: await observedIn(TENCENT), appType: null });
    expect(c.undeclaredSdks.map((s) => s.name).sort()).toEqual(['腾讯 Bugly', '腾讯优量汇（广点通）', '腾讯地图'].sort());
    for (const row of c.rows.filter((r) => r.kind === 'sdk')) {
      expect(row.status).toBe('observed-undeclared');
      expect(row.note!.zh).toContain('政策提到了公司“腾讯”（作为某项功能的服务提供方），但未写明该 SDK');
      expect(row.note!.en).toContain('names the company "腾讯" (as the provider of a function) but not this SDK');
      expect(row.note!.zh).toContain('钱包功能由腾讯向您提供服务');
      expect(row.evidence.sentences).toEqual([2]);
    }
  });

  it('a sharing-list table of product-plus-function names and carrier one-click login declares each SDK by name', async () => {
    const policy = [
      '三、与第三方共享个人信息清单',
      '| SDK名称 | 场景 | 共享个人信息字段 | 第三方名称 |',
      '|---|---|---|---|',
      '| 微信分享 | 分享内容到微信 | 设备信息 | 深圳市腾讯计算机系统有限公司 |',
      '| QQ登录 | 使用QQ账号登录 | 设备信息 | 深圳市腾讯计算机系统有限公司 |',
      '| 华为推送SDK | 推送消息 | 设备标识符 | 华为软件技术有限公司 |',
      '| 中国移动一键登录 | 本机号码一键登录 | 手机号码、网络类型 | 中移互联网有限公司 |',
    ].join('\n');
    const reading = readPolicy(policy);
    expect(reading.twoLists.shared).toMatchObject({ verdict: 'present', form: 'table', fields: { type: true, scenario: true } });
    expect(reading.sdks.map((s) => `${s.id}:${s.via}`)).toEqual(['cmcc-auth:name', 'huawei-push:name', 'tencent-qq:name', 'wechat-opensdk:name']);
    expect(reading.companies).toEqual([]);
    const c = compare({ reading, policy: null, observed: await observedIn(['com.tencent.mm.opensdk.openapi.WXAPIFactory', 'com.tencent.tauth.Tencent', 'com.huawei.hms.push.HmsMessaging', 'com.cmic.sso.sdk.auth.AuthnHelper']), appType: null });
    expect(c.undeclaredSdks).toEqual([]);
    expect(c.rows.filter((r) => r.kind === 'sdk').map((r) => r.status)).toEqual(['declared-observed', 'declared-observed', 'declared-observed', 'declared-observed']);
  });

  it('an SDK the policy says it does not use, present in the APK, is observed-denied and counted undeclared, quoting the negation', async () => {
    const reading = readPolicy('我们会收集您的设备信息，用于安全保障。\n本应用未接入极光推送，也不会与友盟共享您的个人信息。');
    expect(reading.deniedSdks.map((d) => d.id)).toEqual(['jpush']);
    expect(reading.sdks).toEqual([]);
    const c = compare({ reading, policy: null, observed: await observedIn(['cn.jpush.android.api.JPushInterface']), appType: null });
    const row = c.rows.find((r) => r.key === 'jpush')!;
    expect(row.status).toBe('observed-denied');
    expect(row.evidence.sentences).toEqual([1]);
    expect(row.note!.zh).toContain('本应用未接入极光推送');
    expect(c.undeclaredSdks.map((s) => s.name)).toEqual(['极光推送']);
  });

  it("the operator's own SDK is first party: shown with a note, not an undeclared third party", async () => {
    const reading = readPolicy('本政策由深圳市腾讯计算机系统有限公司提供。\n当您使用QQ登录时，我们会收集您的头像和昵称。');
    expect(reading.operator).toBe('深圳市腾讯计算机系统有限公司');
    expect(reading.sdks).toEqual([]);
    const c = compare({ reading, policy: null, observed: await observedIn(['com.tencent.tauth.Tencent']), appType: null });
    expect(c.undeclaredSdks).toEqual([]);
    expect(c.rows[0]).toMatchObject({ key: 'tencent-qq', status: 'declared-observed', evidence: { sentences: [0, 1] } });
    expect(c.rows[0]!.note!.en).toContain('First-party SDK');
  });
});
