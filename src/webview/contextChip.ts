// The context chip above an answer in words: what the request sends (files, tokens, images, the
// window it was fitted to), then the cache hits and cost (predicted while it runs, billed once
// answered). Pure text, so the words can be tested and changed apart from the turn's DOM.
import type { ContextSummary, UsageSummary } from '../protocol/messages';
import { formatTokens, formatUsd, formatWindow } from './dom';

/**
 * The chip's text and tooltip: files, tokens, cache hits (predicted, then billed) and cost. An
 * `ended` turn without usage (it failed, or was stopped before anything was billed) drops the
 * estimate: it no longer predicts anything.
 */
export function chipText(
  c: ContextSummary | undefined,
  u: UsageSummary | undefined,
  opts: { ended?: boolean } = {},
): { text: string; title: string } {
  const parts: string[] = [];
  const title: string[] = [];
  if (c) {
    parts.push(`${c.files} files`, `${formatTokens(c.tokens)} tokens`);
    title.push(
      `${c.files} files whole, ${c.outlined} outlined, ${c.excluded} excluded, ${c.redactions} secrets ` +
        `redacted; ${c.tokens.toLocaleString('en-US')} tokens of repository.`,
    );
    if (c.images) {
      parts.push(`${c.images.count} image${c.images.count === 1 ? '' : 's'}`);
      title.push(
        `${c.images.count} image${c.images.count === 1 ? '' : 's'}, estimated at ` +
          `~${c.images.tokens.toLocaleString('en-US')} tokens (the bill says exactly).`,
      );
    }
    if (c.joined?.length) {
      const n = c.joined.length;
      parts.push(`+${n} file${n === 1 ? '' : 's'} joined`);
      title.push(
        `Joined whole for this question (the conversation's repository block had ${n === 1 ? 'it' : 'them'} ` +
          `only in part): ${c.joined
            .map((j) => `${j.path} (was ${j.was}${j.reasons.length ? `; ${j.reasons.join(', ')}` : ''})`)
            .join('; ')}.`,
      );
    }
    if (c.windowTokens !== undefined) {
      parts.push(`${formatWindow(c.windowTokens)} window`);
      title.push(`Fitted to the model's ${c.windowTokens.toLocaleString('en-US')}-token context window.`);
    }
  }
  if (u) {
    const pct = u.promptTokens ? Math.round((100 * u.cacheHitTokens) / u.promptTokens) : 0;
    parts.push(`${pct}% cached`);
    if (u.costUsd !== undefined) parts.push(formatUsd(u.costUsd));
    title.push(
      `Billed: ${u.cacheHitTokens.toLocaleString('en-US')} input tokens from cache, ` +
        `${u.cacheMissTokens.toLocaleString('en-US')} not cached, ` +
        `${u.completionTokens.toLocaleString('en-US')} output` +
        `${u.reasoningTokens ? ` (${u.reasoningTokens.toLocaleString('en-US')} thinking)` : ''}` +
        `${u.costUsd !== undefined ? `; ${formatUsd(u.costUsd)}` : ''}` +
        `${u.warmupUsd ? ` with the cache warm-up's ${formatUsd(u.warmupUsd)}` : ''}` +
        `${u.model ? ` on ${u.model}` : ''}.`,
    );
  } else if (c && !opts.ended) {
    const input = c.inputTokens ?? c.tokens;
    if (c.predictedHitTokens !== undefined && input)
      parts.push(`~${Math.min(100, Math.round((100 * c.predictedHitTokens) / input))}% cache expected`);
    // Output is known only once answered: the input's estimate, plus a range up to max_tokens.
    if (c.estimatedInputUsd !== undefined && c.estimatedMaxUsd !== undefined)
      parts.push(
        `~${formatUsd(c.estimatedInputUsd)} + ` +
          `≤${formatUsd(Math.max(0, c.estimatedMaxUsd - c.estimatedInputUsd))} output`,
      );
    else if (c.estimatedCostUsd !== undefined) parts.push(`~${formatUsd(c.estimatedCostUsd)}`);
    if (c.estimateNote) title.push(`Estimate: ${c.estimateNote}`);
  }
  title.push('Click to inspect the context.');
  return { text: parts.join(' · '), title: title.join(' ') };
}
