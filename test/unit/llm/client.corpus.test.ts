// Every case of the shared SSE corpus (test/fixtures/sse-cases.json, a verbatim copy of the team's
// shared/corpora/sse-cases.json so a fresh clone tests without it) through the REAL client, twice:
// once with an injected fetch that delivers the exact byte chunks, once over HTTP from the fake
// server's raw byte steps.
//
// Corpus outcome → ours:
//   complete                        → complete (finish_reason kept; `length` means "offer Continue")
//   complete_without_finish_reason  → interrupted: [DONE] without a finish reason may be a cut answer;
//                                     the partial text is kept, the error says why, "Continue" is offered
//   interrupted                     → interrupted, partial kept (a stream closed before any data is
//                                     retried first: these runs use maxRetries 0 to see one attempt)
//   error                           → error, kind stream_error, partial kept
// The corpus lets a lenient client flush an unterminated last event at EOF; we follow the WHATWG
// rule and discard it, so `final-chunk-without-trailing-newline` gives exactly "Part".
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { streamChat } from '../../../src/llm/client';
import { readUsage } from '../../../src/llm/usage';
import type { ChatResult, Outcome } from '../../../src/llm/types';
import { startFakeDeepSeek, type FakeServer, type Step } from '../../fake-server/server';
import { KEY, MESSAGES, NO_DEADLINES, PARAMS, chunkedResponse, instantClock, recorder, scriptedFetch } from './kit';
import { REPO } from '../../helpers/paths';

const CORPUS = path.join(REPO, 'test/fixtures/sse-cases.json');

interface CorpusCase {
  id: string;
  chunks_b64: string[];
  expected: {
    app: {
      content: string;
      reasoning: string;
      finish_reason: string | null;
      usage: Record<string, number> | null;
      error: { message: string } | null;
      outcome: string;
    };
  };
}
interface HttpCase {
  id: string;
  status: number;
  headers: Record<string, string>;
  now?: string;
  body: string;
  expected: { retry: boolean | string; delay_ms?: number | string };
}

const OUTCOMES: Record<string, Outcome> = {
  complete: 'complete',
  complete_without_finish_reason: 'interrupted',
  interrupted: 'interrupted',
  error: 'error',
};

function checkCase(c: CorpusCase, result: ChatResult, rec: ReturnType<typeof recorder>): void {
  const app = c.expected.app;
  assert.equal(result.outcome, OUTCOMES[app.outcome], `${c.id}: outcome (${JSON.stringify(result.error)})`);
  assert.equal(result.content, app.content, `${c.id}: content`);
  assert.equal(result.reasoning, app.reasoning, `${c.id}: reasoning`);
  assert.equal(result.finishReason ?? null, app.finish_reason, `${c.id}: finish_reason`);
  assert.deepEqual(result.usage, app.usage ? readUsage(app.usage) : undefined, `${c.id}: usage`);
  if (app.error) {
    assert.equal(result.error?.kind, 'stream_error', `${c.id}: error kind`);
    assert.ok(result.error.message.includes(app.error.message), `${c.id}: error message ${result.error.message}`);
  } else if (result.outcome === 'complete') {
    assert.equal(result.error, undefined, `${c.id}: no error`);
  }
  // The deltas handed to the UI add up to the result, and usage is reported once if present.
  assert.equal(
    rec
      .of('content')
      .map((e) => e.value)
      .join(''),
    app.content,
    `${c.id}: content deltas`,
  );
  assert.equal(rec.of('usage').length, app.usage ? 1 : 0, `${c.id}: onUsage calls`);
}

const corpus = JSON.parse(fs.readFileSync(CORPUS, 'utf8')) as { cases: CorpusCase[]; http_cases: HttpCase[] };
const bytesOf = (c: CorpusCase) => c.chunks_b64.map((b) => new Uint8Array(Buffer.from(b, 'base64')));
const options = (f: typeof fetch) => ({
  baseUrl: 'https://api.deepseek.com',
  apiKey: KEY,
  fetch: f,
  retry: { maxRetries: 0 },
});

