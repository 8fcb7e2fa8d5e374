// How the Network view's detail pane shows a body: a hex dump laid out as `hexdump -C` prints it (cross-checked
// with the real tool), bounded to the first 64 KB with the rest counted; text only when it is UTF-8 without
// control characters, a character cut at the 64 KB edge not making it binary; byte counts in people's units.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyText, formatBytes, hexDump, SHOWN_BYTES } from '../../../src-renderer/src/network/body-bytes.js';

/** `hexdump -C` of the bytes, without its closing offset line (random bytes: no `*` for repeated lines). */
const hexdumpC = (bytes: Buffer): string[] => execFileSync('hexdump', ['-C'], { input: bytes }).toString('latin1').trimEnd().split('\n').slice(0, -1);

describe('hex dump', () => {
  it('is laid out as hexdump -C prints it, whole lines and a last partial one', () => {
    for (const size of [1, 7, 8, 9, 16, 17, 100, 4099]) {
      const bytes = Buffer.concat([Buffer.from('Hi\u0000\u00ff<b>&', 'latin1'), randomBytes(size)]);
      expect(hexDump(bytes).lines, `${bytes.length} bytes`).toEqual(hexdumpC(bytes));
    }
  });

  it('shows the first 64 KB of a larger body and says how much more there is', () => {
    const bytes = randomBytes(SHOWN_BYTES + 12_345);
    const dump = hexDump(bytes);
    expect(dump.shown).toBe(64 * 1024);
    expect(dump.more).toBe(12_345);
    expect(dump.lines).toHaveLength(4096);
    expect(dump.lines.at(-1)!.startsWith('0000fff0  ')).toBe(true);
    expect(dump.lines).toEqual(hexdumpC(bytes.subarray(0, SHOWN_BYTES)));
  });

  it('takes bounded time on the largest body it is given (1 MiB asked, 64 KB drawn)', () => {
    const bytes = randomBytes(1024 * 1024);
    const t = performance.now();
    const dump = hexDump(bytes);
    expect(performance.now() - t).toBeLessThan(500);
    expect(dump.more).toBe(1024 * 1024 - SHOWN_BYTES);
  });
});

describe('body as text', () => {
  it('reads UTF-8 text, Chinese included, and refuses binary and control characters', () => {
    expect(bodyText(Buffer.from('{"a":"设备标识"}\r\n\tok'), false)).toBe('{"a":"设备标识"}\r\n\tok');
    expect(bodyText(Buffer.from([0x08, 0x96, 0x01]), false)).toBeNull();
    expect(bodyText(Buffer.from('abc\u0000def'), false)).toBeNull();
    expect(bodyText(Buffer.from('ESC \u001b[2J'), false)).toBeNull();
    expect(bodyText(Buffer.from([0xc3, 0x28]), false)).toBeNull();
  });

  it('does not call a text body binary for a character cut at the 64 KB edge', () => {
    const whole = Buffer.from('数'.repeat(30_000));
    const cut = whole.subarray(0, SHOWN_BYTES);
    expect(SHOWN_BYTES % 3).not.toBe(0);
    expect(bodyText(cut, false)).toBeNull();
    const text = bodyText(cut, true)!;
    expect(text).toBe('数'.repeat(Math.floor(SHOWN_BYTES / 3)));
  });
});

describe('byte counts', () => {
  it('reads as B, KB, MB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(73_000)).toBe('71 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
  });
});
