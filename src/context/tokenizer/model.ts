// Finds and loads the shipped BPE data, once, on first use. The file sits in dist/data/ next to the
// bundles (extension, CLI, worker files) and next to this file when running from source (tsx). Beside it in
// dist/data/, the build puts the same model with its merge index prebuilt (format.ts), loaded in one read instead.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Bpe } from './bpe';
import { decodeIndexed, decodeMergeTable, encodeIndexed } from './format';

/** File name of the compressed merge table (scripts/gen-tokenizer-data.ts writes it). */
export const DATA_FILE = 'deepseek-v3-bpe.br';
/** File name of the model with its merge index (format.ts; scripts/build.mjs writes it with `indexedData`). */
export const INDEXED_FILE = 'deepseek-v3-bpe.idx';

let model: Bpe | undefined;
let loadMs = 0;

/** The BPE model, loaded on first call (synchronous: a ~425 KB read and brotli decode). */
export function bpeModel(): Bpe {
  if (model === undefined) {
    const t0 = performance.now();
    model = loadModel(locateData());
    loadMs = performance.now() - t0;
  }
  return model;
}

/** How long the first load took (milliseconds), 0 before it happened. */
export function modelLoadMs(): number {
  return loadMs;
}

/** Path of the data file: in dist/data/ beside a bundle, or beside this source file. */
export function locateData(dirs: readonly string[] = [path.join(__dirname, 'data'), __dirname]): string {
  const candidates = dirs.map((d) => path.join(d, DATA_FILE));
  const found = candidates.find((p) => fs.existsSync(p));
  if (found === undefined) {
    throw new Error(
      `DeepSeek tokenizer data ${DATA_FILE} is missing (looked in ${dirs.join(', ')}); reinstall, or run npm run build`,
    );
  }
  return found;
}

/** The model from the compressed table at `dataFile`, or from the indexed one beside it when that is usable. */
export function loadModel(dataFile: string): Bpe {
  const indexed = path.join(path.dirname(dataFile), INDEXED_FILE);
  const found = fs.existsSync(indexed) ? decodeIndexed(fs.readFileSync(indexed)) : undefined;
  if (found) return new Bpe(found.table, found.index);
  return new Bpe(decodeMergeTable(zlib.brotliDecompressSync(fs.readFileSync(dataFile))));
}

/** The indexed model (INDEXED_FILE) made from the compressed table `compressed`. */
export function indexedData(compressed: Uint8Array): Uint8Array {
  const table = decodeMergeTable(zlib.brotliDecompressSync(compressed));
  return encodeIndexed(table, new Bpe(table).index());
}
