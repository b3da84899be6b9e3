// `ask --json`: the session's events as the NDJSON events of src/protocol/cliEvents.ts, one a line.
// The mapping is exhaustive, so a new session event fails to compile until it has its NDJSON event
// (or a decision to print none).
import type { SessionListener } from '../chat/sessionTypes';
import type { CostBreakdown } from '../llm/cost';
import type { CliEvent } from '../protocol/cliEvents';
import { endError } from './clientEnv';

/** Maps session events to the NDJSON events of src/protocol/cliEvents.ts. */
export function jsonPrinter(
  emit: (event: CliEvent) => void,
  { conversation }: { conversation?: string | undefined } = {},
): SessionListener {
  let answer: CostBreakdown | undefined;
  return (e) => {
    switch (e.type) {
      case 'context': {
        const { estimate } = e;
        return emit({
          type: 'context',
          files: e.files,
          outlined: e.outlined,
          excluded: e.excluded,
          redactions: e.redactions,
          repositoryTokens: e.repositoryTokens,
          ...(e.update ? { update: e.update } : {}),
          ...(e.rebased ? { rebased: e.rebased } : {}),
          warmup: e.warmup,
          ...(e.windowTokens !== undefined ? { windowTokens: e.windowTokens } : {}),
          ...(e.images ? { images: e.images } : {}),
          promptTokens: estimate.promptTokens,
          predictedHitTokens: estimate.predictedHitTokens,
          ...(estimate.expectedUsd !== undefined ? { estimatedCostUsd: estimate.expectedUsd } : {}),
          ...(estimate.inputUsd !== undefined ? { estimatedInputUsd: estimate.inputUsd } : {}),
          ...(estimate.maxUsd !== undefined ? { estimatedMaxUsd: estimate.maxUsd } : {}),
        });
      }
      case 'warmup':
        return emit({
          type: 'warmup',
          promptTokens: e.usage?.promptTokens ?? 0,
          cacheHitTokens: e.usage?.cacheHitTokens ?? 0,
          ...(e.costUsd !== undefined ? { costUsd: e.costUsd } : {}),
        });
      case 'usage':
        answer = e.cost;
        return emit({
          type: 'usage',
          promptTokens: e.usage.promptTokens,
          cacheHitTokens: e.usage.cacheHitTokens,
          cacheMissTokens: e.usage.cacheMissTokens,
          completionTokens: e.usage.completionTokens,
        });
      case 'retry':
        return emit({ type: 'retry', attempt: e.attempt, delayMs: e.delayMs, error: endError(e.error) });
      case 'tool_call':
        return emit({ type: 'tool_call', id: e.id, name: e.name, arguments: e.arguments });
      case 'tool_result':
        return emit({ type: 'tool_result', id: e.id, name: e.name, ok: e.ok, summary: e.summary });
      case 'step': // each step's request shows in its own reasoning, content and usage events
        return;
      case 'end':
        if (answer)
          emit({
            type: 'cost',
            answerUsd: answer.totalUsd,
            ...(e.turnCostUsd !== undefined ? { turnUsd: e.turnCostUsd } : {}),
            conversationUsd: e.conversationCostUsd,
            peak: answer.peak,
            asOf: answer.asOf,
          });
        return emit({
          type: 'end',
          outcome: e.outcome,
          ...(e.finishReason ? { finishReason: e.finishReason } : {}),
          ...(e.error ? { error: endError(e.error) } : {}),
          ...(e.warning ? { warning: e.warning } : {}),
          ...(e.steps ? { steps: e.steps } : {}),
          ...(e.stopped ? { stopped: e.stopped } : {}),
          ...(conversation ? { conversation } : {}),
        });
      case 'window':
        return emit({
          type: 'window',
          windowTokens: e.windowTokens,
          previousTokens: e.previousTokens,
          message: e.message,
        });
      case 'reasoning':
      case 'content':
        return emit({ type: e.type, text: e.text });
      default:
        return e satisfies never; // a new session event needs its NDJSON event (or a decision to print none)
    }
  };
}
