// The shipped knowledge bases validate against their full schemas and cover what labs meet daily.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../../src-main/core/apk/index.js';
import { permissionKbSchema, sdkDbSchema } from '../../../../src-main/core/apk/knowledge-schema.js';
import { policyKnowledge } from '../../../../src-main/core/policy/policy-knowledge.js';
import { readPolicy } from '../../../../src-main/core/policy/read-policy.js';

describe('knowledge bases', () => {
  const kb = loadKnowledge();
  it('every shipped file passes its full schema (loading checks only the shape, for speed)', () => {
    expect(permissionKbSchema.safeParse(kb.permissions).error).toBeUndefined();
    expect(sdkDbSchema.safeParse(kb.sdks).error).toBeUndefined();
  });
  it('a damaged install is refused with what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-'));
    writeFileSync(join(dir, 'permissions.json'), '{"permissions": []}');
    writeFileSync(join(dir, 'sdk-signatures.json'), '{"note": "truncated"');
    expect(() => loadKnowledge(dir)).toThrow(/cannot be read.*reinstall/);
  });
  it('SDK signatures: at least 80, each with a public source, including the Chinese SDKs labs meet daily', () => {
    expect(kb.sdks.sdks.length).toBeGreaterThanOrEqual(80);
    for (const s of kb.sdks.sdks) expect(s.source).toMatch(/^https?:\/\//);
    const ids = new Set(kb.sdks.sdks.map((s) => s.id));
    for (const id of ['umeng-analytics', 'jpush', 'jcore', 'getui', 'bugly', 'pangle-csj', 'tencent-gdt', 'baidu-mobads', 'baidu-mobstat', 'baidu-location', 'amap-location',
      'alipay', 'wechat-opensdk', 'weibo', 'xiaomi-push', 'huawei-push', 'oppo-push', 'vivo-push', 'meizu-push', 'honor-push', 'kuaishou-ads', 'sensorsdata', 'growingio',
      'talkingdata', 'mob-sharesdk', 'tencent-tbs', 'iflytek-msc', 'firebase-analytics', 'google-admob', 'facebook-sdk', 'appsflyer', 'adjust']) expect(ids.has(id), id).toBe(true);
    const prefixes = kb.sdks.sdks.flatMap((s) => s.classPrefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
  it('permissions: every dangerous permission has a PI category, zh/en text and its app ops', () => {
    const dangerous = kb.permissions.permissions.filter((p) => p.protectionLevel === 'dangerous');
    expect(dangerous.length).toBeGreaterThanOrEqual(35);
    for (const p of kb.permissions.permissions) expect(kb.permissions.categories[p.category], p.name).toBeDefined();
    expect(kb.permissions.permissions.find((p) => p.name === 'android.permission.READ_PHONE_STATE')).toMatchObject({ category: 'phone', appOps: ['READ_PHONE_STATE', 'READ_DEVICE_IDENTIFIERS'] });
  });
});

/**
 * Class prefixes of two segments, allowed because the second segment is the SDK vendor's own name or reverse
 * domain, used by no other SDK (each from the entry's source). Any other prefix needs three segments: a bare
 * `com.tencent.` or `com.google.` would take every app of those companies for an SDK.
 */
const TWO_SEGMENT_PREFIXES = new Set([
  // Chinese vendors
  'cn.jiguang.', 'cn.sharesdk.', 'cn.smssdk.', 'cn.thinkingdata.', 'cn.udesk.', 'com.alimama.', 'com.analysys.', 'com.autonavi.',
  'com.getui.', 'com.hyphenate.', 'com.igexin.', 'com.ishumei.', 'com.jdpaysdk.', 'com.unionpay.', 'net.youmi.',
  // AMap's location SDK ships its obfuscated classes under com.loc (amap-location's source).
  'com.loc.',
  // foreign vendors
  'com.adcolony.', 'com.aihelp.', 'com.amplitude.', 'com.appboy', 'com.appdynamics.', 'com.applovin.', 'com.appnext.', 'com.appodealx.',
  'com.appsflyer.', 'com.apptentive.', 'com.braze.', 'com.bugsnag.', 'com.clevertap.', 'com.comscore.', 'com.crashlytics.', 'com.criteo.',
  'com.flurry.', 'com.fyber.', 'com.heapanalytics', 'com.helpshift', 'com.inmobi.', 'com.instabug.', 'com.ironsource.', 'com.leanplum.',
  'com.moengage.', 'com.mopub.', 'com.mparticle', 'com.onesignal.', 'com.outbrain.', 'com.pushwoosh', 'com.smaato.', 'com.smartadserver.',
  'com.snowplowanalytics.', 'com.sponsorpay', 'com.startapp.', 'com.taboola.', 'com.tapjoy.', 'com.urbanairship', 'com.uxcam.', 'com.vungle.',
  'in.inmobi.', 'io.airbridge.', 'io.bidmachine.', 'io.presage.', 'io.sentry.', 'net.hockeyapp.',
]);

const segments = (prefix: string): number => prefix.split('.').filter(Boolean).length;

describe('SDK knowledge base for policies and APKs (#25)', () => {
  const { sdks } = loadKnowledge().sdks;
  const { dictionary } = policyKnowledge();

  it('holds at least 250 SDKs with unique ids, each with a source URL', () => {
    expect(sdks.length).toBeGreaterThanOrEqual(250);
    expect(new Set(sdks.map((s) => s.id)).size).toBe(sdks.length);
    for (const s of sdks) expect(s.source, s.id).toMatch(/^https?:\/\/\S+$/);
  });

  it('no class prefix is shorter than three segments unless allowed for its vendor-owned name', () => {
    const prefixes = sdks.flatMap((s) => s.classPrefixes);
    const short = prefixes.filter((p) => segments(p) < 3 && !TWO_SEGMENT_PREFIXES.has(p));
    expect(short).toEqual([]);
    expect([...TWO_SEGMENT_PREFIXES].filter((p) => !prefixes.includes(p)), 'allowed but unused').toEqual([]);
  });

  it('no class prefix is shared, or nested inside another, by SDKs of different vendors', () => {
    const all = sdks.flatMap((s) => s.classPrefixes.map((prefix) => ({ prefix, id: s.id, vendor: s.vendor })));
    const clashes: string[] = [];
    for (const a of all) {
      for (const b of all) {
        if (a.id === b.id || !b.prefix.startsWith(a.prefix)) continue;
        if (a.prefix === b.prefix || a.vendor !== b.vendor) clashes.push(`${a.prefix} (${a.id}) / ${b.prefix} (${b.id})`);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('what each SDK collects is a PI dictionary category', () => {
    const categories = new Set(Object.keys(dictionary.categories));
    const unknown = sdks.flatMap((s) => s.collects.filter((c) => !categories.has(c)).map((c) => `${s.id}: ${c}`));
    expect(unknown).toEqual([]);
  });

  it('every vendor has its names in vendorAliases, aliases name known SDKs, and no alias is a URL fragment', () => {
    const missing = [...new Set(sdks.map((s) => s.vendor))].filter((v) => !dictionary.vendorAliases[v]?.length);
    expect(missing).toEqual([]);
    const ids = new Set(sdks.map((s) => s.id));
    expect(Object.keys(dictionary.sdkAliases).filter((id) => !ids.has(id))).toEqual([]);
    const urlLike = /:\/\/|\/|^[\w-]+(\.[\w-]+)+$|\.(com|cn|net|org|io)\b/i;
    const aliases = [...Object.values(dictionary.sdkAliases), ...Object.values(dictionary.vendorAliases)].flat();
    expect(aliases.filter((a) => urlLike.test(a))).toEqual([]);
    // One company per name: an alias under two vendors, or naming another vendor, would give its SDKs to the wrong company.
    const owners = new Map<string, Set<string>>();
    for (const [vendor, names] of Object.entries(dictionary.vendorAliases)) {
      for (const n of [vendor, ...names]) owners.set(n.toLowerCase(), (owners.get(n.toLowerCase()) ?? new Set()).add(vendor));
    }
    expect([...owners].filter(([, v]) => v.size > 1).map(([n]) => n)).toEqual([]);
  });
  it('the policy reader finds SDKs under the names real policies write (forms from test/fixtures/real-policies)', () => {
    const forms: Array<[string, string]> = [
      ['华为PUSH', 'huawei-push'], ['华为通道SDK', 'huawei-push'], ['华为消息服务', 'huawei-push'], ['小米消息推送SDK', 'xiaomi-push'],
      ['OPPO通道SDK', 'oppo-push'], ['OPUSH SDK', 'oppo-push'], ['vivo通道SDK', 'vivo-push'], ['荣耀PUSH SDK', 'honor-push'], ['魅族通道SDK', 'meizu-push'],
      ['友盟+移动统计SDK', 'umeng-analytics'], ['极光 推送', 'jpush'], ['QQ分享', 'tencent-qq'], ['微博登录', 'weibo'], ['微信Open SDK', 'wechat-opensdk'],
      ['支付宝客户端 SDK', 'alipay'], ['APP支付客户端SDK', 'alipay'], ['移动一键登录SDK', 'cmcc-auth'], ['电信一键登录SDK', 'ctcc-auth'],
      ['联通一键登录SDK', 'cucc-auth'], ['中国移动一键登录', 'cmcc-auth'], ['网易一键登录', 'netease-quicklogin'], ['阿里云号码认证SDK', 'aliyun-number-auth'],
      ['鲸鸿动能SDK', 'huawei-ads'], ['米盟广告SDK', 'xiaomi-mimo'], ['OPPO联盟广告SDK', 'oppo-ads'], ['VIVO流量联盟SDK', 'vivo-ads'],
      ['华为联运SDK', 'huawei-game'], ['小米游戏联运SDK', 'xiaomi-game'], ['VIVO-联运SDK', 'vivo-game'], ['抖音SDK', 'douyin-opensdk'],
      ['小红书分享SDK', 'xiaohongshu-share'], ['钉钉开放平台', 'dingtalk-share'], ['腾讯图灵盾风险识别SDK', 'tencent-turing'], ['网易易盾SDK', 'netease-yidun'],
      ['Udesk SDK', 'udesk'], ['听云 APM', 'tingyun'], ['商汤OCR SDK', 'sensetime'], ['美摄SDK', 'meishe'], ['易观方舟SDK', 'analysys-ark'],
      ['热云SDK', 'reyun-trackingio'], ['梆梆安全', 'bangcle'], ['爱加密', 'ijiami'], ['阿里云反劫持SDK', 'aliyun-httpdns'], ['京东联盟', 'jd-kepler'],
      ['腾讯云慧眼人脸核身SDK', 'tencent-faceid'], ['ThinkingAnalytics SDK', 'thinkingdata'], ['乐播SDK', 'hpplay-lebo'], ['阿里云播放器SDK', 'aliyun-player'],
    ];
    const wrong = forms.filter(([form, id]) => !readPolicy(`我们接入了${form}，用于提供相应功能，会收集您的设备信息。`).sdks.some((s) => s.id === id));
    expect(wrong).toEqual([]);
  });
});
