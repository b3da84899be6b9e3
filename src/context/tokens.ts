// Token counting for DeepSeek V4: the public entry the pack engine (and its worker threads) call.
// The counter is an exact byte-level BPE with DeepSeek V3's vocabulary, which V4 shares for
// ordinary text (see src/context/tokenizer/README.md for the evidence and the residual risk).
// Counts add up: countTokens(a + b) === countTokens(a) + countTokens(b) whenever `a` ends with a
// line break and `b` does not start with whitespace, so per-file counts can be summed, not redone.
import { countTokens as countBpe } from './tokenizer/counter';

/** DeepSeek V4 tokens of `text` (tokens). Synchronous; safe to call from worker threads. */
export function countTokens(text: string): number {
  return countBpe(text);
}
