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
import { playReply } from './play';
import type { ChatBody, FakeServer, FakeServerOptions, RecordedRequest, Reply } from './types';

export type * from './types';

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
        return void playReply(res, reply, body, { billing, stepDelayMs: options.stepDelayMs });
      }
      sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

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
