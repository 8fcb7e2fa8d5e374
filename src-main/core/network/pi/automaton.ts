/**
 * A multi-pattern byte matcher: Aho–Corasick compiled once into a full DFA over byte classes, so a search costs one
 * table lookup per byte however many patterns there are. Bytes that occur in no pattern share class 0, which keeps
 * the table small (states × classes); ASCII letters fold to lower case, so a pattern matches in either case and the
 * caller checks the exact bytes where case matters (forms.ts says which). It reports where each pattern ends; it
 * never allocates while scanning.
 */

export class ByteAutomaton {
  /** Premultiplied next state (state × classCount) for each (state, class); bitwise-NOT when that state ends patterns. */
  private readonly table: Int32Array;
  private readonly classes = new Uint8Array(256);
  private readonly classCount: number;
  /** Patterns ending at each state (itself and through its failure chain), by state number. */
  private readonly outputs: Array<Int32Array | null>;
  readonly stateCount: number;

  constructor(patterns: readonly Uint8Array[]) {
    const fold = (b: number): number => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
    let next = 1;
    for (const p of patterns) {
      for (const b of p) {
        const f = fold(b);
        if (this.classes[f] === 0) {
          if (next > 255) throw new RangeError('more than 255 distinct pattern bytes');
          this.classes[f] = next++;
        }
      }
    }
    for (let b = 0x41; b <= 0x5a; b++) this.classes[b] = this.classes[b + 0x20]!;
    const K = (this.classCount = next);

    // The trie: goto[state * K + class] = child + 1 (0: none), grown as patterns are added.
    const capacity = 1 + patterns.reduce((n, p) => n + p.length, 0);
    const go = new Int32Array(capacity * K);
    const own: number[][] = [[]];
    let states = 1;
    patterns.forEach((p, id) => {
      let s = 0;
      for (const b of p) {
        const c = this.classes[b]!;
        let child = go[s * K + c]! - 1;
        if (child < 0) {
          child = states++;
          own.push([]);
          go[s * K + c] = child + 1;
        }
        s = child;
      }
      own[s]!.push(id);
    });
    this.stateCount = states;

    // Breadth-first: failure links, then every missing transition resolved through them (the DFA).
    const fail = new Int32Array(states);
    const delta = new Int32Array(states * K);
    const order = new Int32Array(states);
    const outs: number[][] = own.map((o) => o.slice());
    let head = 0, tail = 0;
    for (let c = 0; c < K; c++) {
      const child = go[c]! - 1;
      if (child >= 0) {
        delta[c] = child;
        fail[child] = 0;
        order[tail++] = child;
      } else delta[c] = 0;
    }
    while (head < tail) {
      const s = order[head++]!;
      const f = fail[s]!;
      if (outs[f]!.length) outs[s] = outs[s]!.concat(outs[f]!);
      for (let c = 0; c < K; c++) {
        const child = go[s * K + c]! - 1;
        if (child >= 0) {
          fail[child] = delta[f * K + c]!;
          delta[s * K + c] = child;
          order[tail++] = child;
        } else delta[s * K + c] = delta[f * K + c]!;
      }
    }

    this.outputs = outs.map((o) => (o.length ? Int32Array.from(o) : null));
    this.table = new Int32Array(states * K);
    for (let i = 0; i < delta.length; i++) {
      const to = delta[i]!;
      this.table[i] = this.outputs[to] ? ~(to * K) : to * K;
    }
  }

  /** Table bytes: what the compiled matcher holds. */
  get byteSize(): number {
    return this.table.byteLength;
  }

  /**
   * Calls `hit(patternId, end)` for every occurrence (`end`: index one past its last byte) in `hay[from, to)`.
   * `hit` returning true stops the scan.
   */
  scan(hay: Uint8Array, hit: (patternId: number, end: number) => boolean | void, from = 0, to = hay.length): void {
    const table = this.table, classes = this.classes, K = this.classCount;
    let s = 0;
    for (let i = from; i < to; i++) {
      s = table[s + classes[hay[i]!]!]!;
      if (s < 0) {
        s = ~s;
        const out = this.outputs[s / K]!;
        for (let j = 0; j < out.length; j++) if (hit(out[j]!, i + 1)) return;
      }
    }
  }
}
