// Retries before the first token (429, 5xx, connection failures, a stream closed before any data),
// honouring Retry-After, reported through onRetry, cancellable; and the failures that are not
// retried: HTTP errors with actionable kinds, non-event-stream 200s, redirects, bad base URLs,
// network errors told apart by cause. Also: logs carry request ids, never the key or the prompt.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamChat } from '../../../src/llm/client';
import { SCENARIOS } from '../../fake-server/scenarios';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import {
  KEY,
  MESSAGES,
  NO_DEADLINES,
  PARAMS,
  chunkEvent,
  chunkedResponse,
  instantClock,
  memoryLogger,
  recorder,
  scriptedFetch,
  text,
} from './kit';

const ok = () => chunkedResponse([text(chunkEvent({ content: 'fine' }, 'stop') + 'data: [DONE]\n\n')]);
const status =
  (code: number, headers: Record<string, string> = {}, body = '{"error":{"message":"nope"}}') =>
  () =>
    new Response(body, { status: code, headers: { 'content-type': 'application/json', ...headers } });
const netError = (code: string, message = 'fetch failed') =>
  new TypeError(message, { cause: Object.assign(new Error(`connect ${code}`), { code }) });
const fast = (f: typeof fetch, extra = {}) => ({
  baseUrl: 'https://api.deepseek.com',
  apiKey: KEY,
  fetch: f,
  clock: instantClock(),
  random: () => 0,
  timeouts: NO_DEADLINES,
  ...extra,
});

