/**
 * What an SDK's name means by the words beside it, in the forms the real-policy corpus showed (issue #25):
 * a login name followed by what is logged into names the account, not the login SDK; a product named as a
 * service provider with no SDK in the sentence is a company; a maps brand in a sentence about locating the user
 * means the vendor's location SDK; a line that is only an SDK's name is a list entry; a payment institution
 * ("银联", "QQ钱包") named among others is no SDK; the function a company's SDK serves is not read out of
 * another product's name ("支付宝SDK" names no payment function of 华为).
 */
import { describe, expect, it } from 'vitest';
import { readPolicy } from '../../../../src-main/core/policy/read-policy.js';

const sdkIds = (text: string): string[] => readPolicy(text).sdks.map((s) => s.id);
const companies = (text: string) => readPolicy(text).companies.map((c) => `${c.term}:${c.role}`);

describe('what an SDK name means by the words beside it', () => {
  it('"QQ登录当当网" / "使用抖音登录多闪" name the account used; "微信登录功能" and "“QQ登录”" name the login SDK', () => {
    expect(sdkIds('您也可以使用第三方账户如微信、QQ登录当当网。')).toEqual([]);
    expect(sdkIds('当您使用抖音登录多闪时，我们会将您在抖音账号中的昵称、头像与多闪共享。')).toEqual([]);
    expect(companies('当您使用抖音登录多闪时，我们会将您在抖音账号中的昵称、头像与多闪共享。')).toContain('抖音登录:other');
    expect(sdkIds('当您使用QQ登录功能时，我们会收集您的QQ头像和昵称。')).toEqual(['tencent-qq']);
    expect(sdkIds('如果您选择使用“QQ登录”，我们会获取您的OpenID。')).toEqual(['tencent-qq']);
    expect(sdkIds('在QQ登录页面，我们会收集您的QQ头像和昵称。')).toEqual(['tencent-qq']);
  });

  it('a product in brackets after 服务提供商 with no SDK in the sentence is a provider; with an SDK, the SDK it means', () => {
    const provider = '我们会将您去标识化的位置信息，交由定位服务提供商（高德地图），用以为您提供更精准的定位。';
    expect(sdkIds(provider)).toEqual([]);
    expect(companies(provider)).toContain('高德地图:service-provider');
    expect(sdkIds('当您使用地理位置相关服务时，我们会通过SDK将GPS信息与位置服务提供商（高德地图）进行共享。')).toEqual(['amap-location']);
  });

  it('a maps brand in a sentence about locating the user means the location SDK; "…地图 SDK" or a sentence about maps, the map SDK', () => {
    expect(sdkIds('高德地图：为了提供定位、导航等基于位置的相关服务，我们的产品可能会集成第三方的SDK，例如高德SDK。')).toEqual(['amap-location']);
    expect(sdkIds('我们接入了基于地图服务的百度地图SDK，会申请您的位置信息。')).toEqual(['baidu-map']);
    expect(sdkIds('高德地图 | 位置信息 | 为您展示地图')).toEqual(['amap-map']);
  });

  it('the role words right before a company decide location or map: "第三方地理位置服务商高德、百度…SDK"', () => {
    expect(sdkIds('为给您提供位置服务，第三方地理位置服务商高德、百度SDK会收集您的设备信息及地理位置信息以便可以向您展示基于地图的信息服务。'))
      .toEqual(['amap-location', 'baidu-location']);
  });

  it('a line that is only an SDK name is one entry of a list laid out cell by cell', () => {
    expect(sdkIds('VIVO-联运SDK\n维沃移动通信有限公司\n登录、支付、推送\n\nOAID SDK\n移动安全联盟')).toEqual(['miit-oaid', 'vivo-game']);
  });

  it('银联, 云闪付 and QQ钱包 named as payment institutions or channels declare no SDK; "银联SDK" does', () => {
    expect(sdkIds('小猪会和您选择的支付方式关联的第三方支付机构（包括支付宝、微信、银联、招商银行等）收集您的第三方账户账号。')).toEqual([]);
    expect(sdkIds('您可以选择与我们合作的第三方支付机构（包括云闪付、Apple Pay及银联）所提供的支付服务。')).toEqual([]);
    expect(sdkIds('我们可能会收集您的第三方支付渠道的user ID（例如QQ钱包open ID）。')).toEqual([]);
    expect(sdkIds('消费功能通过支付宝SDK、银联SDK实现。')).toEqual(['alipay', 'unionpay']);
  });

  it('"消费功能通过华为SDK、…支付宝SDK实现": 支付 inside another product\'s name is no payment function of 华为', () => {
    expect(sdkIds('消费功能通过华为SDK、支付宝SDK实现。')).toEqual(['alipay']);
    expect(sdkIds('为了完成支付，我们接入了华为SDK。')).toEqual(['huawei-iap']);
  });

  it('one unpunctuated sentence dense with such names reads in linear time: 8x the text takes about 8x, not 64x', () => {
    // Every rule above asks its sentence-wide question (SDK said? about locating? which functions?) once per sentence.
    const unit = '交由定位服务提供商（高德地图）、百度地图、使用抖音登录多闪、华为SDK、支付宝SDK、';
    const dense = (chars: number): string => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);
    const bestOf3 = (text: string): number => Math.min(...[0, 1, 2].map(() => {
      const t0 = performance.now();
      readPolicy(text);
      return performance.now() - t0;
    }));
    readPolicy(dense(2_000));
    const small = bestOf3(dense(20_000));
    const large = bestOf3(dense(160_000));
    // Linear is 8x; a question asked of the whole sentence per name made it 64x. A wide margin for a busy machine.
    expect(large / Math.max(small, 5)).toBeLessThan(24);
    expect(large).toBeLessThan(10_000);
  }, 120_000);
});
