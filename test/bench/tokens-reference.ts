// The reference tokenizers our counter is measured against, behind one small interface: HF
// tokenizers (the Rust library DeepSeek's own tooling loads tokenizer.json with, via Node bindings)
// and @lenml/tokenizers (a pure-JS port of transformers.js), both reading the same V3 tokenizer.json.
// Measurement only: none of this is bundled.
import * as fs from 'node:fs';
import { referenceTokenizerPath } from '../../scripts/gen-tokenizer-data';

export interface ReferenceTokenizer {
  name: string;
  /** Token ids of `text`, without special tokens added. */
  encode(text: string): Promise<number[]>;
}

let rust: Promise<ReferenceTokenizer> | undefined;

/** HF tokenizers (Rust), the ground truth; loaded once (about half a second). */
export function rustReference(): Promise<ReferenceTokenizer> {
  rust ??= import('@anush008/tokenizers').then(({ Tokenizer }) => {
    const tok = Tokenizer.fromFile(referenceTokenizerPath());
    return {
      name: 'HF tokenizers (Rust)',
      encode: async (text: string) => (await tok.encode(text, null, { addSpecialTokens: false })).getIds(),
    };
  });
  return rust;
}

/** @lenml/tokenizers (JavaScript), the second opinion. */
export async function jsReference(): Promise<ReferenceTokenizer> {
  const { TokenizerLoader } = await import('@lenml/tokenizers');
  type Model = Parameters<typeof TokenizerLoader.fromPreTrained>[0];
  const tok = TokenizerLoader.fromPreTrained({
    tokenizerJSON: JSON.parse(fs.readFileSync(referenceTokenizerPath(), 'utf8')) as Model['tokenizerJSON'],
    tokenizerConfig: JSON.parse(
      fs.readFileSync(referenceTokenizerPath().replace(/tokenizer\.json$/, 'tokenizer_config.json'), 'utf8'),
    ) as Model['tokenizerConfig'],
  });
  return {
    name: '@lenml/tokenizers (JS)',
    encode: async (text) => tok.encode(text, { add_special_tokens: false }),
  };
}
