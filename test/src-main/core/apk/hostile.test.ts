// Hostile and malformed APKs (shared/reference/test-data.md) through the real analysis workers: each is
// refused or flagged with a clear message in under 2 s, within the workers' 256 MB heap cap; SDKs are found
// by class, component and native library; 5,000 mutated inputs never crash a parser or take over 1 s.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeflateRaw } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../../src-main/core/errors.js';
import { ZipReader, analyzeApk, analyzeFiles, parseAxml } from '../../../../src-main/core/apk/index.js';
import { dexClassDescriptors } from '../../../../src-main/core/apk/dex.js';
import { readSignatures } from '../../../../src-main/core/apk/signatures.js';
import { buildZip } from '../../../support/zip-builder.js';
import { buildDex } from '../../../support/dex-builder.js';
import { TEST_APKS } from '../../../support/virtual-phone.js';

const realZip = new ZipReader(readFileSync(TEST_APKS.androidTest));
const MANIFEST = realZip.read('AndroidManifest.xml', 1 << 20);
const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
const write = (name: string, bytes: Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

async function zeros(mib: number): Promise<Buffer> {
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((r) => z.on('end', r));
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < mib; i++) if (!z.write(chunk)) await new Promise((r) => z.once('drain', r));
  z.end();
  await done;
  return Buffer.concat(out);
}

/** AXML whose single start element claims a string index far outside the pool. */
function axmlWithBadIndex(): Buffer {
  const buf = Buffer.from(MANIFEST);
  // Find the first start-element chunk (type 0x0102) and point its name at string 0x7fffffff.
  for (let p = 8; p + 8 < buf.length;) {
    const type = buf.readUInt16LE(p);
    const size = buf.readUInt32LE(p + 4);
    if (type === 0x0102) {
      buf.writeUInt32LE(0x7fffffff, p + 16 + 4);
      return buf;
    }
    p += size;
  }
  throw new Error('no start element');
}

function deepAxml(depth: number): Buffer {
  // A string pool with one UTF-8 string "n", then `depth` nested start elements.
  const pool = Buffer.alloc(28 + 4 + 4);
  pool.writeUInt16LE(0x0001, 0); pool.writeUInt16LE(28, 2); pool.writeUInt32LE(pool.length, 4);
  pool.writeUInt32LE(1, 8); pool.writeUInt32LE(0x100, 16); pool.writeUInt32LE(32, 20); pool.writeUInt32LE(0, 28);
  pool.set([1, 1, 0x6e, 0], 32);
  const el = Buffer.alloc(36);
  el.writeUInt16LE(0x0102, 0); el.writeUInt16LE(16, 2); el.writeUInt32LE(36, 4); el.writeUInt32LE(0xffffffff, 16); el.writeUInt32LE(0, 20);
  el.writeUInt16LE(20, 24); el.writeUInt16LE(20, 26); el.writeUInt16LE(0, 28);
  const body = Buffer.concat([pool, ...Array.from({ length: depth }, () => el)]);
  const head = Buffer.alloc(8);
  head.writeUInt16LE(0x0003, 0); head.writeUInt16LE(8, 2); head.writeUInt32LE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}

