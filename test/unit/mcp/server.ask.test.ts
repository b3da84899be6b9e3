// `deepseek-repo mcp`'s ask_repository against the fake DeepSeek server: cost and cache hits, a follow-up
// that hits the cache, a cancelled call that closes the request.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CacheModel, cacheAwareReply } from '../../fake-server/cacheModel';
import { SCENARIOS } from '../../fake-server/scenarios';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { PAT, startServer, text, call, mcpProject } from './serverKit';

describe('MCP server (deepseek-repo mcp)', function () {
  const mcp = mcpProject();

  describe('with DeepSeek', () => {
    let deepseek: FakeServer;
    let cache: CacheModel;
    beforeEach(async () => {
      cache = new CacheModel();
      deepseek = await startFakeDeepSeek({ billing: (b, o) => cache.bill(b, o), scenario: cacheAwareReply });
      mcp.env = { ...mcp.env, DEEPSEEK_API_KEY: 'sk-test-key-123', DEEPSEEK_BASE_URL: deepseek.url };
    });
    afterEach(() => deepseek.close());

    it(
      'answers with cost and cache hits; the conversation id continues it, ' + 'and the follow-up hits the cache',
      async () => {
        mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
        const first = await call(mcp.server, 'ask_repository', { question: 'What does main.ts export?' });
        assert.equal(first.isError, undefined, text(first));
        const s1 = first.structuredContent as {
          conversation: string;
          model: string;
          outcome: string;
          usage: { promptTokens: number; cacheHitTokens: number };
          cost: { conversationUsd: number };
        };
        assert.equal(s1.outcome, 'complete');
        assert.equal(s1.model, 'deepseek-v4-pro');
        assert.ok(s1.cost.conversationUsd > 0);
        assert.match(text(first, 1), new RegExp(`conversation ${s1.conversation}`));
        const sent = deepseek.chatRequests().at(-1)!.body!;
        assert.ok(sent.messages.some((m) => m.content?.includes('[REDACTED:github-pat')));
        assert.ok(!JSON.stringify(deepseek.requests).includes(PAT), 'the secret never reaches the server');

        const second = await call(mcp.server, 'ask_repository', {
          question: 'And what does keys.ts do?',
          conversation: s1.conversation,
        });
        const s2 = second.structuredContent as typeof s1;
        assert.equal(s2.conversation, s1.conversation);
        assert.ok(
          s2.usage.cacheHitTokens / s2.usage.promptTokens > 0.9,
          `${s2.usage.cacheHitTokens} of ${s2.usage.promptTokens}`,
        );
        const messages = deepseek.chatRequests().at(-1)!.body!.messages;
        assert.equal(messages.at(-1)!.content, 'And what does keys.ts do?');
        assert.ok(
          messages.some((m) => m.content === 'What does main.ts export?'),
          'the first turn is in the follow-up',
        );
        assert.ok(
          fs
            .readdirSync(path.join(mcp.tmp, 'cache', 'mcp-conversations'), { recursive: true })
            .some((f) => String(f).endsWith(`${s1.conversation}.jsonl`)),
          'kept in the cache dir',
        );
      },
    );

    it('a conversation id continues across servers; an unknown one is a tool error', async () => {
      mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
      const first = await call(mcp.server, 'ask_repository', { question: 'What does main.ts export?' });
      const id = (first.structuredContent as { conversation: string }).conversation;
      await mcp.server.close();
      mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
      const again = await call(mcp.server, 'ask_repository', { question: 'Why?', conversation: id });
      assert.equal(again.isError, undefined, text(again));
      assert.equal(
        deepseek
          .chatRequests()
          .at(-1)!
          .body!.messages.filter((m) => m.role === 'user').length,
        3,
      );
      const unknown = await call(mcp.server, 'ask_repository', { question: 'Why?', conversation: 'no-such-id' });
      assert.equal(unknown.isError, true);
      assert.match(text(unknown), /no conversation no-such-id/);
    });

    it('an answer the output limit cut says so, and how to get the rest', async () => {
      await deepseek.close();
      deepseek = await startFakeDeepSeek({ scenario: SCENARIOS.length! });
      mcp.env = { ...mcp.env, DEEPSEEK_BASE_URL: deepseek.url };
      mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
      const r = await call(mcp.server, 'ask_repository', { question: 'Explain everything.' });
      assert.equal(r.isError, undefined, text(r));
      assert.equal(text(r), 'The answer starts here and ');
      assert.equal((r.structuredContent as { finishReason?: string }).finishReason, 'length');
      assert.match(text(r, 1), /note: the answer reached the output limit \(max_tokens [\d,]+\) and is cut there/);
    });

    it('a cancelled call closes the request to DeepSeek; the next call is served', async () => {
      // The warm-up (max_tokens 1) is answered; the answer stalls after its first words, as a slow server's does.
      deepseek.setScenario((body, index, attempt) =>
        body.max_tokens === 1 ? cacheAwareReply(body) : SCENARIOS.stall!(body, index, attempt),
      );
      mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
      const abort = new AbortController();
      const pending = call(
        mcp.server,
        'ask_repository',
        { question: 'Explain main.ts' },
        {
          signal: abort.signal,
          onprogress: (p) => {
            if ((p.message ?? '').startsWith('answering')) abort.abort();
          },
        },
      );
      await assert.rejects(pending, /abort/i);
      const record = deepseek.chatRequests().at(-1)!;
      for (let i = 0; i < 500 && !record.aborted; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(record.aborted, true, 'the server sees the connection close');
      deepseek.setScenario(cacheAwareReply);
      const next = await call(mcp.server, 'pack_repository', {});
      assert.ok(text(next).includes('export const answer'));
    });
  });
});
