/** The byte-budget LRU the template store keeps parsed templates and summaries in. */
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../src-main/core/lru-cache.js';

describe('LruCache', () => {
  it('keeps the most recently used entries within its budget of bytes', () => {
    const cache = new LruCache<string, number>(100);
    cache.set('a', 1, 40);
    cache.set('b', 2, 40);
    expect(cache.get('a')).toBe(1);
    // 'b' is now the least recently used: it goes to make room for 'c'.
    cache.set('c', 3, 40);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    expect(cache.bytes).toBe(80);
    cache.set('a', 4, 10);
    expect([cache.get('a'), cache.bytes, cache.size]).toEqual([4, 50, 2]);
  });

  it('does not keep an entry heavier than the whole budget, nor drop the others for it', () => {
    const cache = new LruCache<string, string>(100);
    cache.set('small', 's', 60);
    cache.set('huge', 'h', 101);
    expect([cache.get('huge'), cache.get('small'), cache.bytes]).toEqual([undefined, 's', 60]);
  });
});
