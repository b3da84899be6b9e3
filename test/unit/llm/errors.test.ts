// Errors users read: status and network causes mapped to kinds, messages naming the right host, their
// first sentence alone, and the window a too-long error states.
import * as assert from 'node:assert/strict';
import { errorForStatus, statedWindow, whatHappened } from '../../../src/llm/errors';
import { errorForNetwork } from '../../../src/llm/networkErrors';

describe('errors', () => {
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

  // …with DeepSeek's advice only for DeepSeek
  it('names DeepSeek for its own API and the configured host for any other', () => {
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
      'localhost:11434 had a server error (500): model requires more system memory (12 GiB) than is ' +
        'available. Try again later.',
    );
    assert.match(
      msg(404, 'localhost:11434', "model 'deepseek-v4-pro' not found"),
      /not found\. Pick a model the endpoint lists \(the chat's model picker; CLI: --model ID\)\.$/,
    );
    assert.equal(
      msg(400, 'openrouter.ai', 'deepseek-v4-pro is not a valid model ID'),
      'openrouter.ai rejected the request (400): deepseek-v4-pro is not a valid model ID. Pick a model the ' +
        "endpoint lists (the chat's model picker; CLI: --model ID).",
    );
    assert.equal(
      msg(400, 'api.deepseek.com', 'Invalid temperature'),
      'DeepSeek rejected the request (400): Invalid temperature.',
    );
    assert.equal(
      msg(429, 'deepseek.com.evil.example'),
      'deepseek.com.evil.example is rate-limiting this account (429: too many requests at once). Try again ' +
        'in a minute.',
    );
  });

  it('whatHappened: the first sentence of an error, no advice; a server message loses its own full stop', () => {
    const cases: [string, string][] = [
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

  // …and says which setting to give it (the budget for DeepSeek's own API)
  it('reads the window a too-long error states', () => {
    const cases: [unknown, string, number | undefined][] = [
      [
        undefined,
        "This model's maximum context length is 32768 tokens. However, you requested 990000 tokens (982000 " +
          'in the messages, 8000 in the completion).',
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
        'Trying to keep the first 990000 tokens when context the overflows. However, the model is loaded ' +
          'with context length of only 4096 tokens, which is not enough.',
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
