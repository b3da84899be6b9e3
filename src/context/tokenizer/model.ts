// Finds and loads the shipped BPE data, once, on first use. The file sits in dist/data/ next to the
// bundles (extension, CLI, worker files) and next to this file when running from source (tsx).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Bpe } from './bpe';
import { decodeMergeTable } from './format';

/** File name of the compressed merge table (scripts/gen-tokenizer-data.ts writes it). */
export const DATA_FILE = 'deepseek-v3-bpe.br';

let model: Bpe | undefined;
let loadMs = 0;

/** The BPE model, loaded on first call (synchronous: a ~425 KB read and brotli decode). */
export function bpeModel(): Bpe {
  if (model === undefined) {
    const t0 = performance.now();
    model = new Bpe(decodeMergeTable(zlib.brotliDecompressSync(fs.readFileSync(locateData()))));
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
