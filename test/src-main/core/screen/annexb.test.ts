import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ANNEXB_LIMITS, AnnexBParser, type ParsedUnit } from '../../../../src-main/core/screen/annexb.js';
import { readSps } from '../../../../src-main/core/screen/sps.js';
import { decode, makeH264, probe } from '../../../support/h264-streams.js';

const baseline = makeH264({ name: 'baseline', size: '720x1600', seconds: 2, profile: 'baseline', gop: 30 });
// 1080 is not a multiple of 16: the SPS crops the coded 1088 rows... columns.
const high = makeH264({ name: 'high', size: '1080x2400', seconds: 1, profile: 'high', gop: 15 });
const tiny = makeH264({ name: 'tiny', size: '64x48', seconds: 0.3, profile: 'high', gop: 4 });

function parse(chunks: Iterable<Buffer>, o: { end?: boolean } = {}): ParsedUnit[] {
  const units: ParsedUnit[] = [];
  const p = new AnnexBParser((u) => units.push(u));
  for (const c of chunks) p.push(c);
  if (o.end !== false) p.end();
  return units;
}

function* pieces(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function brokenBy(run: () => void): string {
  try {
    run();
  } catch (err) {
    expect((err as { code?: string }).code).toBe('screen.stream-broken');
    return (err as Error).message;
  }
  throw new Error('the stream was not declared broken');
}

describe('Annex B parser on ffmpeg streams', () => {
  it('gives one access unit per frame, key frames at each GOP, and ffmpeg decodes them all', () => {
    const units = parse([baseline.bytes]);
    expect(units).toHaveLength(60);
    expect(units.map((u, i) => (u.key ? i : -1)).filter((i) => i >= 0)).toEqual([0, 30]);
    const all = Buffer.concat(units.map((u) => u.data));
    expect(decode(all)).toEqual({ frames: 60, errors: '' });
    // A decoder may start at the second key frame: it carries SPS/PPS in front (x264 repeats them anyway; the check is that it decodes alone).
    expect(decode(Buffer.concat(units.slice(30).map((u) => u.data)))).toEqual({ frames: 30, errors: '' });
  });

  it('gives the same units whatever the chunk sizes, down to one byte', () => {
    const whole = parse([high.bytes]).map((u) => u.data.toString('hex'));
    expect(whole).toHaveLength(30);
    for (const size of [1, 2, 3, 5, 4096, 65_536]) expect(parse(pieces(high.bytes, size)).map((u) => u.data.toString('hex'))).toEqual(whole);
  });

  it('gives the same units when split at every byte boundary', () => {
    const whole = parse([tiny.bytes]).map((u) => u.data.toString('hex'));
    expect(whole.length).toBeGreaterThanOrEqual(9);
    for (let at = 1; at < tiny.bytes.length; at++) {
      const split = parse([tiny.bytes.subarray(0, at), tiny.bytes.subarray(at)]).map((u) => u.data.toString('hex'));
      if (split.join() !== whole.join()) throw new Error(`split at byte ${at} of ${tiny.bytes.length} gave other units`);
    }
  });

  it('truncated mid-NAL: hands over only whole frames (ffmpeg decodes them without error), holds the rest bounded', () => {
    let handed = 0;
    for (const fraction of [0.13, 0.5, 0.77, 0.999]) {
      const cut = baseline.bytes.subarray(0, Math.floor(baseline.bytes.length * fraction));
      const units: ParsedUnit[] = [];
      const p = new AnnexBParser((u) => units.push(u));
      p.push(cut);
      // The stream broke (no end()): the pending frame is not handed over.
      expect(units.length).toBeLessThan(60);
      expect(p.bufferedBytes).toBeLessThanOrEqual(ANNEXB_LIMITS.maxNalBytes);
      if (units.length) expect(decode(Buffer.concat(units.map((u) => u.data)))).toEqual({ frames: units.length, errors: '' });
      handed += units.length;
    }
    expect(handed).toBeGreaterThan(60);
  });

  it('idle flush hands over a pending frame; the next start code goes on; a late continuation breaks the stream', () => {
    const units = parse([baseline.bytes]);
    const frame0 = units[0]!.data;
    const frame1 = units[1]!.data;
    const got: ParsedUnit[] = [];
    const p = new AnnexBParser((u) => got.push(u));
    p.push(frame0);
    expect(got).toHaveLength(0);
    expect(p.flushIdle()).toBe(true);
    expect(got.map((u) => [u.data.equals(frame0), u.guessed])).toEqual([[true, true]]);
    expect(p.awaitingNext).toBe(true);
    p.push(frame1.subarray(0, 10));
    // The next bytes began a NAL unit: the guessed frame was whole.
    expect(p.awaitingNext).toBe(false);
    p.push(frame1.subarray(10));
    p.end();
    expect(got).toHaveLength(2);
    expect([got[1]!.data.equals(frame1), got[1]!.guessed]).toEqual([true, false]);

    const q = new AnnexBParser(() => undefined);
    q.push(frame1.subarray(0, frame1.length - 5));
    expect(q.flushIdle()).toBe(true);
    expect(brokenBy(() => q.push(frame1.subarray(frame1.length - 5)))).toMatch(/continued after a pause/);
    expect(q.lateAfterFlush).toBe(true);
  });
});

describe('Annex B parser: arrival times', () => {
  it("stamps a unit with its last byte's arrival, not with when the next frame (or the idle flush) closed it", () => {
    const units = parse([baseline.bytes]);
    const got: ParsedUnit[] = [];
    const p = new AnnexBParser((u) => got.push(u));
    p.push(units[0]!.data, 100);
    p.push(units[1]!.data.subarray(0, 7), 250);
    p.push(units[1]!.data.subarray(7), 300);
    p.flushIdle();
    expect(got.map((u) => u.arrivedAt)).toEqual([100, 300]);
  });
});

describe('Annex B parser on bytes that are not H.264', () => {
  it('random bytes: broken within the preamble bound, nothing kept beyond it', () => {
    const p = new AnnexBParser(() => undefined);
    const t0 = performance.now();
    const msg = brokenBy(() => {
      for (const c of pieces(Buffer.from(randomBytes(64 * 1024).map((b) => (b === 1 ? 2 : b))), 1000)) p.push(c);
    });
    expect(msg).toMatch(/no H\.264 start code in the first 4096 bytes/);
    expect(p.bufferedBytes).toBeLessThanOrEqual(ANNEXB_LIMITS.maxPreambleBytes + 1000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("a phone's error text before any H.264 is kept as its words", () => {
    const p = new AnnexBParser(() => undefined);
    p.push(Buffer.from('ERROR: unable to create video encoder (-38)\n'));
    p.end();
    expect(p.sawStartCode).toBe(false);
    expect(p.preambleText()).toBe('ERROR: unable to create video encoder (-38)\n');
  });

  it('garbage after a good start: a NAL unit growing past 8 MiB breaks the stream with memory bounded', () => {
    const units: ParsedUnit[] = [];
    const p = new AnnexBParser((u) => units.push(u));
    p.push(baseline.bytes.subarray(0, 40_000));
    const noStart = Buffer.from(randomBytes(1024 * 1024).map((b) => (b === 0 ? 7 : b)));
    const t0 = performance.now();
    const msg = brokenBy(() => {
      for (let i = 0; i < 12; i++) p.push(noStart);
    });
    expect(msg).toMatch(/larger than 8388608 bytes/);
    expect(p.bufferedBytes).toBeLessThanOrEqual(ANNEXB_LIMITS.maxNalBytes);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a forbidden_zero_bit, and a run of undefined NAL types, break the stream', () => {
    expect(brokenBy(() => parse([Buffer.from([0, 0, 0, 1, 0x85, 1, 2, 3, 0, 0, 1, 0x09, 0xf0])]))).toMatch(/forbidden bit/);
    const undefinedTypes = Buffer.concat(Array.from({ length: 20 }, (_, i) => Buffer.from([0, 0, 1, 0x18 + (i % 8), 0x55, 0x66])));
    expect(brokenBy(() => parse([undefinedTypes]))).toMatch(/undefined types in a row/);
  });
});

describe('SPS reader', () => {
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  for (const [name, made, profileIdc] of [['baseline', baseline, 66], ['high (cropped width)', high, 100], ['tiny', tiny, 100]] as const) {
    it(`${name}: size, profile and level as ffprobe reads them`, () => {
      const sps = parse([made.bytes])[0]!.sps!;
      const info = readSps(sps);
      const ref = probe(made.path);
      expect({ width: info.width, height: info.height, level: info.level }).toEqual({ width: ref.width, height: ref.height, level: ref.level });
      expect(info.profile).toBe(profileIdc);
      expect(info.codec).toBe(`avc1.${hex(profileIdc)}${hex(info.constraints)}${hex(ref.level)}`);
      expect(info.codec).toMatch(/^avc1\.[0-9a-f]{6}$/);
    });
  }

  it('refuses a truncated or hostile SPS with a clear error, never loops', () => {
    const sps = parse([high.bytes])[0]!.sps!;
    for (let n = 4; n < sps.length - 1; n++) {
      try {
        readSps(sps.subarray(0, n));
      } catch (err) {
        expect((err as { code?: string }).code).toBe('screen.stream-broken');
      }
    }
    expect(() => readSps(Buffer.from([0x67, 0x64, 0, 0x1f, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/Exp-Golomb|ends early/);
  });
});
