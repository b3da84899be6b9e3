// Cost of a request from its usage and the price table (src/llm/prices.json, overridable from a
// setting). Prices change often: they live in data, never in code paths. Also the pre-send
// estimate's price and the confirmation rule, so the extension and the CLI decide alike.
import defaultPrices from './prices.json';
import type { Usage } from './types';

export interface Rate {
  /** USD per 1M tokens. */
  cacheHit: number;
  cacheMiss: number;
  output: number;
}
export interface PeakWindow {
  /** UTC weekdays, 0 = Sunday. */
  days: number[];
  /** UTC hours, `fromHour` inclusive, `toHour` exclusive. */
  fromHour: number;
  toHour: number;
}
export interface PriceTable {
  /** The date the prices were checked (YYYY-MM-DD), shown next to every cost. */
  asOf: string;
  currency?: string;
  unit?: string;
  source?: string;
  peakWindowsUtc: PeakWindow[];
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
  return costBreakdown(usage, model, at, table)?.totalUsd;
}

/** What a request cost, split by kind of token (USD), with the price basis. */
export interface CostBreakdown {
  hitUsd: number;
  missUsd: number;
  outputUsd: number;
  totalUsd: number;
  peak: boolean;
  asOf: string;
}

/** The cost of `usage` split by hit/miss/output (USD); undefined when the model has no known price. */
export function costBreakdown(
  usage: Usage,
  model: string,
  at: Date,
  table: PriceTable = DEFAULT_PRICES,
): CostBreakdown | undefined {
  const r = rateFor(model, at, table);
  if (!r) return undefined;
  const hitUsd = (usage.cacheHitTokens * r.cacheHit) / 1_000_000;
  const missUsd = (usage.cacheMissTokens * r.cacheMiss) / 1_000_000;
  const outputUsd = (usage.completionTokens * r.output) / 1_000_000;
  return {
    hitUsd,
    missUsd,
    outputUsd,
    totalUsd: hitUsd + missUsd + outputUsd,
    peak: isPeak(at, table),
    asOf: table.asOf,
  };
}

/** A prediction made before sending: tokens and the USD they are expected to cost. */
export interface CostEstimate {
  model: string;
  /** Estimated input tokens of the request. */
  promptTokens: number;
  /** Of those, tokens predicted to hit DeepSeek's cache. */
  predictedHitTokens: number;
  /** A cache warm-up request sent first (1 output token), when the plan sends one. */
  warmup?: { promptTokens: number; predictedHitTokens: number };
  /** Output tokens assumed for the answer (the conversation's average so far, or a default). */
  expectedOutputTokens: number;
  /** `max_tokens` of the request: the most the answer can cost. */
  maxOutputTokens: number;
  /**
   * Cost of the input, warm-up included, as the cache prediction has it (USD): the part known before
   * the answer. Undefined when the model has no known price.
   */
  inputUsd?: number;
  /** Input tokens predicted to miss the cache, warm-up included: what `inputUsd` mostly pays for. */
  missTokens: number;
  /**
   * Cost of the input (warm-up included) plus `expectedOutputTokens` (USD); undefined when the model has no
   * known price.
   */
  expectedUsd?: number;
  /** Cost of the input plus `maxOutputTokens` (USD). */
  maxUsd?: number;
  peak: boolean;
  asOf: string;
}

/** Prices an estimate's tokens at `at` (USD fields stay undefined for an unpriced model). */
export function priceEstimate(
  e: Omit<CostEstimate, 'inputUsd' | 'missTokens' | 'expectedUsd' | 'maxUsd' | 'peak' | 'asOf'>,
  at: Date,
  table: PriceTable = DEFAULT_PRICES,
): CostEstimate {
  const prompt = e.promptTokens + (e.warmup?.promptTokens ?? 0);
  const hit = e.predictedHitTokens + (e.warmup?.predictedHitTokens ?? 0);
  const input = { promptTokens: prompt, cacheHitTokens: hit, cacheMissTokens: prompt - hit };
  const extra = e.warmup ? 1 : 0;
  const inputOnly = costOf({ ...input, completionTokens: 0 }, e.model, at, table);
  const expected = costOf({ ...input, completionTokens: e.expectedOutputTokens + extra }, e.model, at, table);
  const max = costOf({ ...input, completionTokens: e.maxOutputTokens + extra }, e.model, at, table);
  return {
    ...e,
    missTokens: prompt - hit,
    ...(inputOnly !== undefined ? { inputUsd: inputOnly } : {}),
    ...(expected !== undefined ? { expectedUsd: expected } : {}),
    ...(max !== undefined ? { maxUsd: max } : {}),
    peak: isPeak(at, table),
    asOf: table.asOf,
  };
}

/**
 * Whether the user must confirm before sending: the expected cost (USD) exceeds `thresholdUsd`.
 * No threshold (undefined, 0 or negative) never asks; an unpriced model cannot be judged and never asks.
 */
export function needsConfirmation(estimate: CostEstimate, thresholdUsd: number | undefined): boolean {
  if (thresholdUsd === undefined || !(thresholdUsd > 0) || estimate.expectedUsd === undefined) return false;
  return estimate.expectedUsd > thresholdUsd;
}

