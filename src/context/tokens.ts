// Token counting for DeepSeek V4: the public entry the pack engine (and its worker threads) call.
// The counter is an exact byte-level BPE with DeepSeek V3's vocabulary, which V4 shares for
// ordinary text (see src/context/tokenizer/README.md for the evidence and the residual risk).
import { countTokens as countBpe } from './tokenizer/counter';

/** DeepSeek V4 tokens of `text` (tokens). Synchronous; safe to call from worker threads. */
export function countTokens(text: string): number {
  return countBpe(text);
}
