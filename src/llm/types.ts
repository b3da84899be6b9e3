// The shapes of a DeepSeek (OpenAI-compatible) chat request and its streamed result, as the rest of
// the program sees them. Wire details (SDK types, `reasoning_content`, DeepSeek's cache fields)
// stay inside src/llm.
import type { Logger } from '../shared/log';

export type ReasoningEffort = 'low' | 'high' | 'max';

/** Parameters that must stay fixed within a conversation (changing any of them loses the cache). */
export interface RequestParams {
  model: string;
  /** `max_tokens` (tokens). */
  maxTokens: number;
  thinking: boolean;
  reasoningEffort: ReasoningEffort;
  /**
   * The model's context window (tokens), when it is not DeepSeek V4's 1,048,576 (see src/chat/requestPlan.ts
   * `fitWindow`); never sent.
   */
  windowTokens?: number;
  /**
   * Functions the model may call (`tools`). Fixed within a conversation like the fields above: the
   * definitions sit in the cached prefix, so they must be byte-identical and in the same order on
   * every request (a changed list loses the cache).
   */
  tools?: ToolDefinition[];
  /**
   * `tool_choice` of one request (default: the server's, `auto` when tools are sent). In thinking
   * mode only `auto` and `none` are allowed (DeepSeek answers 400 otherwise): the client refuses
   * `required` or a named function before sending.
   */
  toolChoice?: ToolChoice;
}

/** A JSON Schema object as the `parameters` of a function (plain data). */
export type JsonSchema = Record<string, JsonValue>;
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One function the model may call, in OpenAI's format (DeepSeek: up to 128, names `[a-zA-Z0-9_-]{1,64}`). */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A part of a user message with images: OpenAI's content parts (an image as a `data:` URL). */
export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export type ChatMessage =
  | { role: 'system'; content: string }
  /** A string, or content parts when the message carries images (vision models only). */
  | { role: 'user'; content: string | ContentPart[] }
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
  | 'config' // missing key, bad base URL
  | 'images_unsupported'; // the model cannot read images (known before sending, or the server refused them)

export interface LlmError {
  kind: ErrorKind;
  status?: number;
  /** A sentence the user can act on. Never contains the API key. */
  message: string;
  requestId?: string;
  /** The model's context window as a too-long error states it (tokens). */
  windowTokens?: number;
}

/** Callbacks of a streaming request; deltas are the new text only. */
export interface StreamHandlers {
  onReasoning?(delta: string): void;
  onContent?(delta: string): void;
  /** Called once, when the stream ends, if the server reported usage. */
  onUsage?(usage: Usage): void;
  /**
   * A retry is scheduled before any token arrived (429/5xx/connection): `attempt` counts from 1, `delayMs` is the wait
   * (ms).
   */
  onRetry?(info: { attempt: number; delayMs: number; error: LlmError }): void;
  /** A `: keep-alive` comment arrived before the first data: the request is queued or prefilling. */
  onKeepAlive?(): void;
  /** A tool call is streaming: `index` in the message, its id and name (once known), and the arguments text so far. */
  onToolCall?(call: { index: number; id: string; name: string; argumentsChars: number }): void;
}

/** Deadlines of one streaming request (milliseconds). Keep-alive comments never count as activity. */
export interface Timeouts {
  /**
   * From sending a request to its first `data:` event: DeepSeek's queue (it gives up after 10 min) plus the prefill of
   * up to 1M tokens.
   */
  firstDataMs: number;
  /** Longest silence between two `data:` events once the first arrived. */
  idleMs: number;
  /** Cap on the whole call, retries included; default derived from `max_tokens`. */
  overallMs: number;
}

/** When and how often a request is retried before any token was shown. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff (ms); doubles per retry, capped at `maxDelayMs`, minus up to 25% jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server's Retry-After longer than this (ms) is not waited out: the error is returned at once. */
  maxRetryAfterMs: number;
}

/** Wall clock and timers: the real ones by default, a fake in tests. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Injected in tests; default: `globalThis.fetch` looked up at call time (VS Code patches it with proxy settings). */
  fetch?: typeof fetch;
  timeouts?: Partial<Timeouts>;
  retry?: Partial<RetryPolicy>;
  /** Receives request ids, statuses, retries and outcomes; never the key or the prompt. */
  logger?: Logger;
  clock?: Clock;
  /** Jitter source in [0, 1); injected in tests. */
  random?: () => number;
}

/**
 * The models an endpoint offers (`GET /models`) and the context window (tokens) of those it reports one for, or why
 * they could not be listed.
 */
export interface ListedModels {
  models: string[];
  windows: ReadonlyMap<string, number>;
  /** Whether models read images, for those the list says (capabilities.ts `reportedVision`). */
  vision?: ReadonlyMap<string, boolean>;
}
export type ModelList = ({ ok: true } & ListedModels) | { ok: false; error: LlmError };

/**
 * The end of a streaming request. `complete`: a finish_reason arrived (`length` included: offer
 * "Continue"). `interrupted`: the stream stopped without one (cut, reset, stall, `[DONE]` without a
 * finish_reason); the partial answer is kept and `error` says why. `error`: nothing usable or the
 * server said no (partial text kept). `cancelled`: the caller aborted.
 */
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
  /**
   * The functions the model called, exactly as received (arguments are the concatenated text, not
   * parsed: they may be invalid JSON). Present when any call streamed; with finish_reason
   * `tool_calls` (or `stop`, as some servers say) the turn asks for them to be run.
   */
  toolCalls?: ToolCall[];
}
