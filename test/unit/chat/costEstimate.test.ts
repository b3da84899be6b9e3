// The estimate shown before sending against what the server then bills, on a fake DeepSeek that
// applies V4's cache-unit rules in both readings of one disputed point: `strict` (a unit written by
// a request with other parameters, such as a warm-up's max_tokens 1, is not matched) and `lenient`
// (it is). From the second question on, the input estimate (warm-up included) is within ±10% of the
// billed input cost, whichever rule the server follows; and the ledger stops counting on a unit a
// bill contradicted (the CLI once estimated a second one-shot question at $0.013 and was billed $0.258).
import * as assert from 'node:assert/strict';
import { CachePlan } from '../../../src/chat/cachePlan';
import { MemoryConversationLog } from '../../../src/chat/history';
import { MemoryPlanStore } from '../../../src/chat/planStore';
import { ChatSession } from '../../../src/chat/session';
import type { SessionEvent, SessionPorts } from '../../../src/chat/sessionTypes';
import { streamChat } from '../../../src/llm/client';
import { costBreakdown, type CostEstimate } from '../../../src/llm/cost';
import type { RequestParams } from '../../../src/llm/types';
import { CacheModel, cacheAwareReply } from '../../fake-server/cacheModel';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { MemoryRepo, syntheticRepo } from '../../fakes/memoryRepo';

const PARAMS: RequestParams = { model: 'deepseek-v4-pro', maxTokens: 8192, thinking: true, reasoningEffort: 'high' };
const AT = new Date(Date.UTC(2026, 10, 4, 12)); // a Wednesday, off-peak

/** USD of input tokens (hits and misses) on PARAMS.model at AT. */
const inputUsd = (hit: number, miss: number) => {
  const c = costBreakdown(
    { promptTokens: hit + miss, cacheHitTokens: hit, cacheMissTokens: miss, completionTokens: 0 },
    PARAMS.model,
    AT,
  )!;
  return c.hitUsd + c.missUsd;
};

/** The estimate's input cost from its tokens alone (so this test reads the same before and after `inputUsd`). */
const estimatedInput = (e: CostEstimate) =>
  inputUsd(
    e.predictedHitTokens + (e.warmup?.predictedHitTokens ?? 0),
    e.promptTokens - e.predictedHitTokens + (e.warmup ? e.warmup.promptTokens - e.warmup.predictedHitTokens : 0),
  );

interface Turn {
  label: string;
  estimate: CostEstimate;
  billedInputUsd: number;
  requests: number;
}

async function run(rule: 'strict' | 'lenient'): Promise<{ turns: Turn[]; server: FakeServer }> {
  const cache = new CacheModel(rule === 'strict' ? { extraKeyFields: ['max_tokens'] } : {});
  const server = await startFakeDeepSeek({ billing: (b, o) => cache.bill(b, o), scenario: cacheAwareReply });
  const repo = new MemoryRepo(syntheticRepo(20, 120_000));
  const plan = new CachePlan(new MemoryPlanStore(), () => AT.getTime());
  const ports: SessionPorts = {
    client: () => ({ baseUrl: server.url, apiKey: 'sk-test-key-123' }),
    streamChat,
    context: repo,
    plan,
    clock: () => AT.getTime(),
  };
  const turns: Turn[] = [];
  const ask = async (label: string, session: ChatSession, question: string) => {
    const before = cache.billed.length;
    const events: SessionEvent[] = [];
    const end = await session.ask(question, {}, (e) => events.push(e));
    assert.equal(end.outcome, 'complete', `${rule} ${label}: ${end.error?.message}`);
    const context = events.find((e) => e.type === 'context');
    assert.ok(context?.type === 'context');
    const billed = cache.billed.slice(before);
    turns.push({
      label,
      estimate: context.estimate,
      billedInputUsd: billed.reduce((n, b) => n + inputUsd(b.hitTokens, b.promptTokens - b.hitTokens), 0),
      requests: billed.length,
    });
  };
  const oneShot = () => ChatSession.create(ports, new MemoryConversationLog(), PARAMS);
  // One-shot questions (the CLI's way), a follow-up, then one after an edit (a delta on the base).
  await ask('one-shot 1', oneShot(), 'Where is the cache handled?');
  await ask('one-shot 2', oneShot(), 'Which module parses the config?');
  const third = oneShot();
  await ask('one-shot 3', third, 'What calls the stream reader?');
  await ask('follow-up', third, 'And what does it return?');
  repo.edit('src/user/user0.ts', '// edited\n'.repeat(50) + repo.files.get('src/user/user0.ts')!);
  await ask('after an edit', oneShot(), 'What changed in user0?');
  await ask('one-shot 5', oneShot(), 'Is there a retry loop?');
  return { turns, server };
}

for (const rule of ['strict', 'lenient'] as const) {
  describe(`the cost estimate against a ${rule} server`, function () {
    let result: { turns: Turn[]; server: FakeServer };
    before(async () => {
      result = await run(rule);
    });
    after(() => result?.server.close());

    it(
      'estimates the input (warm-up included) within ±10% of the billed input ' + 'cost from the second question on',
      () => {
        const report = result.turns.map(
          (t) =>
            `${t.label}: estimated $${estimatedInput(t.estimate).toFixed(5)}, billed $${t.billedInputUsd.toFixed(5)} ` +
            `(${t.requests} request${t.requests > 1 ? 's' : ''})`,
        );
        for (const t of result.turns.slice(1)) {
          const off = Math.abs(estimatedInput(t.estimate) - t.billedInputUsd) / t.billedInputUsd;
          assert.ok(off <= 0.1, `${t.label} is ${(off * 100).toFixed(1)}% off:\n${report.join('\n')}`);
        }
      },
    );

    it("gives the input estimate in the estimate's own field, and the output as a range up to max_tokens", () => {
      for (const t of result.turns) {
        const e = t.estimate;
        assert.ok(Math.abs(e.inputUsd! - estimatedInput(e)) < 1e-12, t.label);
        assert.ok(e.maxUsd! > e.expectedUsd! && e.expectedUsd! > e.inputUsd!, t.label);
        assert.equal(
          e.missTokens,
          e.promptTokens - e.predictedHitTokens + (e.warmup?.promptTokens ?? 0) - (e.warmup?.predictedHitTokens ?? 0),
        );
      }
    });
  });
}