describe('hostile APKs through the analysis workers', () => {
  it('every case is refused or flagged in under 2 s within the heap cap', async () => {
    const bomb = await zeros(512);
    const cases: Array<[string, Buffer, RegExp]> = [
      ['duplicate-manifest.apk', buildZip([{ name: 'AndroidManifest.xml', data: MANIFEST }, { name: 'AndroidManifest.xml', data: MANIFEST }]), /duplicate entry name/],
      ['manifest-bomb.apk', buildZip([{ name: 'AndroidManifest.xml', deflated: { bytes: bomb, size: 512 * 1024 * 1024, crc: 0 } }]), /inflates beyond the allowed size/],
      ['dex-bomb.apk', buildZip([{ name: 'AndroidManifest.xml', data: MANIFEST }, { name: 'classes.dex', deflated: { bytes: bomb, size: 512 * 1024 * 1024, crc: 0 } }]), /larger than 512 MiB|inflates beyond/],
      ['truncated.apk', readFileSync(TEST_APKS.androidTest).subarray(0, 90_000), /not a zip file|central directory/],
      ['cd-disagrees.apk', buildZip([{ name: 'AndroidManifest.xml', localName: 'AndroidManifest.xmZ', data: MANIFEST }]), /local header disagrees/],
      ['unknown-method.apk', buildZip([{ name: 'AndroidManifest.xml', method: 12, data: MANIFEST }]), /unknown compression method/],
      ['encrypted.apk', buildZip([{ name: 'AndroidManifest.xml', flags: 1, data: MANIFEST }]), /encrypted entry/],
      ['bad-string-index.apk', buildZip([{ name: 'AndroidManifest.xml', data: axmlWithBadIndex() }]), /string index \d+ out of range/],
      ['deep-xml.apk', buildZip([{ name: 'AndroidManifest.xml', data: deepAxml(5000) }]), /nested too deeply/],
      ['wide-xml.apk', buildZip([{ name: 'AndroidManifest.xml', data: deepAxml(1).subarray(0, 0) }]), /not a binary XML document/],
    ];
    const paths = cases.map(([name, bytes]) => write(name, bytes));
    const outcomes = await analyzeFiles(paths, { concurrency: 2, timeoutMs: 10_000, maxHeapMb: 256 });
    outcomes.forEach((o, i) => {
      const [name, , reason] = cases[i]!;
      expect(o.ok, name).toBe(false);
      if (!o.ok) expect(String(o.error.details.message), name).toMatch(reason);
      expect(o.ms, name).toBeLessThan(2000);
      // Measured inside the worker (heap + buffers after each step); the worker's heap is also capped at 256 MB.
      expect(o.peakBytes, name).toBeLessThan(256 * 1024 * 1024);
    });
  }, 60_000);

  it('flags traversal names instead of refusing, and an unsigned APK', async () => {
    const traversal = await analyzeApk(buildZip([{ name: 'AndroidManifest.xml', data: MANIFEST }, { name: '../../evil.so', data: Buffer.from('x') }, { name: '/abs.txt', data: Buffer.from('y') }]), 'traversal.apk');
    expect(traversal.findings).toEqual(['unsafe-name: ../../evil.so', 'unsafe-name: /abs.txt']);
    expect(traversal.signatures.findings[0]).toMatch(/unsigned/);
  });

  it('reads a v1 signature made by openssl and flags Janus when minSdk < 24', () => {
    const keyDir = mkdtempSync(join(tmpdir(), 'v1-'));
    const k = join(keyDir, 'k.pem'), c = join(keyDir, 'c.pem'), d = join(keyDir, 'MANIFEST.MF'), sig = join(keyDir, 'CERT.RSA');
    writeFileSync(d, 'Manifest-Version: 1.0\r\n\r\n');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', k, '-out', c, '-subj', '/C=CN/O=AppRights Test/CN=Janus Test', '-days', '2']);
    execFileSync('openssl', ['smime', '-sign', '-binary', '-nodetach', '-in', d, '-signer', c, '-inkey', k, '-outform', 'DER', '-out', sig]);
    const der = execFileSync('openssl', ['x509', '-in', c, '-outform', 'DER']);
    const apk = buildZip([{ name: 'AndroidManifest.xml', data: MANIFEST }, { name: 'META-INF/MANIFEST.MF', data: readFileSync(d) }, { name: 'META-INF/CERT.RSA', data: readFileSync(sig) }]);
    const zip = new ZipReader(apk);
    const old = readSignatures(apk, zip, { minSdk: 21, targetSdk: null });
    expect(old.schemes).toEqual(['v1']);
    expect(old.janusRisk).toBe(true);
    expect(old.certificates).toHaveLength(1);
    expect(old.certificates[0]).toMatchObject({ subject: 'CN=Janus Test, O=AppRights Test, C=CN', debugKey: false, aospTestKey: false, sha256: createHash('sha256').update(der).digest('hex') });
    expect(readSignatures(apk, zip, { minSdk: 24, targetSdk: null }).janusRisk).toBe(false);
  });

  it('finds SDKs by DEX class prefix, manifest component and native library', async () => {
    const dex = buildDex(['Lcom/umeng/analytics/MobclickAgent;', 'Lcom/umeng/commonsdk/UMConfigure;', 'Lcn/jpush/android/api/JPushInterface;', 'Lcom/qq/e/ads/banner2/UnifiedBannerView;', 'Lcom/example/app/Main;']);
    const a = await analyzeApk(buildZip([{ name: 'AndroidManifest.xml', data: MANIFEST }, { name: 'classes.dex', data: dex }, { name: 'lib/arm64-v8a/libBugly.so', data: Buffer.from('elf') }]), 'sdks.apk');
    expect(a.dex).toEqual({ files: 1, classes: 5 });
    expect(a.sdks.map((s) => s.id).sort()).toEqual(['bugly', 'jpush', 'tencent-gdt', 'umeng-analytics']);
    expect(a.sdks.find((s) => s.id === 'umeng-analytics')).toMatchObject({ category: 'analytics', name: { zh: '友盟+ 统计' }, evidence: { classes: 2 } });
    expect(a.sdks.find((s) => s.id === 'bugly')!.evidence.nativeLibraries).toEqual(['libBugly.so']);
    expect(a.nativeLibraries).toEqual(['libBugly.so']);
  });
});