describe('SSE corpus through the real client', function () {
  it('has the cases this suite expects', () => {
    assert.ok(corpus.cases.length >= 15 && corpus.http_cases.length >= 9);
  });

  describe('injected fetch, exact chunk boundaries', () => {
    for (const c of corpus.cases) {
      it(c.id, async () => {
        const rec = recorder();
        const { fetch } = scriptedFetch(() => chunkedResponse(bytesOf(c)));
        checkCase(c, await streamChat(options(fetch), MESSAGES, PARAMS, rec.handlers), rec);
      });
    }
  });

  describe('over HTTP from the fake server', () => {
    let server: FakeServer;
    before(async () => {
      server = await startFakeDeepSeek();
    });
    after(() => server.close());
    for (const c of corpus.cases) {
      it(c.id, async () => {
        const steps: Step[] = bytesOf(c).flatMap((data): Step[] => [
          { kind: 'bytes', data },
          { kind: 'wait', ms: 2 },
        ]);
        server.setScenario(() => ({ steps }));
        const rec = recorder();
        const result = await streamChat(
          { baseUrl: server.url, apiKey: KEY, retry: { maxRetries: 0 } },
          MESSAGES,
          PARAMS,
          rec.handlers,
        );
        checkCase(c, result, rec);
      });
    }
  });

  describe('http_cases', () => {
    const cases = new Map(corpus.http_cases.map((c) => [c.id, c]));
    const answer = () =>
      chunkedResponse([
        new TextEncoder().encode(
          `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] })}` +
            `\n\ndata: [DONE]\n\n`,
        ),
      ]);
    const statusResponse = (c: HttpCase) => new Response(c.body, { status: c.status, headers: c.headers });

    for (const c of corpus.http_cases.filter((c) => c.expected.retry === true)) {
      const when = typeof c.expected.delay_ms === 'number' ? ` after ${c.expected.delay_ms} ms` : ' with backoff';
      it(`${c.id}: retried${when}`, async () => {
        const clock = instantClock(c.now ? Date.parse(c.now) : undefined);
        const rec = recorder();
        const { fetch, calls } = scriptedFetch(() => statusResponse(c), answer);
        const result = await streamChat(
          { ...options(fetch), retry: {}, clock, random: () => 0.5, timeouts: NO_DEADLINES },
          MESSAGES,
          PARAMS,
          rec.handlers,
        );
        assert.equal(result.outcome, 'complete');
        assert.equal(calls.length, 2);
        const retry = rec.of('retry')[0]!.value as { attempt: number; delayMs: number; error: { status: number } };
        assert.equal(retry.attempt, 1);
        assert.equal(retry.error.status, c.status);
        // Backoff: the first retry waits the 1 s base minus 25% × random(0.5) of jitter.
        assert.equal(retry.delayMs, typeof c.expected.delay_ms === 'number' ? c.expected.delay_ms : 875);
        assert.ok(clock.waits.includes(retry.delayMs), 'the wait ran on the injected clock');
      });
    }

    for (const c of corpus.http_cases.filter((c) => c.expected.retry === false)) {
      it(`${c.id}: not retried, clear error`, async () => {
        const { fetch, calls } = scriptedFetch(() => statusResponse(c), answer);
        const result = await streamChat(options(fetch), MESSAGES, PARAMS, {});
        assert.equal(calls.length, 1);
        assert.equal(result.outcome, 'error');
        assert.equal(result.content, '');
        const expectedKind = { 400: 'context_too_long', 401: 'auth', 402: 'balance', 200: 'not_event_stream' }[
          c.status
        ];
        assert.equal(result.error?.kind, expectedKind);
        assert.ok(!result.error!.message.includes('<html'), 'no HTML in the message');
      });
    }

    it('mid-stream-socket-reset: interrupted, partial kept, not retried', async () => {
      assert.ok(cases.has('mid-stream-socket-reset'));
      const server = await startFakeDeepSeek({
        scenario: () => ({
          steps: [{ kind: 'content', text: 'Half an ' }, { kind: 'content', text: 'answer' }, { kind: 'reset' }],
        }),
      });
      try {
        const result = await streamChat({ baseUrl: server.url, apiKey: KEY }, MESSAGES, PARAMS, {});
        assert.equal(result.outcome, 'interrupted');
        assert.equal(result.content, 'Half an answer');
        assert.equal(result.error?.kind, 'network');
        assert.equal(server.chatRequests().length, 1);
      } finally {
        await server.close();
      }
    });
  });
});
