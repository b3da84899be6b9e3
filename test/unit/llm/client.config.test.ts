// streamChat's configuration, checked before any request: bad base URLs and keys fail with one line.
import * as assert from 'node:assert/strict';
import { streamChat } from '../../../src/llm/client';
import { KEY, MESSAGES, PARAMS, scriptedFetch, ok } from './kit';

describe('streamChat retries and failures', function () {
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
});
