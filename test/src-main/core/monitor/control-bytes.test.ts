// The word-at-a-time control-byte scan equals the regular expression it replaced, on every special byte and
// sequence at every alignment, at chunk edges, and on random bytes (the answer decides whether the raw log
// gets the phone's bytes as they came, so a false "clean" would write terminal controls unescaped).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hasControlBytes, lineEnds } from '../../../../src-main/core/monitor/control-bytes.js';

const OLD = /[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]/;
const reference = (b: Buffer): boolean => OLD.test(b.toString('latin1'));

describe('hasControlBytes', () => {
  it('equals the regular expression for every byte and sequence at every position and alignment', () => {
    const text = Buffer.from('2026-11-30 21:43:00.123  1234  5678 I Tag: message text\tand more\n');
    const specials: number[][] = [];
    for (let c = 0; c < 256; c++) specials.push([c]);
    for (let d = 0x70; d < 0xb0; d++) specials.push([0xc2, d]);
    for (let d = 0x7f; d < 0x83; d++) for (let e = 0x80; e < 0xc0; e++) specials.push([0xe2, d, e]);
    let checked = 0;
    for (const seq of specials) {
      for (let at = 0; at < 12; at++) {
        const line = Buffer.concat([text.subarray(0, at), Buffer.from(seq), text.subarray(at)]);
        // Views at every offset of a larger buffer: the word scan reads aligned words from any start.
        const host = Buffer.alloc(line.length + 8);
        for (let off = 0; off < 4; off++) {
          line.copy(host, off);
          const view = host.subarray(off, off + line.length);
          expect(hasControlBytes(view), `${seq.map((x) => x.toString(16)).join(' ')} at ${at}+${off}`).toBe(reference(view));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20_000);
  });

  it('a sequence cut by the end of the chunk is not a control (as before)', () => {
    for (const tail of [[0xc2], [0xe2], [0xe2, 0x80], [0xe2, 0x81]]) {
      const b = Buffer.concat([Buffer.from('log line\n'), Buffer.from(tail)]);
      expect(hasControlBytes(b)).toBe(reference(b));
      expect(hasControlBytes(b)).toBe(false);
    }
    expect(hasControlBytes(Buffer.alloc(0))).toBe(false);
    // A chunk shorter than a word at an odd offset (a socket's chunk or a view of one) has no aligned word.
    for (let off = 0; off < 4; off++) for (let len = 0; len < 4; len++) expect(hasControlBytes(Buffer.from('abcdefgh').subarray(off, off + len))).toBe(false);
    expect(hasControlBytes(Buffer.from('\u202e'))).toBe(true);
    expect(hasControlBytes(Buffer.from('用户协议 — “同意” \u2066x'))).toBe(true);
    expect(hasControlBytes(Buffer.from('用户协议 — “同意”'))).toBe(false);
  });

  it('equals the regular expression on random bytes and on random printable text with rare controls', () => {
    for (let i = 0; i < 2000; i++) {
      const b = randomBytes(1 + (i % 97));
      expect(hasControlBytes(b)).toBe(reference(b));
      const printable = Buffer.from(Array.from({ length: 200 }, (_, k) => 0x20 + ((k * 31 + i) % 95)));
      if (i % 3 === 0) printable[(i * 7) % 200] = [0x1b, 0x0d, 0x7f, 0x00][i % 4]!;
      const sub = printable.subarray(i % 4);
      expect(hasControlBytes(sub)).toBe(reference(sub));
    }
  });

  it('lineEnds finds every newline in the same pass, or -1 where hasControlBytes says a chunk is not clean', () => {
    const newlines = (b: Buffer): number[] => [...b.entries()].filter(([, c]) => c === 10).map(([i]) => i);
    for (let i = 0; i < 3000; i++) {
      const text = Buffer.from(Array.from({ length: 1 + (i % 300) }, (_, k) => ((k * 37 + i) % 11 === 0 ? 10 : 0x20 + ((k * 31 + i) % 95))));
      if (i % 4 === 0) text[(i * 13) % text.length] = [0x1b, 0x0d, 0x7f, 0x09, 0xc2, 0xe2][i % 6]!;
      const host = Buffer.alloc(text.length + 4);
      text.copy(host, i % 4);
      const view = host.subarray(i % 4, (i % 4) + text.length);
      const ends = new Int32Array(400);
      const n = lineEnds(view, ends);
      if (hasControlBytes(view)) expect(n).toBe(-1);
      else expect([...ends.subarray(0, n)]).toEqual(newlines(view));
      const random = randomBytes(1 + (i % 97));
      const m = lineEnds(random, ends);
      if (reference(random)) expect(m).toBe(-1);
      else expect([...ends.subarray(0, m)]).toEqual(newlines(random));
    }
    // More newlines than room: -1 (the caller reads the chunk as text).
    expect(lineEnds(Buffer.from('a\nb\nc\n'), new Int32Array(2))).toBe(-1);
    expect(lineEnds(Buffer.from('a\nb\n'), new Int32Array(2))).toBe(2);
  });
});
