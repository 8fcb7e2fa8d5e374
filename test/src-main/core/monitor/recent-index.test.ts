// The two look-ups replay makes per event, checked against the scans they replace on random input: the newest
// intent of the last two seconds naming `cmp=TARGET/` (recent-intents.ts, an index by target) and the lines of
// the newest of the last N entries with a text (recent-lines.ts, a ring, with entries passed over and put back).
import { describe, expect, it } from 'vitest';
import { RecentIntents } from '../../../../src-main/core/monitor/recent-intents.js';
import { RecentLines } from '../../../../src-main/core/monitor/recent-lines.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('recent look-ups', () => {
  it('RecentIntents.newestFor is the newest intent of the window whose text holds cmp=TARGET/', () => {
    const r = rng(7);
    const targets = ['com.a', 'com.b', 'com.a.b', 'x', 'cmp=y', 'com.c'];
    const intents = new RecentIntents();
    // The list as app-focus kept it before the index: pushed, and let go from the front.
    const window: Array<{ at: number; text: string }> = [];
    let t = 0;
    for (let i = 0; i < 20_000; i++) {
      t += r() < 0.02 ? -3000 : Math.floor(r() * 40);
      const pick = (): string => targets[Math.floor(r() * targets.length)]!;
      const text = r() < 0.5 ? `START u0 {act=x cmp=${pick()}/.Main} from uid 1${i}` : `callingPackage: ${pick()}; intent: Intent { cmp=${pick()}/.S pkg=cmp=${pick()}/ }`;
      intents.add({ at: t, text });
      window.push({ at: t, text });
      while (window.length && (window[0]!.at < t - 2000 || window[0]!.at > t || window.length > 512)) window.shift();
      const target = pick();
      const expected = [...window].reverse().find((w) => w.text.includes(`cmp=${target}/`));
      expect(intents.newestFor(target)?.text).toBe(expected?.text);
    }
  });

  it('RecentLines.recall is the newest of the last N entries with that text, passed-over entries counted', () => {
    const r = rng(11);
    const size = 64;
    const recent = new RecentLines(size);
    const log: Array<{ text: string | null; lines: number[] }> = [];
    for (let i = 0; i < 20_000; i++) {
      const text = `line ${Math.floor(r() * 150)}`;
      const u = r();
      if (u < 0.5) {
        recent.remember(text, [i]);
        log.push({ text, lines: [i] });
      } else {
        const at = recent.pass();
        log.push({ text: null, lines: [] });
        if (u < 0.55) {
          recent.putBack(at, text, [i, i + 1]);
          log[at] = { text, lines: [i, i + 1] };
        }
      }
      const asked = `line ${Math.floor(r() * 150)}`;
      const expected = log.slice(-size).reverse().find((x) => x.text === asked)?.lines;
      expect(recent.recall(asked)).toEqual(expected);
    }
  });
});