describe('fuzzing', () => {
  // A deterministic generator, so a failure reproduces.
  let seed = 0x9e3779b9;
  const rand = (n: number): number => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const mutate = (src: Buffer): Buffer => {
    const b = Buffer.from(src);
    const kind = rand(4);
    if (kind === 0) for (let i = 0; i < 1 + rand(8); i++) b[rand(b.length)] = rand(256);
    if (kind === 1) for (let i = 0; i < 1 + rand(4); i++) b.writeUInt32LE(rand(0xffffffff), rand(Math.max(1, b.length - 4)));
    if (kind === 2) return b.subarray(0, rand(b.length));
    if (kind === 3) return Buffer.concat([b.subarray(0, rand(b.length)), Buffer.alloc(rand(64), rand(256)), b.subarray(rand(b.length))]);
    return b;
  };
  const smallDex = buildDex(Array.from({ length: 40 }, (_, i) => `Lcom/fuzz/C${i};`));
  const smallApk = buildZip([{ name: 'AndroidManifest.xml', data: MANIFEST }, { name: 'classes.dex', data: smallDex }]);

  it('5,000 mutated AXML, DEX and APK inputs: only clean refusals, none over 1 s', async () => {
    const targets: Array<[string, Buffer, (b: Buffer) => unknown, number]> = [
      ['AXML', MANIFEST, (b) => parseAxml(b), 2000],
      ['DEX', smallDex, (b) => dexClassDescriptors(b), 1500],
      ['APK', smallApk, (b) => analyzeApk(b, 'fuzz.apk'), 1500],
    ];
    let slowest = 0;
    let refused = 0;
    for (const [name, src, parse, count] of targets) {
      for (let i = 0; i < count; i++) {
        const input = mutate(src);
        const t = performance.now();
        try {
          await parse(input);
        } catch (err) {
          if (!(err instanceof WorkbenchError)) throw new Error(`${name} #${i}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} (input ${input.toString('base64').slice(0, 120)}…)`);
          refused++;
        }
        slowest = Math.max(slowest, performance.now() - t);
      }
    }
    expect(slowest).toBeLessThan(1000);
    expect(refused).toBeGreaterThan(100);
  }, 120_000);

  it('1,000 amplification mutations (shared string offsets, shared class descriptors): bounded time and memory', () => {
    // AXML: every string offset of the pool made the same; DEX: every class names the same type, whose
    // string is moved to a random place (often a long run without a terminator).
    const poolAt = 8;
    const count = MANIFEST.readUInt32LE(poolAt + 8);
    const headerSize = MANIFEST.readUInt16LE(poolAt + 2);
    const axml = (): Buffer => {
      const b = Buffer.from(MANIFEST);
      const off = b.readUInt32LE(poolAt + headerSize + rand(count) * 4);
      for (let i = 0; i < count; i++) b.writeUInt32LE(off, poolAt + headerSize + i * 4);
      return b;
    };
    const big = buildDex(Array.from({ length: 2000 }, (_, i) => `Lcom/fuzz/C${i};`));
    const dex = (): Buffer => {
      const b = Buffer.concat([big, Buffer.alloc(rand(2) ? 200_000 : 10, 0x41)]);
      const classDefs = b.readUInt32LE(0x64);
      const type = rand(b.readUInt32LE(0x40));
      for (let i = 0; i < b.readUInt32LE(0x60); i++) b.writeUInt32LE(type, classDefs + i * 32);
      const strIdx = b.readUInt32LE(b.readUInt32LE(0x44) + type * 4);
      b.writeUInt32LE(big.length - rand(64), b.readUInt32LE(0x3c) + strIdx * 4);
      return b;
    };
    const heap = process.memoryUsage().heapUsed;
    let slowest = 0;
    for (let i = 0; i < 1000; i++) {
      const [input, parse] = i % 2 ? [axml(), (b: Buffer) => parseAxml(b)] as const : [dex(), (b: Buffer) => dexClassDescriptors(b)] as const;
      const t = performance.now();
      try {
        parse(input);
      } catch (err) {
        if (!(err instanceof WorkbenchError)) throw err;
      }
      slowest = Math.max(slowest, performance.now() - t);
    }
    expect(slowest).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(256 * 1024 * 1024);
  }, 120_000);
});

