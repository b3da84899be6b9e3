// A local fake of DeepSeek's OpenAI-compatible API for tests, benchmarks and the end-to-end suites.
// It speaks SSE the way DeepSeek does: `: keep-alive` comments while "queued", a first chunk with
// `reasoning_content: ""`, reasoning deltas, then content deltas, a finish chunk, a usage chunk with
// DeepSeek's `prompt_cache_hit_tokens` / `prompt_cache_miss_tokens`, then `data: [DONE]`.
// Scenarios script errors, cuts and stalls; a billing hook lets the cache model decide hits/misses.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

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
}

export interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string | null; reasoning_content?: string }>;
  max_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  thinking?: { type: string };
  reasoning_effort?: string;
  [k: string]: unknown;
}

/** One step of a scripted SSE response. */
export type Step =
  | { kind: 'keepalive'; count?: number }
  | { kind: 'reasoning'; text: string }
  | { kind: 'content'; text: string }
  | { kind: 'finish'; reason: string | null }
  | { kind: 'usage'; usage?: Partial<WireUsage> }
  | { kind: 'error'; message: string; type?: string }
  | { kind: 'raw'; text: string }
  | { kind: 'done' }
  | { kind: 'wait'; ms: number }
  /** Close the socket abruptly (no [DONE], no finish). */
  | { kind: 'cut' };

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
  | { status: number; headers?: Record<string, string>; body?: string }
  | { steps: Step[]; delayMs?: number; headers?: Record<string, string> };

export interface Billing {
  promptTokens: number;
  hitTokens: number;
}

export interface FakeServerOptions {
  /** Keys accepted as `Authorization: Bearer KEY`; empty accepts any. */
  apiKeys?: string[];
  /** Decides the reply to each chat request; default: `defaultReply`. */
  scenario?: (body: ChatBody, index: number) => Reply;
  /** Bills a request (prompt tokens and cache hits) once its output is known (see cacheModel.ts); default: ~4 bytes per token, no hits. */
  billing?: (body: ChatBody, output: { reasoning: string; content: string }) => Billing;
  /** Milliseconds between streamed steps. */
  stepDelayMs?: number;
  models?: string[];
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  chatRequests(): RecordedRequest[];
  setScenario(s: FakeServerOptions['scenario']): void;
  close(): Promise<void>;
}

/** Rough token estimate for the fake's billing: bytes / 4 of all message text. */
export function roughPromptTokens(body: ChatBody): number {
  return Math.ceil(body.messages.reduce((n, m) => n + Buffer.byteLength(m.content ?? '', 'utf8') + 4, 0) / 4);
}

/** The answer the fake gives by default: short reasoning, then a markdown answer echoing the question. */
export function defaultReply(body: ChatBody): Reply {
  const last = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const question = last.split('\n').filter(Boolean).pop() ?? '';
  return {
    steps: [
      { kind: 'reasoning', text: 'Looking at the repository. ' },
      { kind: 'reasoning', text: 'Found the relevant files.' },
      { kind: 'content', text: 'Answer from the fake server.\n\n' },
      { kind: 'content', text: `You asked: ${question.slice(0, 200)}\n` },
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

  const server = http.createServer((req, res) => {
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
      const record: RecordedRequest = { method: req.method ?? '', path, headers: req.headers, body, aborted: false, finished: false };
      requests.push(record);
      res.on('close', () => {
        if (!res.writableFinished) record.aborted = true;
      });
      res.on('finish', () => (record.finished = true));

      const keys = options.apiKeys ?? [];
      const auth = req.headers.authorization ?? '';
      if (keys.length && !keys.some((k) => auth === `Bearer ${k}`)) {
        return sendJson(res, 401, { error: { message: 'Authentication Fails, Your api key is invalid', type: 'authentication_error', param: null, code: 'invalid_request_error' } });
      }
      if (req.method === 'GET' && path === '/models') {
        const ids = options.models ?? ['deepseek-v4-pro', 'deepseek-flash'];
        return sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', owned_by: 'deepseek' })) });
      }
      if (req.method === 'POST' && path === '/chat/completions' && body) {
        const reply = scenario(body, chatIndex++);
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
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '');
      return;
    }
    const id = `chatcmpl-fake-${Date.now().toString(36)}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: object, finish: string | null = null, usage?: object) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': id, ...reply.headers });
    const write = (s: string) => !res.destroyed && res.write(s);
    const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
    if (reply.delayMs) await delay(reply.delayMs);
    let completion = '';
    let reasoning = '';
    let first = true;
    for (const step of reply.steps) {
      if (res.destroyed) return;
      if (options.stepDelayMs) await delay(options.stepDelayMs);
      const role = first ? { role: 'assistant' } : {};
      switch (step.kind) {
        case 'keepalive':
          for (let i = 0; i < (step.count ?? 1); i++) write(': keep-alive\n\n');
          continue;
        case 'reasoning':
          write(chunk({ ...role, ...(first ? { content: null } : {}), reasoning_content: step.text }));
          reasoning += step.text;
          break;
        case 'content':
          write(chunk({ ...role, content: step.text, reasoning_content: null }));
          completion += step.text;
          break;
        case 'finish':
          write(chunk({ content: '', reasoning_content: null }, step.reason));
          break;
        case 'usage': {
          const b = billing(body, { reasoning, content: completion });
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
          write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
          break;
        }
        case 'error':
          write(`data: ${JSON.stringify({ error: { message: step.message, type: step.type ?? 'server_error' } })}\n\n`);
          break;
        case 'raw':
          write(step.text);
          break;
        case 'done':
          write('data: [DONE]\n\n');
          break;
        case 'wait':
          await delay(step.ms);
          continue;
        case 'cut':
          res.socket?.destroy();
          return;
      }
      first = false;
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
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
