/** Line splitting of a phone's log: caps, cut counting, UTF-8 across chunks, and linear time on a stream with no newline. */
import { describe, expect, it } from 'vitest';
import { CUT_MARK, LineSplitter } from '../../../../src-main/core/monitor/line-splitter.js';

describe('LineSplitter', () => {
  it('splits lines across chunks and decodes UTF-8 split between them', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('第一行\nsecond\n第三');
    expect(s.push(bytes.subarray(0, 4))).toEqual([]);
    expect(s.push(bytes.subarray(4, 20))).toEqual(['第一行', 'second']);
    expect(s.push(bytes.subarray(20))).toEqual([]);
    expect(s.flush()).toEqual(['第三']);
  });

  it('cuts a line at the cap, drops the rest up to its newline and counts it', () => {
    const s = new LineSplitter(10);
    expect(s.push(Buffer.from('0123456789ABC'))).toEqual([`0123456789${CUT_MARK}`]);
    expect(s.push(Buffer.from('DEF'))).toEqual([]);
    expect(s.push(Buffer.from('GH\nnext\n'))).toEqual(['next']);
    expect(s.cut).toEqual({ lines: 1, chars: 8 });
    expect(s.push(Buffer.from('a complete line over ten\n'))).toEqual([`a complete${CUT_MARK}`]);
  });

  it('100 MB without a newline costs linear time and a bounded buffer', () => {
    const s = new LineSplitter();
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const t0 = Date.now();
    let out = 0;
    for (let i = 0; i < 1600; i++) out += s.push(chunk).length;
    expect(out).toBe(1);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(s.cut.lines).toBe(1);
    expect(s.push(Buffer.from('\nfine\n'))).toEqual(['fine']);
  });
});
