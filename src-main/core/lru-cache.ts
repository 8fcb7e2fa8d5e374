/**
 * A map that keeps the most recently used entries within a budget of bytes (each entry's weight is what the
 * caller estimates it holds); the least recently used go first. An entry heavier than the whole budget is
 * not kept at all.
 */
export class LruCache<K, V> {
  private entries = new Map<K, { value: V; bytes: number }>();
  private total = 0;

  constructor(private budgetBytes: number) {}

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: K, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.budgetBytes) return;
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    for (const [k, e] of this.entries) {
      if (this.total <= this.budgetBytes) break;
      this.entries.delete(k);
      this.total -= e.bytes;
    }
  }

  delete(key: K): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.bytes;
  }

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }
}
