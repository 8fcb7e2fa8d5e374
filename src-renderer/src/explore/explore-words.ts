/**
 * The explorer's words in the Explore stage that the feed, the report and the evaluators also use (one wording:
 * src-preload/explore-description.ts): a step's line, a stop reason, a target's name, in the UI's language.
 */
import type { ExploreStep } from '../../../src-preload/explore';
import { describeExploreStep, STOP_REASONS, TARGET_NAMES } from '../../../src-preload/explore-description';
import type { Said } from '../../../src-preload/said';

const side = (lang: string): 0 | 1 => (lang.startsWith('zh') ? 0 : 1);

/** English words that begin a line or a heading ("privacy policy" → "Privacy policy"); Chinese is left as it is. */
const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** A step's line without the "Explorer: " every line of the feed starts with (the Explore stage is the explorer's). */
export function stepLine(step: ExploreStep, lang: string): Said {
  const said = describeExploreStep(step)[side(lang) === 0 ? 'zh' : 'en'];
  const [first, ...rest] = said;
  if (first?.kind !== 'text') return said;
  const text = capitalised(first.text.replace(/^(探索：|Explorer: )/, ''));
  return text ? [{ ...first, text }, ...rest] : rest;
}

export function stopReason(reason: unknown, lang: string): string {
  const pair = typeof reason === 'string' && Object.hasOwn(STOP_REASONS, reason) ? STOP_REASONS[reason as keyof typeof STOP_REASONS] : null;
  return pair ? pair[side(lang)] : String(reason);
}

/** A target's name as a heading. */
export function targetName(target: unknown, lang: string): string {
  const pair = typeof target === 'string' && Object.hasOwn(TARGET_NAMES, target) ? TARGET_NAMES[target as keyof typeof TARGET_NAMES] : null;
  return pair ? capitalised(pair[side(lang)]) : String(target);
}
