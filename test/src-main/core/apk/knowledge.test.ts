// The shipped knowledge bases validate against their full schemas and cover what labs meet daily.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../../src-main/core/apk/index.js';
import { permissionKbSchema, sdkDbSchema } from '../../../../src-main/core/apk/knowledge-schema.js';

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
