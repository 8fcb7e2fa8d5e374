/**
 * The explore stage's options shared by `apprights run` and `apprights demo` (issue #29): `--explore` turns the
 * stage on; `--explore-taps N`, `--explore-depth N` and `--explore-minutes M` bound the walk (each within the
 * range the core allows, else a usage error that says the range).
 */
import type { ExploreLimits } from '../../src-preload/explore.js';
import { EXPLORE_LIMIT_RANGE } from '../../src-preload/explore.js';
import { bi, type Bilingual } from '../core/bilingual.js';

export const EXPLORE_OPTIONS = {
  explore: { type: 'boolean' }, 'explore-taps': { type: 'string' }, 'explore-depth': { type: 'string' }, 'explore-minutes': { type: 'string' },
} as const;

type Values = { explore?: boolean; 'explore-taps'?: string; 'explore-depth'?: string; 'explore-minutes'?: string };

/** The walk's limits, null when --explore was not given; a bad value is a usage error (its words in both languages). */
export function exploreChoice(values: Values, fail: (message: Bilingual) => never): { limits: Partial<ExploreLimits> } | null {
  const limits: Partial<ExploreLimits> = {};
  const read = (flag: keyof Values, key: keyof ExploreLimits, scale: number): void => {
    const raw = values[flag];
    if (raw === undefined) return;
    const [lo, hi] = EXPLORE_LIMIT_RANGE[key];
    const n = Number(raw) * scale;
    if (!/^\d+(\.\d+)?$/.test(String(raw)) || !Number.isFinite(n) || n < lo || n > hi) {
      fail(bi(`--${flag} must be from ${lo / scale} to ${hi / scale}`, `--${flag} 必须在 ${lo / scale} 到 ${hi / scale} 之间`));
    }
    limits[key] = Math.round(n);
  };
  read('explore-taps', 'maxTaps', 1);
  read('explore-depth', 'maxDepth', 1);
  read('explore-minutes', 'maxMs', 60_000);
  const given = Object.keys(limits).length > 0;
  if (!values.explore && given) fail(bi('--explore-taps, --explore-depth and --explore-minutes need --explore', '--explore-taps、--explore-depth 和 --explore-minutes 需要与 --explore 一起使用'));
  return values.explore ? { limits } : null;
}
