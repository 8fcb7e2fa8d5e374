// Our SM3, the one the desktop app uses (Electron's BoringSSL has none), against GB/T 32905-2016's examples
// and `openssl dgst -sm3`: inputs of every length around the block and padding edges, fed in random
// pieces, and a whole 18 MB APK.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Sm3, sm3Hex } from '../../../../src-main/core/apk/sm3.js';
import { TEST_APKS } from '../../../support/virtual-phone.js';

const openssl = (input: Buffer): string => execFileSync('openssl', ['dgst', '-sm3', '-r'], { input, encoding: 'utf8' }).split(' ')[0]!;
const ours = (input: Buffer): string => sm3Hex(input, true);

describe('SM3 (ours)', () => {
  it('gives the standard\'s two examples', () => {
    expect(ours(Buffer.from('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(ours(Buffer.from('abcd'.repeat(16)))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('equals openssl on lengths 0–130 and around 1 KB and 4 KB, each input fed in random pieces', () => {
    for (const n of [...Array.from({ length: 131 }, (_, i) => i), 1000, 4096 + 55, 4096 + 56]) {
      const input = randomBytes(n);
      const hash = new Sm3();
      for (let p = 0; p < n;) {
        const step = 1 + Math.floor(Math.random() * 70);
        hash.update(input.subarray(p, p + step));
        p += step;
      }
      expect(hash.digest().toString('hex'), `length ${n}`).toBe(openssl(input));
    }
  });

  it('equals openssl on an 18 MB APK', () => {
    const apk = readFileSync(TEST_APKS.uiautomator2);
    expect(ours(apk)).toBe(execFileSync('openssl', ['dgst', '-sm3', '-r', TEST_APKS.uiautomator2], { encoding: 'utf8' }).split(' ')[0]);
  });
});