describe('one analysis pool for the whole process', () => {
  it('40 concurrent requests never run more analysis workers than there are cores', async () => {
    const { analysisWorkers } = await import('../../../../src-main/core/apk/analysis-pool.js');
    const { availableParallelism } = await import('node:os');
    const { TEST_APKS } = await import('../../../support/virtual-phone.js');
    analysisWorkers.peak = analysisWorkers.live;
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => analyzeFiles([TEST_APKS.settings], { timeoutMs: 60_000 })));
    expect(outcomes.flat().every((o) => o.ok)).toBe(true);
    expect(analysisWorkers.peak).toBeLessThanOrEqual(availableParallelism());
    await new Promise((r) => setTimeout(r, 200));
    expect(analysisWorkers.live).toBe(0);
  }, 120_000);
});

/** AXML whose string pool has a million entries all pointing at one 1.5-million-character string. */
function amplifiedStringPool(): Buffer {
  const count = 1_000_000;
  const chars = 1_500_000;
  const strings = Buffer.alloc(4 + chars * 2 + 2, 0x41);
  strings.writeUInt16LE(0x8000 | (chars >>> 16), 0);
  strings.writeUInt16LE(chars & 0xffff, 2);
  for (let i = 4; i < strings.length; i += 2) strings.writeUInt16LE(0x41, i);
  const header = Buffer.alloc(28);
  const offsets = Buffer.alloc(count * 4);
  header.writeUInt16LE(0x0001, 0); header.writeUInt16LE(28, 2); header.writeUInt32LE(28 + offsets.length + strings.length, 4);
  header.writeUInt32LE(count, 8); header.writeUInt32LE(0, 12); header.writeUInt32LE(0, 16); header.writeUInt32LE(28 + offsets.length, 20);
  const pool = Buffer.concat([header, offsets, strings]);
  const doc = Buffer.alloc(8);
  doc.writeUInt16LE(0x0003, 0); doc.writeUInt16LE(8, 2); doc.writeUInt32LE(8 + pool.length, 4);
  return Buffer.concat([doc, pool]);
}

