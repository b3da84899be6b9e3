// What counts as a model's context window when a server reports or states one (its model list, a
// too-long error). Kept apart from errors.ts so the CLI's `pack` can check `--window` without
// loading the HTTP client stack.

/**
 * Smallest context window (tokens) taken as one; the deepseekRepo.contextWindowTokens setting and `--window` have the
 * same minimum.
 */
export const MIN_WINDOW_TOKENS = 1_024;

/**
 * `n` when it is a plausible context window (tokens): an integer from 1,024 to 100 M, not another unit or a
 * placeholder.
 */
export function plausibleWindow(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n >= MIN_WINDOW_TOKENS && n <= 100_000_000 ? n : undefined;
}
