// `npm run bench:agent`: a scripted 8-step agent task (7 tool steps, then the answer) through the
// real ChatSession and client against the fake DeepSeek server billing with V4's cache-unit rules,
// on a ~100K-token and a ~1M-token repository. Reports per step the input tokens, the share billed
// as cache hits and the cost (deepseek-v4-pro, off-peak), and the latency the agent adds per step:
// from a tool result being recorded to the next request arriving at the server (planning the
// request, hashing its prefix, serialising and sending it). Target: ≤ 50 ms on a 1M-token prompt.
// Writes the BENCHMARKS.md section `agent`. BENCH_AGENT_SIZES: repository sizes in bytes.
import * as os from 'node:os';
import { agentTools } from '../../src/chat/agent/toolDefs';
import { CachePlan } from '../../src/chat/cachePlan';
import { MemoryConversationLog } from '../../src/chat/history';
import { MemoryPlanStore } from '../../src/chat/planStore';
import { ChatSession } from '../../src/chat/session';
import type { SessionEvent } from '../../src/chat/sessionTypes';
import { streamChat } from '../../src/llm/client';
import { costOf, formatUsd } from '../../src/llm/cost';
import type { RequestParams } from '../../src/llm/types';
import { agentScenario, type ScriptedStep } from '../fake-server/agentScenario';
import { CacheModel } from '../fake-server/cacheModel';
import { startFakeDeepSeek } from '../fake-server/server';
import { MemoryRepo, syntheticRepo } from '../fakes/memoryRepo';
import { repoPorts } from '../unit/chat/agent/fakes';
import { machineLine, writeSection } from './report';

const SIZES = (process.env.BENCH_AGENT_SIZES ?? '350000,3500000').split(',').map(Number);
const PARAMS: RequestParams = {
  model: 'deepseek-v4-pro',
  maxTokens: 32_768,
  thinking: true,
  reasoningEffort: 'high',
  tools: agentTools({ write: true }),
};
const AT = Date.UTC(2026, 10, 4, 12); // a Wednesday noon UTC: off-peak

function task(repo: MemoryRepo): ScriptedStep[] {
  const [a, b] = [...repo.files.keys()].sort();
  const first = repo.files.get(a!)!.split('\n')[0]!;
  return [
    { content: 'Reading the entry point.', calls: [{ name: 'read_files', args: { paths: [a] } }] },
    { calls: [{ name: 'search', args: { pattern: 'export function \\w+Cache' } }] },
    { calls: [{ name: 'edit_files', args: { edits: [{ path: a, search: first, replace: `${first} // fixed` }] } }] },
    { calls: [{ name: 'run_command', args: { command: 'npm test' } }] },
    { calls: [{ name: 'get_problems', args: { paths: [a] } }] },
    { calls: [{ name: 'read_files', args: { paths: [b] } }] },
    { calls: [{ name: 'run_command', args: { command: 'npm test -- --grep cache' } }] },
    { content: 'Fixed the entry point; the tests pass.' },
  ];
}

interface Row {
  step: number;
  prompt: number;
  hit: number;
  costUsd: number;
  addedMs?: number;
}

async function runTask(bytes: number): Promise<{ rows: Row[]; repoTokens: number; warmupUsd: number }> {
  const cache = new CacheModel();
  const repo = new MemoryRepo(syntheticRepo(Math.max(20, Math.round(bytes / 12_000)), bytes));
  const steps = task(repo);
  const server = await startFakeDeepSeek({
    billing: (b, o) => cache.bill(b, o),
    scenario: agentScenario((_b, n) => steps[Math.min(n, steps.length - 1)]!),
  });
  try {
    const ports = {
      client: () => ({ baseUrl: server.url, apiKey: 'sk-bench' }),
      streamChat,
      context: repo,
      plan: new CachePlan(new MemoryPlanStore(), () => AT),
      clock: () => AT,
    };
    const session = ChatSession.create(ports, new MemoryConversationLog(), PARAMS);
    const p = repoPorts(repo, { problems: [] });
    /** performance.now() when the last tool result before the turn's request n (the question's is 1) was recorded. */
    const ready: number[] = [];
    let lastResult = 0;
    let repoTokens = 0;
    const end = await session.ask(
      'Fix the entry point and check the tests.',
      {
        agent: {
          workspace: p.workspace,
          frontEnd: p.frontEnd,
          policy: { edits: 'apply', commands: { allowed: [''], ask: false } },
        },
      },
      (e: SessionEvent) => {
        if (e.type === 'tool_result') lastResult = performance.now();
        if (e.type === 'step') ready[e.step] = lastResult;
        if (e.type === 'context') repoTokens = e.repositoryTokens;
      },
    );
    if (end.outcome !== 'complete') throw new Error(`the task did not complete: ${end.error?.message ?? end.outcome}`);
    const requests = server.chatRequests();
    const billed = cache.billed;
    const usd = (prompt: number, hit: number, out: number) =>
      costOf(
        { promptTokens: prompt, cacheHitTokens: hit, cacheMissTokens: prompt - hit, completionTokens: out },
        PARAMS.model,
        new Date(AT),
      ) ?? 0;
    const warm = billed[0]!;
    const rows = billed.slice(1).map((b, i): Row => {
      const row: Row = {
        step: i + 1,
        prompt: b.promptTokens,
        hit: b.hitTokens,
        costUsd: usd(b.promptTokens, b.hitTokens, b.outputTokens),
      };
      // Server request 0 is the warm-up, so row i is server request i + 1 and the turn's request i + 1.
      if (i > 0) row.addedMs = requests[i + 1]!.startedAt - readyAt(ready, i + 1);
      return row;
    });
    return { rows, repoTokens, warmupUsd: usd(warm.promptTokens, warm.hitTokens, warm.outputTokens) };
  } finally {
    await server.close();
  }
}