/** A DEX whose 300,000 class definitions all name one 40 MB "descriptor" (12 TB if each were materialised). */
function amplifiedDex(): Buffer {
  const classes = 300_000;
  const head = Buffer.alloc(0x70);
  head.write('dex\n035\0', 0, 'latin1');
  const stringIds = 0x70, typeIds = stringIds + 4, classDefs = typeIds + 4, data = classDefs + classes * 32;
  head.writeUInt32LE(1, 0x38); head.writeUInt32LE(stringIds, 0x3c);
  head.writeUInt32LE(1, 0x40); head.writeUInt32LE(typeIds, 0x44);
  head.writeUInt32LE(classes, 0x60); head.writeUInt32LE(classDefs, 0x64);
  const ids = Buffer.alloc(8);
  ids.writeUInt32LE(data, 0);
  ids.writeUInt32LE(0, 4);
  const body = Buffer.alloc(classes * 32);
  const str = Buffer.alloc(1 + 40 * 1024 * 1024 + 1, 0x41);
  str[0] = 0x7f;
  str[str.length - 1] = 0;
  return Buffer.concat([head, ids, body, str]);
}

describe('amplification: a few KB that would decode into gigabytes', () => {
  it('a shared string pool entry and a shared DEX descriptor are refused in seconds, without exhausting memory', async () => {
    const { deflateRawSync, crc32 } = await import('node:zlib');
    const deflated = (data: Buffer) => ({ bytes: deflateRawSync(data, { level: 9 }), size: data.length, crc: crc32(data) });
    const pool = amplifiedStringPool();
    const dex = amplifiedDex();
    const apks = [
      write('pool-amplification.apk', buildZip([{ name: 'AndroidManifest.xml', deflated: deflated(pool) }])),
      write('dex-amplification.apk', buildZip([{ name: 'AndroidManifest.xml', data: MANIFEST }, { name: 'classes.dex', deflated: deflated(dex) }])),
    ];
    for (const p of apks) expect(readFileSync(p).length).toBeLessThan(400 * 1024);
    const outcomes = await analyzeFiles(apks, { concurrency: 1, timeoutMs: 20_000 });
    expect(outcomes[0]).toMatchObject({ ok: false });
    const refusal = (o: (typeof outcomes)[number] | undefined): string => (o && !o.ok ? String(o.error.details.message) : '');
    expect(refusal(outcomes[0])).toMatch(/a string of 1500000 characters/);
    // The DEX cannot be read; the analysis says so and goes on without its classes.
    expect(outcomes[1]!.ok).toBe(true);
    expect(outcomes[1]!.ok && outcomes[1]!.analysis.findings.join(' ')).toMatch(/class descriptor longer than 4096 bytes/);
    for (const o of outcomes) {
      expect(o.ms).toBeLessThan(5000);
      expect(o.peakBytes ?? 0).toBeLessThan(512 * 1024 * 1024);
    }
  }, 60_000);

  it('an analysis that runs out of memory ends alone: its child process, not the workbench', async () => {
    // 450,000 classes (within the reader's caps) in a child whose heap is 16 MB: the child dies of it, the caller
    // gets a refusal and goes on.
    const many = Array.from({ length: 450_000 }, (_, i) => `Lcom/example/generated/package${i % 97}/GeneratedClassNumber${i};`);
    const file = join(mkdtempSync(join(tmpdir(), 'oom-')), 'many-classes.apk');
    writeFileSync(file, buildZip([{ name: 'AndroidManifest.xml', data: MANIFEST }, { name: 'classes.dex', data: buildDex(many) }]));
    const [o] = await analyzeFiles([file], { timeoutMs: 30_000, maxHeapMb: 16 });
    expect(o!.ok).toBe(false);
    expect(o && !o.ok ? String(o.error.details.message) : '').toMatch(/memory|stopped/);
    const [again] = await analyzeFiles([TEST_APKS.settings], { timeoutMs: 30_000 });
    expect(again!.ok).toBe(true);
    // The same file with the usual heap is a valid APK: it was memory, not the file, that stopped the child.
    const [usual] = await analyzeFiles([file], { timeoutMs: 30_000 });
    expect(usual!.ok && usual!.analysis.dex.classes).toBe(450_000);
  }, 60_000);
});

