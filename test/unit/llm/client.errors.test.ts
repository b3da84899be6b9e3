// streamChat's failures that are not retried: HTTP errors with kinds a user can act on, and network
// errors told apart by their cause.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamChat } from '../../../src/llm/client';
import { startFakeDeepSeek } from '../../fake-server/server';
import {
  KEY,
  MESSAGES,
  NO_DEADLINES,
  PARAMS,
  instantClock,
  recorder,
  scriptedFetch,
  ok,
  status,
  netError,
  fast,
} from './kit';

describe('streamChat retries and failures', function () {
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
});
