// `npm run bench:cache`: scripted sessions against the fake DeepSeek server billing with V4's
// cache-unit rules (test/fake-server/cacheModel.ts), through the real client and ChatSession,
// compared with the same questions sent with no cache plan ("naive": the repository re-packed per
// question into the first user message with the question, changed files rewritten in place).
// Reports input tokens, hit ratio and cost (deepseek-v4-pro, off-peak prices) and writes the
// BENCHMARKS.md section `cache`. Size: BENCH_CACHE_FILES (300) files, BENCH_CACHE_BYTES (1.2 MB).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CachePlan, rebaseReason, type RebasePolicy } from '../../src/chat/cachePlan';
import { MemoryConversationLog } from '../../src/chat/history';
import { MemoryPlanStore } from '../../src/chat/planStore';
import { SYSTEM_PROMPT } from '../../src/chat/prompt';
import { ChatSession } from '../../src/chat/session';
import type { SessionPorts, StreamChatFn } from '../../src/chat/sessionTypes';
import { streamChat } from '../../src/llm/client';
import { costOf, formatUsd } from '../../src/llm/cost';
import type { ChatMessage, RequestParams, Usage } from '../../src/llm/types';
import { CacheModel, cacheAwareScenario, type CacheModelOptions } from '../fake-server/cacheModel';
import { startFakeDeepSeek, type FakeServer } from '../fake-server/server';
import { MemoryRepo, syntheticRepo } from '../fakes/memoryRepo';
import { machineLine, writeSection } from './report';
import { REPO } from '../helpers/paths';