describe('5,000 mutated APKs through the analysis children', () => {
  it('each is analysed or refused within 5 s, and the process tree stays under 512 MB', async () => {
    let s = 0x2545f491;
    const rnd = (n: number): number => {
      s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
      return (s >>> 0) % n;
    };
    const { deflateRawSync, crc32 } = await import('node:zlib');
    const deflated = (data: Buffer) => ({ bytes: deflateRawSync(data, { level: 1 }), size: data.length, crc: crc32(data) });
    const smallDex = buildDex(Array.from({ length: 40 }, (_, i) => `Lcom/fuzz/C${i};`));
    // Amplification pieces, built once: a manifest pool sharing one long string, a DEX sharing one descriptor.
    const pool = deflated(amplifiedStringPool());
    const dexAmp = deflated(amplifiedDex());
    const fuzzDir = mkdtempSync(join(tmpdir(), 'fuzz-apks-'));
    const paths: string[] = [];
    for (let i = 0; i < 5000; i++) {
      let manifest: Buffer = Buffer.from(MANIFEST);
      let dex: Buffer = Buffer.from(smallDex);
      const kind = rnd(6);
      if (kind === 0) for (let k = 0; k < 1 + rnd(8); k++) manifest[rnd(manifest.length)] = rnd(256);
      if (kind === 1) for (let k = 0; k < 1 + rnd(8); k++) dex[rnd(dex.length)] = rnd(256);
      if (kind === 2) dex = dex.subarray(0, rnd(dex.length));
      if (kind === 3) manifest = manifest.subarray(0, rnd(manifest.length));
      const entries = kind === 4 && i % 50 === 4
        ? [{ name: 'AndroidManifest.xml', deflated: pool }]
        : kind === 5 && i % 50 === 5
          ? [{ name: 'AndroidManifest.xml', data: MANIFEST }, { name: 'classes.dex', deflated: dexAmp }]
          : [{ name: 'AndroidManifest.xml', data: manifest }, { name: 'classes.dex', data: dex }];
      const apk = buildZip(entries);
      const p = join(fuzzDir, `m${i}.apk`);
      writeFileSync(p, kind === 4 && i % 50 !== 4 ? apk.subarray(0, Math.max(22, apk.length - rnd(64))) : apk);
      paths.push(p);
    }
    const parentBefore = process.memoryUsage().rss;
    let parentPeak = parentBefore;
    const sampler = setInterval(() => (parentPeak = Math.max(parentPeak, process.memoryUsage().rss)), 50);
    const outcomes = await analyzeFiles(paths, { concurrency: 2, timeoutMs: 5000 });
    clearInterval(sampler);
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    const childPeak = Math.max(...outcomes.map((o) => o.peakBytes ?? 0));
    const refused = outcomes.filter((o) => !o.ok).length;
    console.log(`5,000 mutated APKs: ${refused} refused, slowest ${slowest} ms, child peak RSS ${(childPeak / 1048576).toFixed(0)} MiB, this process grew ${((parentPeak - parentBefore) / 1048576).toFixed(0)} MiB`);
    expect(outcomes).toHaveLength(5000);
    expect(slowest).toBeLessThan(5000);
    // Per APK, the process tree is this process plus the one child analysing it: the child stays within its
    // OS limit with room (the worst, a 40 MB shared DEX descriptor, peaked at 240-310 MB over runs) and this
    // process does not grow with the batch.
    expect(childPeak).toBeLessThan(400 * 1024 * 1024);
    expect(parentPeak - parentBefore).toBeLessThan(64 * 1024 * 1024);
    expect(refused).toBeGreaterThan(500);
  }, 600_000);
});
