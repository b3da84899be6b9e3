// A local fake of DeepSeek's OpenAI-compatible API for tests, benchmarks and the end-to-end suites.
// It speaks SSE the way DeepSeek does: `: keep-alive` comments while "queued", a first chunk with
// `reasoning_content: ""`, reasoning deltas, then content deltas, a finish chunk, a usage chunk with
// DeepSeek's `prompt_cache_hit_tokens` / `prompt_cache_miss_tokens`, then `data: [DONE]`.
// A scenario scripts each reply: a status with headers (Retry-After...), or SSE steps including
// raw bytes, stalls, keep-alives forever, cuts (FIN) and resets (RST), mid-stream errors; a reply
// can trickle its bytes slowly or be cut after N bytes. Named scenarios for tests and the
// standalone server (`tsx test/fake-server/main.ts`) are in scenarios.ts. A billing hook lets the
// cache model decide hits and misses.
import { createHash } from 'node:crypto';
import * as dns from 'node:dns/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import { ruleViolation } from './deepseekRules';
import { decodedImages, IMAGE_TOKENS, imageUrlsOf, textOf, VISION_MODELS, visionViolation } from './vision';

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

async function addressOf(name: string): Promise<string> {
  try {
    return (await dns.lookup(name, { family: 4 })).address;
  } catch (e) {
    throw new Error(
      `this machine's host name ${name} does not resolve (${(e as Error).message}): a remote-looking fake ` +
        `server needs it`,
      { cause: e },
    );
  }
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  chatRequests(): RecordedRequest[];
  setScenario(s: FakeServerOptions['scenario']): void;
  close(): Promise<void>;
}

/** Rough token estimate for the fake's billing: bytes / 4 of all message text, and IMAGE_TOKENS an image. */
export function roughPromptTokens(body: ChatBody): number {
  return body.messages.reduce(
    (n, m) =>
      n +
      Math.ceil((Buffer.byteLength(textOf(m.content), 'utf8') + 4) / 4) +
      imageUrlsOf(m.content).length * IMAGE_TOKENS,
    0,
  );
}

/** The answer the fake gives by default: short reasoning, then a markdown answer echoing the question. */
export function defaultReply(body: ChatBody): Reply {
  const lastMessage = [...body.messages].reverse().find((m) => m.role === 'user');
  const last = textOf(lastMessage?.content);
  const question = last.split('\n').filter(Boolean).pop() ?? '';
  const images = decodedImages(lastMessage ? [lastMessage] : []);
  return {
    steps: [
      { kind: 'reasoning', text: 'Looking at the repository. ' },
      { kind: 'reasoning', text: 'Found the relevant files.' },
      { kind: 'content', text: 'Answer from the fake server.\n\n' },
      { kind: 'content', text: `You asked: ${question.slice(0, 200)}\n` },
      ...(images.length
        ? [
            {
              kind: 'content' as const,
              text: `\nImages seen: ${images.map((i) => `${i.mime} ${i.bytes} bytes`).join(', ')}\n`,
            },
          ]
        : []),
      { kind: 'finish', reason: 'stop' },
      { kind: 'usage' },
      { kind: 'done' },
    ],
  };
}

