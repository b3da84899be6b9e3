// The baseline the pack is measured against: what a simple retrieval tool sends. Plain BM25
// (k1 1.2, b 0.75) over whole files (path and content, identifiers split at camelCase and
// snake_case, lower-cased, no stop words), best first, each file whole while it fits the budget,
// skipping those that do not. Independent of the product's ranking code on purpose.

/** Lower-case terms of text: letters-and-digits runs split at camelCase, snake_case, kebab-case. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9]*|[0-9]+/g))
    for (const part of m[0].split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/)) {
      const w = part.toLowerCase();
      if (w.length >= 2) out.push(w);
    }
  return out;
}

export interface Bm25Doc {
  path: string;
  /** Tokens of the file sent whole (tokens). */
  tokens: number;
  /** Term frequencies of path + content. */
  tf: Map<string, number>;
  /** Terms in the document. */
  length: number;
}

/** A document's term statistics (path and content). */
export function bm25Doc(path: string, text: string, tokens: number): Bm25Doc {
  const tf = new Map<string, number>();
  let length = 0;
  for (const t of terms(path + '\n' + text)) {
    tf.set(t, (tf.get(t) ?? 0) + 1);
    length++;
  }
  return { path, tokens, tf, length };
}

/** The documents by BM25 score for `question`, best first (ties by path), with their scores. */
export function bm25Order(docs: Bm25Doc[], question: string): { d: Bm25Doc; s: number }[] {
  const q = [...new Set(terms(question))];
  const n = docs.length;
  const avg = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, n) || 1;
  const idf = new Map<string, number>();
  for (const t of q) {
    let df = 0;
    for (const d of docs) if (d.tf.has(t)) df++;
    idf.set(t, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }
  const scored = docs.map((d) => {
    let s = 0;
    for (const t of q) {
      const f = d.tf.get(t);
      if (f) s += (idf.get(t)! * f * 2.2) / (f + 1.2 * (0.25 + (0.75 * d.length) / avg));
    }
    return { d, s };
  });
  return scored.sort((a, b) => b.s - a.s || (a.d.path < b.d.path ? -1 : 1));
}

/** The paths BM25 sends whole within `budget` tokens for `question`, best first. */
export function bm25Fill(docs: Bm25Doc[], question: string, budget: number): Set<string> {
  const sent = new Set<string>();
  let left = budget;
  for (const { d, s } of bm25Order(docs, question)) {
    if (s <= 0) break;
    if (d.tokens <= left) {
      sent.add(d.path);
      left -= d.tokens;
    }
  }
  return sent;
}
