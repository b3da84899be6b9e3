// Cost of a request from its usage and the price table (src/llm/prices.json, overridable).
// Prices change often: they live in data, never in code paths.
import defaultPrices from './prices.json';
import type { Usage } from './types';

export interface Rate {
  /** USD per 1M tokens. */
  cacheHit: number;
  cacheMiss: number;
  output: number;
}
export interface PriceTable {
  asOf: string;
  peakWindowsUtc: Array<{ days: number[]; fromHour: number; toHour: number }>;
  models: Record<string, { offPeak: Rate; peak: Rate }>;
  aliases?: Record<string, string>;
}

export const DEFAULT_PRICES: PriceTable = defaultPrices;

/** True when `at` falls in a peak window (UTC weekday and hour). */
export function isPeak(at: Date, table: PriceTable = DEFAULT_PRICES): boolean {
  const day = at.getUTCDay();
  const hour = at.getUTCHours();
  return table.peakWindowsUtc.some((w) => w.days.includes(day) && hour >= w.fromHour && hour < w.toHour);
}

/** The rate for `model` at `at`, or undefined for a model the table does not know (e.g. a local one). */
export function rateFor(model: string, at: Date, table: PriceTable = DEFAULT_PRICES): Rate | undefined {
  const m = table.models[model] ?? table.models[table.aliases?.[model] ?? ''];
  return m && (isPeak(at, table) ? m.peak : m.offPeak);
}

/** Cost in USD of `usage` on `model` at `at`; undefined when the model has no known price. */
export function costOf(usage: Usage, model: string, at: Date, table: PriceTable = DEFAULT_PRICES): number | undefined {
  const r = rateFor(model, at, table);
  if (!r) return undefined;
  return (usage.cacheHitTokens * r.cacheHit + usage.cacheMissTokens * r.cacheMiss + usage.completionTokens * r.output) / 1_000_000;
}
