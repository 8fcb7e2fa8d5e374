// The PI search on bodies it must not believe or must not swallow: 10,000 random bodies (random bytes and random
// printable text, 1–64 KB, seeded) give no match against a realistic needle set; a 200 MB body is searched only for
// its first 16 MiB, in bounded time and memory, and says so; gzip bombs (one layer and two) are inflated only up to
// the cap. Speed on 64 MB of text is printed beside `grep -F -c -f needles` on the same data (not a gate).
import { spawnSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { PhoneValue } from '../../../../../src-main/core/network/contracts.js';
import { needlesFor, PiSearch, SEARCH_CAP_BYTES } from '../../../../../src-main/core/network/pi/index.js';
import { rng } from '../../../../support/seeded-random.js';

/** A phone as the workbench reads one: every kind, 40 third-party apps, two fixes, a typed number and OAID. */
const REALISTIC: PhoneValue[] = [
  { kind: 'android-id', value: '3a9f1c02be4d7e61' },
  { kind: 'serial', value: 'R58N12ABCDE' },
  { kind: 'imei', value: '868965471521141' },
  { kind: 'imei', value: '860246650571720' },
  { kind: 'wifi-mac', value: '8a:ed:1d:3f:a5:72' },
  { kind: 'bluetooth-mac', value: 'ec:4b:91:07:3c:d8' },
  { kind: 'ip-address', value: '192.168.8.69' },
  { kind: 'ip-address', value: 'fe80::f75f:457:5b55:2001' },
  { kind: 'location', value: '31.172849,121.511568' },
  { kind: 'location', value: '31.168700,121.511300' },
  { kind: 'phone-number', value: '13812345678' },
  { kind: 'oaid', value: 'a3f2c1d4-5b6e-4f70-8192-a3b4c5d6e7f8' },
  ...Array.from({ length: 40 }, (_, i): PhoneValue => ({ kind: 'package-list', value: `com.vendor${i}.app${(i * 7919) % 1000}` })),
];
const search = PiSearch.compile(REALISTIC);

/** Seeded random bytes at native speed: AES-128-CTR's keystream under a key drawn from `next`. */
function randomBody(next: () => number, printable: boolean): Buffer {
  const size = 1024 + Math.floor(next() * 63 * 1024);
  const key = Buffer.alloc(16);
  for (let i = 0; i < 16; i += 4) key.writeUInt32LE(Math.floor(next() * 4294967296), i);
  const b = createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
  // Printable text: each byte onto the 95 printable ASCII characters.
  if (printable) for (let i = 0; i < size; i++) b[i] = 0x20 + (b[i]! % 95);
  return b;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('PI search bounds', () => {
  it('finds nothing in 10,000 random bodies (bytes and printable text, 1–64 KB, seeded)', async () => {
    expect(search.needleCount).toBeGreaterThan(200);
    const next = rng(20260127);
    const found: string[] = [];
    let bytes = 0;
    for (let n = 0; n < 10_000; n++) {
      const body = randomBody(next, n % 2 === 1);
      bytes += body.length;
      const { matches, body: b } = await search.search({ url: 'https://log.sdk.example.cn/v2/collect', headers: [['Content-Type', 'application/octet-stream']], body });
      expect(b.searched).toBe(true);
      if (matches.length) found.push(`body ${n}: ${JSON.stringify(matches)}`);
    }
    expect(found).toEqual([]);
    expect(bytes).toBeGreaterThan(10_000 * 1024);
  }, 120_000);

  it('searches only the first 16 MiB of a 200 MB body, in bounded time and memory, and says so', async () => {
    const block = Buffer.alloc(1024 * 1024);
    const next = rng(7);
    for (let i = 0; i < block.length; i++) block[i] = 0x20 + Math.floor(next() * 95);
    const body = Buffer.concat(Array.from({ length: 200 }, () => block));
    Buffer.from('"imei":"868965471521141"').copy(body, 1000);
    Buffer.from('"aid":"3a9f1c02be4d7e61"').copy(body, SEARCH_CAP_BYTES + 1000);
    const before = process.memoryUsage();
    const t0 = Date.now();
    const result = await search.search({ url: 'https://up.example.cn/big', headers: [], body });
    const elapsed = Date.now() - t0;
    const after = process.memoryUsage();
    console.log(`200 MB body: ${elapsed} ms, arrayBuffers +${((after.arrayBuffers - before.arrayBuffers) / 1048576).toFixed(1)} MiB`);
    expect(result.matches.map((m) => m.kind)).toEqual(['imei']);
    expect(result.body).toEqual({ searched: false, searchedBytes: SEARCH_CAP_BYTES, size: 200 * 1024 * 1024, encodings: [], note: 'over-cap' });
    // 16 MiB at well under the slowest rate seen on this loaded machine (~50 MB/s): a 10 s bound is wide.
    expect(elapsed).toBeLessThan(10_000);
    // The body is searched where it lies: no copy of it (a copy would be +200 MiB).
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
  }, 60_000);

  it('inflates a gzip bomb only up to the cap, one layer or two, and still finds what its first 16 MiB hold', async () => {
    // 256 MiB of spaces after the IMEI, gzipped as it streams (about 256 KiB): 16 times the cap once inflated.
    const head = Buffer.from('{"imei":"868965471521141","pad":"');
    const bomb = await new Promise<Buffer>((resolve, reject) => {
      const gz = createGzip({ level: 9 });
      const parts: Buffer[] = [];
      gz.on('data', (c: Buffer) => parts.push(c));
      gz.on('end', () => resolve(Buffer.concat(parts)));
      gz.on('error', reject);
      const zeros = Buffer.alloc(4 * 1024 * 1024, 0x20);
      let left = 64;
      gz.write(head);
      const pump = (): void => {
        while (left > 0) {
          left--;
          if (!gz.write(zeros)) return void gz.once('drain', pump);
        }
        gz.end();
      };
      pump();
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    for (const [encoding, body] of [['gzip', bomb], ['gzip, gzip', gzipSync(bomb)]] as const) {
      let peak = 0;
      const base = process.memoryUsage().arrayBuffers;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - base)), 2);
      const t0 = Date.now();
      const result = await search.search({ url: 'https://up.example.cn/bomb', headers: [['Content-Encoding', encoding]], body });
      const elapsed = Date.now() - t0;
      clearInterval(sampler);
      console.log(`gzip bomb (${encoding}, ${bomb.length} bytes → 256 MiB): ${elapsed} ms, arrayBuffers peak +${(peak / 1048576).toFixed(1)} MiB`);
      expect(result.matches.map((m) => m.kind)).toEqual(['imei']);
      expect(result.body).toMatchObject({ searched: false, searchedBytes: SEARCH_CAP_BYTES, note: 'decoded-over-cap' });
      expect(elapsed).toBeLessThan(10_000);
      expect(peak).toBeLessThan(128 * 1024 * 1024);
    }
  }, 120_000);

  it('prints its speed on 64 MB of text beside grep -F on the same data and needles (not a gate)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pi-speed-'));
    dirs.push(dir);
    const next = rng(64);
    const words = ['"id":', '"ts":1767225600,', 'https://', 'com.example.', '&v=', 'Mozilla/5.0 ', '0123456789abcdef', 'null,', '{"a":[1,2,3]}', '\n'];
    const parts: string[] = [];
    let size = 0;
    while (size < 64 * 1024 * 1024) {
      const w = next() < 0.5 ? words[Math.floor(next() * words.length)]! : Math.floor(next() * 1e9).toString(36);
      parts.push(w);
      size += w.length;
    }
    const text = Buffer.from(parts.join(''));
    const data = join(dir, 'data.txt');
    writeFileSync(data, text);
    // The same needles for grep: each case-insensitive one in both cases (as a user would list them without -i).
    const { needles } = needlesFor(REALISTIC);
    const lines = new Set<string>();
    for (const n of needles) {
      const s = n.bytes.toString('utf8');
      lines.add(s);
      if (!n.caseSensitive) lines.add(s.toLowerCase()).add(s.toUpperCase());
    }
    writeFileSync(join(dir, 'needles'), [...lines].join('\n') + '\n');
    const ours: number[] = [], grep: number[] = [];
    for (let round = 0; round < 3; round++) {
      let t0 = process.hrtime.bigint();
      await search.search({ url: 'https://x.example.cn/', headers: [], body: text.subarray(0, SEARCH_CAP_BYTES) });
      await search.search({ url: 'https://x.example.cn/', headers: [], body: text.subarray(SEARCH_CAP_BYTES, 2 * SEARCH_CAP_BYTES) });
      await search.search({ url: 'https://x.example.cn/', headers: [], body: text.subarray(2 * SEARCH_CAP_BYTES, 3 * SEARCH_CAP_BYTES) });
      await search.search({ url: 'https://x.example.cn/', headers: [], body: text.subarray(3 * SEARCH_CAP_BYTES, 4 * SEARCH_CAP_BYTES) });
      ours.push(text.length / 1e6 / (Number(process.hrtime.bigint() - t0) / 1e9));
      t0 = process.hrtime.bigint();
      const g = spawnSync('sh', ['-c', 'grep -F -c -f "$1" "$2" > /dev/null', 'sh', join(dir, 'needles'), data], { timeout: 120_000 });
      grep.push(text.length / 1e6 / (Number(process.hrtime.bigint() - t0) / 1e9));
      expect(g.status === 0 || g.status === 1).toBe(true);
    }
    const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(' / ');
    console.log(`PI search on 64 MB of text, ${needles.length} needles (${lines.size} grep lines): ours ${fmt(ours)} MB/s; grep -F -c -f needles ${fmt(grep)} MB/s (3 rounds)`);
    // Only a collapse fails: even a 2-core machine under load searches far faster than this.
    expect(Math.max(...ours)).toBeGreaterThan(5);
  }, 180_000);
});
