// The pure pieces of the client: Retry-After parsing and backoff, default deadlines, usage
// normalisation, base URL checks, status → error kind.
import * as assert from 'node:assert/strict';
import { resolveTimeouts, Watchdog } from '../../../src/llm/deadlines';
import { needsApiKey, parseBaseUrl } from '../../../src/llm/endpoint';
import { errorForNetwork, errorForStatus, statedWindow, whatHappened } from '../../../src/llm/errors';
import { backoffMs, DEFAULT_RETRY, parseRetryAfter, retryDelayMs } from '../../../src/llm/retry';
import { readUsage } from '../../../src/llm/usage';
import { instantClock } from './kit';

const headers = (h: Record<string, string>) => new Headers(h);
const NOW = Date.parse('Wed, 01 Jan 2031 00:00:00 GMT');

describe('llm units', () => {
  it('parses Retry-After as seconds, HTTP-date or retry-after-ms', () => {
    assert.equal(parseRetryAfter(headers({ 'retry-after': '2' }), NOW), 2000);
    assert.equal(parseRetryAfter(headers({ 'retry-after': '0.5' }), NOW), 500);
    assert.equal(parseRetryAfter(headers({ 'retry-after': 'Wed, 01 Jan 2031 00:00:05 GMT' }), NOW), 5000);
    assert.equal(
      parseRetryAfter(headers({ 'retry-after': 'Tue, 31 Dec 2030 23:00:00 GMT' }), NOW),
      0,
      'a past date means now',
    );
    assert.equal(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), NOW), 250);
    assert.equal(parseRetryAfter(headers({ 'retry-after': 'soon' }), NOW), undefined);
    assert.equal(parseRetryAfter(headers({ 'retry-after': '-3' }), NOW), undefined);
    assert.equal(parseRetryAfter(undefined, NOW), undefined);
  });

  it('backs off exponentially with at most 25% jitter, and refuses a Retry-After over the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, DEFAULT_RETRY, () => 0)),
      [1000, 2000, 4000, 8000, 16000, 16000],
    );
    assert.equal(
      backoffMs(1, DEFAULT_RETRY, () => 0.9999),
      750,
    );
    assert.equal(
      retryDelayMs(1, DEFAULT_RETRY, headers({ 'retry-after': '61' }), NOW, () => 0),
      undefined,
    );
    assert.equal(
      retryDelayMs(1, DEFAULT_RETRY, headers({ 'retry-after': '60' }), NOW, () => 0),
      60_000,
    );
  });

  it('default deadlines suit 1M-token prompts; the overall cap grows with max_tokens', () => {
    assert.deepEqual(resolveTimeouts(undefined, 32_768), {
      firstDataMs: 900_000,
      idleMs: 120_000,
      overallMs: 900_000 + 3_276_800,
    });
    assert.equal(resolveTimeouts({ idleMs: 5000 }, 1000).idleMs, 5000);
    assert.equal(resolveTimeouts({ overallMs: 1 }, 393_216).overallMs, 1);
  });

  it('the watchdog fires the first deadline that passes, once', async () => {
    const fired: string[] = [];
    const clock = instantClock(NOW, 1000);
    const w = new Watchdog(clock, { firstDataMs: 5000, idleMs: 10, overallMs: 1e6 }, (d) => fired.push(d));
    w.awaitFirstData();
    w.data();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fired, ['idle']);
    assert.deepEqual(clock.waits, [1e6, 5000, 10], 'first data armed, then replaced by idle');
  });

  it("reads DeepSeek's usage fields first and falls back to OpenAI's", () => {
    assert.deepEqual(
      readUsage({ prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 60 } }),
      { promptTokens: 100, cacheHitTokens: 60, cacheMissTokens: 40, completionTokens: 5 },
    );
    assert.deepEqual(readUsage({ prompt_tokens: 100, completion_tokens: 5, prompt_cache_miss_tokens: 30 }), {
      promptTokens: 100,
      cacheHitTokens: 70,
      cacheMissTokens: 30,
      completionTokens: 5,
    });
    assert.deepEqual(readUsage({ prompt_cache_hit_tokens: 8, prompt_cache_miss_tokens: 2 }), {
      promptTokens: 10,
      cacheHitTokens: 8,
      cacheMissTokens: 2,
      completionTokens: 0,
    });
    assert.deepEqual(readUsage({}), { promptTokens: 0, cacheHitTokens: 0, cacheMissTokens: 0, completionTokens: 0 });
  });

  it('normalises base URLs and rejects unusable ones', () => {
    assert.deepEqual(parseBaseUrl(' https://api.deepseek.com/ '), {
      url: 'https://api.deepseek.com',
      host: 'api.deepseek.com',
      local: false,
    });
    assert.deepEqual(parseBaseUrl('http://localhost:8000/v1/chat/completions'), {
      url: 'http://localhost:8000/v1',
      host: 'localhost:8000',
      local: true,
    });
    for (const bad of ['', 'localhost:8000', 'ws://x', 'https://a:b@x', 'https://x/?k=1'])
      assert.ok('error' in parseBaseUrl(bad), bad);
  });

  it('asks for an API key unless the endpoint is on this machine', () => {
    for (const local of [
      'http://localhost:11434/v1',
      'http://LOCALHOST:1234/v1',
      'http://ollama.localhost/v1',
      'http://127.0.0.1:8000/v1',
      'http://127.1.2.3/v1',
      'http://[::1]:8000/v1',
      'http://0.0.0.0:1234/v1',
    ]) {
      assert.equal(needsApiKey(local), false, local);
    }
    for (const remote of [
      'https://api.deepseek.com',
      'https://openrouter.ai/api/v1',
      'http://192.168.1.20:8000/v1',
      'http://localhost.example.com/v1',
      'http://127.0.0.1.nip.io/v1',
      'http://[::2]/v1',
      'localhost:11434',
      '',
    ]) {
      assert.equal(needsApiKey(remote), true, remote);
    }
  });

  it('maps statuses and causes to kinds', () => {
    const kind = (s: number, m?: string) => errorForStatus(s, m, 'h').kind;
    assert.equal(kind(400, 'Request exceeds the maximum context length of 1048576 tokens'), 'context_too_long');
    assert.equal(kind(413), 'context_too_long');
    assert.equal(kind(403), 'auth');
    assert.equal(kind(404, 'Model Not Exist'), 'bad_request');
    assert.equal(kind(408), 'timeout');
    assert.equal(kind(502), 'server');
    assert.equal(kind(418), 'bad_request');
    assert.equal(
      errorForNetwork(
        new TypeError('fetch failed', { cause: Object.assign(new Error('t'), { code: 'UND_ERR_CONNECT_TIMEOUT' }) }),
        'h',
      ).error.kind,
      'timeout',
    );
    assert.equal(
      errorForNetwork(
        new TypeError('terminated', {
          cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
        }),
        'h',
      ).retryable,
      true,
    );
  });

  it("names DeepSeek for its own API and the configured host for any other, with DeepSeek's advice only for DeepSeek", () => {
    const msg = (s: number, host: string, m?: string) => errorForStatus(s, m, host).message;
    assert.match(msg(401, 'api.deepseek.com'), /^DeepSeek rejected the API key \(401\)/);
    assert.match(msg(401, 'openrouter.ai'), /^openrouter\.ai rejected the API key \(401\)/);
    assert.match(msg(402, 'api.deepseek.com'), /Top up at platform\.deepseek\.com/);
    assert.match(
      msg(402, 'openrouter.ai', 'Insufficient credits'),
      /^openrouter\.ai wants payment \(402\): Insufficient credits\./,
    );
    assert.match(msg(503, 'api.deepseek.com'), /switch to the flash model/);
    assert.doesNotMatch(msg(503, 'localhost:11434'), /flash/);
    assert.equal(
      msg(500, 'localhost:11434', 'model requires more system memory (12 GiB) than is available'),
      'localhost:11434 had a server error (500): model requires more system memory (12 GiB) than is available. Try again later.',
    );
    assert.match(
      msg(404, 'localhost:11434', "model 'deepseek-v4-pro' not found"),
      /not found\. Pick a model the endpoint lists \(the chat's model picker; CLI: --model ID\)\.$/,
    );
    assert.equal(
      msg(400, 'openrouter.ai', 'deepseek-v4-pro is not a valid model ID'),
      "openrouter.ai rejected the request (400): deepseek-v4-pro is not a valid model ID. Pick a model the endpoint lists (the chat's model picker; CLI: --model ID).",
    );
    assert.equal(
      msg(400, 'api.deepseek.com', 'Invalid temperature'),
      'DeepSeek rejected the request (400): Invalid temperature.',
    );
    assert.equal(
      msg(429, 'deepseek.com.evil.example'),
      'deepseek.com.evil.example is rate-limiting this account (429: too many requests at once). Try again in a minute.',
    );
  });

  it('whatHappened: the first sentence of an error, without its advice; a server message loses its own full stop', () => {
    const cases: Array<[string, string]> = [
      [errorForStatus(503, undefined, 'api.deepseek.com').message, 'DeepSeek is overloaded (503)'],
      [
        errorForStatus(429, undefined, 'localhost:11434').message,
        'localhost:11434 is rate-limiting this account (429: too many requests at once)',
      ],
      [
        errorForStatus(502, 'Bad gateway.', 'openrouter.ai').message,
        'openrouter.ai had a server error (502): Bad gateway',
      ],
      [
        errorForNetwork(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } }), 'api.deepseek.com')
          .error.message,
        'The connection to api.deepseek.com was reset',
      ],
      [
        errorForNetwork(
          Object.assign(new Error('fetch failed'), { cause: { code: 'ENETUNREACH' } }),
          'api.deepseek.com',
        ).error.message,
        'api.deepseek.com is unreachable: the network is down or blocked',
      ],
    ];
    for (const [message, happened] of cases) assert.equal(whatHappened(message), happened, message);
    assert.equal(
      errorForStatus(502, 'Bad gateway.', 'openrouter.ai').message,
      'openrouter.ai had a server error (502): Bad gateway. Try again later.',
    );
  });

  it("reads the window a too-long error states, and says which setting to give it (the budget for DeepSeek's own API)", () => {
    const cases: Array<[unknown, string, number | undefined]> = [
      [
        undefined,
        "This model's maximum context length is 32768 tokens. However, you requested 990000 tokens (982000 in the messages, 8000 in the completion).",
        32_768,
      ], // OpenAI, vLLM
      [
        undefined,
        "This endpoint's maximum context length is 163,840 tokens. However, you requested about 1,015,808 tokens.",
        163_840,
      ], // OpenRouter
      [
        undefined,
        'Prompt contains 990000 tokens and 0 draft tokens, too large for model with 131072 maximum context length',
        131_072,
      ], // Mistral
      [
        undefined,
        'Trying to keep the first 990000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough.',
        4_096,
      ], // LM Studio
      [undefined, 'prompt is too long: 990000 tokens > 200000 maximum', 200_000], // Anthropic
      [
        {
          code: 400,
          message: 'the request exceeds the available context size, try increasing it',
          type: 'exceed_context_size_error',
          n_prompt_tokens: 990_000,
          n_ctx: 8_192,
        },
        'the request exceeds the available context size, try increasing it',
        8_192,
      ], // llama.cpp
      [undefined, 'the request exceeds the available context size (4096 tokens)', 4_096],
      [undefined, 'Please reduce the length of the messages or completion.', undefined],
      [undefined, 'maximum context length is 12 tokens', undefined], // not a window
    ];
    for (const [body, message, window] of cases) assert.equal(statedWindow(body, message), window, message);

    const tooLong = (host: string, m: string, w?: number) => errorForStatus(400, m, host, w);
    const llama = tooLong('localhost:8080', 'the request exceeds the available context size, try increasing it', 8_192);
    assert.equal(llama.kind, 'context_too_long');
    assert.equal(llama.windowTokens, 8_192, 'the session asks again in it');
    assert.equal(tooLong('localhost:8080', 'context length exceeded').windowTokens, undefined);
    assert.match(
      llama.message,
      /The model's context window is 8,192 tokens: set deepseekRepo\.contextWindowTokens to 8192 \(CLI: --window 8192\), then ask in a new chat\.$/,
    );
    assert.match(
      tooLong('localhost:8080', 'context length exceeded').message,
      /Set deepseekRepo\.contextWindowTokens to the model's context window \(CLI: --window TOKENS\)/,
    );
    assert.match(
      tooLong('api.deepseek.com', "This model's maximum context length is 1048576 tokens.", 1_048_576).message,
      /Shrink the selection or lower deepseekRepo\.contextBudgetTokens \(CLI: --budget\)\.$/,
    );
    assert.match(errorForStatus(413, undefined, 'openrouter.ai').message, /contextWindowTokens/);
  });
});