/** A dollar amount for people: 3 significant digits under $1, cents above, "<$0.0001" for dust. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  if (usd < 1) return `$${Number(usd.toPrecision(3)).toString()}`;
  return `$${usd.toFixed(2)}`;
}

const RATE_KEYS = ['cacheHit', 'cacheMiss', 'output'] as const;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrice = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function mergeRate(base: Rate | undefined, raw: unknown, where: string, errors: string[]): Rate | undefined {
  if (!isObject(raw)) {
    errors.push(`${where} must be an object like {"cacheHit": 0.02, "cacheMiss": 0.6, "output": 1.8}`);
    return undefined;
  }
  const out: Partial<Rate> = { ...base };
  for (const [k, v] of Object.entries(raw)) {
    if (!(RATE_KEYS as readonly string[]).includes(k))
      errors.push(`${where}.${k} is not a price (use cacheHit, cacheMiss, output)`);
    else if (!isPrice(v)) errors.push(`${where}.${k} must be a number >= 0 (USD per 1M tokens)`);
    else out[k as keyof Rate] = v;
  }
  const missing = RATE_KEYS.filter((k) => out[k] === undefined);
  if (missing.length) {
    errors.push(`${where} is missing ${missing.join(', ')}`);
    return undefined;
  }
  return out as Rate;
}

function parseWindows(raw: unknown, errors: string[]): PeakWindow[] | undefined {
  const ok = (w: unknown): w is PeakWindow =>
    isObject(w) &&
    Array.isArray(w.days) &&
    w.days.every((d) => Number.isInteger(d) && (d as number) >= 0 && (d as number) <= 6) &&
    Number.isInteger(w.fromHour) &&
    Number.isInteger(w.toHour) &&
    (w.fromHour as number) >= 0 &&
    (w.fromHour as number) < (w.toHour as number) &&
    (w.toHour as number) <= 24;
  if (Array.isArray(raw) && raw.every(ok))
    return raw.map((w) => ({ days: [...w.days], fromHour: w.fromHour, toHour: w.toHour }));
  errors.push(
    'peakWindowsUtc must be a list of {"days": [1,2,3,4,5], "fromHour": 1, "toHour": 4} (UTC, days 0 = Sunday)',
  );
  return undefined;
}

/**
 * Merges a user's price override (a setting value: any subset of the price table) over `base`.
 * A new model given only `offPeak` rates costs the same at peak; a known model may override single fields.
 * Invalid parts are reported in `errors` and ignored; the rest applies (bad input loses nothing).
 */
export function mergePrices(base: PriceTable, override: unknown): { table: PriceTable; errors: string[] } {
  const errors: string[] = [];
  const aliases = { ...base.aliases };
  const table: PriceTable = {
    ...base,
    peakWindowsUtc: base.peakWindowsUtc,
    models: { ...base.models },
    aliases,
  };
  if (override === undefined || override === null) return { table, errors };
  if (!isObject(override))
    return { table, errors: ['the price override must be an object (see src/llm/prices.json for the shape)'] };
  for (const [key, value] of Object.entries(override)) {
    if (key === 'asOf' || key === 'currency' || key === 'unit' || key === 'source') {
      if (typeof value === 'string' && value.trim()) table[key] = value;
      else errors.push(`${key} must be a non-empty string`);
    } else if (key === 'peakWindowsUtc') {
      const windows = parseWindows(value, errors);
      if (windows) table.peakWindowsUtc = windows;
    } else if (key === 'aliases') {
      if (isObject(value) && Object.values(value).every((v) => typeof v === 'string')) Object.assign(aliases, value);
      else errors.push('aliases must map model ids to model ids, e.g. {"deepseek-v4-flash": "deepseek-flash"}');
    } else if (key === 'models') {
      if (!isObject(value)) {
        errors.push('models must be an object keyed by model id');
        continue;
      }
      for (const [model, rates] of Object.entries(value)) {
        if (
          !isObject(rates) ||
          Object.keys(rates).some((k) => k !== 'offPeak' && k !== 'peak') ||
          !('offPeak' in rates || 'peak' in rates)
        ) {
          errors.push(`models.${model} must have "offPeak" and optionally "peak" rates`);
          continue;
        }
        const known = table.models[model];
        const offPeak =
          ('offPeak' in rates
            ? mergeRate(known?.offPeak, rates.offPeak, `models.${model}.offPeak`, errors)
            : undefined) ?? known?.offPeak;
        const peak =
          ('peak' in rates
            ? mergeRate(known?.peak ?? offPeak, rates.peak, `models.${model}.peak`, errors)
            : undefined) ??
          known?.peak ??
          offPeak;
        if (offPeak && peak) table.models[model] = { offPeak, peak };
        else errors.push(`models.${model} needs valid "offPeak" rates`);
      }
    } else errors.push(`unknown price setting "${key}" (expected asOf, peakWindowsUtc, models, aliases)`);
  }
  return { table, errors };
}
