// When to try again: Retry-After in its three spellings, and exponential backoff with jitter and a cap.
import * as assert from 'node:assert/strict';
import { backoffMs, DEFAULT_RETRY, parseRetryAfter, retryDelayMs } from '../../../src/llm/retry';

const headers = (h: Record<string, string>) => new Headers(h);
const NOW = Date.parse('Wed, 01 Jan 2031 00:00:00 GMT');

describe('retry', () => {
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
});
