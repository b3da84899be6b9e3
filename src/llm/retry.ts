// When to try a request again, and after how long. Only failures before the first token are
// retried (429, 5xx, connection errors); the wait honours the server's Retry-After in all three
// forms, else backs off exponentially with jitter. The policy is ours (the SDK runs with
// `maxRetries: 0`) so every retry is visible through `onRetry` and cancellable.
import type { RetryPolicy } from './types';

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 16_000,
  maxRetryAfterMs: 60_000,
};

/** Minimal header lookup (a fetch `Headers` or the SDK's error headers). */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The wait a server asked for (ms): `retry-after-ms`, else `retry-after` as seconds or an HTTP-date; undefined if
 * absent or unreadable.
 */
export function parseRetryAfter(headers: HeaderSource | undefined, now: number): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value) * 1000;
  // An HTTP-date names its day and month ("Wed, 01 Jan 2031 00:00:05 GMT"); Date.parse would read "-3" as a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff for retry number `retry` (1-based): base × 2^(retry-1), capped, minus up to 25% jitter (ms). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(full * (1 - 0.25 * random()));
}

/** The wait before retry number `retry` (ms), or undefined when the server asked for longer than the policy allows. */
export function retryDelayMs(
  retry: number,
  policy: RetryPolicy,
  headers: HeaderSource | undefined,
  now: number,
  random: () => number,
): number | undefined {
  const asked = parseRetryAfter(headers, now);
  if (asked === undefined) return backoffMs(retry, policy, random);
  return asked <= policy.maxRetryAfterMs ? asked : undefined;
}
