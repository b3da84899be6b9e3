// Follow the conversation: in a repository that does not fit, a follow-up about another area gets the
// files its question points at appended whole before it (the real context engine, ranking included),
// the prefix stays byte for byte, and the fake server billing with DeepSeek V4's cache rules shows
// the conversation keeps hitting the cache.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CachePlan } from '../../../src/chat/cachePlan';
import { contextSourceOf } from '../../../src/chat/contextSource';
import { MemoryConversationLog } from '../../../src/chat/history';
import { MemoryPlanStore } from '../../../src/chat/planStore';
import { ChatSession } from '../../../src/chat/session';
import type { SessionEvent } from '../../../src/chat/sessionTypes';
import { ContextEngine } from '../../../src/context/engine';
import { streamChat } from '../../../src/llm/client';
import { CacheModel, cacheAwareReply } from '../../fake-server/cacheModel';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { tempDir, writeTree } from '../../helpers/tmp';

const AREAS = ['billing', 'parser', 'network', 'storage', 'render'];
const KINDS = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'sigma', 'kappa', 'theta', 'lambda', 'zeta'];

/** One module of an area, about 1,100 tokens, defining names no other file defines. */
function moduleText(area: string, kind: string): string {
  const lines = [`// The ${kind} part of ${area}.`];
  for (let j = 0; j < 24; j++)
    lines.push(
      `export function ${area}${kind[0]!.toUpperCase() + kind.slice(1)}Step${j}(input: number[]): number {`,
      `  return input.reduce((total, x) => total + x * ${j + 1}, ${j});`,
      '}',
    );
  return lines.join('\n') + '\n';
}

describe('follow-ups in a repository that does not fit', function () {
  let dir: string;
  let server: FakeServer;
  let engine: ContextEngine;
  afterEach(async () => {
    engine.dispose();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // …and 90% of a 5-question conversation's input stays cached
  it('appends the files each question points at, whole, before the question', async () => {
    dir = tempDir('dsr-follow-');
    const files: Record<string, string> = {};
    for (const a of AREAS) for (const k of KINDS) files[`src/${a}/${k}.ts`] = moduleText(a, k);
    writeTree(dir, files);
    engine = new ContextEngine({ roots: [{ name: 'w', path: dir }], workers: 0 });
    const cache = new CacheModel();
    server = await startFakeDeepSeek({ billing: (b, o) => cache.bill(b, o), scenario: cacheAwareReply });
    const now = Date.UTC(2026, 10, 4, 12);
    const budget = 20_000; // about a third of the repository's 55,000 tokens
    const session = ChatSession.create(
      {
        client: () => ({ baseUrl: server.url, apiKey: 'sk-test-key-123' }),
        streamChat,
        context: contextSourceOf(engine, [{ name: 'w', path: dir }]),
        plan: new CachePlan(new MemoryPlanStore(), () => now),
        clock: () => now,
        contextBudgetTokens: budget,
      },
      new MemoryConversationLog(),
      { model: 'deepseek-v4-pro', maxTokens: 8192, thinking: true, reasoningEffort: 'high' },
    );
    // Five questions, each about a function of a different area that only one file defines.
    const cap = (k: string) => k[0]!.toUpperCase() + k.slice(1);
    const asks = AREAS.map((a, i) => ({
      file: `src/${a}/${KINDS[i + 3]}.ts`,
      question: `Why does ${a}${cap(KINDS[i + 3]!)}Step7 add ${i + 1} to the total?`,
    }));
    const base = await engine.pack({ budgetTokens: budget, question: asks[0]!.question });
    assert.ok(base.manifest.partial, 'the test needs a repository that does not fit');
    const contexts: Extract<SessionEvent, { type: 'context' }>[] = [];
    const usages: Extract<SessionEvent, { type: 'usage' }>[] = [];
    for (const [i, { file, question }] of asks.entries()) {
      const whole = base.files.find((f) => f.path === file)!.status === 'included';
      if (i > 0) assert.ok(!whole, `the test needs ${file} outlined or left out of the first pack`);
      const end = await session.ask(question, {}, (e) => {
        if (e.type === 'context') contexts.push(e);
        if (e.type === 'usage') usages.push(e);
      });
      assert.equal(end.outcome, 'complete');
    }
    const bodies = server.chatRequests().map((r) => r.body!);
    const asked = bodies.filter((b) => b.max_tokens !== 1); // the warm-up ends at the repository
    assert.equal(asked.length, 5);
    const repository = asked[0]!.messages[1]!.content;
    for (const [i, b] of asked.entries()) {
      assert.equal(b.messages[1]!.content, repository, `request ${i + 1} keeps the repository block`);
      // Each request starts with the whole previous one: only its update and question are new.
      if (i)
        assert.deepEqual(b.messages.slice(0, asked[i - 1]!.messages.length - 1), asked[i - 1]!.messages.slice(0, -1));
    }
    for (const [i, { file }] of asks.entries()) {
      if (i === 0) continue;
      const joined = contexts[i]!.update?.joined ?? [];
      const mine = joined.find((j) => j.path === file);
      assert.ok(mine, `question ${i + 1} joins ${file}: ${JSON.stringify(contexts[i]!.update)}`);
      assert.ok(
        mine.reasons.some((r) => r.startsWith('defines ')),
        JSON.stringify(mine),
      );
      // Sent whole, in the update before the question, and never again after.
      const sent = asked[i]!.messages;
      const update = sent.at(-3)!.content!;
      assert.ok(update.includes(`<file path="${file}">\n${files[file]}`), `${file} whole before question ${i + 1}`);
      assert.equal(sent.at(-1)!.content, asks[i]!.question);
      for (const later of asked.slice(i + 1))
        assert.equal(later.messages.filter((m) => m.content?.includes(`<file path="${file}">`)).length, 1);
    }
    const billed = usages.map((u) => u.usage);
    const ratio = billed.reduce((n, u) => n + u.cacheHitTokens, 0) / billed.reduce((n, u) => n + u.promptTokens, 0);
    assert.ok(ratio >= 0.9, `cache hit ratio ${ratio.toFixed(3)} over the five questions`);
  });
});
