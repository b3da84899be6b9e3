// Deterministic long answers for the webview benchmark: prose, headings, lists, tables, code
// fences in several languages and SEARCH/REPLACE edits, like a long DeepSeek answer about a repository.

import { rng } from '../fakes/random';

const WORDS = (
  'the packer reads every file once and ranks them by relevance to the question so that the cache prefix ' +
  'stays byte identical across follow up questions while changed files are appended as an update section ' +
  'with their new content and the budget decides which files stay whole'
).split(' ');

const CODE: [string, string][] = [
  [
    'ts',
    'export async function packWorkspace(roots: WorkspaceRoot[], req: PackRequest): Promise<Pack> {\n  const ' +
      'files = await scan(roots, { signal: req.signal });\n  const ranked = rank(files, req.question ?? ' +
      "'');\n  let tokens = 0;\n  for (const f of ranked) {\n    if (tokens + f.tokens > req.budgetTokens) " +
      'break;\n    tokens += f.tokens;\n  }\n  return { text: render(ranked), tokens };\n}',
  ],
  [
    'python',
    'def count_tokens(text: str) -> int:\n    """Rough count: 1 token per 3.5 characters."""\n    if not ' +
      'text:\n        return 0\n    return max(1, round(len(text) / 3.5))\n\n\nclass Cache(dict):\n    def ' +
      'hit_ratio(self, hits: int, total: int) -> float:\n        return hits / total if total else 0.0',
  ],
  [
    'go',
    'func (s *Server) Handle(w http.ResponseWriter, r *http.Request) {\n\tctx, cancel := ' +
      'context.WithTimeout(r.Context(), 10*time.Second)\n\tdefer cancel()\n\tif err := s.store.Save(ctx, ' +
      'r.Body); err != nil {\n\t\thttp.Error(w, err.Error(), ' +
      'http.StatusInternalServerError)\n\t\treturn\n\t}\n\tw.WriteHeader(http.StatusNoContent)\n}',
  ],
  [
    'rust',
    'pub fn hit_ratio(usage: &Usage) -> f64 {\n    let total = usage.cache_hit + usage.cache_miss;\n    if ' +
      'total == 0 {\n        return 0.0;\n    }\n    usage.cache_hit as f64 / total as f64\n}',
  ],
  [
    // SEARCH/REPLACE edits, shown as a diff that grows line by line while it streams.
    'ts',
    "<<<<<<< SEARCH\n  const ranked = rank(files, req.question ?? '');\n  let tokens = 0;\n=======\n" +
      "  const ranked = rank(files, req.question ?? '', { openEditors: req.openEditors });\n" +
      '  let tokens = req.reservedTokens ?? 0;\n>>>>>>> REPLACE\n' +
      '<<<<<<< SEARCH\n  return { text: render(ranked), tokens };\n=======\n' +
      '  const text = render(ranked);\n  return { text, tokens, files: ranked.length };\n' +
      '>>>>>>> REPLACE',
  ],
  [
    'json',
    '{\n  "deepseekRepo.model": "deepseek-v4-pro",\n  "deepseekRepo.maxOutputTokens": 32768,\n  ' +
      '"deepseekRepo.reasoningEffort": "high"\n}',
  ],
];

const sentence = (r: () => number) => {
  const n = 8 + Math.floor(r() * 14);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!);
  if (r() < 0.3) words[Math.floor(r() * n)] = '`src/context/pack.ts:' + (1 + Math.floor(r() * 400)) + '`';
  if (r() < 0.2) words[Math.floor(r() * n)] = '**' + words[0] + '**';
  const s = words.join(' ');
  return s[0]!.toUpperCase() + s.slice(1) + '.';
};

/** Estimated tokens of `text` (DeepSeek's rule of thumb: ~0.3 token per character). */
export const estimateTokens = (text: string) => Math.round(text.length * 0.3);

/** A markdown answer of about `tokens` tokens. */
export function longAnswer(tokens: number, seed = 7): string {
  const r = rng(seed);
  const parts: string[] = [];
  let chars = 0;
  for (let section = 1; estimateTokens('x'.repeat(chars)) < tokens; section++) {
    const block: string[] = [`## ${section}. ${sentence(r).slice(0, 40)}`, ''];
    block.push(Array.from({ length: 3 + Math.floor(r() * 3) }, () => sentence(r)).join(' '), '');
    const kind = section % 4;
    if (kind === 0)
      block.push(...Array.from({ length: 4 + Math.floor(r() * 5) }, (_, i) => `${i + 1}. ${sentence(r)}`), '');
    if (kind === 1) block.push(...Array.from({ length: 3 + Math.floor(r() * 4) }, () => `- ${sentence(r)}`), '');
    if (kind === 2)
      block.push(
        '| file | tokens | status |',
        '|---|--:|:-:|',
        ...Array.from(
          { length: 4 + Math.floor(r() * 6) },
          (_, i) => `| src/mod${i}.ts | ${Math.floor(r() * 90000)} | ${r() < 0.5 ? 'whole' : 'outline'} |`,
        ),
        '',
      );
    const [lang, code] = CODE[section % CODE.length]!;
    block.push(`\`\`\`${lang}${lang === 'ts' ? ' path=src/context/pack.ts' : ''}`, code, '```', '');
    block.push(Array.from({ length: 2 + Math.floor(r() * 3) }, () => sentence(r)).join(' '), '');
    const text = block.join('\n');
    parts.push(text);
    chars += text.length + 1;
  }
  return parts.join('\n');
}

/** Splits `text` into small deltas of 1–6 tokens (about 3–20 characters), like a token stream. */
export function deltas(text: string, seed = 11): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    const n = 3 + Math.floor(r() * 18);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}
