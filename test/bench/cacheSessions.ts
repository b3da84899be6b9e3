// The sessions bench:cache bills (cache.ts writes the report): a fake DeepSeek server billing with V4's
// cache-unit rules, a synthetic repository edited between questions, and the scripted conversations,
// one-shots, long day and image conversation, each through the cache plan or the naive baseline.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CachePlan, rebaseReason, type RebasePolicy } from '../../src/chat/cachePlan';
import { MemoryConversationLog } from '../../src/chat/history';
import { MemoryPlanStore } from '../../src/chat/planStore';
import { SYSTEM_PROMPT } from '../../src/chat/prompt';
import { ChatSession } from '../../src/chat/session';
import type { SessionPorts, StreamChatFn } from '../../src/chat/sessionTypes';
import { streamChat } from '../../src/llm/client';
import { costOf } from '../../src/llm/cost';
import type { ChatMessage, RequestParams, Usage } from '../../src/llm/types';
import { CacheModel, cacheAwareScenario, type CacheModelOptions } from '../fake-server/cacheModel';
import { startFakeDeepSeek, type FakeServer } from '../fake-server/server';
import { MemoryRepo, syntheticRepo } from '../fakes/memoryRepo';
import { REPO } from '../helpers/paths';

export const FILES = Number(process.env.BENCH_CACHE_FILES ?? 300);
export const BYTES = Number(process.env.BENCH_CACHE_BYTES ?? 1_200_000);
export const PARAMS: RequestParams = {
  model: 'deepseek-v4-pro',
  maxTokens: 32_768,
  thinking: true,
  reasoningEffort: 'high',
};
const AT = Date.UTC(2026, 10, 4, 12); // a Wednesday noon UTC: off-peak
const QUESTIONS = [
  'How is a request cached?',
  'Where are errors handled?',
  'What does the session store?',
  'How are tokens counted?',
  'Which module renders events?',
  'Is the queue bounded?',
  'Who calls parse?',
  'How is the config loaded?',
];

interface Billed {
  usage: Usage;
  warmup: boolean;
}
export interface Totals {
  requests: number;
  prompt: number;
  hit: number;
  costUsd: number;
}
const totals = (rows: Billed[], model = PARAMS.model): Totals => ({
  requests: rows.length,
  prompt: rows.reduce((n, r) => n + r.usage.promptTokens, 0),
  hit: rows.reduce((n, r) => n + r.usage.cacheHitTokens, 0),
  costUsd: rows.reduce((n, r) => n + (costOf(r.usage, model, new Date(AT)) ?? 0), 0),
});

/** One cold server + cache model + repository; records every billed request. */
class Bench {
  readonly billed: Billed[] = [];
  readonly repo = new MemoryRepo(syntheticRepo(FILES, BYTES));
  private edits = 0;
  private constructor(readonly server: FakeServer) {}

  static async start(variant: CacheModelOptions): Promise<Bench> {
    const cache = new CacheModel(variant);
    const server = await startFakeDeepSeek({
      billing: (b, o) => cache.bill(b, o),
      scenario: cacheAwareScenario({ reasoningChars: 2_000, answerChars: 3_000 }),
    });
    return new Bench(server);
  }

  readonly send: StreamChatFn = async (options, messages, params, handlers, signal) => {
    const r = await streamChat(options, messages, params, handlers, signal);
    if (r.usage) this.billed.push({ usage: r.usage, warmup: params.maxTokens === 1 });
    return r;
  };

  /** Edits `n` files in place (a changed line in the middle), deterministically. */
  edit(n: number): void {
    const paths = [...this.repo.files.keys()];
    for (let i = 0; i < n; i++) {
      const p = paths[(this.edits++ * 7919) % paths.length]!;
      const lines = this.repo.files.get(p)!.split('\n');
      lines.splice(Math.floor(lines.length / 2), 0, `// edited ${this.edits}`);
      this.repo.edit(p, lines.join('\n'));
    }
  }

  /** Ports for the cache plan, with a plan of its own (state shared across its conversations). */
  ports(policy: RebasePolicy = rebaseReason): SessionPorts {
    return {
      client: () => ({ baseUrl: this.server.url, apiKey: 'sk-bench' }),
      streamChat: this.send,
      context: this.repo,
      plan: new CachePlan(new MemoryPlanStore(), () => AT, policy),
      clock: () => AT,
    };
  }

  /** The no-plan baseline: the whole current repository and the first question in one user message. */
  async naive(history: { question: string; answer: string }[], question: string): Promise<string> {
    const pack = await this.repo.pack({ budgetTokens: 1_000_000 });
    const turns = [...history, { question, answer: undefined as string | undefined }];
    const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM_PROMPT }];
    turns.forEach((t, i) => {
      messages.push({ role: 'user', content: i === 0 ? `${pack.text}\n${t.question}` : t.question });
      if (t.answer !== undefined) messages.push({ role: 'assistant', content: t.answer });
    });
    return (await this.send({ baseUrl: this.server.url, apiKey: 'sk-bench' }, messages, PARAMS, {})).content;
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

