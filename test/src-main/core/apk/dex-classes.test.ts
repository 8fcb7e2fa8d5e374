// DEX files inflated in the thread pool while the reader works (and, in a batch's child, in turn): the same entries, classes, order, findings
// and refusals as reading each file in turn on the calling thread — on a real 16-DEX APK and on APKs with a
// broken DEX, a CRC lie, a stored DEX and a bomb among ordinary ones.
import { readFileSync } from 'node:fs';
import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ZipReader } from '../../../../src-main/core/apk/index.js';
import { dexClassDescriptors } from '../../../../src-main/core/apk/dex.js';
import { dexNamesOf, readDexClasses } from '../../../../src-main/core/apk/dex-classes.js';
import { buildDex } from '../../../support/dex-builder.js';
import { buildZip, type ZipSpec } from '../../../support/zip-builder.js';
import { TEST_APKS } from '../../../support/virtual-phone.js';

const MANIFEST = new ZipReader(readFileSync(TEST_APKS.androidTest)).read('AndroidManifest.xml', 1 << 20);

/** What the sequential reader gave: each DEX read and parsed in turn, failures as findings. */
function sequential(zip: ZipReader): { descriptors: string[]; findings: string[] } {
  const descriptors: string[] = [];
  const findings: string[] = [];
  for (const n of dexNamesOf(zip)) {
    try {
      descriptors.push(...dexClassDescriptors(zip.read(n, 64 * 1024 * 1024)));
    } catch (err) {
      findings.push(`${n}: ${(err as Error).message}`);
    }
  }
  return { descriptors, findings };
}

async function deflatedZeros(mib: number): Promise<Buffer> {
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((r) => z.on('end', r));
  for (let i = 0; i < mib; i++) if (!z.write(Buffer.alloc(1 << 20))) await new Promise((r) => z.once('drain', r));
  z.end();
  await done;
  return Buffer.concat(out);
}

describe.each([[true, 'through the thread pool'], [false, 'in turn on this thread']])('DEX files read (inThreads %s: %s)', (inThreads) => {
  it('equal the sequential reading on the 16-DEX uiautomator2 server, and readAsync equals read on every entry', async () => {
    const zip = new ZipReader(readFileSync(TEST_APKS.uiautomator2));
    expect(dexNamesOf(zip)).toHaveLength(16);
    const ours = await readDexClasses(zip, dexNamesOf(zip), inThreads);
    expect(ours).toEqual(sequential(zip));
    expect(ours.descriptors).toHaveLength(9575);
    for (const name of [...zip.entries.keys()].slice(0, 200)) expect((await zip.readAsync(name, 1 << 26)).equals(zip.read(name, 1 << 26)), name).toBe(true);
  });

  it('keep order and findings when some of 12 DEX files are broken, lie about their CRC or are stored', async () => {
    const entries: ZipSpec[] = [{ name: 'AndroidManifest.xml', data: MANIFEST }];
    for (let i = 1; i <= 12; i++) {
      const dex = buildDex(Array.from({ length: 50 + i }, (_, k) => `Lcom/d${i}/C${k};`));
      const name = i === 1 ? 'classes.dex' : `classes${i}.dex`;
      if (i === 4) entries.push({ name, data: Buffer.from('not a dex at all') });
      else if (i === 7) entries.push({ name, deflated: { bytes: deflateRawSync(dex), size: dex.length, crc: 12345 } });
      else if (i === 9) entries.push({ name, data: dex, method: 0 });
      else entries.push({ name, data: dex });
    }
    const zip = new ZipReader(buildZip(entries));
    const ours = await readDexClasses(zip, dexNamesOf(zip), inThreads);
    expect(ours).toEqual(sequential(zip));
    expect(ours.findings).toEqual(['classes4.dex: dex: not a dex file', 'classes7.dex: entry CRC mismatch']);
    expect(ours.descriptors[0]).toBe('Lcom/d1/C0;');
    expect(ours.descriptors.at(-1)).toBe('Lcom/d12/C61;');
  });

  it('refuse the APK at a bomb among ordinary DEX files, and when the files declare over 512 MiB in total', async () => {
    const dex = buildDex(['Lcom/a/A;']);
    const bomb = await deflatedZeros(80);
    const withBomb = new ZipReader(buildZip([{ name: 'classes.dex', data: dex }, { name: 'classes2.dex', deflated: { bytes: bomb, size: 1000, crc: 0 } }, { name: 'classes3.dex', data: dex }]));
    await expect(readDexClasses(withBomb, dexNamesOf(withBomb), inThreads)).rejects.toThrow(/inflates beyond the allowed size/);
    const big = { bytes: deflateRawSync(dex), size: 300 * 1024 * 1024, crc: 0 };
    const tooBig = new ZipReader(buildZip([{ name: 'classes.dex', deflated: big }, { name: 'classes2.dex', deflated: big }]));
    await expect(readDexClasses(tooBig, dexNamesOf(tooBig), inThreads)).rejects.toThrow(/larger than 512 MiB in total/);
  });
});
