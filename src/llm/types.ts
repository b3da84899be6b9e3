// The shapes of a DeepSeek (OpenAI-compatible) chat request and its streamed result, as the rest of
// the program sees them. Wire details (SDK types, `reasoning_content`, DeepSeek's cache fields)
// stay inside src/llm.

export type ReasoningEffort = 'low' | 'high' | 'max';

/** Parameters that must stay fixed within a conversation (changing any of them loses the cache). */
export interface RequestParams {
  model: string;
  /** `max_tokens` (tokens). */
  maxTokens: number;
  thinking: boolean;
  reasoningEffort: ReasoningEffort;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | {
      role: 'assistant';
      /** Always a string; DeepSeek V4 rejects `null` on later turns. */
      content: string;
      /** Kept with its turn; sent back only where DeepSeek requires it (turns with tool calls). */
      reasoning_content?: string;
      tool_calls?: ToolCall[];
    }
  | { role: 'tool'; content: string; tool_call_id: string };

/** Billed usage of one request (tokens). DeepSeek's own cache fields take precedence. */
export interface Usage {
  promptTokens: number;
  cacheHitTokens: number;
  cacheMissTokens: number;
  completionTokens: number;
  reasoningTokens?: number;
}

export type Outcome = 'complete' | 'interrupted' | 'error' | 'cancelled';

export type ErrorKind =
  | 'auth' // 401: the key was rejected
  | 'balance' // 402: top up
  | 'context_too_long' // 400 about context length: shrink the selection
  | 'bad_request' // other 400 / 422
  | 'rate_limit' // 429 after retries
  | 'server' // 5xx after retries
  | 'network' // DNS, refused, reset, proxy, TLS
  | 'timeout' // no first data / idle / overall deadline
  | 'not_event_stream' // 200 but not text/event-stream (captive portal, wrong base URL)
  | 'content_filter'
  | 'insufficient_resources' // finish_reason insufficient_system_resource
  | 'empty_answer' // finish_reason stop with no content
  | 'stream_error' // an error event inside the stream, or unparsable data
  | 'config'; // missing key, bad base URL

export interface LlmError {
  kind: ErrorKind;
  status?: number;
  /** A sentence the user can act on. Never contains the API key. */
  message: string;
  requestId?: string;
}

/** Callbacks of a streaming request; deltas are the new text only. */
export interface StreamHandlers {
  onReasoning?(delta: string): void;
  onContent?(delta: string): void;
  onUsage?(usage: Usage): void;
  /** A retry is scheduled before any token arrived (429/5xx/connection). */
  onRetry?(info: { attempt: number; delayMs: number; error: LlmError }): void;
}

export interface ChatResult {
  outcome: Outcome;
  content: string;
  reasoning: string;
  finishReason?: string;
  usage?: Usage;
  error?: LlmError;
  /** `response.model` as the server reported it. */
  model?: string;
  requestId?: string;
}
