// streamChat on a 200 that is not an event stream, and on redirects: a clear error, nothing retried.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamChat } from '../../../src/llm/client';
import { SCENARIOS } from '../../fake-server/scenarios';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { KEY, MESSAGES, PARAMS, recorder } from './kit';

describe('streamChat retries and failures', function () {
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
});
