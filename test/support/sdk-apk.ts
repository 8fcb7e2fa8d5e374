/** The SDK-bearing test APK: a real manifest (appium's test APK) with 友盟统计, 极光推送, 优量汇 by class and Bugly by native library. */
import { readFileSync } from 'node:fs';
import { ZipReader } from '../../src-main/core/apk/index.js';
import { buildDex } from './dex-builder.js';
import { TEST_APKS } from './virtual-phone.js';
import { buildZip } from './zip-builder.js';

export function sdkApk(): Buffer {
  const manifest = new ZipReader(readFileSync(TEST_APKS.androidTest)).read('AndroidManifest.xml', 1 << 20);
  const dex = buildDex(['Lcom/umeng/analytics/MobclickAgent;', 'Lcom/umeng/commonsdk/UMConfigure;', 'Lcn/jpush/android/api/JPushInterface;', 'Lcom/qq/e/ads/banner2/UnifiedBannerView;', 'Lcom/example/app/Main;']);
  return buildZip([{ name: 'AndroidManifest.xml', data: manifest }, { name: 'classes.dex', data: dex }, { name: 'lib/arm64-v8a/libBugly.so', data: Buffer.from('elf') }]);
}

/** An APK with the same real manifest and a DEX holding exactly the given classes ("com.tencent.bugly.crashreport.CrashReport"). */
export function apkWithClasses(classes: string[]): Buffer {
  const manifest = new ZipReader(readFileSync(TEST_APKS.androidTest)).read('AndroidManifest.xml', 1 << 20);
  const dex = buildDex([...classes, 'com.example.app.Main'].map((c) => `L${c.replace(/\./g, '/')};`));
  return buildZip([{ name: 'AndroidManifest.xml', data: manifest }, { name: 'classes.dex', data: dex }]);
}
