// The status bar item with what the last answer cost: billed input tokens (cache hits and misses),
// output tokens and USD, and the running total of its conversation. Every view reports its answers
// here; clicking it opens the Context view (what the next question would send).
import * as vscode from 'vscode';
import { formatUsd } from '../llm/cost';
import type { UsageSummary } from '../protocol/messages';

const num = (n: number) => n.toLocaleString('en-US');

export class CostStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('deepseekRepo.cost', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'DeepSeek Repo: cost';
    this.item.command = 'deepseekRepo.showContext';
  }

  /**
   * Shows a turn's billed usage and cost (its warm-up included) and the conversation's total (USD; undefined for
   * unpriced models).
   */
  report(usage: UsageSummary, conversationUsd: number | undefined): void {
    const hit = usage.promptTokens ? Math.round((100 * usage.cacheHitTokens) / usage.promptTokens) : 0;
    const cost = usage.costUsd !== undefined ? formatUsd(usage.costUsd) : 'unpriced';
    this.item.text = `$(pulse) ${cost} · ${hit}% cached`;
    this.item.tooltip = new vscode.MarkdownString(
      [
        `**Last turn** on \`${usage.model ?? 'the model'}\`: ${cost}` +
          (usage.warmupUsd ? ` (with the cache warm-up's ${formatUsd(usage.warmupUsd)})` : ''),
        `- input ${num(usage.promptTokens)} tokens: ${num(usage.cacheHitTokens)} from DeepSeek's cache, ` +
          `${num(usage.cacheMissTokens)} missed`,
        `- output ${num(usage.completionTokens)} ` +
          `tokens${usage.reasoningTokens ? ` (${num(usage.reasoningTokens)} thinking)` : ''}`,
        ...(conversationUsd !== undefined ? [`\n**This conversation** so far: ${formatUsd(conversationUsd)}`] : []),
        '\nClick to see what the next question would send.',
      ].join('\n'),
    );
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
