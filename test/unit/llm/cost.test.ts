// Prices, peak windows, user overrides, the pre-send estimate and the confirmation rule.
import * as assert from 'node:assert/strict';
import {
  costBreakdown,
  costOf,
  DEFAULT_PRICES,
  formatUsd,
  isPeak,
  mergePrices,
  needsConfirmation,
  priceEstimate,
  rateFor,
} from '../../../src/llm/cost';

// 2026-11-04 is a Wednesday; 2026-11-07 a Saturday.
const WED_0200 = new Date(Date.UTC(2026, 10, 4, 2, 30));
const WED_0500 = new Date(Date.UTC(2026, 10, 4, 5, 0));
const WED_0959 = new Date(Date.UTC(2026, 10, 4, 9, 59));
const WED_1000 = new Date(Date.UTC(2026, 10, 4, 10, 0));
const SAT_0200 = new Date(Date.UTC(2026, 10, 7, 2, 0));
const usage = { promptTokens: 1_000_000, cacheHitTokens: 900_000, cacheMissTokens: 100_000, completionTokens: 10_000 };

describe('cost: prices and peak windows', () => {
  it('knows peak hours: Mon-Fri 01-04 and 06-10 UTC, end hour exclusive', () => {
    assert.deepEqual(
      [WED_0200, WED_0500, WED_0959, WED_1000, SAT_0200].map((d) => isPeak(d)),
      [true, false, true, false, false],
    );
  });

  it('prices hit, miss and output per 1M tokens, doubled at peak', () => {
    const off = costBreakdown(usage, 'deepseek-v4-pro', WED_0500)!;
    assert.ok(Math.abs(off.hitUsd - 0.9 * 0.022) < 1e-12);
    assert.ok(Math.abs(off.missUsd - 0.1 * 0.66) < 1e-12);
    assert.ok(Math.abs(off.outputUsd - 0.01 * 1.98) < 1e-12);
    assert.ok(Math.abs(off.totalUsd - (0.0198 + 0.066 + 0.0198)) < 1e-12);
    assert.equal(off.peak, false);
    assert.equal(off.asOf, DEFAULT_PRICES.asOf);
    const peak = costBreakdown(usage, 'deepseek-v4-pro', WED_0200)!;
    assert.ok(Math.abs(peak.totalUsd - 2 * off.totalUsd) < 1e-12);
    assert.equal(peak.peak, true);
  });

  it('resolves aliases and leaves unknown (local) models unpriced', () => {
    assert.deepEqual(rateFor('deepseek-v4-flash', WED_0500), rateFor('deepseek-flash', WED_0500));
    assert.equal(costOf(usage, 'llama-local', WED_0500), undefined);
  });
});

