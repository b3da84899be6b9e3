// streamChat's retries before the first token (429, 5xx, connection failures, a stream closed before any
// data), honouring Retry-After, reported through onRetry, cancellable; and its logs, which carry request
// ids, never the key or the prompt.
import * as assert from 'node:assert/strict';
import { streamChat } from '../../../src/llm/client';
import { SCENARIOS } from '../../fake-server/scenarios';
import { startFakeDeepSeek } from '../../fake-server/server';
import {
  KEY,
  MESSAGES,
  NO_DEADLINES,
  PARAMS,
  instantClock,
  memoryLogger,
  recorder,
  scriptedFetch,
  ok,
  status,
  netError,
  fast,
} from './kit';

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
