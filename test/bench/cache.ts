// `npm run bench:cache`: scripted sessions against the fake DeepSeek server billing with V4's
// cache-unit rules (test/fake-server/cacheModel.ts), through the real client and ChatSession,
// compared with the same questions sent with no cache plan ("naive": the repository re-packed per
// question into the first user message with the question, changed files rewritten in place).
// Reports input tokens, hit ratio and cost (deepseek-v4-pro, off-peak prices) and writes the
// BENCHMARKS.md section `cache`. Size: BENCH_CACHE_FILES (300) files, BENCH_CACHE_BYTES (1.2 MB). The sessions
// themselves are in cacheSessions.ts; this file runs them and writes the report.
import { formatUsd } from '../../src/llm/cost';
import { MemoryRepo, syntheticRepo } from '../fakes/memoryRepo';
import {
  always,
  BYTES,
  CHECKPOINTS,
  conversation,
  FILES,
  imageConversation,
  longDay,
  never,
  oneShots,
  PARAMS,
  VISION,
  type Totals,
} from './cacheSessions';
import { machineLine, writeSection } from './report';

const pct = (t: Pick<Totals, 'prompt' | 'hit'>) => (t.prompt ? (100 * t.hit) / t.prompt : 0);
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
