// Folds the `data:` events of one streamed chat completion into the answer: thinking
// (`reasoning_content`) and answer (`content`) accumulated and forwarded as deltas, the last
// finish_reason, usage from the finish chunk or the trailing `choices: []` chunk, the model the
// server reports, and errors sent inside the stream. It decides nothing about outcomes.
import { serverMessage } from './errors';
import type { StreamHandlers, Usage } from './types';
import { readUsage, type WireUsage } from './usage';

/** One `chat.completion.chunk` as DeepSeek sends it (`reasoning_content` is not in the SDK's types). */
interface WireChunk {
  model?: unknown;
  choices?: Array<{ delta?: { content?: unknown; reasoning_content?: unknown } | null; finish_reason?: unknown }> | null;
  usage?: WireUsage | null;
  error?: unknown;
}

export class AnswerAccumulator {
  content = '';
  reasoning = '';
  finishReason: string | undefined;
  usage: Usage | undefined;
  model: string | undefined;
  /** `[DONE]` arrived. */
  done = false;
  /** The server's message when the stream carried an error (or unreadable data). */
  streamError: string | undefined;
  /** Named events other than `error` that were skipped (logged by the caller). */
  skipped: string[] = [];

  constructor(private readonly handlers: StreamHandlers) {}

  /** True once any thinking or answer text reached the handlers (no silent retry after that). */
  get shown(): boolean {
    return this.content.length > 0 || this.reasoning.length > 0;
  }

  /** Applies one SSE event; returns false when reading must stop (`[DONE]`, an error, unreadable data). */
  apply(event: string | undefined, data: string): boolean {
    if (event === 'error') {
      this.streamError = serverMessage(safeJson(data)) ?? (data.trim().slice(0, 200) || 'the server reported an error');
      return false;
    }
    if (event !== undefined && event !== 'message') {
      this.skipped.push(event);
      return true;
    }
    if (data === '') return true; // a bare `data` line: nothing to parse
    if (data.trim() === '[DONE]') {
      this.done = true;
      return false;
    }
    const chunk = safeJson(data) as WireChunk | undefined;
    if (!chunk || typeof chunk !== 'object') {
      this.streamError = 'the server sent data that is not JSON';
      return false;
    }
    if (chunk.error) {
      this.streamError = serverMessage(chunk) ?? 'the server reported an error';
      return false;
    }
    if (typeof chunk.model === 'string' && chunk.model) this.model = chunk.model;
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    const delta = choice?.delta;
    if (delta && typeof delta.reasoning_content === 'string' && delta.reasoning_content) {
      this.reasoning += delta.reasoning_content;
      this.handlers.onReasoning?.(delta.reasoning_content);
    }
    if (delta && typeof delta.content === 'string' && delta.content) {
      this.content += delta.content;
      this.handlers.onContent?.(delta.content);
    }
    if (typeof choice?.finish_reason === 'string' && choice.finish_reason) this.finishReason = choice.finish_reason;
    if (chunk.usage && typeof chunk.usage === 'object') this.usage = readUsage(chunk.usage);
    return true;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