describe('cost: user overrides', () => {
  it('overrides single fields of a known model and keeps the rest', () => {
    const { table, errors } = mergePrices(DEFAULT_PRICES, {
      asOf: '2027-01-15',
      models: { 'deepseek-v4-pro': { offPeak: { cacheMiss: 0.5 } } },
    });
    assert.deepEqual(errors, []);
    assert.equal(table.asOf, '2027-01-15');
    assert.deepEqual(table.models['deepseek-v4-pro']!.offPeak, { cacheHit: 0.022, cacheMiss: 0.5, output: 1.98 });
    assert.deepEqual(table.models['deepseek-v4-pro']!.peak, DEFAULT_PRICES.models['deepseek-v4-pro']!.peak);
    assert.equal(DEFAULT_PRICES.models['deepseek-v4-pro']!.offPeak.cacheMiss, 0.66, 'the defaults are not mutated');
  });

  it('adds a new model; offPeak alone also applies at peak', () => {
    const { table, errors } = mergePrices(DEFAULT_PRICES, {
      models: { 'my-proxy-model': { offPeak: { cacheHit: 0.1, cacheMiss: 1, output: 2 } } },
    });
    assert.deepEqual(errors, []);
    assert.equal(costOf(usage, 'my-proxy-model', WED_0200, table), costOf(usage, 'my-proxy-model', WED_0500, table));
  });

  it('replaces the peak windows (an empty list: always off-peak)', () => {
    const { table } = mergePrices(DEFAULT_PRICES, { peakWindowsUtc: [] });
    assert.equal(isPeak(WED_0200, table), false);
  });

  it('reports every bad part clearly, ignores it, and applies the good parts', () => {
    const { table, errors } = mergePrices(DEFAULT_PRICES, {
      asOf: '',
      colour: 'blue',
      peakWindowsUtc: [{ days: [9], fromHour: 1, toHour: 4 }],
      models: {
        'deepseek-flash': { offPeak: { cacheHit: -1 } },
        'new-model': { peak: { cacheHit: 1, cacheMiss: 1, output: 1 } },
        'deepseek-v4-pro': { offPeak: { output: 1.5, typo: 3 } },
      },
    });
    assert.equal(table.asOf, DEFAULT_PRICES.asOf);
    assert.deepEqual(table.peakWindowsUtc, DEFAULT_PRICES.peakWindowsUtc);
    assert.deepEqual(table.models['deepseek-flash'], DEFAULT_PRICES.models['deepseek-flash']);
    assert.equal(table.models['new-model'], undefined);
    assert.equal(table.models['deepseek-v4-pro']!.offPeak.output, 1.5, 'the valid field of a partly bad model applies');
    const text = errors.join('\n');
    for (const expected of [
      /asOf must be/,
      /unknown price setting "colour"/,
      /peakWindowsUtc must be/,
      /deepseek-flash\.offPeak\.cacheHit must be a number >= 0/,
      /new-model needs valid "offPeak"/,
      /deepseek-v4-pro\.offPeak\.typo is not a price/,
    ]) {
      assert.match(text, expected);
    }
  });

  it('refuses a non-object override without losing the defaults', () => {
    const { table, errors } = mergePrices(DEFAULT_PRICES, 'cheap please');
    assert.equal(errors.length, 1);
    assert.deepEqual(table.models, DEFAULT_PRICES.models);
    assert.deepEqual(mergePrices(DEFAULT_PRICES, undefined).errors, []);
  });
});

describe('cost: estimate and confirmation', () => {
  const base = {
    model: 'deepseek-v4-pro',
    promptTokens: 500_000,
    predictedHitTokens: 450_000,
    expectedOutputTokens: 2_000,
    maxOutputTokens: 32_768,
  };

  it('prices predicted hits, misses and the expected and maximum output', () => {
    const e = priceEstimate(base, WED_0500);
    const input = (450_000 * 0.022 + 50_000 * 0.66) / 1e6;
    assert.ok(Math.abs(e.expectedUsd! - (input + (2_000 * 1.98) / 1e6)) < 1e-12);
    assert.ok(Math.abs(e.maxUsd! - (input + (32_768 * 1.98) / 1e6)) < 1e-12);
    assert.equal(e.peak, false);
  });

  it('adds a warm-up: its input and one output token', () => {
    const plain = priceEstimate(base, WED_0500);
    const warmed = priceEstimate({ ...base, warmup: { promptTokens: 400_000, predictedHitTokens: 0 } }, WED_0500);
    assert.ok(Math.abs(warmed.expectedUsd! - plain.expectedUsd! - (400_000 * 0.66 + 1.98) / 1e6) < 1e-12);
  });

  it('asks only above a positive threshold, and never for an unpriced model', () => {
    const e = priceEstimate(base, WED_0500);
    assert.equal(needsConfirmation(e, e.expectedUsd! * 0.99), true);
    assert.equal(needsConfirmation(e, e.expectedUsd! * 1.01), false);
    assert.equal(needsConfirmation(e, 0), false);
    assert.equal(needsConfirmation(e, undefined), false);
    const local = priceEstimate({ ...base, model: 'llama-local' }, WED_0500);
    assert.equal(local.expectedUsd, undefined);
    assert.equal(needsConfirmation(local, 0.0001), false);
  });

  it('formats dollars for people', () => {
    assert.deepEqual([0, 0.00001, 0.012345, 0.5, 3.456].map(formatUsd), ['$0', '<$0.0001', '$0.0123', '$0.5', '$3.46']);
  });
});