const FILES = Number(process.env.BENCH_CACHE_FILES ?? 300);
const BYTES = Number(process.env.BENCH_CACHE_BYTES ?? 1_200_000);
const PARAMS: RequestParams = { model: 'deepseek-v4-pro', maxTokens: 32_768, thinking: true, reasoningEffort: 'high' };
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
interface Totals {
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
const pct = (t: Pick<Totals, 'prompt' | 'hit'>) => (t.prompt ? (100 * t.hit) / t.prompt : 0);

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
async function conversation(
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
const VISION: RequestParams = { ...PARAMS, model: 'deepseek-flash' };
/** Two real images (test/fixtures/images): a screenshot and a photo. */
const IMAGES = ['shot.png', 'photo.jpg'].map((name) => ({
  name,
  bytes: new Uint8Array(fs.readFileSync(path.join(REPO, 'test/fixtures/images', name))),
}));

/**
 * A 6-turn conversation on the vision model over a warm repository, files edited between turns as in
 * `conversation`; `withImages`: the first question carries two images, re-sent with its turn on every follow-up.
 */
async function imageConversation(withImages: boolean): Promise<Totals[]> {
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
async function oneShots(strategy: 'plan' | 'naive', variant: CacheModelOptions): Promise<Totals[]> {
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

const never: RebasePolicy = (base, delta, budget) => (base.tokens + delta.tokens > budget ? 'over-budget' : undefined);
const always: RebasePolicy = (_base, delta) => (delta.tokens > 0 ? 'rent-paid' : undefined);

const CHECKPOINTS = [12, 24, 36, 48];

/** A long day: 48 one-shots with two files edited before each; the delta since the base keeps growing. */
async function longDay(
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

const row = (name: string, t: Totals): string =>
  `| ${name} | ${t.requests} | ${t.prompt.toLocaleString('en-US')} | ${pct(t).toFixed(1)}% | ${formatUsd(t.costUsd)} |`;
const sum = (ts: Totals[]): Totals =>
  ts.reduce(
    (a, t) => ({
      requests: a.requests + t.requests,
      prompt: a.prompt + t.prompt,
      hit: a.hit + t.hit,
      costUsd: a.costUsd + t.costUsd,
    }),
    { requests: 0, prompt: 0, hit: 0, costUsd: 0 },
  );

async function main(): Promise<void> {
  const t0 = Date.now();
  const repoTokens = (await new MemoryRepo(syntheticRepo(FILES, BYTES)).pack({ budgetTokens: 2_000_000 })).tokens;
  const out: string[] = [];
  const log = (line = '') => {
    out.push(line);
    console.log(line);
  };
  log('## Cache plan (`npm run bench:cache`)');
  log();
  log(
    `Fake DeepSeek with V4 cache-unit rules, real client and ChatSession; synthetic repository of ${FILES} ` +
      `files, ${(BYTES / 1e6).toFixed(1)} MB, ~${repoTokens.toLocaleString('en-US')} estimated tokens; ` +
      `${PARAMS.model}, thinking on, off-peak prices; answers ~1,200 tokens with ~500 of reasoning. "naive" = ` +
      `no cache plan (repository re-packed per question into the first user message, changed files rewritten ` +
      `in place). Machine: ${machineLine()}.`,
  );
  log();

  const header = ['| session | requests | input tokens | hit ratio | cost |', '|---|---:|---:|---:|---:|'];
  const convCold = { plan: await conversation('plan', {}, false), naive: await conversation('naive', {}, false) };
  const convWarm = { plan: await conversation('plan', {}, true), naive: await conversation('naive', {}, true) };
  const shots = { plan: await oneShots('plan', {}), naive: await oneShots('naive', {}) };
  log('### 6-turn conversation, files edited between turns');
  log();
  log(header.join('\n'));
  log(row('warm repository, cache plan', convWarm.plan.all));
  log(row('warm repository, naive', convWarm.naive.all));
  log(row('cold cache, cache plan (incl. warm-up)', convCold.plan.all));
  log(row('cold cache, naive', convCold.naive.all));
  log();
  log(
    'Per turn, hit ratio (cold / warm): ' +
      convCold.plan.turns
        .map(
          (t, i) =>
            `${i + 1}: plan ${pct(t).toFixed(0)}%/${pct(convWarm.plan.turns[i]!).toFixed(0)}%, naive ` +
            `${pct(convCold.naive.turns[i]!).toFixed(0)}%/${pct(convWarm.naive.turns[i]!).toFixed(0)}%`,
        )
        .join(' · '),
  );
  log();
  log(
    'Cold, the first request must read the whole repository once, so 6 turns of about the same size can hit ' +
      'at most 5/6 (83%) without a warm-up and 6/7 (86%) with one; "warm" is a conversation on a repository ' +
      'already asked about (any earlier question or conversation).',
  );
  log();
  log('### One-shot questions (each a new conversation), one file edited before the 5th');
  log();
  log('| question | ' + shots.plan.map((_, i) => String(i + 1)).join(' | ') + ' | 3rd on | all |');
  log('|---|' + shots.plan.map(() => '---:').join('|') + '|---:|---:|');
  for (const s of ['plan', 'naive'] as const) {
    const from3 = sum(shots[s].slice(2));
    log(
      `| ${s} hit ratio | ${shots[s].map((t) => `${pct(t).toFixed(0)}%`).join(' | ')} | ` +
        `${pct(from3).toFixed(1)}% | ${pct(sum(shots[s])).toFixed(1)}% |`,
    );
  }
  log(
    `| plan cost / naive cost | ` +
      `${shots.plan.map((t, i) => `${formatUsd(t.costUsd)} / ${formatUsd(shots.naive[i]!.costUsd)}`).join(' | ')} ` +
      `| ${formatUsd(sum(shots.plan.slice(2)).costUsd)} / ${formatUsd(sum(shots.naive.slice(2)).costUsd)} | ` +
      `${formatUsd(sum(shots.plan).costUsd)} / ${formatUsd(sum(shots.naive).costUsd)} |`,
  );
  log();

  log(`### Re-base policy: ${CHECKPOINTS.at(-1)} one-shots, two files edited before each (cumulative cost)`);
  log();
  log(`| policy | ${CHECKPOINTS.map((n) => `after ${n}`).join(' | ')} | hit ratio |`);
  log(`|---|${CHECKPOINTS.map(() => '---:').join('|')}|---:|`);
  const day = {
    ski: await longDay('plan'),
    never: await longDay('plan', never),
    always: await longDay('plan', always),
    naive: await longDay('naive'),
  };
  const dayRow = (name: string, d: { at: Totals[] }) =>
    log(`| ${name} | ${d.at.map((t) => formatUsd(t.costUsd)).join(' | ')} | ${pct(d.at.at(-1)!).toFixed(1)}% |`);
  dayRow(`ski rental (default; re-based ${day.ski.rebases}×)`, day.ski);
  dayRow('never re-base (until the budget forces it)', day.never);
  dayRow('re-base on every change', day.always);
  dayRow('naive', day.naive);
  log();
  log(
    'Ski rental re-bases once the updated-files tokens paid at the miss price since the base reach the ' +
      "base's size, so it never costs more than about twice the best choice made in hindsight; never re-basing " +
      'pays a delta that grows with every edit (quadratic over a day), re-basing on every change pays a full ' +
      'miss each time.',
  );
  log();

  const withImages = await imageConversation(true);
  const without = await imageConversation(false);
  log(`### Images: a question with two images, then 5 follow-ups (${VISION.model}, warm repository)`);
  log();
  log('| conversation | ' + withImages.map((_, i) => `turn ${i + 1}`).join(' | ') + ' | all | cost |');
  log('|---|' + withImages.map(() => '---:').join('|') + '|---:|---:|');
  for (const [name, turns] of [
    ['2 images in turn 1', withImages],
    ['no images', without],
  ] as const)
    log(
      `| ${name} | ${turns.map((t) => `${pct(t).toFixed(1)}%`).join(' | ')} | ${pct(sum(turns)).toFixed(1)}% | ` +
        `${formatUsd(sum(turns).costUsd)} |`,
    );
  log();
  log(
    "The images go in the question's own message, after the repository block, and are re-sent byte for byte " +
      'with their turn on every follow-up, so each follow-up hits the cache as far as the question before it ' +
      "(the server bills an image a fixed number of tokens derived from its bytes, as DeepSeek's cache would " +
      'see the same image rendered the same way).',
  );
  log();

  log('### Other server behaviours (cache plan vs naive)');
  log();
  log('| server | 6-turn warm | 6-turn cold | one-shots 3rd on |');
  log('|---|---:|---:|---:|');
  for (const [name, variant] of [
    ['units also every 4,096 tokens', { intervalTokens: 4096 }],
    ['think-marker template (warm-ups cannot work)', { template: 'think-marker' as const }],
  ] as const) {
    const w = { plan: await conversation('plan', variant, true), naive: await conversation('naive', variant, true) };
    const c = { plan: await conversation('plan', variant, false), naive: await conversation('naive', variant, false) };
    const o = { plan: await oneShots('plan', variant), naive: await oneShots('naive', variant) };
    const cell = (p: Totals, n: Totals) =>
      `${pct(p).toFixed(1)}% ${formatUsd(p.costUsd)} vs ${pct(n).toFixed(1)}% ${formatUsd(n.costUsd)}`;
    log(
      `| ${name} | ${cell(w.plan.all, w.naive.all)} | ${cell(c.plan.all, c.naive.all)} | ` +
        `${cell(sum(o.plan.slice(2)), sum(o.naive.slice(2)))} |`,
    );
  }
  log();
  log(`Run time ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
  writeSection('cache', out.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