/** When the tool results before the turn's request `n` were all recorded. */
function readyAt(ready: number[], n: number): number {
  const t = ready[n];
  if (t === undefined) throw new Error(`no tool result recorded before request ${n}`);
  return t;
}

async function main(): Promise<void> {
  const sections: string[] = [];
  const console_: string[] = [];
  for (const bytes of SIZES) {
    await runTask(bytes); // warm the JIT and the tokenizer's caches; the measured run is the second
    const { rows, repoTokens, warmupUsd } = await runTask(bytes);
    const later = rows.slice(1);
    const ratio = later.reduce((n, r) => n + r.hit, 0) / later.reduce((n, r) => n + r.prompt, 0);
    const total = rows.reduce((n, r) => n + r.costUsd, 0) + warmupUsd;
    const allMiss = rows.reduce((n, r) => n + r.prompt, 0);
    const missUsd =
      (costOf(
        { promptTokens: allMiss, cacheHitTokens: 0, cacheMissTokens: allMiss, completionTokens: 0 },
        PARAMS.model,
        new Date(AT),
      ) ?? 0) +
      rows.reduce((n, r) => n + r.costUsd, 0) -
      rows.reduce(
        (n, r) =>
          n +
          (costOf(
            { promptTokens: r.prompt, cacheHitTokens: r.hit, cacheMissTokens: r.prompt - r.hit, completionTokens: 0 },
            PARAMS.model,
            new Date(AT),
          ) ?? 0),
        0,
      );
    const added = later.map((r) => r.addedMs!).sort((x, y) => x - y);
    const lines = [
      `### Repository of ~${Math.round(repoTokens / 1000)}K tokens`,
      '',
      '| step | input tokens | billed as hits | cost | added latency |',
      '|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.step} | ${r.prompt.toLocaleString('en-US')} | ${((100 * r.hit) / r.prompt).toFixed(1)}% | ` +
          `${formatUsd(r.costUsd)} | ${r.addedMs === undefined ? '(first request)' : `${r.addedMs.toFixed(1)} ms`} |`,
      ),
      '',
      `Steps 2..8: **${(100 * ratio).toFixed(1)}%** of input tokens billed as hits. ` +
        `Turn cost ${formatUsd(total)} (cache warm-up ${formatUsd(warmupUsd)} included); ` +
        `the same requests with no cache hit would cost ${formatUsd(missUsd + warmupUsd)}. ` +
        `Added latency per step: median ${added[Math.floor(added.length / 2)]!.toFixed(1)} ms, ` +
        `max ${added.at(-1)!.toFixed(1)} ms.`,
    ];
    sections.push(lines.join('\n'));
    console_.push(lines.join('\n'));
  }
  const md = [
    '## Agent (`npm run bench:agent`)',
    '',
    'A scripted 8-step task (read a file, search, edit, run the tests, check problems, read another file,' +
      ' run the tests again, answer) through the real `ChatSession`, client and tools against the fake ' +
      "DeepSeek server billing with V4's cache-unit rules (deepseek-v4-pro, off-peak prices). Each step's " +
      "request is the previous request's input plus its output and the tool results, so it hits the unit " +
      'the previous request stored. Added latency: from the last tool result of a step being recorded to ' +
      'the next request arriving at the server (planning the request, hashing the prefix, serialising and ' +
      'sending it); target ≤ 50 ms on a 1M-token prompt. The second of two runs per size is reported.',
    '',
    `Machine: ${machineLine()}; load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min) when it ran: the latencies scale with it.`,
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
  console.log(console_.join('\n\n'));
  writeSection('agent', md);
}

main().catch((e: unknown) => {
  console.error((e as Error).stack ?? String(e));
  process.exit(1);
});