/**
 * A 6-turn conversation, one or two files edited before each follow-up; `warm`: the repository was asked about before.
 */
export async function conversation(
  strategy: 'plan' | 'naive',
  variant: CacheModelOptions,
  warm: boolean,
): Promise<{ all: Totals; turns: Totals[] }> {
  const b = await Bench.start(variant);
  const ports = b.ports();
  if (warm)
    await (strategy === 'plan'
      ? ChatSession.create(ports, new MemoryConversationLog(), PARAMS).ask('Give me an overview.', {}, () => {})
      : b.naive([], 'Give me an overview.'));
  const from = b.billed.length;
  const turns: Totals[] = [];
  const session = ChatSession.create(ports, new MemoryConversationLog(), PARAMS);
  const history: { question: string; answer: string }[] = [];
  for (let k = 0; k < 6; k++) {
    if (k > 0) b.edit(k % 2 ? 1 : 2);
    const before = b.billed.length;
    if (strategy === 'plan') await session.ask(QUESTIONS[k]!, {}, () => {});
    else history.push({ question: QUESTIONS[k]!, answer: await b.naive(history, QUESTIONS[k]!) });
    turns.push(totals(b.billed.slice(before)));
  }
  const all = totals(b.billed.slice(from));
  await b.close();
  return { all, turns };
}

/** The vision model, with the same thinking settings as PARAMS. */
export const VISION: RequestParams = { ...PARAMS, model: 'deepseek-flash' };
/** Two real images (test/fixtures/images): a screenshot and a photo. */
const IMAGES = ['shot.png', 'photo.jpg'].map((name) => ({
  name,
  bytes: new Uint8Array(fs.readFileSync(path.join(REPO, 'test/fixtures/images', name))),
}));

/**
 * A 6-turn conversation on the vision model over a warm repository, files edited between turns as in
 * `conversation`; `withImages`: the first question carries two images, re-sent with its turn on every follow-up.
 */
export async function imageConversation(withImages: boolean): Promise<Totals[]> {
  const b = await Bench.start({});
  const ports = b.ports();
  await ChatSession.create(ports, new MemoryConversationLog(), VISION).ask('Give me an overview.', {}, () => {});
  const session = ChatSession.create(ports, new MemoryConversationLog(), VISION);
  const turns: Totals[] = [];
  for (let k = 0; k < 6; k++) {
    if (k > 0) b.edit(k % 2 ? 1 : 2);
    const before = b.billed.length;
    await session.ask(QUESTIONS[k]!, withImages && k === 0 ? { images: IMAGES } : {}, () => {});
    turns.push(totals(b.billed.slice(before), VISION.model));
  }
  await b.close();
  return turns;
}

/** Eight one-shot questions (each a new conversation); one file edited before the fifth. */
export async function oneShots(strategy: 'plan' | 'naive', variant: CacheModelOptions): Promise<Totals[]> {
  const b = await Bench.start(variant);
  const ports = b.ports();
  const out: Totals[] = [];
  for (let k = 0; k < QUESTIONS.length; k++) {
    if (k === 4) b.edit(1);
    const before = b.billed.length;
    if (strategy === 'plan')
      await ChatSession.create(ports, new MemoryConversationLog(), PARAMS).ask(QUESTIONS[k]!, {}, () => {});
    else await b.naive([], QUESTIONS[k]!);
    out.push(totals(b.billed.slice(before)));
  }
  await b.close();
  return out;
}

export const never: RebasePolicy = (base, delta, budget) =>
  base.tokens + delta.tokens > budget ? 'over-budget' : undefined;
export const always: RebasePolicy = (_base, delta) => (delta.tokens > 0 ? 'rent-paid' : undefined);

export const CHECKPOINTS = [12, 24, 36, 48];

/** A long day: 48 one-shots with two files edited before each; the delta since the base keeps growing. */
export async function longDay(
  strategy: 'plan' | 'naive',
  policy: RebasePolicy = rebaseReason,
): Promise<{ at: Totals[]; rebases: number }> {
  const b = await Bench.start({});
  const ports = b.ports(policy);
  let rebases = 0;
  const at: Totals[] = [];
  for (let k = 0; k < CHECKPOINTS.at(-1)!; k++) {
    if (k > 0) b.edit(2);
    const q = `${QUESTIONS[k % QUESTIONS.length]} (${k})`;
    if (strategy === 'plan')
      await ChatSession.create(ports, new MemoryConversationLog(), PARAMS).ask(
        q,
        {},
        (e) => e.type === 'context' && e.rebased && rebases++,
      );
    else await b.naive([], q);
    if (CHECKPOINTS.includes(k + 1)) at.push(totals(b.billed));
  }
  await b.close();
  return { at, rebases };
}