export async function startFakeDeepSeek(options: FakeServerOptions = {}): Promise<FakeServer> {
  let scenario = options.scenario ?? defaultReply;
  const billing = options.billing ?? ((b: ChatBody) => ({ promptTokens: roughPromptTokens(b), hitTokens: 0 }));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let chatIndex = 0;
  const attempts = new Map<string, number>();

  const server = http.createServer((req, res) => {
    const startedAt = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname.replace(/^\/v1(?=\/)/, '');
      let body: ChatBody | undefined;
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody) : undefined;
      } catch {
        body = undefined;
      }
      const record: RecordedRequest = {
        method: req.method ?? '',
        path,
        headers: req.headers,
        body,
        aborted: false,
        finished: false,
        startedAt,
      };
      requests.push(record);
      res.on('close', () => {
        if (!res.writableFinished) record.aborted = true;
      });
      res.on('finish', () => (record.finished = true));

      const keys = options.apiKeys ?? [];
      const auth = req.headers.authorization ?? '';
      if (keys.length && !keys.some((k) => auth === `Bearer ${k}`)) {
        return sendJson(res, 401, {
          error: {
            message: 'Authentication Fails, Your api key is invalid',
            type: 'authentication_error',
            param: null,
            code: 'invalid_request_error',
          },
        });
      }
      if (req.method === 'GET' && url.pathname === '/api/ps' && options.running)
        return sendJson(res, 200, { models: options.running });
      if (req.method === 'GET' && path === '/models') {
        const ids = options.models ?? ['deepseek-v4-pro', 'deepseek-flash'];
        return sendJson(res, 200, {
          object: 'list',
          data: ids.map((m) => ({ ...(typeof m === 'string' ? { id: m } : m), object: 'model', owned_by: 'deepseek' })),
        });
      }
      if (req.method === 'POST' && path === '/chat/completions' && body) {
        const key = createHash('sha256').update(JSON.stringify(body)).digest('hex'); // bodies can be megabytes
        const attempt = attempts.get(key) ?? 0;
        attempts.set(key, attempt + 1);
        const broken = options.lenient
          ? undefined
          : (ruleViolation(body) ?? visionViolation(body, options.visionModels ?? VISION_MODELS));
        if (broken) return sendJson(res, 400, broken);
        const reply = scenario(body, chatIndex++, attempt);
        return void play(res, reply, body);
      }
      sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function play(res: http.ServerResponse, reply: Reply, body: ChatBody): Promise<void> {
    const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
    if (reply.delayMs) await delay(reply.delayMs);
    if (res.destroyed) return;
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '');
      return;
    }
    const id = `chatcmpl-fake-${Date.now().toString(36)}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: object, finish: string | null = null, usage?: object) => {
      const choices = [{ index: 0, delta, logprobs: null, finish_reason: finish }];
      const event = {
        id,
        object: 'chat.completion.chunk',
        created,
        model: body.model,
        choices,
        ...(usage ? { usage } : {}),
      };
      return `data: ${JSON.stringify(event)}\n\n`;
    };
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': id,
      ...reply.headers,
    });
    res.flushHeaders();
    const gone = new Promise<void>((r) => res.once('close', () => r()));
    let sent = 0;
    /** Writes body bytes (trickled, cut after `cutAfterBytes`); false once the connection is gone or cut. */
    const send = async (data: string | Uint8Array): Promise<boolean> => {
      let bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
      const limit = reply.cutAfterBytes;
      const cut = limit !== undefined && sent + bytes.length >= limit;
      if (cut) bytes = bytes.subarray(0, Math.max(0, limit - sent));
      const piece = reply.trickle?.bytes ?? bytes.length;
      for (let at = 0; at < bytes.length; at += piece) {
        if (res.destroyed) return false;
        if (at > 0 && reply.trickle) await delay(reply.trickle.everyMs);
        await new Promise<void>((r) => res.write(bytes.subarray(at, at + piece), () => r()));
      }
      sent += bytes.length;
      if (cut) await closeSocket(res, 'fin');
      return !cut && !res.destroyed;
    };
    let completion = '';
    let reasoning = '';
    const toolCalls: WireToolCall[] = [];
    let first = true;
    for (const step of reply.steps) {
      if (res.destroyed) return;
      if (options.stepDelayMs) await delay(options.stepDelayMs);
      const role = first ? { role: 'assistant' } : {};
      let ok = true;
      switch (step.kind) {
        case 'keepalive':
          for (let i = 0; i < (step.count ?? 1) && ok; i++) {
            if (i > 0 && step.everyMs) await Promise.race([delay(step.everyMs), gone]);
            ok = await send(': keep-alive\n\n');
          }
          if (!ok) return;
          continue;
        case 'reasoning':
          ok = await send(chunk({ ...role, ...(first ? { content: null } : {}), reasoning_content: step.text }));
          reasoning += step.text;
          break;
        case 'content':
          ok = await send(chunk({ ...role, content: step.text, reasoning_content: null }));
          completion += step.text;
          break;
        case 'toolCall': {
          const index = toolCalls.length;
          toolCalls.push({ id: step.id, type: 'function', function: { name: step.name, arguments: step.arguments } });
          ok = await send(
            chunk({
              ...role,
              ...(first ? { content: null } : {}),
              tool_calls: [{ index, id: step.id, type: 'function', function: { name: step.name, arguments: '' } }],
            }),
          );
          const n = step.pieces ?? Math.max(1, Math.ceil(step.arguments.length / 24));
          const size = Math.ceil(step.arguments.length / n);
          for (let at = 0; ok && at < step.arguments.length; at += size)
            ok = await send(
              chunk({ tool_calls: [{ index, function: { arguments: step.arguments.slice(at, at + size) } }] }),
            );
          break;
        }
        case 'finish':
          ok = await send(chunk({ content: '', reasoning_content: null }, step.reason));
          break;
        case 'usage': {
          const b = billing(body, { reasoning, content: completion, ...(toolCalls.length ? { toolCalls } : {}) });
          const completionTokens = Math.ceil(Buffer.byteLength(completion + reasoning) / 4);
          const usage: WireUsage = {
            prompt_tokens: b.promptTokens,
            completion_tokens: completionTokens,
            total_tokens: b.promptTokens + completionTokens,
            prompt_cache_hit_tokens: b.hitTokens,
            prompt_cache_miss_tokens: b.promptTokens - b.hitTokens,
            prompt_tokens_details: { cached_tokens: b.hitTokens },
            completion_tokens_details: { reasoning_tokens: Math.ceil(Buffer.byteLength(reasoning) / 4) },
            ...step.usage,
          };
          const last = { id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage };
          ok = await send(`data: ${JSON.stringify(last)}\n\n`);
          break;
        }
        case 'error':
          ok = await send(
            `data: ${JSON.stringify({ error: { message: step.message, type: step.type ?? 'server_error' } })}\n\n`,
          );
          break;
        case 'raw':
          ok = await send(step.text);
          break;
        case 'bytes':
          ok = await send(step.data);
          break;
        case 'done':
          ok = await send('data: [DONE]\n\n');
          break;
        case 'wait':
          await Promise.race([delay(step.ms), gone]);
          continue;
        case 'until':
          await Promise.race([step.ready, gone]);
          continue;
        case 'stall':
          await gone;
          return;
        case 'cut':
          await closeSocket(res, 'fin');
          return;
        case 'reset':
          await closeSocket(res, 'rst');
          return;
      }
      if (!ok) return;
      first = false;
    }
    res.end();
  }

  const name = options.byHostName ? os.hostname() : undefined;
  const host = name ? await addressOf(name) : (options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${name ?? host}:${port}`,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/chat/completions'),
    setScenario: (s) => (scenario = s ?? defaultReply),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Ends the connection under a response: FIN after the written bytes, or RST (ECONNRESET at the client). */
async function closeSocket(res: http.ServerResponse, how: 'fin' | 'rst'): Promise<void> {
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  if (how === 'rst') {
    socket.resetAndDestroy();
    return;
  }
  await new Promise<void>((r) => socket.end(() => r()));
  socket.destroy();
}