describe('streamChat retries and failures', function () {
  describe('retries before the first token', () => {
    it('retries 429/5xx with exponential backoff, reports each retry, then gives the last error', async () => {
      const rec = recorder();
      const { fetch, calls } = scriptedFetch(status(503));
      const clock = instantClock();
      const result = await streamChat({ ...fast(fetch), clock }, MESSAGES, PARAMS, rec.handlers);
      assert.equal(calls.length, 4, 'one try and 3 retries');
      assert.equal(result.outcome, 'error');
      assert.equal(result.error?.kind, 'server');
      assert.equal(result.error?.status, 503);
      assert.deepEqual(
        rec.of('retry').map((e) => (e.value as { delayMs: number }).delayMs),
        [1000, 2000, 4000],
      );
      assert.deepEqual(
        rec.of('retry').map((e) => (e.value as { attempt: number }).attempt),
        [1, 2, 3],
      );
    });

    it('caps the backoff and applies up to 25% jitter', async () => {
      const rec = recorder();
      const { fetch } = scriptedFetch(status(500));
      await streamChat(
        { ...fast(fetch), random: () => 0.5, retry: { maxRetries: 6, baseDelayMs: 1000, maxDelayMs: 8000 } },
        MESSAGES,
        PARAMS,
        rec.handlers,
      );
      const delays = rec.of('retry').map((e) => (e.value as { delayMs: number }).delayMs);
      assert.deepEqual(delays, [875, 1750, 3500, 7000, 7000, 7000]);
    });

    it('honours retry-after-ms over retry-after', async () => {
      const rec = recorder();
      const { fetch } = scriptedFetch(status(429, { 'retry-after-ms': '1500', 'retry-after': '9' }), ok);
      const result = await streamChat(fast(fetch), MESSAGES, PARAMS, rec.handlers);
      assert.equal(result.outcome, 'complete');
      assert.equal((rec.of('retry')[0]!.value as { delayMs: number }).delayMs, 1500);
    });

    it('does not wait out a Retry-After beyond the cap: the error comes at once and says how long', async () => {
      const { fetch, calls } = scriptedFetch(status(429, { 'retry-after': '3600' }), ok);
      const result = await streamChat(fast(fetch), MESSAGES, PARAMS, {});
      assert.equal(calls.length, 1);
      assert.equal(result.error?.kind, 'rate_limit');
      assert.match(result.error.message, /Try again in a minute\. The server asked to wait 3600 s\./);
    });

    it('retries transient connection errors, not DNS, TLS or proxy-auth failures', async () => {
      for (const [code, retried] of [
        ['ECONNRESET', true],
        ['ECONNREFUSED', true],
        ['EAI_AGAIN', true],
        ['ENOTFOUND', false],
        ['CERT_HAS_EXPIRED', false],
        ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', false],
      ] as const) {
        const { fetch, calls } = scriptedFetch(netError(code), ok);
        const result = await streamChat(fast(fetch), MESSAGES, PARAMS, {});
        assert.equal(calls.length, retried ? 2 : 1, code);
        assert.equal(result.outcome, retried ? 'complete' : 'error', code);
      }
    });

    it('retries a stream the server closed before any data (queue limit), over HTTP', async () => {
      const server = await startFakeDeepSeek({
        scenario: (b, i, attempt) => (attempt === 0 ? SCENARIOS['queue-closed']! : SCENARIOS.ok!)(b, i, attempt),
      });
      try {
        const rec = recorder();
        const result = await streamChat(
          { baseUrl: server.url, apiKey: KEY, clock: instantClock(), timeouts: NO_DEADLINES },
          MESSAGES,
          PARAMS,
          rec.handlers,
        );
        assert.equal(result.outcome, 'complete');
        assert.equal(rec.of('keepalive').length, 3);
        assert.equal((rec.of('retry')[0]!.value as { error: { kind: string } }).error.kind, 'network');
        assert.equal(server.chatRequests().length, 2);
        assert.deepEqual(
          server.chatRequests()[1]!.body,
          server.chatRequests()[0]!.body,
          'the retry sends the same bytes (same cache prefix)',
        );
      } finally {
        await server.close();
      }
    });

    it('never retries once text was shown: a reset after the first delta is interrupted', async () => {
      const server = await startFakeDeepSeek({ scenario: SCENARIOS.reset! });
      try {
        const result = await streamChat(
          { baseUrl: server.url, apiKey: KEY, clock: instantClock(), timeouts: NO_DEADLINES },
          MESSAGES,
          PARAMS,
          {},
        );
        assert.equal(result.outcome, 'interrupted');
        assert.equal(server.chatRequests().length, 1);
      } finally {
        await server.close();
      }
    });

    it('a cancel during the retry wait ends the call at once without another request', async () => {
      const abort = new AbortController();
      const { fetch, calls } = scriptedFetch(status(429, { 'retry-after': '30' }), ok);
      const result = await streamChat(
        { baseUrl: 'https://api.deepseek.com', apiKey: KEY, fetch },
        MESSAGES,
        PARAMS,
        { onRetry: () => abort.abort() },
        abort.signal,
      );
      assert.equal(result.outcome, 'cancelled');
      assert.equal(calls.length, 1);
    });
  });

  describe('errors a user can act on', () => {
    const cases: [number, string, RegExp, string?][] = [
      [
        400,
        'context_too_long',
        /Shrink the selection/,
        "This model's maximum context length is 1048576 tokens. However, you requested 1200000 tokens.",
      ],
      [
        400,
        'bad_request',
        /The reasoning_content in the thinking mode must be passed back/,
        'The reasoning_content in the thinking mode must be passed back to the API.',
      ],
      [401, 'auth', /Set API Key/],
      [402, 'balance', /Top up/],
      [404, 'config', /Check the base URL/],
      [407, 'network', /proxy requires authentication/],
      [
        422,
        'bad_request',
        /Invalid parameter: reasoning_effort.*Check the model id/,
        'Invalid parameter: reasoning_effort',
      ],
    ];
    for (const [code, kind, message, server] of cases) {
      it(`${code}${server ? ` "${server.slice(0, 30)}…"` : ''} → ${kind}, not retried`, async () => {
        const { fetch, calls } = scriptedFetch(
          status(
            code,
            { 'x-deepseek-request-id': 'req-42' },
            JSON.stringify({ error: { message: server ?? 'whatever', type: 'x' } }),
          ),
        );
        const result = await streamChat(fast(fetch), MESSAGES, PARAMS, {});
        assert.equal(calls.length, 1);
        assert.deepEqual(
          [result.outcome, result.error?.kind, result.error?.status, result.error?.requestId],
          ['error', kind, code, 'req-42'],
        );
        assert.match(result.error!.message, message);
      });
    }

    it("a local server's too-long error through the SDK: llama.cpp's n_ctx becomes the window to set", async () => {
      const body = {
        error: {
          code: 400,
          message: 'the request exceeds the available context size, try increasing it',
          type: 'exceed_context_size_error',
          n_prompt_tokens: 990_000,
          n_ctx: 8_192,
        },
      };
      const { fetch } = scriptedFetch(status(400, {}, JSON.stringify(body)));
      const result = await streamChat({ baseUrl: 'http://localhost:8080/v1', apiKey: '', fetch }, MESSAGES, PARAMS, {});
      assert.equal(result.error?.kind, 'context_too_long');
      assert.match(
        result.error.message,
        /^The request is too long for the model: the request exceeds the available context size, try increasing it\. The model's context window is 8,192 tokens: set deepseekRepo\.contextWindowTokens to 8192 \(CLI: --window 8192\)/,
      );
    });

    // …(or stream_options): only the refused ones are left out
    it("asks a server that refuses DeepSeek's thinking fields again without them, then leaves them out", async () => {
      const refusals: [string, number, string, string[]][] = [
        [
          'https://api.openai.example/v1',
          400,
          JSON.stringify({
            error: {
              message: 'Unrecognized request argument supplied: thinking',
              type: 'invalid_request_error',
              param: null,
              code: null,
            },
          }),
          ['thinking'],
        ],
        [
          'https://api.groq.example/openai/v1',
          400,
          JSON.stringify({ error: { message: "property 'thinking' is unsupported", type: 'invalid_request_error' } }),
          ['thinking'],
        ],
        [
          'https://api.mistral.example/v1',
          422,
          JSON.stringify({
            object: 'error',
            message: {
              detail: [
                {
                  type: 'extra_forbidden',
                  loc: ['body', 'stream_options'],
                  msg: 'Extra inputs are not permitted',
                  input: { include_usage: true },
                },
                {
                  type: 'extra_forbidden',
                  loc: ['body', 'thinking'],
                  msg: 'Extra inputs are not permitted',
                  input: { type: 'enabled' },
                },
              ],
            },
            type: 'invalid_request_error',
          }),
          ['stream_options', 'thinking'],
        ],
        [
          'https://gpt4.example/v1',
          400,
          JSON.stringify({
            error: { message: "Unsupported parameter: 'reasoning_effort' is not supported with this model." },
          }),
          ['reasoning_effort'],
        ],
      ];
      const FIELDS = ['thinking', 'reasoning_effort', 'stream_options'];
      for (const [baseUrl, code, body, refused] of refusals) {
        const { fetch, calls } = scriptedFetch(status(code, {}, body), ok);
        const rec = recorder();
        const result = await streamChat({ ...fast(fetch), baseUrl }, MESSAGES, PARAMS, rec.handlers);
        assert.deepEqual([result.outcome, result.content, calls.length], ['complete', 'fine', 2], baseUrl);
        const [first, second] = calls.map((c) => c.body as Record<string, unknown>);
        assert.deepEqual(
          FIELDS.filter((f) => f in first!),
          FIELDS,
        );
        // Only what was refused is left out (OpenAI needs stream_options to report usage in a stream).
        assert.deepEqual(FIELDS.filter((f) => !(f in second!)).sort(), [...refused].sort(), baseUrl);
        assert.deepEqual(
          [second!.model, second!.max_tokens, second!.messages],
          [PARAMS.model, PARAMS.maxTokens, first!.messages],
        );
        assert.equal(rec.of('retry').length, 0, 'not reported as a retry: nothing failed that a wait would heal');
        // The same endpoint is asked without them at once.
        const again = scriptedFetch(ok);
        await streamChat({ ...fast(again.fetch), baseUrl }, MESSAGES, PARAMS, {});
        assert.deepEqual(FIELDS.filter((f) => !(f in (again.calls[0]!.body as object))).sort(), [...refused].sort());
      }
      // Another endpoint still gets them.
      const other = scriptedFetch(ok);
      await streamChat({ ...fast(other.fetch), baseUrl: 'https://another.example/v1' }, MESSAGES, PARAMS, {});
      assert.deepEqual((other.calls[0]!.body as Record<string, unknown>).thinking, { type: 'enabled' });
    });

    // …asks without them once
    it("keeps the thinking fields for DeepSeek's own API and for errors that only mention thinking", async () => {
      const passBack = JSON.stringify({
        error: { message: 'The reasoning_content in the thinking mode must be passed back to the API.' },
      });
      for (const baseUrl of ['https://api.deepseek.com', 'https://proxy.example/v1']) {
        const { fetch, calls } = scriptedFetch(status(400, {}, passBack), ok);
        const result = await streamChat({ ...fast(fetch), baseUrl }, MESSAGES, PARAMS, {});
        assert.deepEqual([result.outcome, result.error?.kind, calls.length], ['error', 'bad_request', 1], baseUrl);
      }
      const deepseekRefusal = scriptedFetch(
        status(400, {}, JSON.stringify({ error: { message: 'Unrecognized request argument supplied: thinking' } })),
        ok,
      );
      assert.equal((await streamChat(fast(deepseekRefusal.fetch), MESSAGES, PARAMS, {})).outcome, 'error');
      assert.equal(deepseekRefusal.calls.length, 1, "DeepSeek's own API knows its fields: its 400 is a real error");
      const always = scriptedFetch(
        status(400, {}, JSON.stringify({ error: { message: 'Unrecognized request argument supplied: thinking' } })),
      );
      const result = await streamChat(
        { ...fast(always.fetch), baseUrl: 'https://stubborn.example/v1' },
        MESSAGES,
        PARAMS,
        {},
      );
      assert.deepEqual([result.outcome, result.error?.status, always.calls.length], ['error', 400, 2]);
    });

    it('names DNS, refused, reset, TLS and proxy failures', async () => {
      const expect: [Error, RegExp][] = [
        [netError('ENOTFOUND'), /Could not resolve api\.deepseek\.com \(DNS\)/],
        [netError('ECONNREFUSED'), /refused the connection/],
        [netError('ECONNRESET'), /was reset/],
        [netError('SELF_SIGNED_CERT_IN_CHAIN'), /certificate.*not trusted.*NODE_EXTRA_CA_CERTS/],
        [
          new TypeError('fetch failed', { cause: new Error('Proxy response (407) !== 200 when HTTP Tunneling') }),
          /proxy requires authentication/,
        ],
      ];
      for (const [error, message] of expect) {
        const { fetch } = scriptedFetch(error);
        const result = await streamChat(fast(fetch, { retry: { maxRetries: 0 } }), MESSAGES, PARAMS, {});
        assert.equal(result.error?.kind, 'network');
        assert.match(result.error.message, message);
      }
    });

    it('a refused connection on a real closed port is a network error after the retries', async () => {
      const probe = http.createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const port = (probe.address() as AddressInfo).port;
      await new Promise<void>((r) => probe.close(() => r()));
      const rec = recorder();
      const result = await streamChat(
        { baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY, clock: instantClock(), timeouts: NO_DEADLINES },
        MESSAGES,
        PARAMS,
        rec.handlers,
      );
      assert.equal(result.error?.kind, 'network');
      assert.match(result.error.message, /refused/);
      assert.equal(rec.of('retry').length, 3);
    });

    it('TLS spoken to a plain-HTTP server is named as a TLS problem', async () => {
      const server = await startFakeDeepSeek();
      try {
        const result = await streamChat(
          { baseUrl: server.url.replace('http:', 'https:'), apiKey: KEY, retry: { maxRetries: 0 } },
          MESSAGES,
          PARAMS,
          {},
        );
        assert.equal(result.error?.kind, 'network');
        assert.match(result.error.message, /TLS/);
      } finally {
        await server.close();
      }
    });
  });

  describe('responses that are not an event stream', () => {
    let server: FakeServer;
    beforeEach(async () => {
      server = await startFakeDeepSeek();
    });
    afterEach(() => server.close());
    const ask = () => streamChat({ baseUrl: server.url, apiKey: KEY }, MESSAGES, PARAMS, recorder().handlers);

    it('a captive portal page is refused and never becomes content', async () => {
      server.setScenario(SCENARIOS.html);
      const result = await ask();
      assert.deepEqual(
        [result.outcome, result.error?.kind, result.content, result.reasoning],
        ['error', 'not_event_stream', '', ''],
      );
      assert.match(result.error!.message, /captive portal/);
      assert.doesNotMatch(result.error!.message, /Airport|<html|alert/);
      assert.equal(server.chatRequests().length, 1);
    });

    it('a whole JSON completion (stream ignored) is refused, naming the cause', async () => {
      server.setScenario(SCENARIOS.json);
      const result = await ask();
      assert.equal(result.error?.kind, 'not_event_stream');
      assert.equal(result.content, '');
      assert.match(result.error.message, /ignores stream=true/);
    });

    it("a 200 JSON error body is refused with the server's message", async () => {
      server.setScenario(() => ({ status: 200, body: JSON.stringify({ error: { message: 'Model is warming up' } }) }));
      const result = await ask();
      assert.match(result.error!.message, /answered with an error instead of an event stream: Model is warming up/);
    });

    it('follows a 307 redirect to the real endpoint, without carrying the key to the other origin', async () => {
      const front = http.createServer((_req, res) => {
        res.writeHead(307, { location: `${server.url}/v1/chat/completions` });
        res.end();
      });
      await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
      try {
        const result = await streamChat(
          { baseUrl: `http://127.0.0.1:${(front.address() as AddressInfo).port}`, apiKey: KEY },
          MESSAGES,
          PARAMS,
          {},
        );
        assert.equal(result.outcome, 'complete', result.error?.message);
        // Another port is another origin: fetch drops the Authorization header on the way.
        assert.equal(server.chatRequests()[0]!.headers.authorization, undefined);
      } finally {
        await new Promise<void>((r) => front.close(() => r()));
      }
    });

    it('a redirect to a sign-in page is refused and says where it went', async () => {
      const front = http.createServer((req, res) => {
        if (req.url === '/login') {
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end('<html>sign in</html>');
        }
        res.writeHead(302, { location: '/login' });
        res.end();
      });
      await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
      try {
        const result = await streamChat(
          { baseUrl: `http://127.0.0.1:${(front.address() as AddressInfo).port}`, apiKey: KEY },
          MESSAGES,
          PARAMS,
          {},
        );
        assert.equal(result.error?.kind, 'not_event_stream');
        assert.match(result.error.message, /redirected to 127\.0\.0\.1:\d+/);
      } finally {
        await new Promise<void>((r) => front.close(() => r()));
      }
    });
  });

  describe('configuration, checked before any request', () => {
    for (const baseUrl of [
      'ftp://api.deepseek.com',
      'api.deepseek.com',
      'https://user:pw@api.deepseek.com',
      'https://api.deepseek.com/?key=1',
      '',
    ]) {
      it(`base URL ${JSON.stringify(baseUrl)} → config error, nothing sent`, async () => {
        const { fetch, calls } = scriptedFetch(ok);
        const result = await streamChat({ baseUrl, apiKey: KEY, fetch }, MESSAGES, PARAMS, {});
        assert.equal(result.error?.kind, 'config');
        assert.match(result.error.message, /base URL/);
        assert.equal(calls.length, 0);
      });
    }

    it('a missing key → config error, nothing sent', async () => {
      const { fetch, calls } = scriptedFetch(ok);
      const result = await streamChat(
        { baseUrl: 'https://api.deepseek.com', apiKey: '  ', fetch },
        MESSAGES,
        PARAMS,
        {},
      );
      assert.equal(result.error?.kind, 'config');
      assert.equal(calls.length, 0);
    });

    it('a local endpoint without a key is asked with a stand-in key; a set key is sent as it is', async () => {
      for (const [apiKey, sent] of [
        ['', 'Bearer no-key'],
        [KEY, `Bearer ${KEY}`],
      ] as const) {
        const { fetch, calls } = scriptedFetch(ok);
        const result = await streamChat({ baseUrl: 'http://localhost:11434/v1', apiKey, fetch }, MESSAGES, PARAMS, {});
        assert.equal(result.outcome, 'complete');
        assert.equal(calls[0]!.url, 'http://localhost:11434/v1/chat/completions');
        assert.equal(calls[0]!.headers.get('authorization'), sent);
      }
    });

    it('a pasted /chat/completions endpoint or trailing slash still reaches the right URL', async () => {
      for (const baseUrl of [
        'https://api.deepseek.com/chat/completions',
        'https://api.deepseek.com/',
        'https://api.deepseek.com/v1/',
      ]) {
        const { fetch, calls } = scriptedFetch(ok);
        assert.equal((await streamChat({ baseUrl, apiKey: KEY, fetch }, MESSAGES, PARAMS, {})).outcome, 'complete');
        assert.match(calls[0]!.url, /^https:\/\/api\.deepseek\.com(\/v1)?\/chat\/completions$/);
      }
    });
  });

  it('logs request ids, statuses and retries, never the key or the prompt', async () => {
    const logger = memoryLogger();
    const echo = status(
      401,
      { 'x-request-id': 'req-abc' },
      JSON.stringify({ error: { message: `Authentication Fails, key ${KEY} is invalid` } }),
    );
    const { fetch } = scriptedFetch(status(503, { 'x-request-id': 'req-503' }), echo);
    const result = await streamChat(fast(fetch, { logger }), MESSAGES, PARAMS, {});
    const log = logger.lines.join('\n');
    assert.match(log, /req-503/);
    assert.match(log, /retry 1\/3/);
    assert.match(log, /req-abc/);
    assert.ok(!log.includes(KEY) && !log.includes('SECRET-PROMPT-TEXT'), log);
    assert.ok(!JSON.stringify(result).includes(KEY));
  });
});
