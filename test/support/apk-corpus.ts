/**
 * Directories of many APKs for batch tests and benchmarks, made from the public test APKs: small valid APKs
 * each unique (the real manifest, SDK classes, an asset of their own), copies of the real APKs with a zip
 * comment of their own (valid zips whose v2 signature no longer verifies), and hostile files (random bytes,
 * truncated APKs, duplicate manifests, a manifest bomb). Every file has its own SHA-256.
 */
import { linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { ZipReader } from '../../src-main/core/apk/zip-reader.js';
import { buildDex } from './dex-builder.js';
import { TEST_APKS } from './virtual-phone.js';
import { buildZip, withComment } from './zip-builder.js';

const SDK_CLASSES = ['Lcom/umeng/analytics/MobclickAgent;', 'Lcn/jpush/android/api/JPushInterface;', 'Lcom/qq/e/ads/banner2/UnifiedBannerView;', 'Lcom/igexin/sdk/PushManager;', 'Lcom/baidu/location/LocationClient;'];

export type CorpusKind = 'small' | 'real-copy' | 'random' | 'truncated' | 'duplicate' | 'bomb';

/** Writes `count` APKs into `dir`: one hostile file in every `hostileEvery`, real copies every 5th. */
export function buildCorpus(dir: string, count: number, o: { hostileEvery?: number; real?: string } = {}): Array<{ path: string; kind: CorpusKind }> {
  mkdirSync(dir, { recursive: true });
  const real = readFileSync(o.real ?? TEST_APKS.settings);
  const manifest = new ZipReader(readFileSync(TEST_APKS.androidTest)).read('AndroidManifest.xml', 1 << 20);
  const bomb = deflateRawSync(Buffer.alloc(64 << 20));
  const hostileEvery = o.hostileEvery ?? 5;
  const out: Array<{ path: string; kind: CorpusKind }> = [];
  for (let i = 0; i < count; i++) {
    const name = join(dir, `app-${String(i).padStart(5, '0')}.apk`);
    let kind: CorpusKind;
    let bytes: Buffer;
    if (i % hostileEvery === hostileEvery - 1) {
      kind = (['random', 'truncated', 'duplicate', 'bomb'] as const)[Math.floor(i / hostileEvery) % 4]!;
      if (kind === 'random') bytes = Buffer.from(Array.from({ length: 4096 }, (_, k) => (k * 7919 + i * 104729) & 0xff));
      else if (kind === 'truncated') bytes = real.subarray(0, 10_000 + ((i * 7919) % (real.length - 20_000)));
      else if (kind === 'duplicate') bytes = buildZip([{ name: 'AndroidManifest.xml', data: manifest }, { name: 'AndroidManifest.xml', data: Buffer.from(`evil ${i}`) }]);
      else bytes = buildZip([{ name: 'AndroidManifest.xml', deflated: { bytes: bomb, size: 64 << 20, crc: i } }]);
    } else if (i % 5 === 0) {
      kind = 'real-copy';
      bytes = withComment(real, `copy ${i}`);
    } else {
      kind = 'small';
      const classes = [...SDK_CLASSES.filter((_, k) => (i >> k) & 1), `Lcom/example/app${i}/Main;`];
      bytes = buildZip([{ name: 'AndroidManifest.xml', data: manifest }, { name: 'classes.dex', data: buildDex(classes) }, { name: 'assets/id.txt', data: Buffer.from(`app ${i}`), method: 0 }]);
    }
    writeFileSync(name, bytes);
    out.push({ path: name, kind });
  }
  return out;
}

/** `count` hard links to one real APK (copies without the disk space), for throughput runs. */
export function linkCopies(dir: string, source: string, count: number, prefix: string): string[] {
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const p = join(dir, `${prefix}-${String(i).padStart(5, '0')}.apk`);
    linkSync(source, p);
    return p;
  });
}
