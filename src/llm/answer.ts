// Folds the `data:` events of one streamed chat completion into the answer: thinking
// (`reasoning_content`) and answer (`content`) accumulated and forwarded as deltas, the last
// finish_reason, usage from the finish chunk or the trailing `choices: []` chunk, the model the
// server reports, and errors sent inside the stream. It decides nothing about outcomes.
// Other OpenAI-compatible servers send thinking as `reasoning` (OpenRouter, Ollama, newer vLLM) or
// inline, as a `<think>…</think>` block opening the content (llama.cpp, LM Studio and Ollama with
// reasoning models when they do not split it out); both are read as thinking too, so it shows in
// the thinking block and is never sent back as part of an answer. Tool calls arrive in OpenAI's
// indexed form and are gathered by toolCalls.ts.
import { serverMessage } from './errors';
import { ToolCallAccumulator } from './toolCalls';
import type { StreamHandlers, ToolCall, Usage } from './types';
import { readUsage, type WireUsage } from './usage';

/**
 * One `chat.completion.chunk` as DeepSeek sends it (`reasoning_content` is not in the SDK's types; `reasoning` is other
 * servers' name for it).
 */
interface WireChunk {
  model?: unknown;
  choices?:
    | {
        delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown; tool_calls?: unknown } | null;
        finish_reason?: unknown;
      }[]
    | null;
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
  /**
   * Where the content is: before its first non-blank text, in an inline `<think>` block, after it (blanks dropped), or
   * in the answer.
   */
  private phase: 'start' | 'think' | 'gap' | 'answer' = 'start';
  /** Content held back until it can be told apart: a tag may arrive split across deltas. */
  private held = '';
  private readonly calls: ToolCallAccumulator;

  constructor(private readonly handlers: StreamHandlers) {
    this.calls = new ToolCallAccumulator(handlers);
  }

  /** True once any thinking, answer or tool call reached the handlers (no silent retry after that). */
  get shown(): boolean {
    return this.content.length > 0 || this.reasoning.length > 0 || this.calls.count > 0;
  }

  /** The tool calls streamed so far, in index order (empty when none). */
  get toolCalls(): ToolCall[] {
    return this.calls.result();
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
    // A server that sends both names (vLLM while renaming) sends the same text twice: `reasoning_content` wins.
    const thought = nonEmpty(delta?.reasoning_content) ?? nonEmpty(delta?.reasoning);
    if (thought) this.addReasoning(thought);
    const text = nonEmpty(delta?.content);
    if (text) this.addContent(text);
    if (Array.isArray(delta?.tool_calls)) this.calls.apply(delta.tool_calls);
    if (typeof choice?.finish_reason === 'string' && choice.finish_reason) this.finishReason = choice.finish_reason;
    if (chunk.usage && typeof chunk.usage === 'object') this.usage = readUsage(chunk.usage);
    return true;
  }

  /** Hands over what is still held back (the stream ended); call before reading `content` for the last time. */
  flush(): void {
    const held = this.held;
    this.held = '';
    if (this.phase === 'think') this.addReasoning(held);
    else if (this.phase === 'start') this.emitContent(held);
  }

  private addReasoning(text: string): void {
    if (!text) return;
    this.reasoning += text;
    this.handlers.onReasoning?.(text);
  }

  private emitContent(text: string): void {
    if (!text) return;
    this.content += text;
    this.handlers.onContent?.(text);
  }

  /**
   * Routes content: an opening `<think>` block to the thinking (unless the server already sent thinking apart), the
   * rest to the answer.
   */
  private addContent(text: string): void {
    if (this.phase === 'answer') return this.emitContent(text);
    this.held += text;
    if (this.phase === 'start') {
      const lead = this.held.trimStart();
      if (!this.reasoning && lead.startsWith(OPEN)) {
        this.phase = 'think';
        this.held = lead.slice(OPEN.length);
      } else if (!this.reasoning && OPEN.startsWith(lead)) {
        return; // blank, or the start of a tag: wait for more
      } else {
        return this.releaseAsAnswer();
      }
    }
    if (this.phase === 'think') {
      const close = this.held.indexOf(CLOSE);
      if (close < 0) {
        const keep = partialTagAt(this.held, CLOSE); // a `</thi` at the end may be the tag, split
        this.addReasoning(this.held.slice(0, this.held.length - keep));
        this.held = this.held.slice(this.held.length - keep);
        return;
      }
      this.addReasoning(this.held.slice(0, close));
      this.held = this.held.slice(close + CLOSE.length);
      this.phase = 'gap';
    }
    // 'gap': the blank lines between the thinking and the answer are dropped.
    this.held = this.held.trimStart();
    if (this.held) this.releaseAsAnswer();
  }

  private releaseAsAnswer(): void {
    const held = this.held;
    this.held = '';
    this.phase = 'answer';
    this.emitContent(held);
  }
}

const OPEN = '<think>';
const CLOSE = '</think>';

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** How many characters at the end of `text` are the start of `tag` (0 when none). */
function partialTagAt(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) if (text.endsWith(tag.slice(0, n))) return n;
  return 0;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
