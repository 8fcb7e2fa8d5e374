// The RBSP writer (Exp-Golomb codes of spec 9.1, alignment, stop bit) and the Annex B framing with
// emulation prevention (7.4.1), checked against hand-written bit strings.
import { describe, expect, it } from 'vitest';
import { BitWriter } from '../../../../../src-main/core/virtual-device/android/h264/bit-writer.js';
import { nalUnit } from '../../../../../src-main/core/virtual-device/android/h264/nal-unit.js';

const bits = (w: BitWriter): string => [...w.finish()].map((b) => b.toString(2).padStart(8, '0')).join('');
/** rbsp_trailing_bits after `s`: the stop bit, then zeros to the byte boundary. */
const stop = (s: string): string => (s + '1').padEnd(Math.ceil((s.length + 1) / 8) * 8, '0');

describe('BitWriter', () => {
  it('writes ue(v) as in table 9-2 and se(v) as in table 9-3', () => {
    const w = new BitWriter(1);
    for (const v of [0, 1, 2, 3, 7]) w.ue(v);
    w.se(1); w.se(-1); w.se(2);
    w.trailingBits();
    // 1 | 010 | 011 | 00100 | 0001000 | se 1 → 010 | se -1 → 011 | se 2 → 00100
    expect(bits(w)).toBe(stop('1' + '010' + '011' + '00100' + '0001000' + '010' + '011' + '00100'));
  });

  it('writes long codes and wide fields across the growth of its buffer', () => {
    const w = new BitWriter(1);
    w.u(3, 5);
    w.u(32, 0xdeadbeef);
    w.ue(65534); // 15 zeros, then 65535 in 16 bits
    w.trailingBits();
    expect(bits(w)).toBe(stop('101' + 'deadbeef'.split('').map((c) => parseInt(c, 16).toString(2).padStart(4, '0')).join('')
      + '0'.repeat(15) + '1'.repeat(16)));
  });

  it('refuses values Exp-Golomb cannot code and whole bytes off a byte boundary', () => {
    const w = new BitWriter();
    expect(() => w.ue(-1)).toThrow(RangeError);
    expect(() => w.ue(1.5)).toThrow(RangeError);
    w.u(1, 1);
    expect(() => w.bytes(new Uint8Array(2))).toThrow(/alignment/);
    expect(() => w.finish()).toThrow(/aligned/);
  });
});

describe('nalUnit', () => {
  it('puts a start code and the header first and escapes every 00 00 0x (x ≤ 3) run', () => {
    const out = nalUnit(5, 3, Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0x80]));
    expect([...out]).toEqual([0, 0, 0, 1, 0x65, 0, 0, 3, 0, 0, 3, 0, 1, 0, 0, 3, 2, 0, 0, 3, 3, 0, 0, 4, 0x80]);
  });

  it('leaves a payload without such runs as it is', () => {
    expect([...nalUnit(1, 2, Uint8Array.from([0, 0, 4, 0, 0xff]))]).toEqual([0, 0, 0, 1, 0x41, 0, 0, 4, 0, 0xff]);
  });
});
