/**
 * Benchmark (not a test gate) of reading a privacy policy: one unpunctuated sentence dense with dictionary terms
 * (the red team's 13-minute page) at 40k to 999k characters, against an ordinary policy's text (the shop fixture,
 * repeated) of the same length read in the same run. Linear reading keeps ms per 1,000 characters flat.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyTextFromBytes } from '../../src-main/core/policy/policy-text.js';
import { readPolicy } from '../../src-main/core/policy/read-policy.js';
import { denseSentence } from '../support/hostile-policy.js';

const ordinary = policyTextFromBytes(readFileSync(join(__dirname, '../fixtures/policies/shop-complete.html'))).text;
const bestOf3 = (text: string): number => Math.min(...[0, 1, 2].map(() => {
  const t0 = performance.now();
  readPolicy(text);
  return performance.now() - t0;
}));

readPolicy(denseSentence(5_000));
for (const chars of [40_000, 80_000, 160_000, 320_000, 999_000]) {
  const dense = bestOf3(denseSentence(chars));
  const plain = bestOf3(ordinary.repeat(Math.ceil(chars / ordinary.length)).slice(0, chars));
  console.log(`${(chars / 1000).toFixed(0).padStart(4)}k chars: one dense sentence ${dense.toFixed(0).padStart(5)} ms (${(dense / chars * 1000).toFixed(2)} ms per 1k), ordinary policy text ${plain.toFixed(0).padStart(5)} ms — ${(dense / plain).toFixed(2)}x`);
}
