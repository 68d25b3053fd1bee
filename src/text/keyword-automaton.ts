// A case-insensitive (ASCII) Aho-Corasick automaton compiled to a dense DFA over a reduced
// alphabet: one pass over the text finds every occurrence of every keyword.

export interface KeywordHits {
  /** Start offsets of the hits, in text order. */
  starts: Int32Array;
  /** Keyword index of each hit. */
  keywords: Int32Array;
  count: number;
}

export class KeywordAutomaton {
  readonly keywords: readonly string[];
  private readonly classOf: Uint8Array; // char code (< 128) -> alphabet class, 0 = no keyword char
  private readonly alphabet: number;
  private readonly delta: Int32Array; // state * alphabet + class -> state
  private readonly outStart: Int32Array; // state -> offset into outList (or -1)
  private readonly outList: Int32Array; // keyword ids, per state terminated by -1
  private readonly kwLength: Int32Array;

  constructor(keywords: readonly string[]) {
    const kws = keywords.map((k) => k.toLowerCase());
    for (const k of kws) {
      if (k.length === 0) throw new Error("empty keyword");
      for (let i = 0; i < k.length; i++) if (k.charCodeAt(i) >= 128) throw new Error(`non-ASCII keyword: ${k}`);
    }
    this.keywords = kws;
    this.kwLength = Int32Array.from(kws.map((k) => k.length));

    // alphabet: every lower-case char used by a keyword; upper-case letters share the class
    const classOf = new Uint8Array(128);
    let next = 1;
    for (const k of kws) {
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        if (classOf[c] === 0) {
          if (next > 255) throw new Error("keyword alphabet too large");
          classOf[c] = next++;
        }
      }
    }
    for (let c = 65; c <= 90; c++) classOf[c] = classOf[c + 32]!;
    this.classOf = classOf;
    const A = next;
    this.alphabet = A;

    // trie
    const goto: number[][] = [new Array<number>(A).fill(-1)];
    const outs: number[][] = [[]];
    kws.forEach((k, id) => {
      let s = 0;
      for (let i = 0; i < k.length; i++) {
        const cls = classOf[k.charCodeAt(i)]!;
        let t = goto[s]![cls]!;
        if (t === -1) {
          t = goto.length;
          goto.push(new Array<number>(A).fill(-1));
          outs.push([]);
          goto[s]![cls] = t;
        }
        s = t;
      }
      outs[s]!.push(id);
    });

    // failure links by BFS, completing the DFA
    const n = goto.length;
    const fail = new Int32Array(n);
    const delta = new Int32Array(n * A);
    const queue: number[] = [];
    for (let c = 0; c < A; c++) {
      const t = goto[0]![c]!;
      if (t === -1) delta[c] = 0;
      else {
        delta[c] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      outs[s]!.push(...outs[f]!);
      for (let c = 0; c < A; c++) {
        const t = goto[s]![c]!;
        if (t === -1) delta[s * A + c] = delta[f * A + c]!;
        else {
          delta[s * A + c] = t;
          fail[t] = delta[f * A + c]!;
          queue.push(t);
        }
      }
    }
    this.delta = delta;

    const outStart = new Int32Array(n).fill(-1);
    const list: number[] = [];
    for (let s = 0; s < n; s++) {
      if (outs[s]!.length === 0) continue;
      outStart[s] = list.length;
      list.push(...new Set(outs[s]!), -1);
    }
    this.outStart = outStart;
    this.outList = Int32Array.from(list);
  }

  /** Every keyword occurrence (overlapping ones included), in order of their end offset. */
  scan(text: string): KeywordHits {
    const { classOf, delta, outStart, outList, kwLength } = this;
    const A = this.alphabet;
    let starts = new Int32Array(64);
    let kws = new Int32Array(64);
    let count = 0;
    let state = 0;
    const len = text.length;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      state = delta[state * A + (c < 128 ? classOf[c]! : 0)]!;
      const o = outStart[state]!;
      if (o >= 0) {
        for (let j = o; outList[j]! >= 0; j++) {
          if (count === starts.length) {
            const s2 = new Int32Array(count * 2);
            s2.set(starts);
            starts = s2;
            const k2 = new Int32Array(count * 2);
            k2.set(kws);
            kws = k2;
          }
          const id = outList[j]!;
          starts[count] = i + 1 - kwLength[id]!;
          kws[count] = id;
          count++;
        }
      }
    }
    return { starts, keywords: kws, count };
  }
}
