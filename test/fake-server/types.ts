// The fake DeepSeek server's vocabulary: what it records of a request, the chat body it parses, the
// scripted replies and SSE steps a scenario returns, the billing hook, its options and its handle.
import type * as http from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (chat completions). */
  body: ChatBody | undefined;
  /** Set when the client closed the connection before the response ended. */
  aborted: boolean;
  /** Set once the response finished. */
  finished: boolean;
  /** `performance.now()` when the request's headers arrived (ms): the request is on the wire. */
  startedAt: number;
}

export interface ChatBody {
  model: string;
  messages: {
    role: string;
    /**
     * A string; in a user message with images, content parts (text and `image_url`) instead: read
     * those through vision.ts (`textOf`, `imageUrlsOf`). Typed as a string so the many tests that
     * read the text of requests without images stay simple.
     */
    content: string | null;
    reasoning_content?: string | null;
    tool_calls?: WireToolCall[];
    tool_call_id?: string;
  }[];
  tools?: unknown[];
  tool_choice?: unknown;
  max_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  thinking?: { type: string };
  reasoning_effort?: string;
  [k: string]: unknown;
}

/** One step of a scripted SSE response. */
export type Step =
  /** `count` (default 1, may be Infinity) `: keep-alive` comments, `everyMs` apart. */
  | { kind: 'keepalive'; count?: number; everyMs?: number }
  | { kind: 'reasoning'; text: string }
  | { kind: 'content'; text: string }
  /**
   * A tool call in OpenAI's indexed stream form: a first delta with index, id, type, name and empty
   * arguments, then the arguments in `pieces` deltas (default: about 24 characters each).
   */
  | { kind: 'toolCall'; id: string; name: string; arguments: string; pieces?: number }
  | { kind: 'finish'; reason: string | null }
  | { kind: 'usage'; usage?: Partial<WireUsage> }
  | { kind: 'error'; message: string; type?: string }
  | { kind: 'raw'; text: string }
  /** Exact bytes (a UTF-8 sequence split across writes, a corpus chunk). */
  | { kind: 'bytes'; data: Uint8Array }
  | { kind: 'done' }
  | { kind: 'wait'; ms: number }
  /** Send nothing more until `ready` settles: a test that must see the stream so far says when it has. */
  | { kind: 'until'; ready: Promise<unknown> }
  /** Send nothing more and keep the connection open until the client leaves. */
  | { kind: 'stall' }
  /** Close the socket after what was written (FIN: no [DONE], no finish). */
  | { kind: 'cut' }
  /** Reset the connection (RST: the client sees ECONNRESET). */
  | { kind: 'reset' };

/** A tool call as the wire carries it (and as an assistant message sends it back). */
export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** What a response produced: the text the billing hook renders after the input. */
export interface Output {
  reasoning: string;
  content: string;
  toolCalls?: WireToolCall[];
}

export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_cache_hit_tokens: number;
  prompt_cache_miss_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export type Reply =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | {
      steps: Step[];
      /** Wait before the status line and headers. */
      delayMs?: number;
      headers?: Record<string, string>;
      /** Close the connection (FIN) once this many body bytes were sent, even mid-event or mid-character. */
      cutAfterBytes?: number;
      /** Send the body `bytes` at a time, `everyMs` apart (a slow link). */
      trickle?: { bytes: number; everyMs: number };
    };

export interface Billing {
  promptTokens: number;
  hitTokens: number;
}

export interface FakeServerOptions {
  /** Keys accepted as `Authorization: Bearer KEY`; empty accepts any. */
  apiKeys?: string[];
  /** Decides the reply to each chat request; default: `defaultReply`. */
  scenario?: Scenario;
  /**
   * Bills a request (prompt tokens and cache hits) once its output is known (see cacheModel.ts); default: ~4 bytes per
   * token, no hits.
   */
  billing?: (body: ChatBody, output: Output) => Billing;
  /**
   * Accept requests that break DeepSeek's history rules (deepseekRules.ts) instead of answering
   * them with DeepSeek's 400; default false.
   */
  lenient?: boolean;
  /** Milliseconds between streamed steps. */
  stepDelayMs?: number;
  /** `GET /models`: ids, or entries with more fields (a context window: `context_length`, `max_model_len`, …). */
  models?: (string | { id: string; [field: string]: unknown })[];
  /**
   * Answers Ollama's `GET /api/ps` (at the root, not under /v1) with these loaded models; absent: 404, as any other
   * server.
   */
  running?: { name: string; model?: string; context_length?: unknown }[];
  /**
   * Models that accept images (default: DeepSeek's vision models, vision.ts); images to any other are refused with
   * 400.
   */
  visionModels?: string[];
  /** Port to listen on (default: any free port) and host (default 127.0.0.1). */
  port?: number;
  host?: string;
  /**
   * Reached by this machine's host name instead of an address: a base URL the extension does not
   * judge local (it reads the URL as written, without resolving it), so it asks for an API key as it
   * would for a remote endpoint, while the requests still come here. Listens on the address the name
   * resolves to; fails if it does not resolve.
   */
  byHostName?: boolean;
}

/**
 * Decides a reply. `index` counts chat requests (from 0); `attempt` counts earlier requests with
 * the byte-identical body, so "fail first, then succeed" scripts a client's retry.
 */
export type Scenario = (body: ChatBody, index: number, attempt: number) => Reply;

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  chatRequests(): RecordedRequest[];
  setScenario(s: FakeServerOptions['scenario']): void;
  close(): Promise<void>;
}
