// The shipped knowledge bases validate against their full schemas and cover what labs meet daily.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../../src-main/core/apk/index.js';
import { permissionKbSchema, sdkDbSchema } from '../../../../src-main/core/apk/knowledge-schema.js';
import { policyKnowledge } from '../../../../src-main/core/policy/policy-knowledge.js';

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
});
